#!/usr/bin/env bash
# Runs the venue benchmarks and ccxt's signing of the same requests in one run; prints a Markdown table for
# docs/BENCHMARKS.md. Usage: scripts/bench.sh [build-dir]
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
out=$(mktemp)
"$BUILD/bench/venue_bench" --benchmark_repetitions=10 --benchmark_report_aggregates_only=true \
  --benchmark_min_time=0.2 --benchmark_format=json > "$out"
node bench/ccxt_sign.mjs 50000 > "$out.ccxt"
python3 - "$out" "$out.ccxt" <<'PY'
import json, sys
ours = json.load(open(sys.argv[1]))
ccxt = {}
for line in open(sys.argv[2]):
    r = json.loads(line); ccxt[r["venue"]] = (r["median_ns"], r["client"])
ctx = ours["context"]
print(f"Machine: {ctx.get('num_cpus')} CPUs at {ctx.get('mhz_per_cpu')} MHz; build: {ctx.get('library_build_type')} benchmark library\n")
print("| benchmark | venue | tradebridge median | ccxt median | ratio |")
print("| --- | --- | --- | --- | --- |")
for b in ours["benchmarks"]:
    if b.get("aggregate_name") != "median": continue
    name = b["run_name"]; kind, venue = name.split("/")[0], name.split("/")[1]
    ns = b["real_time"] if b["time_unit"] == "ns" else b["real_time"] * 1000
    if kind == "SignCreateOrder" and venue in ccxt:
        c, client = ccxt[venue]
        print(f"| build + sign create-order | {venue} | {ns/1000:.2f} µs | {c/1000:.2f} µs ({client}) | {c/ns:.0f}× |")
    else:
        label = {"ParseOrder": "parse one order response", "ParseBalance": "parse one balance response"}.get(kind, kind)
        print(f"| {label} | {venue} | {ns/1000:.2f} µs | — | — |")
PY
rm -f "$out" "$out.ccxt"
