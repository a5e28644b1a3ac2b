#!/usr/bin/env bash
# Prints where isrank's time goes and writes docs/performance.csv and docs/performance-table.md.
#   bench/benchmark.sh quick   # the example and an 8 x 20k x 128 zoo, a few minutes
#   bench/benchmark.sh full    # adds 8 x 200k x 384 (all three fit engines) and the scaling sweeps
# Generated inputs are kept in WORK (default /tmp/isrank-bench) for reruns.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
JAR="$ROOT/spark-job/target/isrank-spark-job.jar"
CP_FILE="$ROOT/spark-job/target/embedded-classpath.txt"
if [ ! -f "$JAR" ] || [ ! -f "$CP_FILE" ]; then
  mvn -B -q -ntp -DskipTests package
fi
opens="$(grep '^java17.opens=' "$ROOT/conf/jvm.properties" | cut -d= -f2-)"
# Run from a copy of the jar, so that rebuilding the project meanwhile cannot disturb a long run.
RUN_JAR="$(mktemp --suffix=.jar)"
cp "$JAR" "$RUN_JAR"
trap 'rm -f "$RUN_JAR"' EXIT
# shellcheck disable=SC2086
"${JAVA_HOME:+$JAVA_HOME/bin/}java" $opens -Xmx${BENCH_HEAP:-14g} \
  "-Dlog4j2.configurationFile=$ROOT/conf/log4j2.properties" \
  -cp "$RUN_JAR:$(cat "$CP_FILE")" io.isrank.bench.Benchmark "${1:-quick}" "$ROOT/docs" "${WORK:-/tmp/isrank-bench}"
