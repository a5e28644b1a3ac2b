#!/usr/bin/env bash
# Runs one of the developer tools — the benchmark, the calibration suite, the example's generator
# (module isrank-bench, which holds the job's classes too) — on the embedded Spark classpath, from a
# copy of the jar (so a rebuild meanwhile cannot disturb a long run); builds the jar when missing.
#   scripts/run-main.sh CLASS [ARGS...]      e.g. io.isrank.bench.Calibration quick docs /tmp/cal
# JAVA_OPTS are added to the JVM flags (e.g. JAVA_OPTS=-Xmx12g).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAR="$ROOT/isrank-bench/target/isrank-bench.jar"
CP_FILE="$ROOT/isrank-bench/target/bench-classpath.txt"
if [ ! -f "$JAR" ] || [ ! -f "$CP_FILE" ]; then
  (cd "$ROOT" && mvn -B -q -ntp -DskipTests package) >&2
fi
opens="$(grep '^java17.opens=' "$ROOT/conf/jvm.properties" | cut -d= -f2-)"
jit="$(grep '^jvm.jit=' "$ROOT/conf/jvm.properties" | cut -d= -f2-)"
RUN_JAR="$(mktemp --suffix=.jar)"
cp "$JAR" "$RUN_JAR"
trap 'rm -f "$RUN_JAR"' EXIT
main="$1"
shift
# shellcheck disable=SC2086 # the flags are one space-separated list by design
"${JAVA_HOME:+$JAVA_HOME/bin/}java" $opens $jit "-Dlog4j2.configurationFile=$ROOT/conf/log4j2.properties" ${JAVA_OPTS:-} \
  -cp "$RUN_JAR:$(cat "$CP_FILE")" "$main" "$@"
