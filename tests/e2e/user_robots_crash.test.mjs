// Orders exactly once across kill -9 (issue 13): a signal robot followed by many user robots on their own
// Binance USD-M keys; each round fires one signal and kills `serve` at a random moment of the fan-out (the
// simulator holding every order's answer for a while, so kills land before, during and after the sends),
// then restarts it. At the end: every signal handled once per user robot, one venue order per intent, no
// order left unsettled, and each user robot's position equal to the simulator's.
//
// 24 user robots by default, added through the API. TB_TRADE_KILL_FOLLOWERS above 24 (1,000 on demand, with
// TB_TRADE_KILL_LATENCY=2000 for a 2 s venue) seeds them with build/bench/fanout_seed instead: as many key
// tests from one IP would wait on the venue's weight limit for hours.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

import {
  startExsim, startServe, newUser, keySpec, startFollowers, tempDir, removeDir, sleep, waitFor, bin, assertTradedOnce,
} from './lib.mjs';

const ROUNDS = Number(process.env.TB_TRADE_KILL_ROUNDS ?? 20);
const FOLLOWERS = Number(process.env.TB_TRADE_KILL_FOLLOWERS ?? 24);
const LATENCY = Number(process.env.TB_TRADE_KILL_LATENCY ?? 300);
const sim = await startExsim();
const dir = tempDir('trade-crash');
after(() => { sim.proc.stop(); removeDir(dir); });

const ARGS = ['--trade-interval', '100', '--robot-price-interval', '3600'];
const serve = () => startServe({ dataDir: dir, exsimUrl: sim.url, extraArgs: ARGS });

// Rows of serve's database (read-only beside the running server).
function rows(sql) {
  const r = spawnSync('sqlite3', ['-readonly', '-json', path.join(dir, 'tradebridge.db'), sql], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`sqlite3: ${r.stderr}`);
  return r.stdout.trim() ? JSON.parse(r.stdout) : [];
}

// Through the API: a user, its signal robot and its started user robots, one key each.
async function viaApi(srv) {
  const user = await newUser(srv.url);
  const robot = (await user.post('/api/v1/robots', { kind: 'signal', name: 'crash', exchange: 'binance_futures', symbol: 'BTCUSDT' })).body;
  return { robot: { id: robot.id, token: robot.signal_token }, followers: await startFollowers(sim, user, robot.id, FOLLOWERS) };
}

// Seeded before serve starts: the operator's signal robot and started user robots on 10 keys a user.
async function seeded() {
  const keys = [];
  for (let i = 0; i < FOLLOWERS; i += 50)
    keys.push(...await Promise.all(Array.from({ length: Math.min(50, FOLLOWERS - i) }, () => sim.createKey(keySpec('binance_futures', { quote: '100000' })))));
  writeFileSync(path.join(dir, 'keys.txt'), keys.map((k) => `${k.key} ${k.secret}`).join('\n') + '\n');
  const seed = path.join(path.dirname(bin()), '..', '..', 'bench', 'fanout_seed');
  const out = JSON.parse(execFileSync(seed, [dir, path.join(dir, 'keys.txt'), String(Math.ceil(FOLLOWERS / 10)), '150'], { encoding: 'utf8' }));
  return { robot: { id: out.robot_id, token: out.signal_token }, followers: out.user_robots.map((id, i) => ({ id, key: keys[i] })) };
}

async function fire(srv, robot, id, action) {
  const r = await fetch(`${srv.url}/api/v1/robots/${robot.id}/signals`, {
    method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${robot.token}` },
    body: JSON.stringify({ id, action }),
  });
  return r.status;
}

test(`kill -9 during the fan-out of ${ROUNDS} signals to ${FOLLOWERS} user robots: each order once, positions equal the venue's`, { timeout: 3_600_000 }, async () => {
  const big = FOLLOWERS > 24;
  const early = big ? await seeded() : null;
  let srv = await serve();
  const { robot, followers } = early ?? await viaApi(srv);
  // Every order answer held: the venue has the order while serve waits (and dies).
  await sim.addFault({ venue: 'binance_futures', endpoint: 'order', kind: `answer_latency:${LATENCY}`, probability: 1 });
  for (let round = 0; round < ROUNDS; round++) {
    assert.equal(await fire(srv, robot, `sig-${round}`, round % 2 === 0 ? 'long' : 'close'), 202);
    await sleep(50 + Math.floor(Math.random() * (big ? LATENCY + 2000 : 400)));
    await srv.kill();
    srv = await serve();
  }
  await sim.clearFaults();
  try {
    // A user robot takes its signals one after another once restarted: wait until each is traded.
    await waitFor(() => {
      const behind = rows(`SELECT count(*) AS n FROM user_robots WHERE handled_seq < ${ROUNDS}`)[0].n;
      const open = rows("SELECT count(*) AS n FROM orders WHERE purpose = 'robot' AND settled_at IS NULL")[0].n;
      return behind === 0 && open === 0;
    }, { ms: big ? 1_200_000 : 240_000, every: 500, what: 'every signal traded and every order settled' });
    for (const f of followers) await assertTradedOnce({ rows, sim, follower: f, signals: ROUNDS });
  } finally {
    await srv.stop();
  }
});
