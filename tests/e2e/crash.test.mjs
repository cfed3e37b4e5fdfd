// Crash safety: `serve` killed with SIGKILL while many key additions are in flight loses no account whose 202
// was sent; after a restart on the same data directory every interrupted key test runs again to the end and
// every stored secret still decrypts (`tradebridge keys verify`), and a test order placed just before the
// crash is found by its client order id and cancelled.
import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  CANCEL_ENDPOINT, sleep, startExsim, startServe, newUser, keySpec, waitFor, tempDir, removeDir, runTb, maskOf, haveSqlite3, sqlite, join, FINAL,
} from './lib.mjs';

const cleanup = [];
after(async () => { for (const f of cleanup.reverse()) await f(); });

// Adds n keys of `venues` (round robin) in two waves and kills the server during the second; restarts it and
// checks what survived: every answered account, each key pair once, every test finished, keys verify. Returns
// the accounts not enabled and the test orders left open, for the tests below to judge. Each scenario has its
// own simulator, server and data directory.
// holdOrdersOpen: every cancel fails (HTTP 500) until the restart, and the server is killed only once the
// first wave's test orders are open on the exchange: each of those tests is cut between create and cancel.
async function crashScenario(venues, n, { holdOrdersOpen = false } = {}) {
  const dir = tempDir('crash');
  // Every venue call takes 100 ms: the key tests are still running when the server is killed.
  const sim = await startExsim(['--latency-ms', '100']);
  let srv = await startServe({ dataDir: dir, exsimUrl: sim.url });
  cleanup.push(async () => { await srv.stop(); await sim.stop(); removeDir(dir); });
  const venueOf = (i) => venues[i % venues.length];
  const user = await newUser(srv.url);
  const keys = await Promise.all(Array.from({ length: n }, (_, i) => sim.createKey(keySpec(venueOf(i)))));
  const byMask = new Map(keys.map((k, i) => [`${venueOf(i)} ${maskOf(k.key)}`, k]));
  assert.equal(byMask.size, n);

  // Two waves. The first half is added at once; while their key tests are half-way (some test orders are
  // placed and not yet cancelled), the second half follows in bursts of 10 every 10 ms, and the server dies
  // as soon as a third of those were answered, with the rest in flight or still to come.
  const answered = [];
  let killed;
  const half = n / 2;
  const killAt = Math.floor((n - half) / 3);
  let secondWaveAnswered = 0;
  const send = async (k, i) => {
    if (killed) return { i, error: 'not sent: the server was killed' };
    try {
      const r = await fetch(srv.url + '/api/v1/exchange-accounts', {
        method: 'POST',
        headers: { Authorization: `Bearer ${user.token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ exchange: venueOf(i), key: k.key, secret: k.secret }),
      });
      const text = await r.text();
      if (r.status !== 202) return { i, status: r.status, text };
      answered.push({ i, id: JSON.parse(text).id, key: k });
      if (i >= half && ++secondWaveAnswered === killAt) killed = srv.kill();
      return { i, status: 202 };
    } catch (e) {
      return { i, error: String(e.cause?.code || e.message) };
    }
  };
  if (holdOrdersOpen) for (const v of venues) await sim.addFault({ venue: v, endpoint: CANCEL_ENDPOINT[v], kind: 'http_500', count: 100000 });
  const first = await Promise.all(keys.slice(0, half).map((k, i) => send(k, i)));
  assert.ok(first.every((r) => r.status === 202), JSON.stringify(first.filter((r) => r.status !== 202)));
  if (holdOrdersOpen) {
    await waitFor(async () => {
      const open = await Promise.all(keys.slice(0, half).map(async (k) => (await sim.orders(k.key)).some((o) => o.status === 'open')));
      return open.every(Boolean);
    }, { ms: 15000, every: 50, what: 'the first wave\'s test orders to be open' });
  } else {
    await sleep(450);
  }
  const second = await Promise.all(keys.slice(half).map(async (k, j) => {
    await sleep(Math.floor(j / 10) * 10);
    return send(k, half + j);
  }));
  const results = [...first, ...second];
  const exit = await killed;
  assert.equal(exit.signal, 'SIGKILL');
  assert.deepEqual(results.filter((r) => r.status && r.status !== 202), [], 'no request was refused before the crash');
  const lost = results.filter((r) => r.error && !r.error.startsWith('not sent')).length;
  const unsent = results.filter((r) => r.error?.startsWith('not sent')).length;
  console.log(`# ${venues.join('+')}: ${answered.length} answered 202, ${lost} cut off by the crash, ${unsent} not sent`);
  assert.ok(answered.length >= half + killAt);
  if (holdOrdersOpen) await sim.clearFaults();

  // Restart on the same data directory.
  srv = await startServe({ dataDir: dir, exsimUrl: sim.url });
  user.base = srv.url;
  const list = async () => {
    const r = await user.get('/api/v1/exchange-accounts');
    assert.equal(r.status, 200, r.text);
    return r.body.accounts;
  };
  const stored = await list();
  const ids = new Set(stored.map((a) => a.id));
  for (const a of answered) assert.ok(ids.has(a.id), `account ${a.id} was answered 202 and is gone`);
  // Every stored account is one of the keys sent, once, with its key.
  const seen = new Set();
  for (const a of stored) {
    const tag = `${a.exchange} ${a.key}`;
    assert.ok(byMask.has(tag), `account ${a.id} (${tag}) matches no key that was sent`);
    assert.ok(!seen.has(tag), `account for ${tag} stored twice`);
    seen.add(tag);
  }
  for (const a of answered) assert.equal(stored.find((x) => x.id === a.id).key, maskOf(a.key.key));

  // The key tests the crash interrupted run again at once (the dead server's jobs are taken over, not left
  // to their 5-minute lease) and end enabled: every key is good.
  // Judged once no test order is pending either: a key can end enabled while its order's cancel waits for
  // the venue's limits, and the background cancels it then.
  const settled = await waitFor(async () => {
    const all = await list();
    return all.every((a) => FINAL.has(a.status) && a.pending_orders.length === 0) ? all : null;
  }, { ms: 90000, every: 250, what: 'every account to finish its key test after the restart, its test order settled' });
  const notEnabled = settled.filter((a) => a.status !== 'enabled').map((a) => `${a.id} ${a.exchange}: ${a.status} ${a.reason}`);
  const open = [];
  for (const a of settled) {
    const orders = await sim.orders(byMask.get(`${a.exchange} ${a.key}`).key);
    if (orders.some((o) => o.status === 'open')) open.push(`${a.id} ${a.exchange}: ${orders.map((o) => `${o.client_order_id}:${o.status}`)}`);
  }

  await srv.stop();
  const verify = runTb(['keys', 'verify', '--data-dir', dir]);
  assert.equal(verify.code, 0, verify.stdout + verify.stderr);
  assert.equal(verify.json.ok, true);
  assert.deepEqual(verify.json.problems, []);
  assert.equal(verify.json.checked, settled.length, 'every account kept its key pair');
  if (haveSqlite3()) {
    const rows = Number(sqlite(join(dir, 'tradebridge.db'), 'SELECT COUNT(DISTINCT account_id) FROM account_secrets;').trim());
    assert.equal(verify.json.checked, rows);
  }
  return { notEnabled, open };
}

const once = (f) => { let p; return () => (p ??= f()); };
const spotAndFutures = once(() => crashScenario(['binance_futures', 'bitfinex'], 60));
const cutOrders = once(() => crashScenario(['bitfinex'], 12, { holdOrdersOpen: true }));
const kraken = once(() => crashScenario(['kraken'], 30));

describe('crash safety', { concurrency: true }, () => {
  test('binance_futures and bitfinex: SIGKILL during 60 concurrent key additions loses no answered account; after a restart every test ends enabled',
    async () => {
      const { notEnabled } = await spotAndFutures();
      assert.deepEqual(notEnabled, []);
    });

  test('bitfinex: tests cut between their test order and its cancel run again after a restart and end enabled', async () => {
    const { notEnabled } = await cutOrders();
    assert.deepEqual(notEnabled, []);
  });

  // A test cut by the crash between its create and its cancel recorded its order first: the re-run finds it
  // by our client order id and cancels it before testing again.
  test('bitfinex: a test order placed before the crash is cancelled after the restart',
    async () => {
      const { open } = await cutOrders();
      assert.deepEqual(open, [], 'test orders left open on the exchange after the restart');
    });

  // Kraken counts public calls per IP and sends no usage headers; the connector's counter starts at zero in a
  // restarted server, so the resumed tests must not burst into Kraken's limit (markets and tickers are shared
  // by concurrent key tests since 986f56d: before that, this test ended with many tests exchange_unavailable).
  test('kraken: SIGKILL during 30 concurrent key additions loses no answered account; after a restart every test ends enabled',
    async () => {
      const { notEnabled } = await kraken();
      assert.deepEqual(notEnabled, []);
    });
});
