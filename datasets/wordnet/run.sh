#!/usr/bin/env bash
# The real-model example end to end, offline: WordNet glosses -> embeddings from six ONNX
# sentence encoders, three classical baselines and a noise control -> isrank ranking -> agreement
# with downstream tasks (linear probe and kNN on the WordNet categories).
#
#   datasets/wordnet/run.sh            # all four steps; outputs under out/wordnet/
#   OVERWRITE=1 datasets/wordnet/run.sh  # replace earlier outputs
#
# Needs WordNet's database files (Debian: apt-get install wordnet-base; installed here when
# missing and when running as root). Takes about 17 minutes on 2 cores.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
WORDNET="${WORDNET:-/usr/share/wordnet}"
MODELS="${MODELS:-all-minilm-l6-v2,all-minilm-l6-v2-q,bge-small-en-v15,bge-small-en-v15-q,e5-small-v2,e5-small-v2-q,tfidf-lsa-256,word2vec-100,noise-384}"
ow=()
[ "${OVERWRITE:-0}" = 1 ] && ow=(--overwrite)

if [ ! -f "$WORDNET/data.noun" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get install -y -q wordnet-base >/dev/null || { apt-get update -q && apt-get install -y -q wordnet-base; }
  else
    echo "run.sh: WordNet is missing in $WORDNET; install it: sudo apt-get install wordnet-base" >&2
    exit 2
  fi
fi

echo "== 1/4 corpus"
./submit.sh corpus --wordnet "$WORDNET" --output datasets/wordnet/texts "${ow[@]+"${ow[@]}"}"
echo "== 2/4 embed"
./submit.sh embed --texts datasets/wordnet/texts --output out/wordnet/embeddings --models "$MODELS" \
  "${ow[@]+"${ow[@]}"}"
echo "== 3/4 isrank"
./submit.sh --config conf/wordnet.conf "${ow[@]+"${ow[@]}"}"
echo "== 4/4 probe"
./submit.sh probe --texts datasets/wordnet/texts --embeddings out/wordnet/embeddings --ranking out/wordnet/isrank \
  --output out/wordnet/probe --folds 3 "${ow[@]+"${ow[@]}"}"
