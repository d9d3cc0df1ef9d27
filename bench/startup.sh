#!/usr/bin/env bash
# Start-up to ready: launches the packaged gateway RUNS times on its embedded defaults and measures
# the time from launch to the first 200 from /observe/health/ready, and the RSS at that moment.
# Then RSS after load: one more gateway with the same JVM options takes LOAD_SECONDS (default 30) of
# queued emails from wrk (32 connections, the consumers delivering to the outbox meanwhile) and its RSS
# is read at the end (LOAD_SECONDS=0 skips it; needs wrk).
# Usage: bench/startup.sh [runs] [extra JVM options...]   (build first: mvn -q package -DskipTests)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}; shift || true
java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"
jar=target/dotmac-integrations.jar
[ -f "$jar" ] || { echo "build first: mvn -q package -DskipTests" >&2; exit 1; }
port=18480; broker=18481
results=()
# the status of GET /observe/health/ready, or nothing while the port is closed: bash's /dev/tcp instead
# of curl, because a curl every 20 ms cost ~0.2 cores, taken from the start-up it measures on 2 cores
ready_status() {
  local line=
  { exec 3<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null || return 0
  printf 'GET /observe/health/ready HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3
  read -r -t 5 line <&3 || true
  exec 3>&-
  line=${line#* }
  echo "${line%% *}"
}
for i in $(seq 1 "$runs"); do
  work=$(mktemp -d)
  start=$(date +%s%N); SECONDS=0
  CAMEL_SERVER_PORT=$port JMS__EMBEDDED__PORT=$broker GATEWAY__DATA_DIR="$work/data" \
    "$java_bin" "$@" -jar "$jar" >"$work/out.log" 2>&1 &
  pid=$!
  until [ "$(ready_status)" = 200 ]; do
    kill -0 $pid 2>/dev/null || { echo "gateway exited; see $work/out.log" >&2; exit 1; }
    sleep 0.02
    [ $SECONDS -lt 30 ] || { echo "not ready in 30 s" >&2; kill $pid; exit 1; }
  done
  ms=$(( ($(date +%s%N) - start) / 1000000 ))
  rss=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)
  kill $pid; wait $pid 2>/dev/null || true
  rm -rf "$work"
  echo "run $i: ready in ${ms} ms, RSS $((rss / 1024)) MB"
  results+=("{\"readyMs\":$ms,\"rssKb\":$rss}")
done
load=null
load_secs=${LOAD_SECONDS:-30}
if [ "$load_secs" -gt 0 ]; then
  source bench/lib.sh
  command -v wrk >/dev/null || { echo "needs wrk for RSS after load (Debian: apt-get install wrk), or LOAD_SECONDS=0" >&2; exit 1; }
  work=$(mktemp -d)
  trap 'stop_gateway; rm -rf "$work"' EXIT
  start_gateway $port $broker "$work" "$@"
  ready_rss=$(rss_kb "$gateway_pid")
  accept=$(wrk_json -t2 -c32 -d"${load_secs}s" -s bench/wrk/post-email.lua "http://127.0.0.1:$port/api/v1/notifications/email")
  loaded_rss=$(rss_kb "$gateway_pid")
  stop_gateway
  echo "after ${load_secs} s of queued emails ($(python3 -c 'import json,sys; d=json.loads(sys.argv[1]); print(d["rps"], "req/s, p99", d["p99Us"] // 1000, "ms")' "$accept")): RSS $((loaded_rss / 1024)) MB (at ready $((ready_rss / 1024)) MB)"
  load="{\"seconds\":$load_secs,\"rssKbAtReady\":$ready_rss,\"rssKbAfterLoad\":$loaded_rss,\"accept\":$accept}"
fi
out=bench/results/startup-$(date -u +%Y%m%dT%H%M%SZ).json
printf '{"benchmark":"startup-to-ready","jvmOptions":"%s","java":"%s","cores":%s,"runs":[%s],"load":%s}\n' \
  "$*" "$("$java_bin" -version 2>&1 | head -1 | tr -d '"')" "$(nproc)" "$(IFS=,; echo "${results[*]}")" "$load" > "$out"
echo "written $out"
