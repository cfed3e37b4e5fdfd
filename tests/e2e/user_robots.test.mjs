// User robots end to end on `serve` and the simulator: a signal robot's webhook → orders on each venue's
// account for every volume type; the simulator's orders match the positions (side, amount, reduce-only,
// client id) and fees; duplicates never trade; both stop modes; bad input names its field; another user's
// ids are 404; a running user robot blocks key replacement; a key deleted on the venue pauses it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { VENUES, startExsim, startServe, newUser, keySpec, addAndTest, tempDir, removeDir, waitFor, dec, subscribe } from './lib.mjs';

const SYMBOL = { binance_futures: 'BTCUSDT', kraken: 'XXBTZUSD', bitfinex: 'tBTCUSD' };
const CID = { binance_futures: /^tb-r-\d+$/, kraken: /^tbr\d+$/, bitfinex: /^\d{14,}$/ };
let sim, srv, dir, A, B;

before(async () => {
  dir = tempDir('user-robots');
  sim = await startExsim();
  srv = await startServe({ dataDir: dir, exsimUrl: sim.url, extraArgs: ['--trade-interval', '200', '--robot-price-interval', '3600'] });
  [A, B] = [await newUser(srv.url), await newUser(srv.url)];
});

after(async () => {
  await srv?.stop();
  await sim?.stop();
  removeDir(dir);
});

async function signalRobot(client, venue, name = `sig ${venue}`) {
  const r = await client.post('/api/v1/robots', { kind: 'signal', name, exchange: venue, symbol: SYMBOL[venue] });
  assert.equal(r.status, 201, r.text);
  assert.match(r.body.signal_token, /^[A-Za-z0-9_-]{43}$/);
  assert.ok(r.body.signal_url.endsWith(`/api/v1/robots/${r.body.id}/signals`));
  return r.body;
}

async function fire(robot, body, token = robot.signal_token) {
  const r = await fetch(`${srv.url}/api/v1/robots/${robot.id}/signals`, {
    method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` }, body: JSON.stringify(body),
  });
  return { status: r.status, body: await r.json() };
}

const venueOrders = async (key) => (await sim.orders(key)).filter((o) => CID.binance_futures.test(o.client_order_id) ||
  CID.kraken.test(o.client_order_id) || CID.bitfinex.test(o.client_order_id));

// The user robot once it has `count` orders, all settled.
async function settled(client, id, count) {
  let ur;
  await waitFor(async () => {
    const orders = (await client.get(`/api/v1/user-robots/${id}/orders`)).body.orders;
    ur = (await client.get(`/api/v1/user-robots/${id}`)).body;
    // A fee the venue tells apart (its trades of the order) is asked in a later step: settled is with it.
    const done = orders.every((o) => o.settled_at !== null && !o.fee_pending);
    return orders.length === count && done && ['started', 'stopped', 'paused'].includes(ur.status);
  }, { what: `user robot ${id}: ${count} orders settled, their fees known` });
  return ur;
}

for (const venue of VENUES) {
  test(`${venue}: long and close from a signal robot, each volume type, fees as the venue charged`, async () => {
    const key = await sim.createKey(keySpec(venue, { quote: '100000' }));
    const { account } = await addAndTest(A, venue, key);
    assert.equal(account.status, 'enabled');
    const robot = await signalRobot(A, venue);
    const volumes = [{ type: 'quote_fixed', value: '150' }, { type: 'asset_fixed', value: '0.003' }, { type: 'balance_percent', value: '1' }];
    let n = 0;
    for (const volume of volumes) {
      const made = await A.post('/api/v1/user-robots', { robot_id: robot.id, account_id: account.id, volume });
      assert.equal(made.status, 201, made.text);
      assert.equal(made.body.status, 'stopped');
      const id = made.body.id;
      assert.equal((await A.post(`/api/v1/user-robots/${id}/start`, { confirm: true })).status, 200);
      const long = await fire(robot, { id: `L-${venue}-${++n}`, action: 'long' });
      assert.equal(long.status, 202, JSON.stringify(long.body));
      assert.deepEqual(await fire(robot, { id: `L-${venue}-${n}`, action: 'long' }), { status: 200, body: { duplicate: true, seq: long.body.seq } });
      let ur = await settled(A, id, 1);
      assert.ok(ur.position, JSON.stringify(ur));
      assert.equal(ur.position.side, 'long');
      const orders = (await A.get(`/api/v1/user-robots/${id}/orders`)).body.orders;
      assert.equal(orders.length, 1, JSON.stringify(orders));
      const onVenue = (await venueOrders(key.key)).find((o) => o.client_order_id === orders[0].client_order_id);
      assert.ok(onVenue, 'the order is on the venue under our client id');
      assert.match(orders[0].client_order_id, CID[venue]);
      assert.equal(onVenue.side, 'buy');
      assert.equal(dec(onVenue.filled), dec(ur.position.amount));
      if (volume.type === 'asset_fixed') assert.equal(dec(onVenue.amount), dec('0.003'));
      assert.ok(dec(onVenue.fee) > 0n, JSON.stringify(onVenue));
      // The fee is the venue's: Kraken states it in the quote asset's precision (5 decimals), the others exactly.
      const gap = dec(orders[0].fee) - dec(onVenue.fee);
      if (venue === 'kraken') assert.ok(gap < dec('0.00001') && gap > -dec('0.00001'), `${orders[0].fee} vs ${onVenue.fee}`);
      else assert.equal(dec(orders[0].fee), dec(onVenue.fee), 'the fee is the venue\'s');
      const close = await fire(robot, { id: `C-${venue}-${n}`, action: 'close' });
      assert.equal(close.status, 202);
      ur = await settled(A, id, 2);
      assert.equal(ur.position, null, JSON.stringify(ur));
      const all = (await A.get(`/api/v1/user-robots/${id}/orders`)).body.orders;
      assert.equal(all.length, 2);
      const exit = (await venueOrders(key.key)).find((o) => o.client_order_id === all[0].client_order_id);
      assert.equal(exit.side, 'sell');
      assert.equal(exit.reduce_only, venue === 'binance_futures');
      assert.equal(dec(exit.amount), dec(onVenue.filled));  // the exit closes exactly what filled
      assert.equal(ur.statistics.positions, 1);
      assert.equal((await A.post(`/api/v1/user-robots/${id}/stop`, { confirm: true, position: 'keep' })).status, 200);
      await waitFor(async () => (await A.get(`/api/v1/user-robots/${id}`)).body.status === 'stopped', { what: 'stopped' });
      assert.equal((await A.del(`/api/v1/user-robots/${id}`)).status, 204);  // stopped and flat: the next volume type follows
    }
    // One venue order per intent, nothing twice.
    const ours = await venueOrders(key.key);
    assert.equal(new Set(ours.map((o) => o.client_order_id)).size, ours.length);
    assert.equal(ours.length, 2 * volumes.length);
  });
}

test('stop with close exits at market; keep leaves the position; delete only stopped and flat; the event stream tells each step', async () => {
  const venue = 'binance_futures';
  const key = await sim.createKey(keySpec(venue, { quote: '100000' }));
  const { account } = await addAndTest(B, venue, key);
  const stream = await subscribe(srv.url, B.token);
  const robot = await signalRobot(B, venue);
  const id = (await B.post('/api/v1/user-robots', { robot_id: robot.id, account_id: account.id, volume: { type: 'quote_fixed', value: '200' } })).body.id;
  assert.equal((await B.post(`/api/v1/user-robots/${id}/start`, { confirm: true })).status, 200);
  assert.equal((await B.put(`/api/v1/exchange-accounts/${account.id}/keys`, { key: key.key, secret: key.secret })).status, 409);
  await fire(robot, { id: 's1', action: 'short' });
  let ur = await settled(B, id, 1);
  assert.equal(ur.position.side, 'short');
  assert.equal((await B.del(`/api/v1/user-robots/${id}`)).status, 409);
  assert.equal((await B.post(`/api/v1/user-robots/${id}/stop`, { confirm: true, position: 'close' })).status, 200);
  await waitFor(async () => (await B.get(`/api/v1/user-robots/${id}`)).body.status === 'stopped', { what: 'stopped with close' });
  ur = (await B.get(`/api/v1/user-robots/${id}`)).body;
  assert.equal(ur.position, null);
  const last = (await venueOrders(key.key)).at(-1);
  assert.equal(last.side, 'buy');
  assert.equal(last.reduce_only, true);
  assert.equal((await B.del(`/api/v1/user-robots/${id}`)).status, 204);
  await stream.waitFor((e) => e.event === 'position.closed' && e.data.user_robot_id === id);
  const names = new Set(stream.events.map((e) => e.event));
  for (const name of ['robot.signal', 'user_robot.updated', 'order.updated', 'position.opened', 'position.closed']) assert.ok(names.has(name), name);
  const opened = stream.events.find((e) => e.event === 'position.opened');
  assert.equal(opened.data.side, 'short');
  assert.ok(stream.events.every((e) => !JSON.stringify(e.data).includes(key.secret)), 'no secret in the stream');
  await stream.close();
});

test('bad input names the field and writes nothing; another user\'s ids are 404; wrong tokens are 401', async () => {
  const venue = 'kraken';
  const key = await sim.createKey(keySpec(venue));
  const { account } = await addAndTest(A, venue, key);
  const robot = await signalRobot(A, venue, 'bad input');
  const make = (volume, extra = {}) => A.post('/api/v1/user-robots', { robot_id: robot.id, account_id: account.id, volume, ...extra });
  const cases = [
    [{ type: 'quote_fixed', value: '-5' }, 'volume'],
    [{ type: 'quote_fixed', value: 'ten' }, 'volume'],
    [{ type: 'balance_percent', value: '101' }, 'volume'],
    [{ type: 'lots', value: '1' }, 'volume'],
    [{ type: 'quote_fixed', value: '0.01' }, 'volume'],  // below the market minimum
  ];
  for (const [volume, field] of cases) {
    const r = await make(volume);
    assert.equal(r.status, 400, r.text);
    assert.equal(r.body.error.field, field, r.text);
  }
  assert.match((await make({ type: 'quote_fixed', value: '0.01' })).body.error.message, /below the market minimum .* BTC/);
  assert.equal((await make({ type: 'quote_fixed', value: '100' }, { colour: 'red' })).status, 400);
  assert.equal((await A.get('/api/v1/user-robots')).body.user_robots.filter((u) => u.robot_id === robot.id).length, 0);
  const ok = await make({ type: 'quote_fixed', value: '100' });
  assert.equal(ok.status, 201);
  assert.equal((await make({ type: 'quote_fixed', value: '100' })).status, 409);  // the same robot twice on one account
  // B sees none of A's: user robot, account, signal robot.
  assert.equal((await B.get(`/api/v1/user-robots/${ok.body.id}`)).status, 404);
  assert.equal((await B.post(`/api/v1/user-robots/${ok.body.id}/start`, { confirm: true })).status, 404);
  const bMake = await B.post('/api/v1/user-robots', { robot_id: robot.id, account_id: account.id, volume: { type: 'quote_fixed', value: '100' } });
  assert.equal(bMake.status, 404);
  assert.equal((await A.post(`/api/v1/user-robots/${ok.body.id}/start`, {})).status, 400);  // confirm required
  assert.equal((await fire(robot, { id: 'x', action: 'long' }, 'wrong')).status, 401);
  assert.equal((await fire(robot, { id: 'x', action: 'sideways' })).status, 400);
  assert.equal((await fire(robot, { id: 'y', action: 'long', time: Date.now() - 3_600_000 })).status, 409);
  assert.equal((await A.get(`/api/v1/user-robots/${ok.body.id}/orders`)).body.orders.length, 0);
});

test('a key deleted on the venue: the account turns invalid, its user robots pause, start is refused', async () => {
  const venue = 'bitfinex';
  const key = await sim.createKey(keySpec(venue));
  const { account } = await addAndTest(A, venue, key);
  const robot = await signalRobot(A, venue, 'deleted key');
  const id = (await A.post('/api/v1/user-robots', { robot_id: robot.id, account_id: account.id, volume: { type: 'quote_fixed', value: '100' } })).body.id;
  assert.equal((await A.post(`/api/v1/user-robots/${id}/start`, { confirm: true })).status, 200);
  await sim.deleteKey(key.key);
  await fire(robot, { id: 'after-delete', action: 'long' });
  await waitFor(async () => (await A.get(`/api/v1/user-robots/${id}`)).body.status === 'paused', { what: 'paused' });
  assert.ok((await A.get(`/api/v1/user-robots/${id}`)).body.message.length > 0);
  assert.equal((await A.post(`/api/v1/exchange-accounts/${account.id}/check`, {})).status < 300, true);
  await waitFor(async () => (await A.get(`/api/v1/exchange-accounts/${account.id}`)).body.status === 'invalid', { what: 'invalid' });
  const again = await A.post(`/api/v1/user-robots/${id}/resume`, {});
  assert.equal(again.status, 409, again.text);
});
