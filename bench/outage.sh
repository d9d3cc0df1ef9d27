#!/usr/bin/env bash
# Reliability (#11), provider outage: a paced load of N queued emails through SendGrid (a local stub);
# after OUTAGE_START seconds the stub answers 503 to every mail/send for OUTAGE seconds. Every accepted
# (202) notification must be delivered, by SendGrid or by the fallback; the breaker's state and the
# integration's status are sampled every second; the share served by the fallback is reported.
# FALLBACK=outbox (default): the development outbox is the fallback provider (EMAIL__FALLBACK_PROVIDERS),
# counted through GET /api/v1/outbox. FALLBACK=none: no fallback, so messages are retried, parked and
# delivered by SendGrid after the outage.
# Usage: bench/outage.sh [N] [RATE per s] [OUTAGE_START s] [OUTAGE s]   (build first)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-12000}; rate=${2:-100}; outage_start=${3:-30}; outage=${4:-60}; fallback=${FALLBACK:-outbox}
source bench/lib.sh
work=$(mktemp -d)
stub_port=18890; port=18880; broker=18881
stub_pid=; sampler_pid=
trap 'stop_gateway; [ -n "$sampler_pid" ] && kill $sampler_pid 2>/dev/null; [ -n "$stub_pid" ] && kill $stub_pid 2>/dev/null; rm -rf "$work"' EXIT
start_stub $stub_port 0 "$work/stub.log"
export EMAIL__PROVIDER=sendgrid EMAIL__SENDGRID__BASE_URL=http://127.0.0.1:$stub_port EMAIL__SENDGRID__API_KEY=SG.bench-key
export NOTIFICATION__OUTBOX__CAPACITY=$(( n * 2 ))
[ "$fallback" = none ] || export EMAIL__FALLBACK_PROVIDERS=$fallback
# the outbox is a fallback in the development profile only
[ "$fallback" != outbox ] || export GATEWAY__PROFILE=development
mkdir -p "$work/run"
start_gateway $port $broker "$work/run"
# one line a second: breaker state, integration status, the stub's counts
outage_sample() {
  local state status stats
  state=$(curl -s --max-time 2 "http://127.0.0.1:$port/observe/metrics" \
    | sed -n 's/^resilience4j_circuitbreaker_state{.*name="email-sendgrid".*state="\([a-z_]*\)".*} 1.0$/\1/p' | head -1)
  status=$(curl -s --max-time 2 "http://127.0.0.1:$port/api/v1/integrations/email" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["status"]+": "+d.get("message",""))' 2>/dev/null || echo "?")
  stats=$(curl -s --max-time 2 "http://127.0.0.1:$stub_port/stats")
  printf '"breaker":"%s","status":"%s","stub":%s' "$state" "${status//\"/\'}" "${stats:-null}"
}
start_sampler 1 "$work/samples.jsonl" outage_sample
start_load "http://127.0.0.1:$port/api/v1/notifications/email" "$n" "$rate" "$work"
sleep "$outage_start"
curl -sf -X POST "http://127.0.0.1:$stub_port/outage?seconds=$outage" >/dev/null
echo "provider outage: SendGrid stub answers 503 for ${outage} s from $(date -u +%T)"
wait "$load_pid"
cat "$work/load.json"
await_delivered "$work" $stub_port 600 $port
kill $sampler_pid 2>/dev/null || true; sampler_pid=
dead=$(curl -sf "http://127.0.0.1:$port/api/v1/dead-letters" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(len(d.get("deadLetters", d.get("messages", []))))' 2>/dev/null || echo "?")
out=bench/results/outage-$fallback-$(date -u +%Y%m%dT%H%M%SZ).json
python3 - "$work/accepted.txt" "$work/ids.txt" "$work/outbox.txt" "$(cat "$work/load.json")" "$work/samples.jsonl" "$(machine_json)" \
  "$fallback" "$outage_start" "$outage" "$rate" "$dead" "$(curl -sf "http://127.0.0.1:$stub_port/stats")" > "$out" <<'PY'
import collections, json, sys
accepted = set(open(sys.argv[1]).read().split())
provider = collections.Counter(open(sys.argv[2]).read().split())
outbox = collections.Counter(open(sys.argv[3]).read().split())
samples = [json.loads(l) for l in open(sys.argv[5]) if l.strip()]
transitions, last = [], None
for s in samples:
    key = (s["breaker"], s["status"].split(":")[0])
    if key != last:
        transitions.append({"t": s["t"], "breaker": s["breaker"], "status": s["status"]})
        last = key
delivered = set(provider) | set(outbox)
both = set(provider) & set(outbox)
print(json.dumps({
  "benchmark": "provider-outage", "fallback": sys.argv[7], "outageStartSeconds": int(sys.argv[8]), "outageSeconds": int(sys.argv[9]),
  "ratePerSecond": float(sys.argv[10]), "load": json.loads(sys.argv[4]), "machine": json.loads(sys.argv[6]),
  "accepted": len(accepted), "acceptedLost": len(accepted - delivered),
  "deliveredByProvider": len(accepted & set(provider)), "deliveredByFallback": len(accepted & set(outbox)),
  "fallbackShare": round(len(accepted & set(outbox)) / max(1, len(accepted)), 4),
  "duplicates": sum(c - 1 for c in provider.values() if c > 1) + sum(c - 1 for c in outbox.values() if c > 1) + len(both),
  "deadLetters": sys.argv[11],
  "refusedByProviderDuringOutage": json.loads(sys.argv[12])["refused"],
  "transitions": transitions,
  "targets": {"acceptedLost": 0}}, indent=1))
PY
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print("accepted", d["accepted"], "lost", d["acceptedLost"], "by provider", d["deliveredByProvider"], "by fallback", d["deliveredByFallback"], "share", d["fallbackShare"], "duplicates", d["duplicates"]); [print(" ", x) for x in d["transitions"]]' "$out"
echo "written $out"
