#!/usr/bin/env bash
# Every fuzz target of a built fuzz tree for SECONDS each, JOBS at a time: run_all.sh FUZZ_DIR SECONDS JOBS
# (`make fuzz`). Each run's log is FUZZ_DIR/work/<target>.log; the exit status is non-zero if any found
# something, and the artifact's path is in its log.
set -uo pipefail
dir=$1 seconds=$2 jobs=${3:-2}
here=$(cd "$(dirname "$0")" && pwd)
targets=()
for b in "$dir"/fuzz_*; do [ -x "$b" ] && targets+=("$(basename "$b")"); done
[ ${#targets[@]} -gt 0 ] || { echo "no fuzz targets in $dir (build them first)" >&2; exit 1; }
echo "fuzzing ${targets[*]#fuzz_} for ${seconds}s each, $jobs at a time; logs in $dir/work/"
mkdir -p "$dir/work"
printf '%s\n' "${targets[@]}" | xargs -P "$jobs" -I{} bash -c '
  t=${1#fuzz_}
  if bash "$2/run.sh" "$3/$1" "$2/corpus/$t" "$3/work/$t" "$4" >"$3/work/$t.log" 2>&1; then r=ok; else r=FAILED; fi
  stats=$(grep -E "^stat::(number_of_executed_units|average_exec_per_sec|new_units_added)" "$3/work/$t.log" | sed "s/^stat:://" | tr -s " \n" "  ")
  cov=$(grep -oE "cov: [0-9]+ ft: [0-9]+" "$3/work/$t.log" | tail -1)
  echo "$t: $r  $cov  $stats"
  [ $r = ok ]' _ {} "$here" "$dir" "$seconds"
