// ccxt's binanceusdm, unchanged but for its base URLs, against a started `tradebridge exsim`: the markets,
// ticker, candles and balance; a limit order's whole life; a market order that fills; and the errors ccxt
// must classify from the simulated venue's real codes and statuses.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import ccxt from 'ccxt';
import { startExsim } from './exsim.mjs';

const VENUE = 'binance_futures';
const SYMBOL = 'BTC/USDT:USDT';
let sim;
let keys;

// Every API URL ccxt knows for the venue (fapi and the spot host's sapi) re-pointed at the simulator.
// ccxt picks its USD-M error table (where -2019 "Margin is insufficient." is InsufficientFunds) by the
// host name https://fapi.binance.com; on the simulator's URL it would fall back to the common table, so
// the same choice is made here by path, as ccxt makes it for the real host.
function client({ key, secret }) {
  const ex = new ccxt.binanceusdm({ apiKey: key, secret, enableRateLimit: false });
  for (const [name, value] of Object.entries(ex.urls.api)) {
    if (typeof value === 'string' && value.startsWith('https://')) ex.urls.api[name] = sim.url + new URL(value).pathname;
  }
  const byUrl = ex.getExceptionsByUrl.bind(ex);
  ex.getExceptionsByUrl = (url, kind) =>
    url !== undefined && url.startsWith(sim.url + '/fapi/') ? ex.safeDict(ex.exceptions.linear, kind, {}) : byUrl(url, kind);
  return ex;
}

// The simulated price walks on from the price set, a little each minute.
const near = (actual, expected) => assert.ok(Math.abs(actual - expected) / expected < 0.01, `${actual} is near ${expected}`);

const perms = (p) => ({ read: true, trade: false, futures: false, withdraw: false, ...p });

before(async () => {
  sim = await startExsim();
  keys = {
    trader: await sim.createKey({ venue: VENUE, label: 'trader', permissions: perms({ trade: true, futures: true }), ip_whitelist: [], balances: { USDT: '10000' } }),
    reader: await sim.createKey({ venue: VENUE, label: 'reader', permissions: perms({ futures: true }), ip_whitelist: [], balances: { USDT: '10000' } }),
    hedger: await sim.createKey({ venue: VENUE, label: 'hedger', permissions: perms({ trade: true, futures: true }), ip_whitelist: [], balances: { USDT: '10000' } }),
    poor: await sim.createKey({ venue: VENUE, label: 'poor', permissions: perms({ trade: true, futures: true }), ip_whitelist: [], balances: { USDT: '10' } }),
  };
  await sim.setPrice(VENUE, 'BTCUSDT', '60000');
});

after(async () => { if (sim) await sim.stop(); });

test('markets, ticker, OHLCV and balance', async () => {
  const ex = client(keys.trader);
  const markets = await ex.loadMarkets();
  const btc = markets[SYMBOL];
  assert.ok(btc, 'BTC/USDT:USDT is listed');
  assert.equal(btc.id, 'BTCUSDT');
  assert.equal(btc.swap, true);
  assert.equal(btc.linear, true);
  assert.equal(btc.settle, 'USDT');
  assert.equal(btc.precision.price, 0.1);
  assert.equal(btc.precision.amount, 0.001);
  assert.equal(btc.limits.amount.min, 0.001);
  assert.equal(btc.limits.cost.min, 100);
  for (const s of ['ETH/USDT:USDT', 'SOL/USDT:USDT', 'XRP/USDT:USDT']) assert.ok(markets[s], s);

  const ticker = await ex.fetchTicker(SYMBOL);
  assert.equal(ticker.symbol, SYMBOL);
  near(ticker.last, 60000);

  const candles = await ex.fetchOHLCV(SYMBOL, '1m', undefined, 5);
  assert.equal(candles.length, 5);
  for (const [t, o, h, l, c, v] of candles) {
    assert.equal(t % 60000, 0);
    assert.ok(h >= Math.max(o, c) && l <= Math.min(o, c) && v >= 0);
  }

  const balance = await ex.fetchBalance();
  assert.equal(balance.USDT.free, 10000);
  assert.equal(balance.USDT.total, 10000);
  assert.equal(balance.USDT.used, 0);
});

test('limit order: create, fetch, list open, cancel', async () => {
  const ex = client(keys.trader);
  const created = await ex.createOrder(SYMBOL, 'limit', 'buy', 0.01, 30000);
  assert.ok(created.id);
  assert.equal(created.status, 'open');
  assert.equal(created.price, 30000);
  assert.equal(created.amount, 0.01);

  const fetched = await ex.fetchOrder(created.id, SYMBOL);
  assert.equal(fetched.id, created.id);
  assert.equal(fetched.status, 'open');
  assert.equal(fetched.clientOrderId, created.clientOrderId);

  const open = await ex.fetchOpenOrders(SYMBOL);
  assert.deepEqual(open.map((o) => o.id), [created.id]);

  const canceled = await ex.cancelOrder(created.id, SYMBOL);
  assert.equal(canceled.status, 'canceled');
  assert.deepEqual(await ex.fetchOpenOrders(SYMBOL), []);
  const recorded = await sim.orders(keys.trader.key);
  assert.ok(recorded.some((o) => String(o.id) === created.id), 'the simulator recorded the order');
});

test('market order fills and changes the balance', async () => {
  const ex = client(keys.trader);
  const before = await ex.fetchBalance();
  const order = await ex.createOrder(SYMBOL, 'market', 'buy', 0.01);
  assert.equal(order.status, 'closed');
  assert.equal(order.filled, 0.01);
  near(order.average, 60000);
  const afterwards = await ex.fetchBalance();
  assert.ok(afterwards.USDT.free < before.USDT.free, 'margin and fee leave the free balance');
  assert.ok(afterwards.USDT.used > 0, 'the position holds margin');
  const trades = await ex.fetchMyTrades(SYMBOL);
  const trade = trades.find((t) => t.order === order.id);
  assert.ok(trade, 'the fill is listed among the trades');
  assert.equal(trade.amount, 0.01);
  assert.equal(trade.fee.currency, 'USDT');
  const positions = await ex.fetchPositions([SYMBOL]);
  const btc = positions.find((p) => p.symbol === SYMBOL && p.contracts > 0);
  assert.ok(btc, 'a long BTC position');
  assert.equal(btc.side, 'long');
});

// Issue 16: in hedge mode the simulator keeps a symbol's LONG and SHORT positions apart, as ccxt reads them.
test('hedge mode: LONG and SHORT positions kept apart and closed by their side', async () => {
  const ex = client(keys.hedger);
  await ex.loadMarkets();
  await ex.setPositionMode(true);
  assert.equal((await ex.fetchPositionMode(SYMBOL)).hedged, true);
  await ex.createOrder(SYMBOL, 'market', 'buy', 0.01, undefined, { positionSide: 'LONG' });
  await ex.createOrder(SYMBOL, 'market', 'sell', 0.004, undefined, { positionSide: 'SHORT' });
  let open = (await ex.fetchPositions([SYMBOL])).filter((p) => p.contracts > 0);
  assert.deepEqual(open.map((p) => [p.side, p.contracts]).sort(), [['long', 0.01], ['short', 0.004]]);
  for (const p of open) assert.equal(p.hedged, true);
  await ex.createOrder(SYMBOL, 'market', 'sell', 0.01, undefined, { positionSide: 'LONG' });
  open = (await ex.fetchPositions([SYMBOL])).filter((p) => p.contracts > 0);
  assert.deepEqual(open.map((p) => [p.side, p.contracts]), [['short', 0.004]]);
  // Closing more than the LONG holds is refused (-2022), the SHORT notwithstanding.
  await assert.rejects(ex.createOrder(SYMBOL, 'market', 'sell', 0.002, undefined, { positionSide: 'LONG' }), ccxt.InvalidOrder);
  await ex.createOrder(SYMBOL, 'market', 'buy', 0.004, undefined, { positionSide: 'SHORT' });
  assert.deepEqual((await ex.fetchPositions([SYMBOL])).filter((p) => p.contracts > 0), []);
});

// Issue 13: a partial fill on demand, and each fill's fee as ccxt reads it from userTrades by orderId.
test('partial fill on demand; each fill with its fee, equal to the simulator\'s', async () => {
  const ex = client(keys.trader);
  const order = await ex.createOrder(SYMBOL, 'limit', 'buy', 0.01, 50000);
  await sim.fill({ venue: VENUE, order_id: Number(order.id), amount: '0.004' });
  const part = await ex.fetchOrder(order.id, SYMBOL);
  assert.equal(part.status, 'open');
  assert.equal(part.filled, 0.004);
  assert.equal(part.remaining, 0.006);
  await sim.fill({ venue: VENUE, client_order_id: order.clientOrderId, amount: '0.006' });
  assert.equal((await ex.fetchOrder(order.id, SYMBOL)).status, 'closed');
  const trades = await ex.fetchMyTrades(SYMBOL, undefined, undefined, { orderId: order.id });
  assert.deepEqual(trades.map((t) => [t.order, t.amount, t.price, t.takerOrMaker, t.fee.currency]),
    [[order.id, 0.004, 50000, 'maker', 'USDT'], [order.id, 0.006, 50000, 'maker', 'USDT']]);
  const simulated = (await sim.orders(keys.trader.key)).find((o) => String(o.id) === order.id);
  assert.equal(simulated.fee, '0.1');  // 500 * 0.0002
  assert.equal(trades.reduce((sum, t) => sum + t.fee.cost, 0).toFixed(8), Number(simulated.fee).toFixed(8));
});

test('wrong secret is AuthenticationError', async () => {
  const ex = client({ key: keys.trader.key, secret: 'x'.repeat(64) });
  await assert.rejects(ex.fetchBalance(), ccxt.AuthenticationError);
});

test('missing trade permission is PermissionDenied', async () => {
  const ex = client(keys.reader);
  await ex.fetchBalance();  // reading is allowed
  await assert.rejects(ex.createOrder(SYMBOL, 'limit', 'buy', 0.01, 30000), ccxt.PermissionDenied);
});

test('too little balance is InsufficientFunds', async () => {
  const ex = client(keys.poor);
  await assert.rejects(ex.createOrder(SYMBOL, 'limit', 'buy', 1, 30000), ccxt.InsufficientFunds);
});

test('cancelling an unknown order is OrderNotFound', async () => {
  const ex = client(keys.trader);
  await assert.rejects(ex.cancelOrder('987654321', SYMBOL), ccxt.OrderNotFound);
});

test('rate limit is RateLimitExceeded or DDoSProtection', async () => {
  const ex = client(keys.trader);
  await ex.loadMarkets();
  await sim.addFault({ venue: VENUE, endpoint: 'ticker/24hr', kind: 'rate_limit', count: 1 });
  // RateLimitExceeded is a DDoSProtection in ccxt's hierarchy; a 429 is classified before the body is read.
  await assert.rejects(ex.fetchTicker(SYMBOL), ccxt.DDoSProtection);
  near((await ex.fetchTicker(SYMBOL)).last, 60000);
});
