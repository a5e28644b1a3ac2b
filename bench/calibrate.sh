#!/usr/bin/env bash
# The calibration suite: isrank's estimates against known truth, through the real pipeline.
#   bench/calibrate.sh quick   # a few minutes: the main case families at default settings
#   bench/calibrate.sh full    # every family, dimension and MI level, plus sweeps over n_fit, p, floor
# Writes docs/calibration-<mode>.csv and .md; generated inputs go to WORK (default /tmp/isrank-calibration).
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
"${JAVA_HOME:+$JAVA_HOME/bin/}java" $opens -Xmx${CALIBRATION_HEAP:-12g} \
  "-Dlog4j2.configurationFile=$ROOT/conf/log4j2.properties" \
  -cp "$RUN_JAR:$(cat "$CP_FILE")" io.isrank.bench.Calibration "${1:-quick}" "$ROOT/docs" "${WORK:-/tmp/isrank-calibration}"
