#!/usr/bin/env bash
# Runs the benchmarks of docs/BENCHMARKS.md and prints their tables in Markdown.
# Usage: scripts/bench.sh [build-dir] [part...]
#   parts: sign    venue signing and parsing, with ccxt's signing of the same requests (issue 2)
#          server  tradebridge serve against tradebridge exsim (issue 4): 1,000 key tests at once, GET
#                  /api/v1/exchange-accounts with wrk, memory with 10,000 accounts
#          scale   issue 14: the list and 1,000 key tests on SQLite and PostgreSQL, one and two serve processes,
#                  and the job claim rate (build/bench/job_claims); about six minutes; not part of the default
#   default: sign and server. Each run is bounded (timeouts below); they take about three minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
shift || true
PARTS=("$@")
((${#PARTS[@]})) || PARTS=(sign server)
wants() { local p; for p in "${PARTS[@]}"; do [ "$p" = "$1" ] && return 0; done; return 1; }

machine_line() {
  echo "Machine: $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')), $(uname -r); $(date -u '+%Y-%m-%d %H:%M UTC'); load before: $(cut -d' ' -f1-3 /proc/loadavg)"
}

if wants sign; then
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
print(f"## Signing and parsing\n\nMachine: {ctx.get('num_cpus')} CPUs at {ctx.get('mhz_per_cpu')} MHz; build: {ctx.get('library_build_type')} benchmark library\n")
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
print()
PY
  rm -f "$out" "$out.ccxt"
fi

if wants server; then
  TB="$BUILD/src/app/tradebridge"
  [ -x "$TB" ] || { echo "bench: $TB is missing: build first (make build)" >&2; exit 1; }
  # wrk (Debian package, 4.1.0) measures the list endpoint; installed here when missing.
  if ! command -v wrk >/dev/null; then
    echo "bench: installing wrk" >&2
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends wrk >/dev/null ||
      { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends wrk >/dev/null; }
  fi
  results=$(mktemp)
  machine_line > "$results.machine"
  for i in 1 2 3; do
    timeout 300 node bench/key_tests.mjs --build "$BUILD" --accounts 1000 --latency 50 --timeout 120 >> "$results"
  done
  timeout 300 node bench/accounts_list.mjs --build "$BUILD" --accounts 3 --seconds 10 --runs 3 >> "$results"
  timeout 600 node bench/memory.mjs --build "$BUILD" --users 100 --per-user 100 --batch 500 >> "$results"
  timeout 600 node bench/memory.mjs --build "$BUILD" --users 1 --per-user 10000 --batch 500 >> "$results"
  python3 - "$results" "$results.machine" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
print("## tradebridge serve (issue 4)\n")
print(open(sys.argv[2]).read().strip() + "\n")
kt = [r for r in rows if r["benchmark"] == "key_tests"]
if kt:
    print("1,000 key tests at once, simulator latency 50 ms per venue call (`node bench/key_tests.mjs --accounts 1000 --latency 50`):\n")
    print("| run | all 202 answers | first test done | half done | all tested | all enabled | load before |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for i, r in enumerate(kt, 1):
        f = r["finished_ms"]
        print(f"| {i} | {r['all_accepted_ms']} ms | {f['first']} ms | {f['p50']} ms | **{r['all_tested_ms']} ms** | {r['statuses'].get('enabled', 0)} / {r['accounts']} | {r['load_before'][0]} |")
    med = sorted(r["all_tested_ms"] for r in kt)[len(kt) // 2]
    print(f"\nMedian {med} ms (target 2,000 ms: {'met' if med <= 2000 else 'missed'}).\n")
al = [r for r in rows if r["benchmark"] == "accounts_list"]
for r in al:
    print(f"GET /api/v1/exchange-accounts, {r['accounts']} enabled accounts ({r['body_bytes']} bytes), serve pinned to CPU {r['serve_cpu']} (`{r['command']}`):\n")
    print("| run | requests/s | p50 | p99 | serve CPU per request (user + system) | serve's share of its CPU |")
    print("| --- | --- | --- | --- | --- | --- |")
    for i, w in enumerate(r["runs"], 1):
        c = w["serve_cpu_us_per_request"]
        print(f"| {i} | {w['requests_per_s']:,.0f} | {w['latency_ms']['p50']} ms | {w['latency_ms']['p99']} ms | {c['user']} + {c['system']} µs | {w['serve_cpu_share']} |")
    print(f"\nMedian {r['median_requests_per_s']:,.0f} requests/s (target 20,000: {'met' if r['met'] else 'missed'}); non-2xx answers: {sum(w['non_2xx'] for w in r['runs'])}.\n")
mem = [r for r in rows if r["benchmark"] == "memory"]
if mem:
    print("Memory of serve (VmRSS, VmHWM from /proc; `node bench/memory.mjs`):\n")
    print("| accounts | users × accounts | RSS after start | RSS, all tested | RSS after listing every user 3× | peak (VmHWM) |")
    print("| --- | --- | --- | --- | --- | --- |")
    for r in mem:
        m = r["rss_mib"]
        print(f"| {r['accounts']:,} ({r['statuses'].get('enabled', 0):,} enabled) | {r['users']} × {r['accounts_per_user']:,} | {m['after_start']} MiB | {m['after_tests']} MiB | {m['after_lists']} MiB | **{r['peak_mib']} MiB** |")
    print(f"\nTarget: under 100 MB: {'met' if all(r['met'] for r in mem) else 'missed'}.\n")
PY
  rm -f "$results" "$results.machine"
fi

if wants scale; then
  results=$(mktemp)
  machine_line > "$results.machine"
  for db in sqlite postgres; do
    for p in 1 2; do
      timeout 300 node bench/accounts_list.mjs --build "$BUILD" --database $db --processes $p --seconds 10 --runs 3 >> "$results"
      timeout 300 node bench/key_tests.mjs --build "$BUILD" --database $db --processes $p --accounts 1000 --latency 50 --timeout 120 >> "$results"
    done
  done
  timeout 600 "$BUILD/bench/job_claims" --jobs 10000 >> "$results"
  python3 - "$results" "$results.machine" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
print("## Scale-out: PostgreSQL and several processes (issue 14)\n")
print(open(sys.argv[2]).read().strip() + "\n")
us = lambda c: f"{c['user'] + c['system']:.0f} µs" if c else "—"
print("| list: database, processes | median requests/s | runs | serve CPU per request | PostgreSQL CPU per request |")
print("| --- | --- | --- | --- | --- |")
for r in (r for r in rows if r["benchmark"] == "accounts_list"):
    m = sorted(r["runs"], key=lambda w: w["requests_per_s"])[len(r["runs"]) // 2]
    runs = ", ".join(f"{w['requests_per_s']:,.0f}" for w in r["runs"])
    print(f"| {r['database']}, {r['processes']} | **{r['median_requests_per_s']:,.0f}** | {runs} | {us(m['serve_cpu_us_per_request'])} | {us(m.get('postgres_cpu_us_per_request'))} |")
print("\n| 1,000 key tests: database, processes | all 202 | half tested | all tested | enabled | serve CPU | PostgreSQL CPU | load before |")
print("| --- | --- | --- | --- | --- | --- | --- | --- |")
cpu = lambda c: "—" if not c else f"{sum(x['user_s'] + x['system_s'] for x in (c if isinstance(c, list) else [c])):.2f} s"
for r in (r for r in rows if r["benchmark"] == "key_tests"):
    f = r["finished_ms"]
    print(f"| {r['database']}, {r['processes']} | {r['all_accepted_ms']} ms | {f['p50']} ms | **{r['all_tested_ms']} ms** | {r['statuses'].get('enabled', 0)} | {cpu(r['serve_cpu_s'])} | {cpu(r['postgres_cpu_s'])} | {r['load_before'][0]} |")
print("\n| job claims: backend, workers | claims/s | claim p50 / p99 | claimed twice | left |")
print("| --- | --- | --- | --- | --- |")
for r in (r for r in rows if r["benchmark"] == "job_claims"):
    c = r["claim_us"]
    print(f"| {r['backend']}, {r['workers']} | **{r['claims_per_s']:,.0f}** | {c['p50']:.0f} / {c['p99']:.0f} µs | {r['check']['claimed_twice']} | {r['check']['left_in_table']} |")
print()
PY
  rm -f "$results" "$results.machine"
fi
