// Issue 4 target: an authenticated GET /api/v1/exchange-accounts serves 20,000 requests per second or more
// on one core with keep-alive, measured with wrk.
//
// Starts `tradebridge exsim` and `tradebridge serve` (serve pinned to one CPU with taskset), signs a user in,
// adds a few accounts (one per venue by default) and waits until they are enabled, then runs wrk pinned to
// another CPU against GET /api/v1/exchange-accounts with the user's bearer token. wrk's own output is
// printed to stderr; one JSON line with the result goes to stdout.
//
// Usage: node bench/accounts_list.mjs [--build build] [--accounts 3] [--seconds 10] [--connections 50]
//                                     [--serve-cpu 0] [--wrk-cpu 1] [--runs 1]
import { execFileSync } from 'node:child_process';

import {
  agent, cpuOf, cpuSince, createKeys, loadAverage, machine, memoryOf, ok, parseArgs, signIn, sleep, startExsim, startServe, stop, tempDir,
  tradebridgeBinary,
} from './lib.mjs';

const opt = parseArgs(process.argv.slice(2), {
  build: 'build', accounts: 3, seconds: 10, connections: 50, 'serve-cpu': '0', 'wrk-cpu': '1', 'exsim-cpu': '1', runs: 1,
});
const bin = tradebridgeBinary(opt.build);
const tmp = tempDir('tb-bench-list-');
let exsim, serve;

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

try {
  const loadBefore = loadAverage();
  exsim = await startExsim(bin, { cpu: opt['exsim-cpu'] });
  serve = await startServe(bin, exsim.url, tmp.dir, { cpu: opt['serve-cpu'] });
  const token = await signIn(serve.url, 'bench-list@example.com');
  const venues = ['kraken', 'binance_futures', 'bitfinex'];
  const keys = await createKeys(exsim.url, Array.from({ length: opt.accounts }, (_, i) => venues[i % venues.length]));
  for (const k of keys) await ok('POST', `${serve.url}/api/v1/exchange-accounts`, { token, body: k });
  for (let i = 0; ; i++) {
    const l = await ok('GET', `${serve.url}/api/v1/exchange-accounts`, { token });
    if (l.accounts.every((a) => a.status !== 'testing')) {
      const bad = l.accounts.filter((a) => a.status !== 'enabled');
      if (bad.length) throw new Error(`accounts not enabled: ${JSON.stringify(bad.map((a) => [a.exchange, a.status, a.reason]))}`);
      break;
    }
    if (i > 300) throw new Error('accounts still testing after 30 s');
    await sleep(100);
  }
  const url = `${serve.url}/api/v1/exchange-accounts`;
  const sample = await ok('GET', url, { token });
  const bodyBytes = Buffer.byteLength(JSON.stringify(sample));
  agent.destroy();

  const runs = [];
  for (let r = 0; r < opt.runs; r++) {
    const cpu0 = cpuOf(serve.pid);
    const out = execFileSync('taskset', ['-c', opt['wrk-cpu'], 'wrk', '-t1', `-c${opt.connections}`, `-d${opt.seconds}s`, '--latency',
      '-H', `Authorization: Bearer ${token}`, url], { encoding: 'utf8' });
    const { user_s: user, system_s: system } = cpuSince(serve.pid, cpu0);
    process.stderr.write(out);
    const w = parseWrk(out);
    const perRequest = (s) => (w.requests ? +((s * 1e6) / w.requests).toFixed(1) : null);
    w.serve_cpu_us_per_request = { user: perRequest(user), system: perRequest(system) };
    w.serve_cpu_share = +((user + system) / opt.seconds).toFixed(2);
    runs.push(w);
  }
  const best = runs.reduce((a, b) => (b.requests_per_s > a.requests_per_s ? b : a));
  const median = [...runs].sort((a, b) => a.requests_per_s - b.requests_per_s)[Math.floor(runs.length / 2)];
  console.log(JSON.stringify({
    benchmark: 'accounts_list',
    date: new Date().toISOString(),
    accounts: opt.accounts,
    body_bytes: bodyBytes,
    command: `taskset -c ${opt['wrk-cpu']} wrk -t1 -c${opt.connections} -d${opt.seconds}s --latency -H 'Authorization: Bearer TOKEN' ${url.replace(/:\d+\//, ':PORT/')}`,
    serve_cpu: opt['serve-cpu'],
    median_requests_per_s: median.requests_per_s,
    best_requests_per_s: best.requests_per_s,
    target_requests_per_s: 20000,
    met: median.requests_per_s >= 20000 && runs.every((x) => x.non_2xx === 0),
    runs,
    serve_memory: memoryOf(serve.pid),
    load_before: loadBefore,
    load_after: loadAverage(),
    machine: machine(),
  }));
} catch (e) {
  console.error(`accounts_list: ${e.stack || e}`);
  if (serve) console.error(`serve stderr (tail): ${serve.stderr().slice(-2000)}`);
  process.exitCode = 1;
} finally {
  agent.destroy();
  await stop(serve);
  await stop(exsim);
  tmp.remove();
}
