#!/usr/bin/env bash
# Prints the home of an unpacked Apache Artemis 2.40.0 distribution (for its `artemis perf` tool),
# unpacking it from the local Maven repository first (fetching it from Maven Central if absent).
set -euo pipefail
version=2.40.0
home=${TMPDIR:-/tmp}/dotmac-bench-artemis/apache-artemis-$version
if [ ! -x "$home/bin/artemis" ]; then
  repo=${MAVEN_REPO:-$HOME/.m2/repository}
  archive=$repo/org/apache/activemq/apache-artemis/$version/apache-artemis-$version-bin.tar.gz
  [ -f "$archive" ] || mvn -q dependency:get -Dartifact=org.apache.activemq:apache-artemis:$version:tar.gz:bin >&2
  mkdir -p "$(dirname "$home")"
  tar -xzf "$archive" -C "$(dirname "$home")"
fi
echo "$home"
