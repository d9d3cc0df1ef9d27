#!/usr/bin/env sh
# AppCDS training run: starts the gateway on its embedded defaults, waits until it is ready, stops it
# with SIGTERM (a graceful exit 0, so the JVM writes the archive) and leaves the class archive at $1.
# Used by the Dockerfile; runs the same on a plain JVM: docker/cds-training.sh target/app.jsa
set -eu
archive=${1:-app.jsa}
jar=${JAR:-target/dotmac-integrations.jar}
work=$(mktemp -d)
CAMEL_SERVER_PORT=18499 JMS__EMBEDDED__PORT=18498 GATEWAY__DATA_DIR="$work" \
  "${JAVA_HOME:+$JAVA_HOME/bin/}java" -XX:ArchiveClassesAtExit="$archive" -jar "$jar" >"$work/training.log" 2>&1 &
pid=$!
i=0
until [ "$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:18499/observe/health/ready)" = 200 ]; do
  i=$((i + 1)); [ $i -lt 300 ] || { cat "$work/training.log"; exit 1; }; sleep 0.1
done
# exercise the main paths once so their classes are archived too
curl -s -o /dev/null -X POST -H 'Content-Type: application/json' \
  -d '{"to":"a@example.com","subject":"s","content":"c"}' 'http://127.0.0.1:18499/api/v1/notifications/email?wait=true'
curl -s -o /dev/null -X PUT --data-binary x http://127.0.0.1:18499/api/v1/storage/objects/cds
curl -s -o /dev/null http://127.0.0.1:18499/observe/metrics
kill -TERM $pid
wait $pid
rm -rf "$work"
test -s "$archive"
echo "AppCDS archive written: $archive"
