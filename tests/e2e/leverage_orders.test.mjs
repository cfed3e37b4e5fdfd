// Issue 16 on `serve` and the simulator: a user robot on futures shows the leverage in effect (read from the
// venue at its start, set there first when the start names one; refused on spot), and an account's open
// orders on the exchange are listed with their real type — a stop-limit placed by hand outside tradebridge as
// a stop-limit with its trigger and limit, foreign; a user robot's own order as ours, naming it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { startExsim, startServe, newUser, keySpec, addAndTest, tempDir, removeDir, waitFor, dec } from './lib.mjs';
import { binanceSigned, leverageOnVenue, placeStopLimitByHand } from '../support/by_hand.mjs';

let sim, srv, dir, A, B;

before(async () => {
  dir = tempDir('leverage-orders');
  sim = await startExsim();
  srv = await startServe({ dataDir: dir, exsimUrl: sim.url, extraArgs: ['--trade-interval', '200', '--robot-price-interval', '3600'] });
  [A, B] = [await newUser(srv.url), await newUser(srv.url)];
});

after(async () => {
  await srv?.stop();
  await sim?.stop();
  removeDir(dir);
});

async function follow(client, venue, symbol, name) {
  const robot = await client.post('/api/v1/robots', { kind: 'signal', name, exchange: venue, symbol });
  assert.equal(robot.status, 201, robot.text);
  const key = await sim.createKey(keySpec(venue, { quote: '100000' }));
  const { account } = await addAndTest(client, venue, key);
  assert.equal(account.status, 'enabled');
  const made = await client.post('/api/v1/user-robots', { robot_id: robot.body.id, account_id: account.id, volume: { type: 'quote_fixed', value: '200' } });
  assert.equal(made.status, 201, made.text);
  return { robot: robot.body, key, account, id: made.body.id, made: made.body };
}

const start = (client, id, extra = {}) => client.post(`/api/v1/user-robots/${id}/start`, { confirm: true, ...extra });
async function stopKeep(client, id) {
  assert.equal((await client.post(`/api/v1/user-robots/${id}/stop`, { confirm: true, position: 'keep' })).status, 200);
  await waitFor(async () => (await client.get(`/api/v1/user-robots/${id}`)).body.status === 'stopped', { what: 'stopped' });
}

test('futures: the leverage in effect is read at the start, set first when given; a refusal starts nothing', async () => {
  const { key, id, made } = await follow(A, 'binance_futures', 'BTCUSDT', 'lev futures');
  assert.equal(made.leverage, null, 'unknown before the first start');
  for (const bad of [0, 126, 2.5, '7']) {
    const r = await start(A, id, { leverage: bad });
    assert.equal(r.status, 400, r.text);
    assert.equal(r.body.error.field, 'leverage');
  }
  const first = await start(A, id);
  assert.equal(first.status, 200, first.text);
  assert.equal(first.body.leverage, await leverageOnVenue(sim.url, key), 'the venue\'s default, read at the start');
  await stopKeep(A, id);

  const set = await start(A, id, { leverage: 7 });
  assert.equal(set.status, 200, set.text);
  assert.equal(set.body.leverage, 7);
  assert.equal(await leverageOnVenue(sim.url, key), 7, 'set on the venue');
  assert.equal((await A.get(`/api/v1/user-robots/${id}`)).body.leverage, 7);
  assert.equal((await A.get('/api/v1/user-robots')).body.user_robots.find((u) => u.id === id).leverage, 7);
  const running = await start(A, id, { leverage: 9 });
  assert.equal(running.status, 409, running.text);
  assert.equal(running.body.error.field, 'leverage');
  await stopKeep(A, id);

  // Changed on the exchange's site: the next start reads it.
  await binanceSigned(sim.url, key, 'POST', '/fapi/v1/leverage', { symbol: 'BTCUSDT', leverage: '12' });
  assert.equal((await start(A, id)).body.leverage, 12);
  await stopKeep(A, id);

  // The venue refuses: 409 naming the leverage in the venue's words; nothing started, nothing changed.
  await sim.addFault({ venue: 'binance_futures', endpoint: 'leverage', kind: 'maintenance', count: 5 });
  const refused = await start(A, id, { leverage: 5 });
  assert.equal(refused.status, 409, refused.text);
  assert.equal(refused.body.error.field, 'leverage');
  assert.match(refused.body.error.message, /did not set leverage 5 on BTCUSDT: .+; the robot was not started/);
  const after = (await A.get(`/api/v1/user-robots/${id}`)).body;
  assert.equal(after.status, 'stopped');
  assert.equal(after.leverage, 12);
  assert.equal(await leverageOnVenue(sim.url, key), 12);
});

test('spot: a leverage is refused naming the field; a start without one shows none', async () => {
  const { id } = await follow(A, 'kraken', 'XXBTZUSD', 'lev spot');
  const r = await start(A, id, { leverage: 3 });
  assert.equal(r.status, 400, r.text);
  assert.equal(r.body.error.field, 'leverage');
  assert.equal((await A.get(`/api/v1/user-robots/${id}`)).body.status, 'stopped');
  const ok = await start(A, id);
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.body.leverage, null);
  assert.equal((await B.post(`/api/v1/user-robots/${id}/start`, { confirm: true, leverage: 3 })).status, 404);
});

test('an account\'s open orders: a stop-limit placed by hand is foreign with its trigger and limit; a robot\'s order is ours', async () => {
  const { robot, key, account, id } = await follow(B, 'binance_futures', 'BTCUSDT', 'orders');
  const path = `/api/v1/exchange-accounts/${account.id}/orders`;
  assert.deepEqual((await B.get(path)).body, { orders: [] });
  const hand = await placeStopLimitByHand(sim.url, key, { trigger: '55', limit: '54' });
  assert.equal((await start(B, id)).status, 200);
  // A long at a price far below the market: a limit order that rests.
  const fired = await fetch(`${srv.url}/api/v1/robots/${robot.id}/signals`, {
    method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${robot.signal_token}` },
    body: JSON.stringify({ id: 'rest-1', action: 'long', price: '30000' }),
  });
  assert.equal(fired.status, 202);
  await waitFor(async () => (await B.get(`/api/v1/user-robots/${id}/orders`)).body.orders.some((o) => o.state === 'open'), { what: 'the robot\'s order open' });
  const { orders } = (await B.get(path)).body;
  assert.equal(orders.length, 2, JSON.stringify(orders));
  const foreign = orders.find((o) => o.id === String(hand.orderId));
  assert.ok(foreign, JSON.stringify(orders));
  assert.equal(foreign.type, 'stop_limit');
  assert.equal(foreign.venue_type, 'STOP');
  assert.equal(dec(foreign.trigger_price), dec('55'));
  assert.equal(dec(foreign.price), dec('54'));
  assert.equal(foreign.side, 'sell');
  assert.equal(dec(foreign.amount), dec('2'));
  assert.equal(foreign.reduce_only, false);
  assert.equal(foreign.ours, false);
  assert.equal(foreign.user_robot_id, null);
  assert.equal(foreign.description, 'Stop limit · trigger 55 · limit 54');
  const mine = orders.find((o) => o !== foreign);
  assert.equal(mine.ours, true);
  assert.equal(mine.user_robot_id, id);
  assert.equal(mine.type, 'limit');
  assert.equal(dec(mine.price), dec('30000'));
  assert.equal(mine.trigger_price, null);
  assert.equal(mine.client_order_id, (await B.get(`/api/v1/user-robots/${id}/orders`)).body.orders[0].client_order_id);

  // Another user's account is no account; the venue's failure is a 502 in its words.
  assert.equal((await A.get(path)).status, 404);
  await sim.addFault({ venue: 'binance_futures', endpoint: 'openOrders', kind: 'maintenance', count: 10 });
  const down = await B.get(path);
  assert.equal(down.status, 502, down.text);
  assert.equal(down.body.error.code, 'exchange_error');
  assert.match(down.body.error.message, /^the exchange did not list the open orders: .+/);
  await sim.clearFaults();

  // An account that is not enabled (its key deleted on the exchange, found by a re-test): 409 naming why.
  await sim.deleteKey(key.key);
  assert.ok((await B.post(`/api/v1/exchange-accounts/${account.id}/check`, {})).status < 300);
  await waitFor(async () => (await B.get(`/api/v1/exchange-accounts/${account.id}`)).body.status === 'invalid', { what: 'invalid' });
  const off = await B.get(path);
  assert.equal(off.status, 409, off.text);
  assert.equal(off.body.error.field, 'account_id');
  assert.match(off.body.error.message, /is invalid/);
});
