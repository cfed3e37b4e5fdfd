// ccxt's kraken, unchanged but for its base URLs, against `tradebridge exsim`'s Kraken.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import ccxt from 'ccxt';
import { startExsim } from './exsim.mjs';

let sim;
before(async () => { sim = await startExsim(); });
after(async () => { await sim?.stop(); });

// ccxt throttles itself as it does against Kraken, only faster; it also keeps nonces (ms) increasing.
function kraken(creds = {}, rateLimit = 20) {
  const ex = new ccxt.kraken({ ...creds, enableRateLimit: true, rateLimit });
  ex.urls.api = { ...ex.urls.api, public: sim.url, private: sim.url, zendesk: sim.url };
  return ex;
}

async function newKey({ trade = true, withdraw = false, balances = { USD: '10000' } } = {}) {
  const k = await sim.createKey({
    venue: 'kraken', label: 'ccxt', permissions: { read: true, trade, futures: false, withdraw }, ip_whitelist: [], balances,
  });
  return { apiKey: k.key, secret: k.secret };
}

test('markets, ticker, OHLCV from the public endpoints', async () => {
  const ex = kraken();
  const markets = await ex.loadMarkets();
  for (const s of ['BTC/USD', 'ETH/USD', 'SOL/USD', 'XRP/USD']) assert.ok(markets[s], s);
  const btc = markets['BTC/USD'];
  assert.equal(btc.id, 'XXBTZUSD');
  assert.equal(btc.info.altname, 'XBTUSD');
  assert.equal(btc.precision.price, 0.1);
  assert.equal(btc.precision.amount, 1e-8);
  assert.equal(btc.limits.amount.min, 0.00005);
  assert.equal(btc.limits.cost.min, 0.5);
  assert.equal(btc.taker, 0.0026);
  assert.equal(btc.active, true);

  await sim.setPrice('kraken', 'XXBTZUSD', '61234.5');
  const t = await ex.fetchTicker('BTC/USD');
  assert.equal(t.symbol, 'BTC/USD');
  assert.equal(t.last, 61234.5);
  assert.ok(t.bid < t.last && t.ask > t.last);

  const candles = await ex.fetchOHLCV('BTC/USD', '1m', undefined, 10);
  assert.equal(candles.length, 10);
  for (let i = 1; i < candles.length; i++) assert.equal(candles[i][0] - candles[i - 1][0], 60000);
  for (const [, o, h, l, c, v] of candles) {
    assert.ok(l <= o && l <= c && h >= o && h >= c, 'low <= open/close <= high');
    assert.ok(v >= 0);
  }
  const time = await ex.fetchTime();
  assert.ok(Math.abs(time - Date.now()) < 5000);
});

test('balance, limit order fetched, listed and cancelled; a market order fills', async () => {
  const creds = await newKey();
  const ex = kraken(creds);
  await ex.loadMarkets();
  let bal = await ex.fetchBalance();
  assert.equal(bal.USD.total, 10000);
  assert.equal(bal.USD.free, 10000);

  await sim.setPrice('kraken', 'XXBTZUSD', '60000.0');
  const price = 42000;  // 30% under the market: rests
  const created = await ex.createOrder('BTC/USD', 'limit', 'buy', 0.001, price, { clientOrderId: 'ccxt-kraken-1' });
  assert.match(created.id, /^O[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{6}$/);
  assert.equal(created.symbol, 'BTC/USD');
  assert.equal(created.side, 'buy');
  assert.equal(created.type, 'limit');
  assert.equal(created.amount, 0.001);
  assert.equal(created.price, price);

  const fetched = await ex.fetchOrder(created.id);
  assert.equal(fetched.id, created.id);
  assert.equal(fetched.status, 'open');
  assert.equal(fetched.clientOrderId, 'ccxt-kraken-1');
  assert.equal(fetched.price, price);
  assert.equal(fetched.filled, 0);

  const open = await ex.fetchOpenOrders('BTC/USD');
  assert.deepEqual(open.map((o) => o.id), [created.id]);
  bal = await ex.fetchBalance();
  assert.ok(bal.USD.used > 0, 'the resting buy holds USD');

  await ex.cancelOrder(created.id);
  const cancelled = await ex.fetchOrder(created.id);
  assert.equal(cancelled.status, 'canceled');
  assert.deepEqual(await ex.fetchOpenOrders(), []);

  await sim.setPrice('kraken', 'XXBTZUSD', '60000.0');  // the walk may have stepped since
  const market = await ex.createOrder('BTC/USD', 'market', 'buy', 0.01);
  const filled = await ex.fetchOrder(market.id);
  assert.equal(filled.status, 'closed');
  assert.equal(filled.filled, 0.01);
  assert.equal(filled.average, 60000);
  bal = await ex.fetchBalance();
  assert.equal(bal.BTC.total, 0.01);
  assert.ok(Math.abs(bal.USD.total - 9398.44) < 1e-6, `USD ${bal.USD.total}`);  // 600 + Kraken's 0.26% taker fee

  const orders = await sim.orders(creds.apiKey);
  assert.deepEqual(orders.map((o) => o.status), ['canceled', 'filled']);
  assert.equal(orders[0].client_order_id, 'ccxt-kraken-1');
});

test('errors ccxt must classify', async () => {
  const good = await newKey();
  const other = await newKey();
  const wrongSecret = kraken({ apiKey: good.apiKey, secret: other.secret });
  await assert.rejects(wrongSecret.fetchBalance(), ccxt.AuthenticationError);

  const readOnly = kraken(await newKey({ trade: false }));
  await assert.rejects(readOnly.createOrder('BTC/USD', 'limit', 'buy', 0.001, 42000), ccxt.PermissionDenied);

  const poor = kraken(await newKey({ balances: { USD: '5' } }));
  await assert.rejects(poor.createOrder('BTC/USD', 'limit', 'buy', 0.01, 42000), ccxt.InsufficientFunds);

  const ex = kraken(good);
  await assert.rejects(ex.cancelOrder('OU22CG-KLAF2-FWUDD7'), ccxt.OrderNotFound);
  await assert.rejects(ex.fetchOrder('OU22CG-KLAF2-FWUDD7'), ccxt.OrderNotFound);

  // An injected rate-limit answer, then the real per-key counter (Starter: 15, falling 0.33/s).
  await sim.addFault({ venue: 'kraken', endpoint: 'BalanceEx', kind: 'rate_limit', count: 1 });
  await assert.rejects(ex.fetchBalance(), ccxt.DDoSProtection);
  const hasty = kraken(await newKey(), 2);
  await hasty.loadMarkets();
  await assert.rejects(async () => {
    for (let i = 0; i < 30; i++) await hasty.fetchBalance();
  }, ccxt.DDoSProtection);
});
