// Issue 4 target: an authenticated GET /api/v1/exchange-accounts serves 20,000 requests per second or more
// on one core with keep-alive, measured with wrk.
//
// Starts `tradebridge exsim` and `tradebridge serve` (serve pinned to one CPU with taskset), signs a user in,
// adds a few accounts (one per venue by default) and waits until they are enabled, then runs wrk pinned to
// another CPU against GET /api/v1/exchange-accounts with the user's bearer token. wrk's own output is
// printed to stderr; one JSON line with the result goes to stdout.
//
// Issue 14: --database sqlite|postgres runs serve over one SQLite file or a throwaway PostgreSQL
// (tests/support/postgres.mjs; --durable keeps PostgreSQL's fsync and synchronous commits, off by default as
// SQLite's WAL with synchronous=NORMAL does not sync each commit either), and --processes 2 starts two serve
// processes over it and runs one wrk per process at the same time, half the connections each (the requests
// spread over both); the figures are their sum. The CPU each serve and the PostgreSQL server spent per
// request is read from /proc.
//
// Usage: node bench/accounts_list.mjs [--build build] [--accounts 3] [--seconds 10] [--connections 50]
//                                     [--serve-cpu auto] [--wrk-cpu auto] [--runs 1]
//                                     [--database sqlite] [--processes 1] [--durable]
// --serve-cpu is a comma list, one CPU per serve process ('' for none); auto: serve on CPU 0 and wrk on CPU 1
// with one process, nothing pinned with two (two serves, wrk and PostgreSQL share the two cores).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

import {
  agent, cpuOf, cpuSince, createKeys, loadAverage, machine, memoryOf, ok, parseArgs, pgCpuOf, pgCpuSince, signIn, sleep, startExsim,
  startServes, stop, tradebridgeBinary,
} from './lib.mjs';

const opt = parseArgs(process.argv.slice(2), {
  build: 'build', accounts: 3, seconds: 10, connections: 50, 'serve-cpu': 'auto', 'wrk-cpu': 'auto', 'exsim-cpu': '1', runs: 1,
  database: 'sqlite', processes: 1, durable: false,
});
const one = opt.processes === 1;
const serveCpus = (opt['serve-cpu'] === 'auto' ? (one ? '0' : '') : opt['serve-cpu']).split(',').map((c) => c || undefined);
const wrkCpu = opt['wrk-cpu'] === 'auto' ? (one ? '1' : '') : opt['wrk-cpu'];
const bin = tradebridgeBinary(opt.build);
let exsim, cluster;

function parseWrk(text) {
  const num = (re) => { const m = text.match(re); return m ? Number(m[1]) : null; };
  const latency = (p) => {
    const m = text.match(new RegExp(`^\\s+${p}%\\s+([\\d.]+)(us|ms|s)`, 'm'));
    if (!m) return null;
    return +(Number(m[1]) * { us: 0.001, ms: 1, s: 1000 }[m[2]]).toFixed(3);
  };
  return {
    requests_per_s: num(/Requests\/sec:\s+([\d.]+)/),
    requests: num(/(\d+) requests in/),
    non_2xx: num(/Non-2xx or 3xx responses:\s+(\d+)/) || 0,
    socket_errors: /Socket errors/.test(text) ? text.match(/Socket errors:.*$/m)[0] : null,
    latency_ms: { p50: latency(50), p90: latency(90), p99: latency(99) },
  };
}

// One wrk per serve process, all at once, the connections split between them; the answers summed.
async function wrkAll(urls, token) {
  const run = promisify(execFile);
  const outs = await Promise.all(urls.map((url, i) => {
    const c = Math.floor(opt.connections / urls.length) + (i < opt.connections % urls.length ? 1 : 0);
    const args = ['-t1', `-c${c}`, `-d${opt.seconds}s`, '--latency', '-H', `Authorization: Bearer ${token}`, url];
    return wrkCpu ? run('taskset', ['-c', wrkCpu, 'wrk', ...args]) : run('wrk', args);
  }));
  const each = outs.map((o) => { process.stderr.write(o.stdout); return parseWrk(o.stdout); });
  const sum = (f) => each.reduce((a, w) => a + (w[f] || 0), 0);
  return {
    requests_per_s: +sum('requests_per_s').toFixed(2),
    requests: sum('requests'),
    non_2xx: sum('non_2xx'),
    socket_errors: each.map((w) => w.socket_errors).filter(Boolean).join('; ') || null,
    latency_ms: each.length === 1 ? each[0].latency_ms : each.map((w) => w.latency_ms),
  };
}

async function addAccounts(url, token) {
  const venues = ['kraken', 'binance_futures', 'bitfinex'];
  const keys = await createKeys(exsim.url, Array.from({ length: opt.accounts }, (_, i) => venues[i % venues.length]));
  for (const k of keys) await ok('POST', `${url}/api/v1/exchange-accounts`, { token, body: k });
  for (let i = 0; ; i++) {
    const l = await ok('GET', `${url}/api/v1/exchange-accounts`, { token });
    if (l.accounts.every((a) => a.status !== 'testing')) {
      const bad = l.accounts.filter((a) => a.status !== 'enabled');
      if (bad.length) throw new Error(`accounts not enabled: ${JSON.stringify(bad.map((a) => [a.exchange, a.status, a.reason]))}`);
      return;
    }
    if (i > 300) throw new Error('accounts still testing after 30 s');
    await sleep(100);
  }
}

// One run: wrk against every process; the CPU each serve and PostgreSQL spent, per request.
async function measure(urls, token) {
  const pids = cluster.serves.map((s) => s.pid);
  const cpu0 = pids.map(cpuOf);
  const pg0 = pgCpuOf(cluster.pg);
  const w = await wrkAll(urls, token);
  const perRequest = (s) => (w.requests ? +((s * 1e6) / w.requests).toFixed(1) : null);
  const serveCpu = pids.map((pid, i) => cpuSince(pid, cpu0[i]));
  const user = serveCpu.reduce((a, c) => a + c.user_s, 0);
  const system = serveCpu.reduce((a, c) => a + c.system_s, 0);
  w.serve_cpu_us_per_request = { user: perRequest(user), system: perRequest(system) };
  w.serve_cpu_share = serveCpu.map((c) => +((c.user_s + c.system_s) / opt.seconds).toFixed(2));
  if (cluster.pg) {
    const pg = pgCpuSince(cluster.pg, pg0);
    w.postgres_cpu_us_per_request = { user: perRequest(pg.user_s), system: perRequest(pg.system_s) };
    w.postgres_cpu_share = +((pg.user_s + pg.system_s) / opt.seconds).toFixed(2);
  }
  return w;
}

try {
  const loadBefore = loadAverage();
  exsim = await startExsim(bin, { cpu: opt['exsim-cpu'] });
  cluster = await startServes(bin, exsim.url, { processes: opt.processes, database: opt.database, durable: opt.durable, cpus: serveCpus });
  const first = cluster.serves[0].url;
  const token = await signIn(first, 'bench-list@example.com');
  await addAccounts(first, token);
  const urls = cluster.serves.map((s) => `${s.url}/api/v1/exchange-accounts`);
  const sample = await ok('GET', urls.at(-1), { token });  // the last process serves the first's session and accounts
  if (sample.accounts.length !== opt.accounts) throw new Error(`the last process lists ${sample.accounts.length} accounts`);
  const bodyBytes = Buffer.byteLength(JSON.stringify(sample));
  agent.destroy();

  const runs = [];
  for (let r = 0; r < opt.runs; r++) runs.push(await measure(urls, token));
  const best = runs.reduce((a, b) => (b.requests_per_s > a.requests_per_s ? b : a));
  const median = [...runs].sort((a, b) => a.requests_per_s - b.requests_per_s)[Math.floor(runs.length / 2)];
  console.log(JSON.stringify({
    benchmark: 'accounts_list',
    date: new Date().toISOString(),
    database: opt.database + (opt.database === 'postgres' && opt.durable ? ' (durable)' : ''),
    processes: opt.processes,
    accounts: opt.accounts,
    body_bytes: bodyBytes,
    command: `${wrkCpu ? `taskset -c ${wrkCpu} ` : ''}wrk -t1 -c${Math.floor(opt.connections / urls.length)} -d${opt.seconds}s --latency -H 'Authorization: Bearer TOKEN' http://127.0.0.1:PORT/api/v1/exchange-accounts` +
      (urls.length > 1 ? ` (one per process, at once)` : ''),
    serve_cpu: cluster.serves.map((_, i) => serveCpus[i] ?? 'any').join(','),
    median_requests_per_s: median.requests_per_s,
    best_requests_per_s: best.requests_per_s,
    target_requests_per_s: 20000,
    met: median.requests_per_s >= 20000 && runs.every((x) => x.non_2xx === 0),
    runs,
    serve_memory: cluster.serves.map((s) => memoryOf(s.pid)),
    load_before: loadBefore,
    load_after: loadAverage(),
    machine: machine(),
  }));
} catch (e) {
  console.error(`accounts_list: ${e.stack || e}`);
  for (const s of cluster?.serves || []) console.error(`serve stderr (tail): ${s.stderr().slice(-2000)}`);
  process.exitCode = 1;
} finally {
  agent.destroy();
  await cluster?.stop();
  await stop(exsim);
}
