#!/usr/bin/env bash
# Prints where isrank's time goes and writes docs/performance-table.csv and docs/performance-table.md.
#   bench/benchmark.sh quick   # the example (three fit engines) and an 8 x 20k x 128 zoo, a few minutes
#   bench/benchmark.sh full    # adds 8 x 200k x 384 (all three fit engines) and the scaling sweeps
#   bench/benchmark.sh dims    # only the dimension sweep (4 x 50k x 64/256/1024), to performance-dims.*
#   bench/benchmark.sh fit     # only the two mixture engines on 8 x 50k x 64 (the big zoo's fit workload), to performance-fit*.*
#   bench/benchmark.sh reading  # the reading path against the floor: per case a warm-up (an untimed scan, then isrank's first run, reported as such), then
#                               # BENCH_ROUNDS (3) rounds of one plain Spark scan of the input + one isrank run; medians of each. Example, 11 x 6000 x 384,
#                               # 8 x 200k x 384, 8 x 100k/300k/1M x 128, to performance-reading.*
#   BENCH_ONLY=REGEX runs only the cases whose name matches (e.g. BENCH_ONLY=zoo8x1000k bench/benchmark.sh reading)
#   BENCH_ARGS='--key value ...' adds options to every case (e.g. BENCH_ARGS='--reduce.dims 8')
#   BENCH_REPEAT=N runs each case N times in the same JVM (the first run pays the JVM's warm-up: JIT, fresh heap)
# Each row also says what the run cost the process: user and kernel CPU seconds, page faults, resident
# size and the JIT compilers' time (a first run compiles isrank's code; page faults are dear on some VMs).
# The JVM runs with conf/jvm.properties' flags (as ./submit.sh's embedded run); the table's first line names them.
# The heap is kept once touched (MaxHeapFreeRatio=100: G1 does not give memory back between runs) and the young
# generation fixed at 2 GB (G1 does not grow it into fresh memory): on this VM a fresh page costs 10-35 us, and
# without them one run's kernel time moved between 2 and 28 s (docs/performance.md).
#   bench/benchmark.sh defaults # old default (p = 16, raw) vs new default (auto p, bias correction) on 8 x 200k x 384 and 16 x 50k x 128, to performance-defaults.*
# Generated inputs are kept in WORK (default /tmp/isrank-bench) for reruns.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
JAVA_OPTS="-Xmx${BENCH_HEAP:-14g} -Xmn2g -XX:MaxHeapFreeRatio=100 ${JAVA_OPTS:-}" exec scripts/run-main.sh io.isrank.bench.Benchmark \
  "${1:-quick}" "$ROOT/docs" "${WORK:-/tmp/isrank-bench}"
