#!/usr/bin/env bash
# Benchmark 4: latency the circuit breaker adds per provider call, closed and open (fallback serving).
# Usage: bench/breaker-overhead.sh [calls per round] [rounds]   (build first: mvn -q package -DskipTests)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
result=$("$java_bin" -cp "target/classes:target/lib/*" bench/BreakerOverhead.java "${1:-200000}" "${2:-5}" 2>/dev/null | tail -1)
out=bench/results/breaker-overhead-$(date -u +%Y%m%dT%H%M%SZ).json
python3 -c 'import json,sys; d=json.loads(sys.argv[1]); d["machine"]=json.loads(sys.argv[2]); print(json.dumps(d, indent=1))' "$result" "$(machine_json)" > "$out"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print("p50 per call (us):", {k: v["p50Us"] for k, v in d["routes"].items()}, " added by the breaker:", d["addedP50Us"])' "$out"
echo "written $out"
