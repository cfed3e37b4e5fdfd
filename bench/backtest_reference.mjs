// The same ma_cross backtest as bench/backtest_bench.cpp, in plain JS (tests/robots/ma_cross_reference.mjs:
// exact BigInt money, as the test's independent implementation), timed for docs/BENCHMARKS.md.
// Usage: node bench/backtest_reference.mjs FILE [reps=3] [fast=10] [slow=30]
import { readFileSync } from 'node:fs';
import { maCrossBacktest, parseCsv } from '../tests/robots/ma_cross_reference.mjs';

const [file, reps = '3', fast = '10', slow = '30'] = process.argv.slice(2);
if (!file) {
  console.error('usage: node bench/backtest_reference.mjs FILE [reps] [fast] [slow]');
  process.exit(2);
}
const text = readFileSync(file, 'utf8');
const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const parseMs = [], runMs = [];
let result, candles;
for (let i = 0; i < Number(reps); i += 1) {
  let t0 = performance.now();
  candles = parseCsv(text);
  parseMs.push(performance.now() - t0);
  t0 = performance.now();
  result = maCrossBacktest(candles, { fast: Number(fast), slow: Number(slow), shorts: true, volume: '1000', feeRate: '0.0004', step: '0.001',
    minQty: '0.001', minNotional: '100' });
  runMs.push(performance.now() - t0);
}
console.log(JSON.stringify({ candles: candles.length, reps: Number(reps), parse_csv_ms: median(parseMs), backtest_ms: median(runMs),
  trades: result.trades.length, net_profit: result.stats.all.net_profit, node: process.version }));
