#!/usr/bin/env bash
# The calibration suite: isrank's estimates against known truth, through the real pipeline.
#   bench/calibrate.sh quick   # a few minutes: the main case families at default settings
#   bench/calibrate.sh full    # every family, dimension and MI level, plus the sweeps
#   bench/calibrate.sh sweeps  # only the sweeps over n_fit, p and the floor
#   bench/calibrate.sh engines # the task engine for mixtures against MLlib's on calibration cases
#   bench/calibrate.sh spread  # information spread over many directions: old vs new defaults
# Writes docs/calibration-<mode>.csv and .md; generated inputs go to WORK (default /tmp/isrank-calibration).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
JAVA_OPTS="-Xmx${CALIBRATION_HEAP:-12g} ${JAVA_OPTS:-}" exec scripts/run-main.sh io.isrank.bench.Calibration \
  "${1:-quick}" "$ROOT/docs" "${WORK:-/tmp/isrank-calibration}"
