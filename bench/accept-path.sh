#!/usr/bin/env bash
# Benchmark 1, the HTTP accept path: POST /api/v1/notifications/email queued (validate, durable send,
# 202) under wrk with CONNECTIONS connections, at saturation and at a fixed rate (half of it), next to
# its two bounds measured in the same run on the same gateway:
#   (a) the cheapest route of the same server, GET /observe/health/live;
#   (b) the raw durable-send rate of the same embedded broker at the same concurrency, by the broker's
#       own tool: artemis perf producer --persistent --max-pending 1 --producers CONNECTIONS.
# The JMS consumers are switched off (JMS__CONSUMERS_ENABLED=false), so the accept path is measured alone;
# MODE=consuming keeps them (the outbox provider then delivers in parallel).
# Usage: bench/accept-path.sh [seconds] [connections] [JVM options...]   (needs wrk; build first)
# WARMUP (60) seconds of the accept path's own load come first.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-15}; conns=${2:-32}; shift 2 || shift $#
source bench/lib.sh
command -v wrk >/dev/null || { echo "needs wrk (Debian: apt-get install wrk)" >&2; exit 1; }
artemis=$(bench/artemis-home.sh)
port=18580; broker=18581
work=$(mktemp -d)
trap 'stop_gateway; rm -rf "$work"' EXIT
[ "${MODE:-alone}" = consuming ] || export JMS__CONSUMERS_ENABLED=false
start_gateway $port $broker "$work" "$@"
base=http://127.0.0.1:$port
# the accept path takes 30 to 40 s of load to be compiled (2,100 req/s in its first 10 s, 10,000 from the
# fourth 10 s on): measured from then on, as benchmark 3 is
warmup=${WARMUP:-60}
echo "warming up (${warmup} s)"
wrk -t2 -c"$conns" -d${warmup}s -s bench/wrk/post-email.lua "$base/api/v1/notifications/email" >/dev/null
wrk -t2 -c"$conns" -d3s -s bench/wrk/report.lua "$base/observe/health/live" >/dev/null

live=$(wrk_json -t2 -c"$conns" -d"${secs}s" -s bench/wrk/report.lua "$base/observe/health/live")
echo "cheapest route  $live"
accept=$(wrk_json -t2 -c"$conns" -d"${secs}s" -s bench/wrk/post-email.lua "$base/api/v1/notifications/email")
echo "accept path     $accept"
rate=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["rps"])' "$accept")
# half the saturation rate: each connection waits conns/(rate/2) s between requests, minus its latency
pace=$(python3 -c "print(max(1, int($conns / ($rate / 2) * 1000)))")
paced=$(PACE_MS=$pace wrk_json -t2 -c"$conns" -d"${secs}s" -s bench/wrk/post-email.lua "$base/api/v1/notifications/email")
echo "accept, paced   $paced"
"$artemis/bin/artemis" perf producer --url "tcp://127.0.0.1:$broker" --persistent --max-pending 1 \
  --producers "$conns" --threads 2 --message-size 200 --warmup 3 --duration "$secs" --silent \
  --json "$work/producer.json" queue://bench.raw > "$work/producer.log" 2>&1 || { cat "$work/producer.log"; exit 1; }
raw=$(python3 bench/artemis-perf.py "$work/producer.json" sent)
echo "raw broker send $raw"
rss=$(rss_kb "$gateway_pid")
out=bench/results/accept-path-$(date -u +%Y%m%dT%H%M%SZ).json
python3 - "$live" "$accept" "$paced" "$raw" "$rss" "$conns" "$secs" "${MODE:-alone}" "$(machine_json)" "$*" "$warmup" > "$out" <<'PY'
import json, sys
live, accept, paced, raw = (json.loads(a) for a in sys.argv[1:5])
rss, conns, secs, mode, machine, jvm = int(sys.argv[5]), int(sys.argv[6]), int(sys.argv[7]), sys.argv[8], json.loads(sys.argv[9]), sys.argv[10]
warmup = int(sys.argv[11])
bound = raw["perSec"]
print(json.dumps({
  "benchmark": "accept-path", "mode": mode, "connections": conns, "seconds": secs, "warmupSeconds": warmup, "jvmOptions": jvm, "machine": machine,
  "cheapestRoute": live, "accept": accept, "acceptPaced": paced, "rawBrokerSend": raw,
  "ratioToRawDurableSend": round(accept["rps"] / bound, 3) if bound else None,
  "ratioToCheapestRoute": round(accept["rps"] / live["rps"], 3),
  "targets": {"ratioToRawDurableSend": 0.8, "ratioToCheapestRoute": 0.25},
  "rssKbAfterLoad": rss}, indent=1))
PY
cat "$out" | python3 -c 'import json,sys; d=json.load(sys.stdin); print("accept/raw send:", d["ratioToRawDurableSend"], " accept/cheapest:", d["ratioToCheapestRoute"], " RSS after load:", d["rssKbAfterLoad"]//1024, "MB")'
echo "written $out"
