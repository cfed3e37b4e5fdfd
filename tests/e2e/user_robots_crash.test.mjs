// Orders exactly once across kill -9 (issue 13): a signal robot followed by many user robots on their own
// Binance USD-M keys; each round fires one signal and kills `serve` at a random moment of the fan-out (the
// simulator holding every order's answer for a while, so kills land before, during and after the sends),
// then restarts it. At the end: every signal handled once per user robot, one venue order per intent, no
// order left unsettled, and each user robot's position equal to the simulator's.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';

import { startExsim, startServe, newUser, keySpec, addAndTest, tempDir, removeDir, sleep, waitFor, dec } from './lib.mjs';

const ROUNDS = Number(process.env.TB_TRADE_KILL_ROUNDS ?? 20);
// 24 by default (about a minute); TB_TRADE_KILL_FOLLOWERS raises it on demand.
const FOLLOWERS = Number(process.env.TB_TRADE_KILL_FOLLOWERS ?? 24);
const sim = await startExsim();
const dir = tempDir('trade-crash');
after(() => { sim.proc.stop(); removeDir(dir); });

const ARGS = ['--trade-interval', '100', '--robot-price-interval', '3600'];
const serve = () => startServe({ dataDir: dir, exsimUrl: sim.url, extraArgs: ARGS });

async function fire(srv, robot, id, action) {
  const r = await fetch(`${srv.url}/api/v1/robots/${robot.id}/signals`, {
    method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${robot.signal_token}` },
    body: JSON.stringify({ id, action }),
  });
  return r.status;
}

test(`kill -9 during the fan-out of ${ROUNDS} signals to ${FOLLOWERS} user robots: each order once, positions equal the venue's`, async () => {
  let srv = await serve();
  const user = await newUser(srv.url);
  const robot = (await user.post('/api/v1/robots', { kind: 'signal', name: 'crash', exchange: 'binance_futures', symbol: 'BTCUSDT' })).body;
  const keys = [];
  const followers = [];
  for (let i = 0; i < FOLLOWERS; i++) {
    const key = await sim.createKey(keySpec('binance_futures', { quote: '100000' }));
    const { account } = await addAndTest(user, 'binance_futures', key);
    const made = await user.post('/api/v1/user-robots', { robot_id: robot.id, account_id: account.id, volume: { type: 'quote_fixed', value: '150' } });
    assert.equal(made.status, 201, made.text);
    assert.equal((await user.post(`/api/v1/user-robots/${made.body.id}/start`, { confirm: true })).status, 200);
    keys.push(key);
    followers.push(made.body.id);
  }
  // Every order answer held 300 ms: the venue has the order while serve waits (and dies).
  await sim.addFault({ venue: 'binance_futures', endpoint: 'order', kind: 'answer_latency:300', probability: 1 }).catch(() => {});
  for (let round = 0; round < ROUNDS; round++) {
    assert.equal(await fire(srv, robot, `sig-${round}`, round % 2 === 0 ? 'long' : 'close'), 202);
    await sleep(50 + Math.floor(Math.random() * 400));
    await srv.kill();
    srv = await serve();
  }
  await sim.clearFaults();
  const client = user;
  client.base = srv.url;
  try {
    await waitFor(async () => {
      const all = (await client.get('/api/v1/user-robots')).body.user_robots;
      for (const ur of all) {
        const orders = (await client.get(`/api/v1/user-robots/${ur.id}/orders`)).body.orders;
        // A user robot takes its signals one after another once restarted: wait until each is traded.
        if (orders.some((o) => o.settled_at === null) || orders.filter((o) => o.state !== 'rejected').length < ROUNDS) return false;
      }
      return true;
    }, { ms: 240_000, every: 500, what: 'every signal traded and every order settled' });
    for (let i = 0; i < FOLLOWERS; i++) {
      const ours = (await client.get(`/api/v1/user-robots/${followers[i]}/orders?limit=1000`)).body.orders;
      const onVenue = (await sim.orders(keys[i].key)).filter((o) => o.client_order_id.startsWith('tb-r-'));
      // One venue order per intent, and each of ours on the venue once.
      assert.equal(new Set(onVenue.map((o) => o.client_order_id)).size, onVenue.length, 'a client order id twice on the venue');
      const placed = ours.filter((o) => o.state !== 'rejected');
      assert.equal(placed.length, ROUNDS, 'every signal traded: a long enters, a close exits');
      assert.equal(onVenue.length, placed.length, `user robot ${followers[i]}: ${JSON.stringify(ours.map((o) => [o.client_order_id, o.state]))}`);
      // No signal twice: at most one entry and one exit per signal.
      const legs = ours.map((o) => `${o.signal_seq}/${o.leg}/${o.attempt ?? 0}`);
      assert.equal(new Set(legs).size, legs.length);
      const ur = (await client.get(`/api/v1/user-robots/${followers[i]}`)).body;
      const venueNet = onVenue.reduce((n, o) => n + (o.side === 'buy' ? 1 : -1) * Number(o.filled), 0);
      const held = ur.position ? (ur.position.side === 'long' ? 1 : -1) * Number(ur.position.amount) : 0;
      assert.equal(dec(venueNet.toFixed(6)), dec(held.toFixed(6)), `user robot ${followers[i]}: ours ${held}, the venue's ${venueNet}`);
    }
  } finally {
    await srv.stop();
  }
});
