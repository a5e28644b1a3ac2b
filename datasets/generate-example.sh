#!/usr/bin/env bash
# Regenerates datasets/example (or OUT) with ITEMS items and SEED: ./generate-example.sh [OUT] [ITEMS] [SEED]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${1:-$ROOT/datasets/example}"
rm -rf "$OUT"
exec "$ROOT/scripts/run-main.sh" io.isrank.testkit.ExampleGenerator "$OUT" "${2:-3000}" "${3:-7}"
