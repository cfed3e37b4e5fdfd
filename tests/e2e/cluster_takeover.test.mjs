// Two `serve` processes over one PostgreSQL database, and a kill -9 of one while it works (issue 14):
//  - 200 key tests, the venue holding every test order's answer, the process running most of them killed:
//    the other finishes them all (its beat hands back the dead process's jobs once its row is stale), each
//    account tested to one outcome, no test order left open on the venue;
//  - signals fanned out to user robots whose accounts the two processes share, one process killed during
//    each fan-out and started again: the survivor takes the dead one's shares of the desk and settles its
//    orders; every signal traded once per user robot, one venue order per intent, positions equal the venue's.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

import {
  Client, startExsim, startCluster, newUser, keySpec, startFollowers, tempDir, removeDir, sleep, waitFor, assertTradedOnce,
} from './lib.mjs';

const KEY_TESTS = Number(process.env.TB_TAKEOVER_KEY_TESTS ?? 200);
const ROUNDS = Number(process.env.TB_TAKEOVER_ROUNDS ?? 6);
const FOLLOWERS = Number(process.env.TB_TAKEOVER_FOLLOWERS ?? 16);

let sim, cluster, dir;
before(async () => {
  dir = tempDir('takeover');
  sim = await startExsim();
  cluster = await startCluster({ dataDir: dir, exsimUrl: sim.url, extraArgs: ['--trade-interval', '100', '--robot-price-interval', '3600'] });
});
after(async () => {
  await cluster?.stop();
  await sim?.stop();
  removeDir(dir);
});

// Rows of the shared database, as JSON objects.
function rows(sql) {
  const r = spawnSync('psql', ['-X', '-q', '-At', '-d', cluster.databaseUrl, '-c', `SELECT coalesce(json_agg(t), '[]') FROM (${sql}) t`], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`psql: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

const health = async (url) => (await fetch(`${url}/healthz`)).json();


test(`kill -9 of the process running most of ${KEY_TESTS} key tests: the other finishes each once`, { timeout: 600_000 }, async () => {
  const user = await newUser(cluster.url);
  const keys = await Promise.all(Array.from({ length: KEY_TESTS }, () => sim.createKey(keySpec('kraken'))));
  // Every test order's answer held 1.5 s: the kill lands with orders on the venue and their answers in flight.
  await sim.addFault({ venue: 'kraken', endpoint: 'AddOrder', kind: 'answer_latency:1500', probability: 1 });
  const added = await Promise.all(keys.map((k) => user.post('/api/v1/exchange-accounts', { exchange: 'kraken', key: k.key, secret: k.secret })));
  for (const r of added) assert.equal(r.status, 202, r.text);
  let victim;
  await waitFor(async () => {
    const jobs = await Promise.all(cluster.urls.map(async (u) => (await health(u)).process.jobs));
    victim = jobs[0] >= jobs[1] ? 0 : 1;
    return jobs[victim] >= 20 && jobs;
  }, { ms: 60_000, every: 50, what: 'key tests running' });
  const killedAt = Date.now();
  await cluster.servers[victim].kill();
  await sim.clearFaults();
  const survivor = new Client(cluster.urls[1 - victim], { token: user.token });
  await waitFor(async () => {
    const list = (await survivor.get('/api/v1/exchange-accounts')).body.accounts;
    return list.length === KEY_TESTS && list.every((a) => a.status !== 'testing');
  }, { ms: 120_000, every: 250, what: 'every key test finished' });
  const took = Date.now() - killedAt;
  const accounts = (await survivor.get('/api/v1/exchange-accounts')).body.accounts;
  assert.deepEqual([...new Set(accounts.map((a) => a.status))], ['enabled'], JSON.stringify(accounts.filter((a) => a.status !== 'enabled')));
  // One verdict per account: a test the kill cut short is marked interrupted and run again to its end once.
  const verdicts = rows("SELECT account_id, count(*) AS n FROM key_tests WHERE outcome NOT IN ('', 'interrupted') GROUP BY account_id");
  assert.equal(verdicts.length, KEY_TESTS);
  assert.deepEqual(verdicts.filter((o) => o.n !== 1), []);
  const cut = rows("SELECT account_id, count(*) AS n FROM key_tests WHERE outcome = 'interrupted' GROUP BY account_id");
  assert.ok(cut.length > 0, 'the kill cut no key test short: it came too late to test a takeover');
  assert.deepEqual(cut.filter((o) => o.n !== 1), []);
  assert.equal(rows("SELECT id FROM key_tests WHERE outcome = ''").length, 0);
  assert.equal(rows("SELECT id FROM jobs WHERE kind = 'key_test'").length, 0);
  for (const k of keys) {
    const open = (await sim.orders(k.key)).filter((o) => o.status === 'open');
    assert.equal(open.length, 0, `a test order left open on ${k.key.slice(0, 6)}`);
  }
  console.log(`${KEY_TESTS} key tests, process ${victim} killed with ${cut.length} running: all finished ${took} ms after the kill`);
  await cluster.restart(victim);
});

async function fire(robot, id, action) {
  const r = await fetch(`${cluster.url}/api/v1/robots/${robot.id}/signals`, {
    method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${robot.token}` }, body: JSON.stringify({ id, action }),
  });
  return r.status;
}

test(`kill -9 of a process during each of ${ROUNDS} fan-outs to ${FOLLOWERS} user robots: each order once`, { timeout: 900_000 }, async () => {
  const user = await newUser(cluster.url);
  const made = (await user.post('/api/v1/robots', { kind: 'signal', name: 'takeover', exchange: 'binance_futures', symbol: 'BTCUSDT' })).body;
  const robot = { id: made.id, token: made.signal_token };
  const followers = await startFollowers(sim, user, robot.id, FOLLOWERS);
  // Both processes hold shares of the desk before the first signal.
  await waitFor(async () => {
    const roles = await Promise.all(cluster.urls.map(async (u) => (await health(u)).process.roles.filter((r) => r.startsWith('desk/')).length));
    return roles.every((n) => n > 0) && roles.reduce((a, b) => a + b) === 16;
  }, { ms: 30_000, what: 'both processes holding shares of the desk' });
  await sim.addFault({ venue: 'binance_futures', endpoint: 'order', kind: 'answer_latency:1000', probability: 1 });
  for (let round = 0; round < ROUNDS; round++) {
    assert.equal(await fire(robot, `sig-${round}`, round % 2 === 0 ? 'long' : 'close'), 202);
    await sleep(50 + Math.floor(Math.random() * 1200));
    await cluster.restart(round % 2);
  }
  await sim.clearFaults();
  await waitFor(() => {
    const behind = rows(`SELECT id FROM user_robots WHERE handled_seq < ${ROUNDS}`).length;
    const open = rows("SELECT id FROM orders WHERE purpose = 'robot' AND settled_at IS NULL").length;
    return behind === 0 && open === 0;
  }, { ms: 240_000, every: 500, what: 'every signal traded and every order settled' });
  for (const f of followers) await assertTradedOnce({ rows, sim, follower: f, signals: ROUNDS });
});
