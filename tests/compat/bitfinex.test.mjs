// ccxt's bitfinex, unchanged but for its base URLs, against `tradebridge exsim`'s Bitfinex (/v2/...).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import ccxt from 'ccxt';
import { startExsim } from './exsim.mjs';

let sim;
before(async () => { sim = await startExsim(); });
after(async () => { await sim?.stop(); });

// ccxt throttles itself as against Bitfinex, only faster; its nonces are milliseconds, so two private
// calls on one key must not leave in the same millisecond (the throttle keeps them apart).
function bitfinex(creds = {}, rateLimit = 20) {
  const ex = new ccxt.bitfinex({ ...creds, enableRateLimit: true, rateLimit });
  ex.urls.api = { ...ex.urls.api, v1: sim.url, public: sim.url, private: sim.url };
  return ex;
}

async function newKey({ read = true, trade = true, withdraw = false, balances = { USD: '10000' } } = {}) {
  const k = await sim.createKey({
    venue: 'bitfinex', label: 'ccxt', permissions: { read, trade, futures: false, withdraw }, ip_whitelist: [], balances,
  });
  return { apiKey: k.key, secret: k.secret };
}

test('markets, ticker, OHLCV from the public endpoints', async () => {
  const ex = bitfinex();
  const markets = await ex.loadMarkets();
  for (const s of ['BTC/USD', 'ETH/USD', 'SOL/USD', 'XRP/USD']) assert.ok(markets[s], s);
  const btc = markets['BTC/USD'];
  assert.equal(btc.id, 'tBTCUSD');
  assert.equal(btc.spot, true);
  assert.equal(btc.limits.amount.min, 0.00004);
  assert.equal(btc.limits.amount.max, 2000);
  assert.ok(ex.currencies.USD && ex.currencies.BTC);

  await sim.setPrice('bitfinex', 'tBTCUSD', '61234');
  const t = await ex.fetchTicker('BTC/USD');
  assert.equal(t.symbol, 'BTC/USD');
  assert.equal(t.last, 61234);
  assert.ok(t.high >= t.low);

  const candles = await ex.fetchOHLCV('BTC/USD', '1m', undefined, 10);
  assert.equal(candles.length, 10);
  for (let i = 1; i < candles.length; i++) assert.equal(candles[i][0] - candles[i - 1][0], 60000);
  for (const [, o, h, l, c, v] of candles) {
    assert.ok(l <= o && l <= c && h >= o && h >= c, 'low <= open/close <= high');
    assert.ok(v >= 0);
  }
  const since = candles[2][0];
  const later = await ex.fetchOHLCV('BTC/USD', '1m', since, 3);
  assert.deepEqual(later.map((c) => c[0]), [since, since + 60000, since + 120000]);

  const status = await ex.fetchStatus();
  assert.equal(status.status, 'ok');
});

test('balance, limit order fetched, listed and cancelled; a market order fills', async () => {
  const creds = await newKey();
  const ex = bitfinex(creds);
  await ex.loadMarkets();
  let bal = await ex.fetchBalance();
  assert.equal(bal.USD.total, 10000);
  assert.equal(bal.USD.free, 10000);

  await sim.setPrice('bitfinex', 'tBTCUSD', '60000');
  const price = 42000;  // 30% under the market: rests
  const created = await ex.createOrder('BTC/USD', 'limit', 'buy', 0.001, price, { clientOrderId: 4242 });
  assert.match(created.id, /^[0-9]+$/);
  assert.equal(created.symbol, 'BTC/USD');
  assert.equal(created.side, 'buy');
  assert.equal(created.type, 'limit');
  assert.equal(created.amount, 0.001);
  assert.equal(created.price, price);
  assert.equal(created.status, 'open');
  assert.equal(created.clientOrderId, '4242');

  const fetched = await ex.fetchOrder(created.id);
  assert.equal(fetched.id, created.id);
  assert.equal(fetched.status, 'open');
  assert.equal(fetched.remaining, 0.001);

  bal = await ex.fetchBalance();
  assert.equal(bal.USD.total, 10000);
  assert.ok(bal.USD.free < 10000, 'funds reserved by the open order');

  let open = await ex.fetchOpenOrders('BTC/USD');
  assert.deepEqual(open.map((o) => o.id), [created.id]);
  open = await ex.fetchOpenOrders();
  assert.equal(open.length, 1);

  const canceled = await ex.cancelOrder(created.id);
  assert.equal(canceled.id, created.id);
  open = await ex.fetchOpenOrders();
  assert.equal(open.length, 0);
  const closed = await ex.fetchClosedOrders('BTC/USD');
  assert.equal(closed[0].id, created.id);
  assert.equal(closed[0].status, 'canceled');
  const [order] = (await sim.orders(creds.apiKey)).filter((o) => String(o.id) === created.id);
  assert.equal(order.status, 'canceled');

  await sim.setPrice('bitfinex', 'tBTCUSD', '60000');  // the walk may have stepped since
  const filled = await ex.createOrder('BTC/USD', 'market', 'buy', 0.01);
  assert.equal(filled.status, 'closed');
  assert.equal(filled.average, 60000);
  bal = await ex.fetchBalance();
  assert.equal(bal.BTC.total, 0.01);
  assert.equal(bal.USD.total, 9398.8);  // 600 paid, plus the 0.2 % taker fee
});

test('errors ccxt must classify', async () => {
  await sim.setPrice('bitfinex', 'tBTCUSD', '60000');
  const good = await newKey();

  const wrong = bitfinex({ apiKey: good.apiKey, secret: good.secret.replace(/^./, (c) => (c === 'a' ? 'b' : 'a')) });
  await wrong.loadMarkets();
  await assert.rejects(wrong.fetchBalance(), ccxt.AuthenticationError);

  const readOnly = bitfinex(await newKey({ trade: false }));
  await readOnly.loadMarkets();
  await assert.rejects(readOnly.createOrder('BTC/USD', 'limit', 'buy', 0.001, 42000), ccxt.PermissionDenied);

  const poor = bitfinex(await newKey({ balances: { USD: '10' } }));
  await poor.loadMarkets();
  await assert.rejects(poor.createOrder('BTC/USD', 'limit', 'buy', 0.01, 42000), ccxt.InsufficientFunds);

  const ex = bitfinex(good);
  await ex.loadMarkets();
  await assert.rejects(ex.cancelOrder('123456789'), ccxt.OrderNotFound);

  await sim.addFault({ venue: 'bitfinex', endpoint: 'ticker', kind: 'rate_limit', count: 1 });
  await assert.rejects(ex.fetchTicker('BTC/USD'), (e) => e instanceof ccxt.RateLimitExceeded || e instanceof ccxt.DDoSProtection);
  const t = await ex.fetchTicker('BTC/USD');  // the fault was for one request
  assert.equal(t.last, 60000);
});
