#!/usr/bin/env bash
# Benchmark 2, end-to-end JMS: N persistent email requests on integrations.email, consumed by the gateway
# and sent through the SendGrid provider to a local stub (bench/ProviderStub.java, no delay), against the
# raw consume rate of the same broker measured in the same run by its own tool (artemis perf consumer).
# Both consume over TCP from one embedded broker: gateway A hosts it (consumers off) and is preloaded;
# gateway B (consumers on, JMS__BROKER_URL=A) then drains the queue; the rate is N over the time from
# the stub's first to its last request. The raw bound drains N preloaded messages of the same size with
# as many consumers as B has (jms.concurrent-consumers).
# Usage: bench/jms-end-to-end.sh [N] [consumers] [JVM options of B...]   (build first)
# Gateway B's rate is also reported over its second half (steady: past the JIT's warm-up).
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-50000}; consumers=${2:-8}; shift 2 || shift $#
source bench/lib.sh
artemis=$(bench/artemis-home.sh)
work=$(mktemp -d)
stub_port=18690
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
"$java_bin" -cp "target/lib/*" bench/ProviderStub.java $stub_port 0 > "$work/stub.log" 2>&1 & pids+=($!)
until curl -sf "http://127.0.0.1:$stub_port/stats" >/dev/null; do sleep 0.1; done

JMS__CONSUMERS_ENABLED=false start_gateway 18680 18681 "$work" -Xmx512m
pids+=("$gateway_pid"); broker_pid=$gateway_pid
body='{"to":"bench@example.com","subject":"benchmark","content":"A short text body of a benchmark email."}'
size=${#body}

echo "raw bound: preloading $n messages of $size bytes, then artemis perf consumer with $consumers consumers"
"$artemis/bin/artemis" producer --url tcp://127.0.0.1:18681 --destination queue://bench.raw --message-count "$n" \
  --message-size "$size" --commit-interval 1000 --silent > "$work/preload-raw.log" 2>&1
"$artemis/bin/artemis" perf consumer --url tcp://127.0.0.1:18681 --duration "${RAW_SECONDS:-10}" --warmup 2 \
  --consumers "$consumers" --silent --json "$work/consumer.json" queue://bench.raw > "$work/consumer.log" 2>&1 \
  || { cat "$work/consumer.log"; exit 1; }
raw=$(python3 bench/artemis-perf.py "$work/consumer.json" received)
echo "raw consume     $raw"

echo "gateway: preloading $n email requests on integrations.email"
"$artemis/bin/artemis" producer --url tcp://127.0.0.1:18681 --destination queue://integrations.email \
  --message "$body" --message-count "$n" --commit-interval 1000 --silent > "$work/preload.log" 2>&1
curl -sf "http://127.0.0.1:$stub_port/reset" >/dev/null
work_b=$work/b; mkdir -p "$work_b"
EMAIL__PROVIDER=sendgrid EMAIL__SENDGRID__BASE_URL=http://127.0.0.1:$stub_port EMAIL__SENDGRID__API_KEY=SG.bench-key \
  JMS__BROKER_URL=tcp://127.0.0.1:18681 JMS__CONCURRENT_CONSUMERS=$consumers \
  start_gateway 18682 18683 "$work_b" "$@"
pids+=("$gateway_pid")
deadline=$(( $(date +%s) + 600 ))
half_at=
while :; do
  count=$(curl -sf "http://127.0.0.1:$stub_port/stats" | python3 -c 'import json,sys; print(json.load(sys.stdin)["count"])')
  if [ -z "$half_at" ] && [ "$count" -ge $((n / 2)) ]; then half_at=$(date +%s%3N); half_count=$count; fi
  [ "$count" -ge "$n" ] && break
  [ "$(date +%s)" -lt "$deadline" ] || { echo "only $count of $n delivered in 600 s" >&2; exit 1; }
  sleep 0.2
done
stats=$(curl -sf "http://127.0.0.1:$stub_port/stats")
steady=$(python3 -c "import json; s=json.loads('$stats'); print(round((s['count'] - $half_count) / max(0.001, (s['lastMs'] - $half_at) / 1000), 1))")
rss_b=$(rss_kb "$gateway_pid")
out=bench/results/jms-end-to-end-$(date -u +%Y%m%dT%H%M%SZ).json
python3 - "$stats" "$raw" "$n" "$consumers" "$rss_b" "$(machine_json)" "$*" "$steady" > "$out" <<'PY'
import json, sys
stats, raw = json.loads(sys.argv[1]), json.loads(sys.argv[2])
n, consumers, rss, machine, jvm = int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), json.loads(sys.argv[6]), sys.argv[7]
steady = float(sys.argv[8])
seconds = max(0.001, (stats["lastMs"] - stats["firstMs"]) / 1000)
rate = round(stats["count"] / seconds, 1)
print(json.dumps({
  "benchmark": "jms-end-to-end", "messages": n, "consumers": consumers, "jvmOptions": jvm, "machine": machine,
  "delivered": stats["count"], "seconds": round(seconds, 2), "perSec": rate, "perSecSecondHalf": steady,
  "rawConsume": raw, "ratioToRawConsume": round(rate / raw["perSec"], 3) if raw["perSec"] else None,
  "ratioSecondHalfToRawConsume": round(steady / raw["perSec"], 3) if raw["perSec"] else None,
  "targets": {"ratioToRawConsume": 0.7, "perSec": 5000}, "rssKbAfterLoad": rss}, indent=1))
PY
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print("end to end:", d["perSec"], "msg/s (second half", d["perSecSecondHalf"], "); raw consume:", d["rawConsume"]["perSec"], "msg/s; ratio", d["ratioToRawConsume"])' "$out"
echo "written $out"
