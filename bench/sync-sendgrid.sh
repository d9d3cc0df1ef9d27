#!/usr/bin/env bash
# Benchmark 3, synchronous sends: POST /api/v1/notifications/email?wait=true through the SendGrid provider
# to a local stub that answers in DELAY ms (bench/ProviderStub.java), at each concurrency given. The bound
# is concurrency / delay: what the callers could get if the gateway added nothing.
# Each level is warmed up for WARMUP seconds (default 60) before it is measured.
# Usage: bench/sync-sendgrid.sh [seconds] [delay-ms] [concurrencies, e.g. "50 200"] [JVM options...]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-15}; delay=${2:-20}; levels=${3:-"50 200"}; shift 3 || shift $#
source bench/lib.sh
command -v wrk >/dev/null || { echo "needs wrk (Debian: apt-get install wrk)" >&2; exit 1; }
work=$(mktemp -d)
stub_port=18790; stub_pid=
trap 'stop_gateway; [ -n "$stub_pid" ] && kill $stub_pid 2>/dev/null; rm -rf "$work"' EXIT
start_stub $stub_port "$delay" "$work/stub.log"
EMAIL__PROVIDER=sendgrid EMAIL__SENDGRID__BASE_URL=http://127.0.0.1:$stub_port EMAIL__SENDGRID__API_KEY=SG.bench-key \
  JMS__CONSUMERS_ENABLED=false start_gateway 18780 18781 "$work" "$@"
url=http://127.0.0.1:18780/api/v1/notifications/email
results=()
for c in $levels; do
  # the JIT needs about a minute at 200 callers: from cold, successive 15 s runs gave 2,433, 4,542, 7,370 req/s,
  # and after 30 s of warm-up the gateway still spent 190 to 400 us of CPU per request (60 s: 160 to 190)
  wrk -t2 -c"$c" -d"${WARMUP:-60}s" -s bench/wrk/post-email-wait.lua "$url" >/dev/null
  r=$(wrk_json -t2 -c"$c" -d"${secs}s" --timeout 10s -s bench/wrk/post-email-wait.lua "$url")
  echo "concurrency $c: $r"
  results+=("{\"concurrency\":$c,\"bound\":$(python3 -c "print($c * 1000 / $delay)"),\"result\":$r}")
done
rss=$(rss_kb "$gateway_pid")
out=bench/results/sync-sendgrid-$(date -u +%Y%m%dT%H%M%SZ).json
python3 - "[$(IFS=,; echo "${results[*]}")]" "$delay" "$secs" "$rss" "$(machine_json)" "$*" > "$out" <<'PY'
import json, sys
levels = json.loads(sys.argv[1])
for level in levels:
    level["ratioToBound"] = round(level["result"]["rps"] / level["bound"], 3)
print(json.dumps({"benchmark": "sync-sendgrid", "stubDelayMs": int(sys.argv[2]), "seconds": int(sys.argv[3]),
                  "rssKbAfterLoad": int(sys.argv[4]), "machine": json.loads(sys.argv[5]), "jvmOptions": sys.argv[6],
                  "levels": levels, "target": {"ratioToBoundAt200": 0.8}}, indent=1))
PY
python3 -c 'import json,sys; [print("concurrency", l["concurrency"], ":", l["result"]["rps"], "req/s of", l["bound"], "->", l["ratioToBound"], " p50", l["result"]["p50Us"]//1000, "ms p99", l["result"]["p99Us"]//1000, "ms") for l in json.load(open(sys.argv[1]))["levels"]]' "$out"
echo "written $out"
