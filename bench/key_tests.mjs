// Issue 4 target: 1,000 key tests started at once against the simulator with 50 ms of latency per venue
// call finish in 2 s or less.
//
// Starts `tradebridge exsim --latency-ms L` and `tradebridge serve` pointed at it, creates N simulator keys
// (read + trade, funded, no withdrawals) through the exsim admin API, signs one user in, then POSTs all N
// /api/v1/exchange-accounts at once (one socket each) and waits until every account has left `testing`
// (events stream, or the list once the server has ended the stream). The time reported is the server's own:
// the latest key test's finished_at minus the moment of the first POST (same machine, same clock).
//
// Kraken keys by default: Kraken limits private calls per key, as the simulator does, while Binance limits
// request weight per IP (2,400 a minute) and Bitfinex requests per endpoint per IP (90 a minute), so a
// thousand tests of those from one IP take minutes whatever the server does (docs/BENCHMARKS.md).
//
// Issue 14: --database sqlite|postgres runs serve over one SQLite file or a throwaway PostgreSQL
// (tests/support/postgres.mjs; --durable keeps PostgreSQL's fsync and synchronous commits), and --processes 2
// starts two serve processes over it: the POSTs alternate between them, each process's events stream is
// followed, and a key test runs in whichever process claims its job first.
//
// Usage: node bench/key_tests.mjs [--build build] [--accounts 1000] [--latency 50] [--venues kraken]
//                                 [--timeout 120] [--serve-cpu N[,N]] [--exsim-cpu N]
//                                 [--database sqlite] [--processes 1] [--durable]
// --venues is a comma list used round-robin (kraken, binance_futures, bitfinex); --*-cpu pin with taskset
// (--serve-cpu one CPU per process). Prints one JSON line with the result.
import {
  agent, cpuOf, cpuSince, createKeys, followEvents, loadAverage, machine, memoryOf, ok, parseArgs, pgCpuOf, pgCpuSince, request, signIn,
  sleep, startExsim, startServes, stop, tradebridgeBinary,
} from './lib.mjs';

const opt = parseArgs(process.argv.slice(2), {
  build: 'build', accounts: 1000, latency: 50, venues: 'kraken', timeout: 120, 'serve-cpu': '', 'exsim-cpu': '',
  database: 'sqlite', processes: 1, durable: false,
});
const bin = tradebridgeBinary(opt.build);
const venues = opt.venues.split(',').filter(Boolean);
let exsim, cluster;

function percentile(sorted, p) {
  if (!sorted.length) return null;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

try {
  const loadBefore = loadAverage();
  exsim = await startExsim(bin, { latencyMs: opt.latency, cpu: opt['exsim-cpu'] || undefined });
  const cpus = opt['serve-cpu'].split(',').map((c) => c || undefined);
  cluster = await startServes(bin, exsim.url, { processes: opt.processes, database: opt.database, durable: opt.durable, cpus });
  const urls = cluster.serves.map((s) => s.url);

  const wanted = Array.from({ length: opt.accounts }, (_, i) => venues[i % venues.length]);
  const keys = await createKeys(exsim.url, wanted);
  const token = await signIn(urls[0], 'bench-keytests@example.com');

  // Completion is seen on the events streams (one per process: each publishes the tests it ran); a stream may
  // be ended by the server when a burst of events outruns it (more than its queue holds), and then the bench
  // reloads the list every 500 ms as a client would. The time reported comes from the server's own record:
  // each key test's finished_at.
  const tested = new Set();
  let allTested;
  const done = new Promise((resolve) => { allTested = resolve; });
  let streamEnded = false;
  const see = (a) => {
    if (a.status === 'testing' || tested.has(a.id)) return;
    tested.add(a.id);
    if (tested.size === opt.accounts) allTested();
  };
  const streams = await Promise.all(urls.map((url) => followEvents(url, token, (type, data) => {
    if (type === 'account.tested' && data) see(data);
  }, () => { streamEnded = true; })));

  const pids = cluster.serves.map((s) => s.pid);
  const serveCpu0 = pids.map(cpuOf);
  const exsimCpu0 = cpuOf(exsim.pid);
  const pgCpu0 = pgCpuOf(cluster.pg);
  const t0 = Date.now();  // the server's finished_at is wall-clock ms on the same machine
  const p0 = performance.now();
  const answers = await Promise.all(keys.map(async (k, i) => {
    const url = `${urls[i % urls.length]}/api/v1/exchange-accounts`;
    const r = await request('POST', url, { token, body: { ...k, name: `bench ${i}` } });
    if (r.status !== 202) throw new Error(`add account ${i}: HTTP ${r.status} ${r.text.slice(0, 300)}`);
    return r.json;
  }));
  const acceptedMs = performance.now() - p0;

  const deadline = performance.now() + opt.timeout * 1000;
  while (tested.size < opt.accounts) {
    if (performance.now() > deadline) throw new Error(`only ${tested.size} of ${opt.accounts} tested after ${opt.timeout} s`);
    if (streamEnded) {
      const l = await ok('GET', `${urls[0]}/api/v1/exchange-accounts`, { token });
      for (const a of l.accounts) see(a);
    }
    await Promise.race([done, sleep(500)]);
  }
  const seenMs = performance.now() - p0;
  const serveCpu = pids.map((pid, i) => cpuSince(pid, serveCpu0[i]));
  const exsimCpu = cpuSince(exsim.pid, exsimCpu0);
  const pgCpu = pgCpuSince(cluster.pg, pgCpu0);
  for (const s of streams) s.close();

  const list = await ok('GET', `${urls[0]}/api/v1/exchange-accounts`, { token });
  const ids = new Set(answers.map((a) => a.id));
  const statuses = {};
  const outcomes = {};
  const stepTotals = {};
  const finished = [];
  for (const a of list.accounts) {
    if (!ids.has(a.id)) continue;
    statuses[a.status] = (statuses[a.status] || 0) + 1;
    const outcome = a.test?.outcome || 'none';
    outcomes[outcome] = (outcomes[outcome] || 0) + 1;
    finished.push(Date.parse(a.test.finished_at) - t0);
    for (const s of a.test?.steps || []) {
      const t = (stepTotals[s.name] ||= [0, 0]);
      t[0] += s.duration_ms; t[1] += 1;
    }
  }
  finished.sort((x, y) => x - y);
  const totalMs = finished.at(-1);
  const steps = Object.fromEntries(Object.entries(stepTotals).map(([n, [sum, c]]) => [n, +(sum / c).toFixed(1)]));
  const result = {
    benchmark: 'key_tests',
    date: new Date().toISOString(),
    database: opt.database + (opt.database === 'postgres' && opt.durable ? ' (durable)' : ''),
    processes: opt.processes,
    accounts: opt.accounts,
    venues,
    latency_ms: opt.latency,
    all_accepted_ms: Math.round(acceptedMs),
    all_tested_ms: totalMs,
    seen_by_client_ms: Math.round(seenMs),
    events_stream_ended_by_server: streamEnded,
    target_ms: 2000,
    met: totalMs <= 2000 && statuses.enabled === opt.accounts,
    finished_ms: { first: finished[0], p50: percentile(finished, 50), p95: percentile(finished, 95), last: totalMs },
    mean_step_ms: steps,
    outcomes,
    statuses,
    serve_cpu_s: opt.processes === 1 ? serveCpu[0] : serveCpu,  // from the first POST until the client saw every test end
    exsim_cpu_s: exsimCpu,
    postgres_cpu_s: pgCpu,
    serve_memory: opt.processes === 1 ? memoryOf(pids[0]) : pids.map(memoryOf),
    load_before: loadBefore,
    load_after: loadAverage(),
    machine: machine(),
  };
  console.log(JSON.stringify(result));
} catch (e) {
  console.error(`key_tests: ${e.stack || e}`);
  for (const s of cluster?.serves || []) console.error(`serve stderr (tail): ${s.stderr().slice(-2000)}`);
  process.exitCode = 1;
} finally {
  agent.destroy();
  await cluster?.stop();
  await stop(exsim);
}
