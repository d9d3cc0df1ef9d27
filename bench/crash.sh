#!/usr/bin/env bash
# Reliability (#11), crash: while N notifications are being accepted, kill -9 the gateway (embedded broker)
# and restart it at once on the same data dir; the load (bench/Load.java) repeats what got no 202, as a
# client would, until all N are accepted. At a SendGrid stub: every accepted (202) notification must be
# delivered; duplicates are counted. KEYS=true: each request has an Idempotency-Key, so a repeat of a call
# whose 202 was lost in the crash is the same notification.
# Usage: bench/crash.sh [N] [seconds before the kill]   (build first)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000}; kill_after=${2:-4}
source bench/lib.sh
work=$(mktemp -d)
stub_port=18890; port=18880; broker=18881
stub_pid=
trap 'stop_gateway; [ -n "$stub_pid" ] && kill $stub_pid 2>/dev/null; rm -rf "$work"' EXIT
start_stub $stub_port 0 "$work/stub.log"
export EMAIL__PROVIDER=sendgrid EMAIL__SENDGRID__BASE_URL=http://127.0.0.1:$stub_port EMAIL__SENDGRID__API_KEY=SG.bench-key
mkdir -p "$work/run1" "$work/run2"
start_gateway $port $broker "$work/run1"
data_dir=$work/run1/data
"$java_bin" bench/Load.java "http://127.0.0.1:$port/api/v1/notifications/email" "$n" 32 "$work/accepted.txt" "${KEYS:-false}" > "$work/load.json" 2>"$work/load.log" &
load_pid=$!
sleep "$kill_after"
delivered_before=$(curl -sf "http://127.0.0.1:$stub_port/stats" | python3 -c 'import json,sys; print(json.load(sys.stdin)["count"])')
kill -9 "$gateway_pid"; wait "$gateway_pid" 2>/dev/null || true
echo "killed the gateway (kill -9) after ${kill_after} s, with $delivered_before sent to the provider"
# the same data dir: the broker's journal holds what was accepted and not yet delivered
CAMEL_SERVER_PORT=$port JMS__EMBEDDED__PORT=$broker GATEWAY__DATA_DIR="$data_dir" \
  "$java_bin" -jar "$jar" > "$work/run2/gateway.log" 2>&1 &
gateway_pid=$!
wait "$load_pid"
cat "$work/load.json"
await_delivered "$work" $stub_port 300
out=bench/results/crash-$(date -u +%Y%m%dT%H%M%SZ).json
python3 - "$work/accepted.txt" "$work/ids.txt" "$(cat "$work/load.json")" "$kill_after" "$delivered_before" "$(machine_json)" "${KEYS:-false}" > "$out" <<'PY'
import collections, json, sys
accepted = open(sys.argv[1]).read().split()
received = open(sys.argv[2]).read().split()
counts = collections.Counter(received)
acc = set(accepted)
print(json.dumps({
  "benchmark": "crash-kill-9", "idempotencyKeys": sys.argv[7] == "true", "load": json.loads(sys.argv[3]), "killAfterSeconds": int(sys.argv[4]),
  "sentToProviderBeforeKill": int(sys.argv[5]), "machine": json.loads(sys.argv[6]),
  "accepted": len(acc), "acceptedDelivered": len(acc & set(counts)), "acceptedLost": len(acc - set(counts)),
  "deliveredNotAccepted": len(set(counts) - acc),
  "duplicates": sum(c - 1 for c in counts.values() if c > 1),
  "idsDeliveredMoreThanOnce": sum(1 for c in counts.values() if c > 1),
  "targets": {"acceptedLost": 0, "duplicates": 0}}, indent=1))
PY
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print("accepted", d["accepted"], "lost", d["acceptedLost"], "duplicates", d["duplicates"], "delivered without a 202", d["deliveredNotAccepted"])' "$out"
echo "written $out"
