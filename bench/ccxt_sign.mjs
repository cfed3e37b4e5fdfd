// The same create-order requests as bench/venue_bench.cpp, built and signed by ccxt (npm), an
// independent client, so the ratio between the two is on record in docs/BENCHMARKS.md.
// Usage: node bench/ccxt_sign.mjs [iterations]   -> one JSON line per venue: median ns per signed request.
import ccxt from 'ccxt';
import { readFileSync } from 'node:fs';

const ccxtVersion = JSON.parse(readFileSync(new URL('../node_modules/ccxt/package.json', import.meta.url))).version;

const iterations = Number(process.argv[2] ?? 20000);

const venues = [
  {
    name: 'binance_futures',
    exchange: new ccxt.binanceusdm({
      apiKey: 'dbefbc809e3e83c283a984c3a1459732ea7db1360ca80c5c2c8867408d28cc83',
      secret: '2b5eb11e18796d12d88f13dc27dbbd02c2cc51ff7059765ed9821957d82bb4d9',
    }),
    sign: (ex) => ex.sign('order', 'fapiPrivate', 'POST', {
      symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.010', price: '30000.0',
      newClientOrderId: 'tb-1',
    }),
  },
  {
    name: 'kraken',
    exchange: new ccxt.kraken({
      apiKey: 'kraken-key',
      secret: 'kQH5HW/8p1uGOVjbgWA7FunAmGO8lsSUXNsu3eow76sz84Q18fWxnyRzBHCd3pd5nE9qa99HAZtuZuj6F1huXg==',
    }),
    sign: (ex) => ex.sign('AddOrder', 'private', 'POST', {
      ordertype: 'limit', pair: 'XBTUSD', price: '37500', type: 'buy', volume: '1.25', cl_ord_id: 'tb-1',
    }),
  },
  {
    name: 'bitfinex',
    exchange: new ccxt.bitfinex({ apiKey: 'bitfinex-key', secret: 'bitfinex-test-secret' }),
    sign: (ex) => ex.sign('auth/w/order/submit', 'private', 'POST', {
      type: 'EXCHANGE LIMIT', symbol: 'tBTCUSD', amount: '0.001', price: '30000', cid: 12345,
    }),
  },
];

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

for (const v of venues) {
  for (let i = 0; i < 1000; i++) v.sign(v.exchange);  // warm up the JIT
  // Batches of 100 so the timer's own cost does not dominate.
  const batch = 100;
  const samples = [];
  for (let i = 0; i < iterations / batch; i++) {
    const t0 = process.hrtime.bigint();
    for (let k = 0; k < batch; k++) v.sign(v.exchange);
    samples.push(Number(process.hrtime.bigint() - t0) / batch);
  }
  console.log(JSON.stringify({ venue: v.name, client: 'ccxt ' + ccxtVersion, median_ns: Math.round(median(samples)) }));
}
