#!/usr/bin/env bash
# Reliability (#11), broker restart: a gateway on a standalone Artemis broker (JMS__BROKER_URL) takes a
# paced load of N queued emails through SendGrid (a local stub). After DOWN_AT seconds the broker is
# killed (kill -9) and started again DOWN_FOR seconds later on the same journal. The load repeats every
# call that got no 202, as a client would. Health is sampled every half second. Every accepted (202)
# notification must be delivered; the gateway must reconnect by itself; readiness must show the outage.
# Usage: bench/broker-restart.sh [N] [RATE per s] [DOWN_AT s] [DOWN_FOR s]   (build first)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-6000}; rate=${2:-100}; down_at=${3:-20}; down_for=${4:-15}
source bench/lib.sh
artemis_home=$(bench/artemis-home.sh)
work=$(mktemp -d)
stub_port=18890; port=18880; broker=18881; artemis_port=18882
stub_pid=; sampler_pid=; broker_pid=
trap 'stop_gateway; [ -n "$sampler_pid" ] && kill $sampler_pid 2>/dev/null; [ -n "$broker_pid" ] && kill -9 $broker_pid 2>/dev/null; [ -n "$stub_pid" ] && kill $stub_pid 2>/dev/null; rm -rf "$work"' EXIT
JAVA_HOME=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")} \
  "$artemis_home/bin/artemis" create "$work/broker" --user admin --password admin --require-login --silent --no-web \
  --nio --host 127.0.0.1 --default-port $artemis_port --no-amqp-acceptor --no-mqtt-acceptor --no-stomp-acceptor \
  --no-hornetq-acceptor > "$work/create.log" 2>&1
start_broker() {
  "$work/broker/bin/artemis" run >> "$work/broker.log" 2>&1 &
  broker_pid=$!
  until (exec 3<>/dev/tcp/127.0.0.1/$artemis_port) 2>/dev/null; do sleep 0.1; done
}
start_broker
start_stub $stub_port 0 "$work/stub.log"
export EMAIL__PROVIDER=sendgrid EMAIL__SENDGRID__BASE_URL=http://127.0.0.1:$stub_port EMAIL__SENDGRID__API_KEY=SG.bench-key
export JMS__BROKER_URL=tcp://127.0.0.1:$artemis_port JMS__USERNAME=admin JMS__PASSWORD=admin
mkdir -p "$work/run"
start_gateway $port $broker "$work/run"
# twice a second: readiness and the broker check of /observe/health
broker_sample() {
  local ready broker_check
  ready=$(curl -s --max-time 5 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/observe/health/ready")
  broker_check=$(curl -s --max-time 2 "http://127.0.0.1:$port/observe/health?data=true" | python3 -c '
import json,sys
d=json.load(sys.stdin)
print(next((c["status"] for c in d.get("checks",[]) if c["name"] == "jms-broker"), "?"))' 2>/dev/null || echo "?")
  printf '"ready":%d,"broker":"%s"' "$((10#${ready:-0}))" "$broker_check"
}
start_sampler 0.5 "$work/samples.jsonl" broker_sample
start_load "http://127.0.0.1:$port/api/v1/notifications/email" "$n" "$rate" "$work"
sleep "$down_at"
kill -9 "$broker_pid"; wait "$broker_pid" 2>/dev/null || true
echo "broker killed (kill -9) at $(date -u +%T); restarting it in ${down_for} s"
sleep "$down_for"
start_broker
echo "broker restarted at $(date -u +%T)"
wait "$load_pid"
cat "$work/load.json"
await_delivered "$work" $stub_port 300
kill $sampler_pid 2>/dev/null || true; sampler_pid=
reconnect_lines=$(grep -ciE "reconnect|recover|Setup of JMS message listener invoker failed|connection.*(lost|failed)" "$work/run/gateway.log" || true)
out=bench/results/broker-restart-$(date -u +%Y%m%dT%H%M%SZ).json
python3 - "$work/accepted.txt" "$work/ids.txt" "$(cat "$work/load.json")" "$work/samples.jsonl" "$(machine_json)" \
  "$down_at" "$down_for" "$rate" "$reconnect_lines" > "$out" <<'PY'
import collections, json, sys
accepted = set(open(sys.argv[1]).read().split())
provider = collections.Counter(open(sys.argv[2]).read().split())
samples = [json.loads(l) for l in open(sys.argv[4]) if l.strip()]
transitions, last = [], None
for s in samples:
    key = (s["ready"], s["broker"])
    if key != last:
        transitions.append(s)
        last = key
not_ready = [s["t"] for s in samples if s["ready"] != 200]
print(json.dumps({
  "benchmark": "broker-restart", "brokerKilledAtSeconds": int(sys.argv[6]), "brokerDownSeconds": int(sys.argv[7]),
  "ratePerSecond": float(sys.argv[8]), "load": json.loads(sys.argv[3]), "machine": json.loads(sys.argv[5]),
  "accepted": len(accepted), "acceptedLost": len(accepted - set(provider)),
  "deliveredNotAccepted": len(set(provider) - accepted),
  "duplicates": sum(c - 1 for c in provider.values() if c > 1),
  "notReadyFromSeconds": min(not_ready) if not_ready else None, "notReadyUntilSeconds": max(not_ready) if not_ready else None,
  "healthTransitions": transitions, "gatewayLogLinesAboutTheConnection": int(sys.argv[9] or 0),
  "targets": {"acceptedLost": 0}}, indent=1))
PY
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print("accepted", d["accepted"], "lost", d["acceptedLost"], "duplicates", d["duplicates"], "delivered without a 202", d["deliveredNotAccepted"], "not ready", d["notReadyFromSeconds"], "-", d["notReadyUntilSeconds"]); [print(" ", x) for x in d["healthTransitions"]]' "$out"
echo "written $out"
