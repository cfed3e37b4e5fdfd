// Issue 4 target: memory with 10,000 accounts stays under 100 MB.
//
// Starts `tradebridge exsim` (no latency) and `tradebridge serve`, reads serve's VmRSS after start, signs in
// U users and adds A accounts to each (U x A in all, `--batch` at a time, each batch's key tests finished
// before the next: /metrics counts them), reads VmRSS again, then lists every user's accounts (GET
// /api/v1/exchange-accounts, `--lists` rounds) and reads VmRSS and VmHWM (the peak) once more.
// Prints one JSON line.
//
// Usage: node bench/memory.mjs [--build build] [--users 100] [--per-user 100] [--venue kraken]
//                              [--batch 500] [--concurrency 100] [--lists 3] [--timeout 600]
import {
  agent, createKeys, loadAverage, machine, memoryOf, ok, parseArgs, pool, request, signIn, sleep, startExsim, startServe, stop,
  tempDir, tradebridgeBinary,
} from './lib.mjs';

const opt = parseArgs(process.argv.slice(2), {
  build: 'build', users: 100, 'per-user': 100, venue: 'kraken', concurrency: 100, batch: 500, lists: 3, timeout: 600,
});
const bin = tradebridgeBinary(opt.build);
const tmp = tempDir('tb-bench-memory-');
const total = opt.users * opt['per-user'];
let exsim, serve;

async function keyTestsDone(url) {
  const r = await request('GET', `${url}/metrics`);
  let n = 0;
  for (const line of r.text.split('\n'))
    if (line.startsWith('tradebridge_key_tests_total{')) n += Number(line.split(' ').pop());
  return n;
}

try {
  const loadBefore = loadAverage();
  exsim = await startExsim(bin);
  serve = await startServe(bin, exsim.url, tmp.dir);
  await sleep(500);
  const afterStart = memoryOf(serve.pid);

  const t0 = performance.now();
  const keys = await createKeys(exsim.url, Array(total).fill(opt.venue), 64);
  const tokens = await pool(Array.from({ length: opt.users }, (_, u) => u), 8, (u) => signIn(serve.url, `bench-mem-${u}@example.com`));
  const jobs = keys.map((k, i) => ({ k, u: i % opt.users, n: Math.floor(i / opt.users) }));
  // In batches, each tested before the next is sent: serve would otherwise run thousands of key tests at
  // once, each holding a connection to the simulator, and exsim closes connections beyond its 1,024 at once.
  const deadline = performance.now() + opt.timeout * 1000;
  for (let from = 0; from < total; from += opt.batch) {
    const batch = jobs.slice(from, from + opt.batch);
    await pool(batch, opt.concurrency, async ({ k, u, n }) => {
      const r = await request('POST', `${serve.url}/api/v1/exchange-accounts`, { token: tokens[u], body: { ...k, name: `bench ${n}` } });
      if (r.status !== 202) throw new Error(`add: HTTP ${r.status} ${r.text.slice(0, 200)}`);
    });
    let done = 0;
    while ((done = await keyTestsDone(serve.url)) < from + batch.length) {
      if (performance.now() > deadline) throw new Error(`only ${done} of ${total} key tests finished after ${opt.timeout} s`);
      await sleep(100);
    }
  }
  const testedMs = performance.now() - t0;
  await sleep(1000);
  const afterTests = memoryOf(serve.pid);

  const statuses = {};
  const notEnabled = [];
  let bytes = 0;
  for (let round = 0; round < opt.lists; round++) {
    for (const token of tokens) {
      const l = await ok('GET', `${serve.url}/api/v1/exchange-accounts`, { token, timeoutMs: 120_000 });
      if (round === 0) {
        for (const a of l.accounts) {
          statuses[a.status] = (statuses[a.status] || 0) + 1;
          if (a.status !== 'enabled' && notEnabled.length < 5) notEnabled.push({ status: a.status, reason: a.reason, steps: a.test?.steps?.filter((x) => x.state !== 'ok') });
        }
        bytes += Buffer.byteLength(JSON.stringify(l));
      }
    }
  }
  const afterLists = memoryOf(serve.pid);
  console.log(JSON.stringify({
    benchmark: 'memory',
    date: new Date().toISOString(),
    accounts: total,
    users: opt.users,
    accounts_per_user: opt['per-user'],
    venue: opt.venue,
    all_tested_s: +(testedMs / 1000).toFixed(1),
    statuses,
    not_enabled_examples: notEnabled,
    list_bytes_all_users: bytes,
    rss_mib: { after_start: afterStart.rss_mib, after_tests: afterTests.rss_mib, after_lists: afterLists.rss_mib },
    peak_mib: afterLists.hwm_mib,
    target_mib: 100,
    met: afterLists.hwm_mib < 100 && statuses.enabled === total,
    load_before: loadBefore,
    load_after: loadAverage(),
    machine: machine(),
  }));
} catch (e) {
  console.error(`memory: ${e.stack || e}`);
  if (serve) console.error(`serve stderr (tail): ${serve.stderr().slice(-2000)}`);
  process.exitCode = 1;
} finally {
  agent.destroy();
  await stop(serve);
  await stop(exsim);
  tmp.remove();
}
