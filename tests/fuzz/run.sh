#!/usr/bin/env bash
# One bounded libFuzzer run: run.sh BINARY CORPUS SCRATCH SECONDS [RUNS]
# Starts from the seed corpus in the repository (read only: the crash regressions are in it too, so every
# run replays them first) and from SCRATCH/corpus, where new inputs go; a crash, leak, sanitizer report or
# timeout is written to SCRATCH/ as crash-*, leak-*, timeout-* and fails the run.
# With RUNS (`make test`): a fixed seed, RUNS inputs from the seeds alone (SCRATCH/corpus emptied first) and
# SECONDS as a ceiling: the same inputs on every machine, so a test run never fails on a find that depends
# on how far a faster machine got; exploring further is `make fuzz`'s (time, random seed, kept corpus).
set -euo pipefail
bin=$1 corpus=$2 scratch=$3 seconds=$4 runs=${5:-}
bounds=(-max_total_time="$seconds")
if [ -n "$runs" ]; then
  rm -rf "$scratch/corpus"
  bounds+=(-runs="$runs" -seed=1)
fi
mkdir -p "$scratch/corpus"
# Symbolised stack traces when llvm-symbolizer is there (package llvm); addresses otherwise.
if [ -z "${ASAN_SYMBOLIZER_PATH:-}" ]; then
  for s in llvm-symbolizer llvm-symbolizer-14; do
    if command -v "$s" >/dev/null; then export ASAN_SYMBOLIZER_PATH=$(command -v "$s"); break; fi
  done
fi
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
dict=()
[ -f "$corpus.dict" ] && dict=(-dict="$corpus.dict")
exec "$bin" "${bounds[@]}" -timeout=10 -rss_limit_mb=2048 -max_len=16384 -print_final_stats=1 \
  -artifact_prefix="$scratch/" "${dict[@]}" "$scratch/corpus" "$corpus"
