// The key flow through the HTTP API of `tradebridge serve`, against `tradebridge exsim`, on all three venues:
// a good key is enabled with its test order placed and cancelled; refused keys say why; names, rename,
// re-test, key replacement, delete; live events; the portfolio and the audit log.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  VENUES, DISPLAY, EGRESS_IP, startExsim, startServers, newUser, keySpec, addAndTest, waitTested, subscribe, tempDir,
  removeDir, maskOf, dec, seenBodies,
} from './lib.mjs';

let sim, srv, dir, alice, bob;
const secrets = [];  // every secret handed to the server, looked for in everything it said

before(async () => {
  dir = tempDir('flow');
  sim = await startExsim();
  srv = await startServers({ dataDir: dir, exsimUrl: sim.url });
  [alice, bob] = await Promise.all([newUser(srv.url), newUser(srv.url)]);
});

after(async () => {
  await srv?.stop();
  await sim?.stop();
  removeDir(dir);
});

async function key(venue, opts) {
  const k = await sim.createKey(keySpec(venue, opts));
  secrets.push(k.secret);
  return k;
}

function stepNames(account) { return account.test.steps.map((s) => s.name); }

for (const venue of VENUES) {
  test(`${venue}: a good key is tested in the background and enabled; its test order was placed and cancelled`, async () => {
    const k = await key(venue);
    const r = await alice.post('/api/v1/exchange-accounts', { exchange: venue, key: k.key, secret: k.secret });
    assert.equal(r.status, 202, r.text);
    assert.equal(r.body.status, 'testing');
    assert.equal(r.body.exchange, venue);
    assert.equal(r.headers.get('location'), `/api/v1/exchange-accounts/${r.body.id}`);
    assert.equal(r.body.key, maskOf(k.key));
    assert.ok(!r.text.includes(k.secret) && !r.text.includes(k.key), 'neither the secret nor the full key in the answer');

    const a = await waitTested(alice, r.body.id);
    assert.equal(a.status, 'enabled', a.reason);
    assert.equal(a.reason, null);
    assert.equal(a.reason_code, null);
    assert.equal(a.key, maskOf(k.key));
    assert.match(a.key, /^.{4}\u2026.{4}$/);
    assert.equal(a.order_to_cancel_by_hand, null);
    assert.equal(a.test.outcome, 'enabled');
    assert.deepEqual(stepNames(a), ['permissions', 'balances', 'test_order', 'cancel']);
    for (const s of a.test.steps) {
      assert.equal(s.state, 'ok', JSON.stringify(s));
      assert.equal(typeof s.duration_ms, 'number');
      assert.ok(s.duration_ms >= 0);
      assert.equal(typeof s.message, 'string');
    }
    assert.ok(!Number.isNaN(Date.parse(a.last_checked_at)), a.last_checked_at);
    // Balances: the quote asset as funded on the simulator, and a USD total at least that much.
    const quote = a.balances.find((b) => ['USDT', 'USD'].includes(b.asset));
    assert.ok(quote, JSON.stringify(a.balances));
    assert.ok(dec(a.usd_total) >= dec('10000'), a.usd_total);
    // No IP whitelist on the key: the warning names the server's egress IP to whitelist.
    assert.ok(a.warnings.some((w) => w.includes(EGRESS_IP)), `warnings: ${JSON.stringify(a.warnings)}`);

    // On the simulator: exactly one order, a post-only buy with our client id, cancelled; nothing open.
    const orders = await sim.orders(k.key);
    assert.equal(orders.length, 1, JSON.stringify(orders));
    assert.equal(orders[0].status, 'canceled');
    assert.equal(orders[0].side, 'buy');
    assert.equal(orders[0].post_only, true);
    assert.ok(orders[0].client_order_id.length > 0);
    assert.ok(!orders.some((o) => o.status === 'open'));
    // The test order's step names the order the venue took (Kraken shows its own txid, not the simulator's number).
    const placed = a.test.steps.find((s) => s.name === 'test_order').message;
    assert.match(placed, /post-only.*order \S+/, placed);
    if (venue !== 'kraken') assert.ok(placed.includes(`order ${orders[0].id}`), placed);
  });
}

test('a key restricted to the server\'s IP is enabled without the IP warning', async () => {
  await Promise.all(VENUES.map(async (venue) => {
    const k = await key(venue, { whitelist: ['127.0.0.1'] });
    const { account } = await addAndTest(alice, venue, k);
    assert.equal(account.status, 'enabled', `${venue}: ${account.reason}`);
    assert.ok(!account.warnings.some((w) => /no IP restriction/i.test(w)), `${venue}: ${JSON.stringify(account.warnings)}`);
  }));
});

// Each refusal on each venue: invalid, the reason in words and its code, nothing left open, no key kept.
async function refused(venue, k, expectCodes, reasonPattern) {
  const { account } = await addAndTest(alice, venue, k);
  assert.equal(account.status, 'invalid', `${venue}: ${JSON.stringify(account)}`);
  assert.equal(account.test.outcome, account.reason_code);
  assert.ok(expectCodes.includes(account.reason_code), `${venue}: reason_code ${account.reason_code}, reason ${account.reason}`);
  assert.match(account.reason, reasonPattern, `${venue}`);
  assert.ok(!account.reason.includes(k.secret));
  const orders = await sim.orders(k.key).catch(() => []);
  assert.ok(!orders.some((o) => o.status === 'open'), `${venue}: an order left open`);
  return account;
}

test('a key that may withdraw is refused, with how to turn withdrawals off; the key is not kept', async () => {
  await Promise.all(VENUES.map(async (venue) => {
    const k = await key(venue, { withdraw: true });
    const a = await refused(venue, k, ['withdrawal_permission'], /withdraw/i);
    assert.equal((await sim.orders(k.key)).length, 0, 'refused before any order');
    assert.equal(a.test.steps.find((s) => s.name === 'permissions').state, 'failed');
    // A refused key leaves no ciphertext behind: there is nothing left to re-test.
    const again = await alice.post(`/api/v1/exchange-accounts/${a.id}/check`);
    assert.equal(again.status, 409, again.text);
    assert.match(again.body.error.message, /refused and not kept/);
  }));
});

test('a key without trading permission is refused', async () => {
  await Promise.all(VENUES.map(async (venue) => {
    const k = await key(venue, { trade: false });
    await refused(venue, k, ['no_trading_permission'], /trad/i);
  }));
});

test('a wrong secret is refused and named', async () => {
  await Promise.all(VENUES.map(async (venue) => {
    const k = await key(venue);
    const other = await key(venue);
    // Kraken answers "Invalid key" for a mismatched secret too: the message then names both causes.
    const codes = venue === 'kraken' ? ['invalid_key', 'wrong_secret'] : ['wrong_secret'];
    await refused(venue, { key: k.key, secret: other.secret }, codes, /secret/i);
  }));
});

test('a key whitelisted to another IP is refused; the reason names the IP cause and the address to add', async () => {
  await Promise.all(VENUES.map(async (venue) => {
    const k = await key(venue, { whitelist: ['198.51.100.9'] });
    const a = await refused(venue, k, ['invalid_key', 'no_trading_permission', 'ip_not_whitelisted'], /IP/);
    assert.ok(a.reason.includes(EGRESS_IP), a.reason);
    assert.equal((await sim.orders(k.key)).length, 0);
  }));
});

test('too little balance for the smallest order: invalid, insufficient_funds, and the key itself is fine', async () => {
  await Promise.all(VENUES.map(async (venue) => {
    const k = await key(venue, { quote: '0.5' });
    const a = await refused(venue, k, ['insufficient_funds'], /key itself is fine/);
    // The key is good: it is kept, so the user can add funds and press check.
    const again = await alice.post(`/api/v1/exchange-accounts/${a.id}/check`);
    assert.equal(again.status, 202, again.text);
    await waitTested(alice, a.id);
  }));
});

test('names: generated per venue, unique per user, rename, clash, re-test, replace keys, delete', async () => {
  const u = await newUser(srv.url);
  const k1 = await key('kraken');
  const k2 = await key('kraken');
  const first = await addAndTest(u, 'kraken', k1);
  const second = await addAndTest(u, 'kraken', k2);
  assert.equal(first.added.name, 'Kraken');
  assert.equal(second.added.name, 'Kraken #2');
  const b = await addAndTest(u, 'bitfinex', await key('bitfinex'));
  assert.equal(b.added.name, DISPLAY.bitfinex);
  // Another user's names are their own.
  const other = await addAndTest(bob, 'kraken', await key('kraken'));
  assert.equal(other.added.name, 'Kraken');

  // Rename; a clash (names compare without case) is a 409 naming the field.
  const id = second.added.id;
  const ren = await u.patch(`/api/v1/exchange-accounts/${id}`, { name: 'Main' });
  assert.equal(ren.status, 200, ren.text);
  assert.equal(ren.body.name, 'Main');
  assert.equal((await u.get(`/api/v1/exchange-accounts/${id}`)).body.name, 'Main');
  const clash = await u.patch(`/api/v1/exchange-accounts/${id}`, { name: 'kraken' });
  assert.equal(clash.status, 409, clash.text);
  assert.equal(clash.body.error.code, 'conflict');
  assert.equal(clash.body.error.field, 'name');
  const addClash = await u.post('/api/v1/exchange-accounts', { name: 'MAIN', exchange: 'kraken', key: k1.key, secret: k1.secret });
  assert.equal(addClash.status, 409, addClash.text);
  assert.equal(addClash.body.error.field, 'name');
  // The name freed by the rename is generated again.
  const third = await addAndTest(u, 'kraken', await key('kraken'));
  assert.equal(third.added.name, 'Kraken #2');

  // Re-test: a new key test with a new order, placed and cancelled.
  const before = (await u.get(`/api/v1/exchange-accounts/${id}`)).body;
  // The test's order is answered a second late, so the second check surely comes while the first runs.
  await sim.addFault({ venue: 'kraken', endpoint: 'AddOrder', kind: 'latency:1000', count: 1 });
  const check = await u.post(`/api/v1/exchange-accounts/${id}/check`);
  assert.equal(check.status, 202, check.text);
  assert.equal(check.body.status, 'testing');
  const busy = await u.post(`/api/v1/exchange-accounts/${id}/check`);
  assert.equal(busy.status, 409, 'a second check while the first runs');
  const retested = await waitTested(u, id);
  assert.equal(retested.status, 'enabled', retested.reason);
  assert.notEqual(retested.test.id, before.test.id);
  const orders = await sim.orders(k2.key);
  assert.equal(orders.length, 2);
  assert.ok(orders.every((o) => o.status === 'canceled'));

  // Replace the key pair: tested again with the new key; the masked key follows.
  const k3 = await key('kraken');
  const put = await u.put(`/api/v1/exchange-accounts/${id}/keys`, { key: k3.key, secret: k3.secret });
  assert.equal(put.status, 202, put.text);
  assert.equal(put.body.status, 'testing');
  assert.equal(put.body.key, maskOf(k3.key));
  const replaced = await waitTested(u, id);
  assert.equal(replaced.status, 'enabled', replaced.reason);
  assert.equal(replaced.key, maskOf(k3.key));
  assert.equal((await sim.orders(k3.key)).length, 1);
  const badPut = await u.put(`/api/v1/exchange-accounts/${id}/keys`, { key: 'short', secret: k3.secret });
  assert.equal(badPut.status, 400, badPut.text);
  assert.equal(badPut.body.error.field, 'key');

  // Delete: 204, then 404 everywhere.
  const del = await u.del(`/api/v1/exchange-accounts/${id}`);
  assert.equal(del.status, 204, del.text);
  assert.equal(del.text, '');
  assert.equal((await u.get(`/api/v1/exchange-accounts/${id}`)).status, 404);
  assert.equal((await u.del(`/api/v1/exchange-accounts/${id}`)).status, 404);
  const list = await u.get('/api/v1/exchange-accounts');
  assert.equal(list.status, 200);
  assert.deepEqual(list.body.accounts.map((a) => a.name).sort(), [DISPLAY.bitfinex, 'Kraken', 'Kraken #2'].sort());

  // The audit log: who did what from which IP, newest first.
  const audit = await u.get('/api/v1/audit?limit=100');
  assert.equal(audit.status, 200, audit.text);
  const entries = audit.body.entries;
  const actions = entries.map((e) => e.action);
  for (const a of ['key.added', 'key.tested', 'key.renamed', 'key.replaced', 'key.check_requested', 'key.deleted'])
    assert.ok(actions.includes(a), `${a} in ${actions}`);
  for (const e of entries.filter((x) => ['key.added', 'key.renamed', 'key.replaced', 'key.deleted', 'key.check_requested'].includes(x.action)))
    assert.equal(e.ip, '127.0.0.1', JSON.stringify(e));
  const renamed = entries.find((e) => e.action === 'key.renamed');
  assert.equal(renamed.account_id, id);
  assert.deepEqual(renamed.detail, { from: 'Kraken #2', to: 'Main' });
  assert.equal(entries.find((e) => e.action === 'key.deleted').account_id, id);
  assert.ok(entries.filter((e) => e.action === 'key.tested').every((e) => e.detail.outcome));
  assert.ok(entries[0].id > entries[entries.length - 1].id, 'newest first');
  for (let i = 1; i < entries.length; i++) assert.ok(Date.parse(entries[i - 1].at) >= Date.parse(entries[i].at));
  // Only the caller's own entries.
  assert.ok(!entries.some((e) => e.account_id === other.added.id));
  const limited = await u.get('/api/v1/audit?limit=2');
  assert.equal(limited.body.entries.length, 2);
  for (const bad of ['0', '1001', 'x', '-1']) assert.equal((await u.get(`/api/v1/audit?limit=${bad}`)).status, 400, bad);
});

test('events: the caller sees account.created, each key_test.step and account.tested of their account; no one else does', async () => {
  const carol = await newUser(srv.url);
  const [mine, theirs] = await Promise.all([subscribe(srv.url, carol.token), subscribe(srv.url, bob.token)]);
  try {
    assert.match(mine.headers.get('content-type'), /^text\/event-stream/);
    await mine.waitFor((e) => e.event === 'ready');
    await theirs.waitFor((e) => e.event === 'ready');
    const k = await key('binance_futures');
    const r = await carol.post('/api/v1/exchange-accounts', { exchange: 'binance_futures', key: k.key, secret: k.secret });
    assert.equal(r.status, 202);
    const id = r.body.id;
    const tested = await mine.waitFor((e) => e.event === 'account.tested' && e.data.id === id);
    assert.equal(tested.data.status, 'enabled');
    assert.equal(tested.data.key, maskOf(k.key));
    const created = mine.events.find((e) => e.event === 'account.created');
    assert.ok(created, 'account.created');
    assert.equal(created.data.id, id);
    assert.equal(created.data.status, 'testing');
    const steps = mine.events.filter((e) => e.event === 'key_test.step');
    assert.ok(steps.length >= 4, `${steps.length} steps`);
    assert.ok(steps.every((s) => s.data.account_id === id));
    const seen = steps.map((s) => `${s.data.step.name}:${s.data.step.state}`);
    for (const name of ['permissions', 'balances', 'test_order', 'cancel']) {
      assert.ok(seen.includes(`${name}:running`), `${name}:running in ${seen}`);
      assert.ok(seen.includes(`${name}:ok`), `${name}:ok in ${seen}`);
    }
    // In order: created, the steps, tested.
    const order = mine.events.map((e) => e.event).filter((e) => e !== 'ready');
    assert.equal(order[0], 'account.created');
    assert.equal(order.indexOf('account.tested'), order.length - 1);

    // A rename and a delete are streamed too.
    await carol.patch(`/api/v1/exchange-accounts/${id}`, { name: 'Futures' });
    await mine.waitFor((e) => e.event === 'account.updated' && e.data.name === 'Futures');
    assert.equal((await carol.del(`/api/v1/exchange-accounts/${id}`)).status, 204);
    await mine.waitFor((e) => e.event === 'account.deleted' && e.data.id === id);

    // Bob's stream carried none of it.
    assert.deepEqual(theirs.events.map((e) => e.event), ['ready'], JSON.stringify(theirs.events));
    assert.ok(!mine.raw.text.includes(k.secret));
  } finally {
    await mine.close();
    await theirs.close();
  }
  // Events without a session are refused.
  const anon = await fetch(srv.url + '/api/v1/events');
  assert.equal(anon.status, 401);
  await anon.text();
});

test('the portfolio sums the enabled accounts only', async () => {
  const u = await newUser(srv.url);
  const enabled = await Promise.all(VENUES.map(async (v) => (await addAndTest(u, v, await key(v))).account));
  const invalid = (await addAndTest(u, 'kraken', await key('kraken', { withdraw: true }))).account;
  assert.ok(enabled.every((a) => a.status === 'enabled'));
  assert.equal(invalid.status, 'invalid');
  const p = await u.get('/api/v1/portfolio');
  assert.equal(p.status, 200, p.text);
  assert.deepEqual(p.body.accounts.map((a) => a.id).sort(), enabled.map((a) => a.id).sort());
  const sum = p.body.accounts.reduce((s, a) => s + dec(a.usd_total), 0n);
  assert.equal(dec(p.body.usd_total), sum);
  assert.equal(dec(p.body.usd_total), enabled.reduce((s, a) => s + dec(a.usd_total), 0n));
  assert.ok(dec(p.body.usd_total) >= dec('30000'));
  for (const a of p.body.accounts) assert.ok(a.balances.length > 0);
  // Another user's portfolio is untouched by these.
  const empty = await newUser(srv.url);
  const none = await empty.get('/api/v1/portfolio');
  assert.deepEqual(none.body, { usd_total: '0', accounts: [] });
});

// Run once more with TB_E2E_PROCESSES=2 (ctest: e2e_key_flow_two_processes): two serve processes over one
// PostgreSQL database, the requests alternating between them. Each answered its share, and each holds part
// of the work.
test('with several processes, every one answered requests and each knows its own id', { skip: !(Number(process.env.TB_E2E_PROCESSES) > 1) && 'one process' }, async () => {
  const ids = new Set();
  for (const url of srv.urls) {
    const metrics = await (await fetch(`${url}/metrics`)).text();
    const answered = metrics.split('\n').filter((l) => l.startsWith('tradebridge_http_requests_total{'))
      .reduce((sum, l) => sum + Number(l.split(' ').at(-1)), 0);
    assert.ok(answered > 50, `${url} answered ${answered} requests`);
    const health = await (await fetch(`${url}/healthz`)).json();
    assert.equal(health.database.backend, 'postgresql');
    assert.match(health.process.id, /^.+:\d+$/);
    assert.ok(Number.isInteger(health.process.jobs));
    ids.add(health.process.id);
  }
  assert.equal(ids.size, srv.urls.length);
});

test('no answer the tests received carries a secret', () => {
  assert.ok(secrets.length > 20);
  for (const body of seenBodies) for (const s of secrets) assert.ok(!body.includes(s), 'a secret in an API answer');
  const out = srv.output();
  for (const s of secrets) assert.ok(!out.includes(s), 'a secret in the server output');
});
