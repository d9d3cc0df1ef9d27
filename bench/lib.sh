# Shared by the bench scripts: the JVM, the jar, starting a gateway and reading wrk's JSON line.
java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"
jar=target/dotmac-integrations.jar
[ -f "$jar" ] || { echo "build first: mvn -q package -DskipTests" >&2; exit 1; }
java_major=$("$java_bin" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1)
[ "${java_major:-0}" -ge 21 ] || { echo "needs Java 21 or later (got ${java_major:-none} from $java_bin): set JAVA_HOME" >&2; exit 1; }

# start_stub PORT DELAY_MS LOG: the provider stub (bench/ProviderStub.java); sets stub_pid
start_stub() {
  "$java_bin" -cp "target/lib/*" bench/ProviderStub.java "$1" "$2" > "$3" 2>&1 &
  stub_pid=$!
  until curl -sf --max-time 2 "http://127.0.0.1:$1/stats" >/dev/null; do
    kill -0 "$stub_pid" 2>/dev/null || { echo "the provider stub exited:" >&2; cat "$3" >&2; exit 1; }
    sleep 0.1
  done
}

# start_gateway PORT BROKER_PORT WORKDIR [JVM options...]; the environment passes settings; sets gateway_pid
start_gateway() {
  local port=$1 broker=$2 work=$3; shift 3
  CAMEL_SERVER_PORT=$port JMS__EMBEDDED__PORT=$broker GATEWAY__DATA_DIR="$work/data" \
    "$java_bin" "$@" -jar "$jar" >"$work/gateway.log" 2>&1 &
  gateway_pid=$!
  local start; start=$(date +%s)
  until [ "$(curl -s --max-time 2 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/observe/health/ready")" = 200 ]; do
    kill -0 "$gateway_pid" 2>/dev/null || { echo "gateway exited:" >&2; tail -20 "$work/gateway.log" >&2; exit 1; }
    [ $(( $(date +%s) - start )) -lt 60 ] || { echo "gateway not ready in 60 s; see $work/gateway.log" >&2; exit 1; }
    sleep 0.1
  done
}

stop_gateway() {
  kill "$gateway_pid" 2>/dev/null || true
  wait "$gateway_pid" 2>/dev/null || true
}

rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }

# wrk_json ARGS...: runs wrk with a report script and prints its JSON line plus "rps"
wrk_json() {
  local line
  line=$(wrk "$@" | sed -n 's/^WRK-JSON //p')
  python3 -c 'import json,sys; d=json.loads(sys.argv[1]); d["rps"]=round(d["requests"]/(d["durationUs"]/1e6),1); print(json.dumps(d))' "$line"
}

machine_json() {
  printf '{"cores":%s,"cpu":"%s","memKb":%s,"java":"%s"}' "$(nproc)" \
    "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//' | tr -d '"')" \
    "$(awk '/MemTotal/ {print $2}' /proc/meminfo)" "$("$java_bin" -version 2>&1 | head -1 | tr -d '"')"
}

# collect_ids WORK STUB_PORT [GATEWAY_PORT]: every id the stub received to WORK/ids.txt (repeats
# included) and, with a gateway port, every id in its outbox to WORK/outbox.txt
collect_ids() {
  curl -sf "http://127.0.0.1:$2/ids" > "$1/ids.txt" || true
  if [ -n "${3:-}" ]; then
    curl -sf "http://127.0.0.1:$3/api/v1/outbox" \
      | python3 -c 'import json,sys; print("\n".join(e["id"] for e in json.load(sys.stdin)["messages"]))' > "$1/outbox.txt" || true
  fi
}

# await_delivered WORK STUB_PORT SECONDS [GATEWAY_PORT]: waits until every id of WORK/accepted.txt was
# received (by the stub, or the gateway's outbox) or SECONDS passed, then collects the ids once more
await_delivered() {
  local work=$1 stub=$2 deadline=$(( $(date +%s) + $3 )) gateway=${4:-} missing
  while :; do
    collect_ids "$work" "$stub" "$gateway"
    missing=$(python3 -c 'import sys
accepted = set(open(sys.argv[1]).read().split())
received = set()
for f in sys.argv[2:]:
    received |= set(open(f).read().split())
print(len(accepted - received))' "$work/accepted.txt" "$work/ids.txt" ${gateway:+"$work/outbox.txt"})
    [ "$missing" -eq 0 ] && break
    [ "$(date +%s)" -lt "$deadline" ] || break
    sleep 1
  done
  sleep 2
  collect_ids "$work" "$stub" "$gateway"
}

# start_sampler SECONDS FILE COMMAND...: runs COMMAND every SECONDS in the background and writes one JSON
# line per run to FILE: {"t": seconds since the sampler started, then COMMAND's output, JSON fields without
# braces}; sets sampler_pid
start_sampler() {
  local every=$1 file=$2 started; shift 2
  started=$(date +%s.%N)
  ( set +e +o pipefail; while :; do
      t=$(python3 -c "import time; print(round(time.time()-$started,1))")
      printf '{"t":%s,%s}\n' "$t" "$("$@")"
      sleep "$every"
    done > "$file" ) &
  sampler_pid=$!
}

# start_load URL N RATE WORK: N queued requests from 32 callers at RATE/s (bench/Load.java) in the
# background; the accepted ids go to WORK/accepted.txt, the summary to WORK/load.json; sets load_pid
start_load() {
  "$java_bin" bench/Load.java "$1" "$2" 32 "$4/accepted.txt" false "$3" > "$4/load.json" 2>"$4/load.log" &
  load_pid=$!
}
