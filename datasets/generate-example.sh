#!/usr/bin/env bash
# Regenerates datasets/example (or OUT) with ITEMS items and SEED: ./generate-example.sh [OUT] [ITEMS] [SEED]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${1:-$ROOT/datasets/example}"
JAR="$ROOT/spark-job/target/isrank-spark-job.jar"
CP_FILE="$ROOT/spark-job/target/embedded-classpath.txt"
if [ ! -f "$JAR" ] || [ ! -f "$CP_FILE" ]; then
  (cd "$ROOT" && mvn -B -q -ntp -DskipTests package)
fi
opens="$(grep '^java17.opens=' "$ROOT/conf/jvm.properties" | cut -d= -f2-)"
rm -rf "$OUT"
# shellcheck disable=SC2086
"${JAVA_HOME:+$JAVA_HOME/bin/}java" $opens "-Dlog4j2.configurationFile=$ROOT/conf/log4j2.properties" \
  -cp "$JAR:$(cat "$CP_FILE")" io.isrank.example.ExampleGenerator "$OUT" "${2:-3000}" "${3:-7}"
