#!/usr/bin/env bash
# Streaming proof: a 1 GiB object uploaded and downloaded through a gateway limited to -Xmx256m, on the
# file provider or on the s3 provider against s3proxy (a real S3 API server, started here from the
# test classpath, storing on disk). Prints and records the time, throughput, peak RSS and whether the
# bytes match. Usage: bench/storage-stream.sh [size-in-MiB] [file|s3]   (build first: mvn -q package -DskipTests)
set -euo pipefail
cd "$(dirname "$0")/.."
mib=${1:-1024}
provider=${2:-file}
java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"
jar=target/dotmac-integrations.jar
[ -f "$jar" ] || { echo "build first: mvn -q package -DskipTests" >&2; exit 1; }
work=$(mktemp -d)
port=18490
s3pid=
if [ "$provider" = s3 ]; then
  mvn -q -o dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$work/cp.txt" >/dev/null
  mkdir -p "$work/blobs"
  "$java_bin" -cp "$(cat "$work/cp.txt")" bench/S3ProxyLauncher.java 18492 "$work/blobs" bench-access bench-secret-0123456789 \
    >"$work/s3proxy.log" 2>&1 &
  s3pid=$!
  until curl -s -o /dev/null http://127.0.0.1:18492/; do kill -0 $s3pid || { cat "$work/s3proxy.log" >&2; exit 1; }; sleep 0.2; done
  export STORAGE__PROVIDER=s3 FEATURES__STORAGE_MINIO_ENABLED=true STORAGE__BUCKET=bench-objects \
    STORAGE__S3__ENDPOINT=http://127.0.0.1:18492 STORAGE__S3__PATH_STYLE=true STORAGE__S3__ACCESS_KEY=bench-access \
    STORAGE__S3__SECRET_KEY=bench-secret-0123456789 STORAGE__S3__AUTO_CREATE_BUCKET=true
fi
trap 'kill $pid $s3pid 2>/dev/null || true; rm -rf "$work"' EXIT
CAMEL_SERVER_PORT=$port JMS__EMBEDDED__PORT=18491 GATEWAY__DATA_DIR="$work/data" \
  "$java_bin" -Xmx256m -jar "$jar" >"$work/out.log" 2>&1 &
pid=$!
until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/observe/health/ready")" = 200 ]; do
  kill -0 $pid 2>/dev/null || { cat "$work/out.log" >&2; exit 1; }; sleep 0.1
done
head -c $((mib * 1024 * 1024)) /dev/urandom > "$work/object.bin"
url="http://127.0.0.1:$port/api/v1/storage/objects/bench/object.bin"
put=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' -T "$work/object.bin" -H 'Content-Type: application/octet-stream' "$url")
get=$(curl -s -o "$work/back.bin" -w '%{http_code} %{time_total}' "$url")
same=$([ "$(sha256sum < "$work/object.bin")" = "$(sha256sum < "$work/back.bin")" ] && echo true || echo false)
peak_kb=$(awk '/VmHWM/ {print $2}' /proc/$pid/status)
oom=$(grep -c OutOfMemoryError "$work/out.log" || true)
read -r put_code put_s <<<"$put"; read -r get_code get_s <<<"$get"
echo "PUT $mib MiB: HTTP $put_code in ${put_s}s ($(awk -v m=$mib -v s=$put_s 'BEGIN{printf "%.0f", m/s}') MiB/s)"
echo "GET $mib MiB: HTTP $get_code in ${get_s}s ($(awk -v m=$mib -v s=$get_s 'BEGIN{printf "%.0f", m/s}') MiB/s)"
echo "bytes identical: $same; peak RSS $((peak_kb / 1024)) MB with -Xmx256m; OutOfMemoryError in log: $oom"
out=bench/results/storage-stream-$provider-$(date -u +%Y%m%dT%H%M%SZ).json
printf '{"benchmark":"storage-stream","provider":"%s","sizeMiB":%s,"jvm":"-Xmx256m","put":{"status":%s,"seconds":%s},"get":{"status":%s,"seconds":%s},"identical":%s,"peakRssKb":%s,"outOfMemoryErrors":%s,"cores":%s}\n' \
  "$provider" "$mib" "$put_code" "$put_s" "$get_code" "$get_s" "$same" "$peak_kb" "$oom" "$(nproc)" > "$out"
echo "written $out"
[ "$same" = true ] && [ "$put_code" = 201 ] && [ "$get_code" = 200 ] && [ "$oom" = 0 ]
