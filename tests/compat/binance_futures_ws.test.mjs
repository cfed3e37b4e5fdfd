// Binance USD-M's WebSocket API on `tradebridge exsim`, with ccxt's own WebSocket client (ccxt.pro's
// binanceusdm: createOrderWs, fetchOrderWs, cancelOrderWs) unchanged but for its URLs, checked against what
// the REST API and the simulator's own books say; then a raw client showing what ccxt does not: several
// keys' signed requests on one connection, and the answers to requests the venue refuses.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import ccxt from 'ccxt';
import WebSocket from 'ws';
import { startExsim } from './exsim.mjs';

const VENUE = 'binance_futures';
const SYMBOL = 'BTC/USDT:USDT';
let sim;
let keys;

// Every URL re-pointed at the simulator; ccxt loads its agent for plain ws:// once, before the first use.
async function client({ key, secret }) {
  const ex = new ccxt.pro.binanceusdm({ apiKey: key, secret, enableRateLimit: false });
  for (const [name, value] of Object.entries(ex.urls.api)) {
    if (typeof value === 'string' && value.startsWith('https://')) ex.urls.api[name] = sim.url + new URL(value).pathname;
  }
  ex.urls.api.ws['ws-api'].future = sim.url.replace('http://', 'ws://') + '/ws-fapi/v1';
  await ex.loadHttpProxyAgent();
  await ex.loadMarkets();
  return ex;
}

const perms = (p) => ({ read: true, trade: false, futures: false, withdraw: false, ...p });

before(async () => {
  sim = await startExsim();
  const spec = (label, p, usdt = '10000') => ({ venue: VENUE, label, permissions: perms(p), ip_whitelist: [], balances: { USDT: usdt } });
  keys = {
    trader: await sim.createKey(spec('trader', { trade: true, futures: true })),
    second: await sim.createKey(spec('second', { trade: true, futures: true })),
    reader: await sim.createKey(spec('reader', { futures: true })),
  };
  await sim.setPrice(VENUE, 'BTCUSDT', '60000');
});

after(async () => { if (sim) await sim.stop(); });

test('ccxt: a limit order placed, read and cancelled over the WebSocket API, as REST sees it', async () => {
  const ex = await client(keys.trader);
  try {
    const placed = await ex.createOrderWs(SYMBOL, 'limit', 'buy', 0.01, 50000, { clientOrderId: 'ws-limit-1' });
    assert.equal(placed.status, 'open');
    assert.equal(placed.clientOrderId, 'ws-limit-1');
    assert.equal(placed.price, 50000);
    assert.equal(placed.amount, 0.01);
    const viaRest = await ex.fetchOrder(placed.id, SYMBOL);
    assert.equal(viaRest.clientOrderId, 'ws-limit-1');
    assert.equal(viaRest.status, 'open');
    const viaWs = await ex.fetchOrderWs(placed.id, SYMBOL);
    assert.equal(viaWs.id, placed.id);
    assert.equal(viaWs.status, 'open');
    const cancelled = await ex.cancelOrderWs(placed.id, SYMBOL);
    assert.equal(cancelled.status, 'canceled');
    assert.equal((await ex.fetchOrder(placed.id, SYMBOL)).status, 'canceled');
  } finally {
    await ex.close();
  }
});

test('ccxt: a market order over the WebSocket API fills and moves the position', async () => {
  const ex = await client(keys.trader);
  try {
    const filled = await ex.createOrderWs(SYMBOL, 'market', 'sell', 0.002, undefined, { newOrderRespType: 'RESULT' });
    assert.equal(filled.status, 'closed');
    assert.equal(filled.filled, 0.002);
    const [position] = (await ex.fetchPositions([SYMBOL])).filter((p) => p.contracts > 0);
    assert.equal(position.side, 'short');
    assert.equal(position.contracts, 0.002);
    const mine = (await sim.orders(keys.trader.key)).filter((o) => o.symbol === 'BTCUSDT' && o.type === 'market');
    assert.equal(mine.length, 1, 'one order on the simulator for one request');
  } finally {
    await ex.close();
  }
});

// One request signed as the venue asks: every param but the signature, sorted by name, as `k=v&...`.
function signed(id, method, params, { key, secret }) {
  const all = { ...params, apiKey: key, timestamp: Date.now() };
  const payload = Object.keys(all).sort().map((k) => `${k}=${all[k]}`).join('&');
  return JSON.stringify({ id, method, params: { ...all, signature: createHmac('sha256', secret).update(payload).digest('hex') } });
}

test('raw: two keys on one connection, answered by id; refusals in the venue\'s shape', async () => {
  const socket = new WebSocket(sim.url.replace('http://', 'ws://') + '/ws-fapi/v1');
  await new Promise((resolve, reject) => { socket.once('open', resolve); socket.once('error', reject); });
  const answers = new Map();
  socket.on('message', (data) => { const a = JSON.parse(data); answers.set(a.id, a); });
  const order = (clientId) => ({ symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.01', price: '40000', newClientOrderId: clientId });
  socket.send(signed('a', 'order.place', order('raw-a'), keys.trader));
  socket.send(signed(7, 'order.place', order('raw-b'), keys.second));
  socket.send(signed('reader', 'order.place', order('raw-c'), keys.reader));
  socket.send(signed('forged', 'order.place', order('raw-d'), { key: keys.trader.key, secret: keys.second.secret }));
  socket.send(JSON.stringify({ id: 'no-such', method: 'order.teleport', params: {} }));
  socket.send('not json');
  const deadline = Date.now() + 10000;
  while (answers.size < 6 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  socket.close();

  assert.equal(answers.get('a').status, 200);
  assert.equal(answers.get('a').result.clientOrderId, 'raw-a');
  assert.equal(answers.get(7).status, 200, 'a numeric id is echoed as a number');
  assert.equal(answers.get(7).result.clientOrderId, 'raw-b');
  const counts = answers.get('a').rateLimits.map((l) => `${l.rateLimitType}/${l.interval}/${l.intervalNum}`);
  assert.deepEqual(counts, ['REQUEST_WEIGHT/MINUTE/1', 'ORDERS/SECOND/10', 'ORDERS/MINUTE/1']);
  assert.deepEqual((await sim.orders(keys.trader.key)).filter((o) => o.client_order_id === 'raw-a').length, 1);
  assert.deepEqual((await sim.orders(keys.second.key)).filter((o) => o.client_order_id === 'raw-b').length, 1);

  assert.equal(answers.get('reader').status, 401);
  assert.equal(answers.get('reader').error.code, -1002, 'a key without the trading right cannot trade');
  assert.equal(answers.get('forged').status, 400);
  assert.equal(answers.get('forged').error.code, -1022, 'a signature made with another secret');
  assert.equal(answers.get('no-such').error.msg, "Unknown method 'order.teleport'.");
  assert.equal(answers.get(null).error.code, -1135);
  assert.equal((await sim.orders(keys.reader.key)).filter((o) => o.client_order_id === 'raw-c').length, 0);
  assert.equal((await sim.orders(keys.trader.key)).filter((o) => o.client_order_id === 'raw-d').length, 0);
});

test('raw: faults injected on the WebSocket API: error answers, no answer, an answer cut short', async () => {
  const socket = new WebSocket(sim.url.replace('http://', 'ws://') + '/ws-fapi/v1');
  await new Promise((resolve, reject) => { socket.once('open', resolve); socket.once('error', reject); });
  const texts = [];
  socket.on('message', (data) => texts.push(String(data)));
  const order = (clientId) => ({ symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.01', price: '41000', newClientOrderId: clientId });
  const placed = async (clientId) => (await sim.orders(keys.trader.key)).filter((o) => o.client_order_id === clientId).length;
  // Sends one request under one fault and waits up to `wait` ms for the next text.
  async function under(kind, clientId, wait = 3000) {
    await sim.addFault({ venue: VENUE, endpoint: 'order', kind, count: 1 });
    const before = texts.length;
    socket.send(signed(clientId, 'order.place', order(clientId), keys.trader));
    const deadline = Date.now() + wait;
    while (texts.length === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    return texts.length > before ? texts[texts.length - 1] : null;
  }

  const failed = JSON.parse(await under('http_500', 'f-500'));
  assert.equal(failed.id, 'f-500');
  assert.equal(failed.status, 500);
  assert.equal(failed.error.code, -1000);
  const limited = JSON.parse(await under('rate_limit', 'f-429'));
  assert.equal(limited.status, 429);
  assert.equal(limited.error.code, -1003);
  assert.equal(await under('timeout', 'f-timeout', 500), null, 'no answer');
  const cut = await under('bad_json', 'f-cut');
  assert.throws(() => JSON.parse(cut), 'the answer is cut short');
  const fine = JSON.parse(await under('latency:1', 'f-fine'));  // waits apply to HTTP only: answered at once
  assert.equal(fine.status, 200);
  socket.close();

  assert.equal(await placed('f-500'), 0, 'refused before the engine');
  assert.equal(await placed('f-429'), 0);
  assert.equal(await placed('f-timeout'), 0, 'a timeout is never processed');
  assert.equal(await placed('f-cut'), 1, 'processed, then its answer was cut');
  assert.equal(await placed('f-fine'), 1);
});
