// `tradebridge backtest` from outside: ma_cross backtests over the simulator's seeded walk recomputed by an
// independent implementation (ma_cross_reference.mjs): the same trades (times, sides, prices, amounts) and
// statistics equal to 1e-9 relative; the text output; exit 2 and the field or line named on bad input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { maCrossBacktest, parseCsv, str, isoUtc } from './ma_cross_reference.mjs';

const BIN = process.env.TB_BIN;
assert.ok(BIN, 'TB_BIN must point at the tradebridge binary');
const dir = mkdtempSync(join(tmpdir(), 'tb-backtest-'));

function backtest(args) {
  const r = spawnSync(BIN, ['backtest', ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function json(args) {
  const r = backtest([...args, '--json']);
  assert.equal(r.code, 0, r.err);
  return JSON.parse(r.out);
}

// The simulator's walk, 1m, two weeks: written once by the command itself.
const WALK = join(dir, 'walk.csv');
const made = backtest(['--strategy', 'ma_cross', '--venue', 'binance_futures', '--symbol', 'BTCUSDT', '--timeframe', '1m',
  '--from', '2024-01-25', '--to', '2024-02-08', '--candles-out', WALK, '--json']);
assert.equal(made.code, 0, made.err);

function close(a, b, what) {
  if (a === null || b === null || typeof a === 'string' || typeof b === 'string') {
    if (typeof a === 'string' && typeof b === 'number') a = Number(a);
    if (typeof b === 'string' && typeof a === 'number') b = Number(b);
    if (typeof a === 'string' || a === null || b === null) return assert.equal(a, b, what);
  }
  assert.ok(Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b)) + 1e-12, `${what}: ${a} vs ${b}`);
}

const BINANCE = { venue: 'binance_futures', symbol: 'BTCUSDT', shorts: true, step: '0.001', minQty: '0.001', minNotional: '100', feeRate: '0.0004' };
const KRAKEN = { venue: 'kraken', symbol: 'XXBTZUSD', shorts: false, step: '0.00000001', minQty: '0.00005', minNotional: '0.5', feeRate: '0.0026' };

const cases = [
  { market: BINANCE, timeframe: '1m', fast: 5, slow: 20, volume: '1000' },
  { market: BINANCE, timeframe: '15m', fast: 3, slow: 8, volume: '250.5', feeRate: '0.001' },
  { market: KRAKEN, timeframe: '5m', fast: 10, slow: 30, volume: '1000' },
  { market: KRAKEN, timeframe: '1h', fast: 2, slow: 5, volume: '20' },
  { market: BINANCE, timeframe: '1m', fast: 1, slow: 2, volume: '50' }, // below the minimum notional: all skipped
];

for (const c of cases) {
  test(`ma_cross ${c.fast}/${c.slow} on ${c.market.venue} ${c.timeframe}, volume ${c.volume}: recomputed independently`, () => {
    const used = join(dir, `used-${c.market.venue}-${c.timeframe}-${c.fast}.csv`);
    const args = ['--strategy', 'ma_cross', '--params', JSON.stringify({ fast: c.fast, slow: c.slow }), '--venue', c.market.venue,
      '--symbol', c.market.symbol, '--timeframe', c.timeframe, '--candles', WALK, '--volume-quote', c.volume, '--candles-out', used];
    if (c.feeRate) args.push('--fee-rate', c.feeRate);
    const got = json(args);
    const candles = parseCsv(readFileSync(used, 'utf8'));
    const want = maCrossBacktest(candles, { ...c.market, fast: c.fast, slow: c.slow, volume: c.volume, feeRate: c.feeRate ?? c.market.feeRate });
    assert.equal(got.candles, candles.length);
    assert.equal(got.skipped, want.skipped);
    assert.equal(got.trades.length, want.trades.length);
    if (c.volume !== '50') assert.ok(want.trades.length > 3, 'the walk should cross a few times');
    else assert.ok(want.skipped > 3 && want.trades.length === 0);
    want.trades.forEach((t, i) => {
      const g = got.trades[i];
      assert.deepEqual([g.side, g.entry_time, g.exit_time, g.entry_price, g.exit_price, g.amount, g.fees, g.profit],
        [t.side, isoUtc(t.entryTime), isoUtc(t.exitTime), str(t.entryPrice), str(t.exitPrice), str(t.amount), str(t.fees), str(t.profit)],
        `trade ${i}`);
    });
    if (!c.market.shorts) assert.ok(got.trades.every((t) => t.side === 'long'));
    assert.equal(got.open_position === null, want.open === null);
    if (want.open) assert.deepEqual([got.open_position.side, got.open_position.entry_price], [want.open.side, str(want.open.entryPrice)]);
    for (const group of ['all', 'long', 'short'])
      for (const [field, value] of Object.entries(want.stats[group])) close(got.stats[group][field], value, `${group}.${field}`);
    assert.equal(got.equity.length, got.trades.length + 1);
  });
}

test('the JSON has the shape of issue 12', () => {
  const got = json(['--strategy', 'ma_cross', '--venue', 'binance_futures', '--symbol', 'BTC/USDT', '--timeframe', '1h', '--candles', WALK]);
  assert.deepEqual(Object.keys(got).sort(),
    ['candles', 'equity', 'from', 'open_position', 'params', 'skipped', 'stats', 'strategy', 'symbol', 'timeframe', 'to', 'trades', 'venue',
      'warmup_bars'].sort());
  assert.deepEqual(got.params, { fast: 10, slow: 30 });
  assert.equal(got.symbol, 'BTCUSDT');
  assert.equal(got.warmup_bars, 31);
  assert.equal(got.from, '2024-01-25T00:00:00Z');
  for (const field of ['net_profit', 'trades', 'wins', 'losses', 'win_rate', 'gross_profit', 'gross_loss', 'profit_factor', 'payoff_ratio',
    'max_drawdown', 'max_drawdown_pct', 'recovery_factor', 'sharpe']) assert.ok(field in got.stats.all, field);
  assert.equal(typeof got.stats.all.net_profit, 'string');
  const t = got.trades[0];
  assert.deepEqual(Object.keys(t).sort(), ['amount', 'bars_held', 'entry_price', 'entry_time', 'exit_price', 'exit_time', 'fees', 'profit', 'side']);
  assert.match(t.entry_time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.match(got.equity[1][0], /Z$/);
  assert.equal(typeof got.equity[1][1], 'string');
});

test('every strategy runs from the command line', () => {
  for (const strategy of ['ma_cross', 'breakout', 'parabolic', 'supertrend', 'trend_hold']) {
    const got = json(['--strategy', strategy, '--venue', 'binance_futures', '--symbol', 'ETHUSDT', '--timeframe', '15m', '--candles', WALK]);
    assert.equal(got.strategy, strategy);
    assert.ok(got.trades.length > 0, strategy);
  }
});

test('the text output: a summary table and the trade list', () => {
  const r = backtest(['--strategy', 'ma_cross', '--venue', 'kraken', '--symbol', 'BTC/USD', '--timeframe', '1h', '--candles', WALK]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^ma_cross \{"fast":10,"slow":30\} on kraken XXBTZUSD 1h: 336 candles/);
  assert.match(r.out, /net_profit\s+-?\d/);
  assert.match(r.out, /profit_factor/);
  assert.match(r.out, /\d+ trades\nside\s+entry/);
  assert.doesNotMatch(r.out, /\bshort\s+20\d\d-/);  // spot: long only
  const tiny = join(dir, 'tiny.csv');
  writeFileSync(tiny, '60000,10,11,9,10,1\n120000,10,11,9,10,1\n');
  const few = backtest(['--strategy', 'ma_cross', '--venue', 'kraken', '--symbol', 'BTC/USD', '--timeframe', '1m', '--candles', tiny]);
  assert.equal(few.code, 0, few.err);
  assert.match(few.out, /note: ma_cross needs 31 candles before its first signal/);
  assert.match(few.out, /\n0 trades\n/);
});

function refused(args, field, message) {
  const r = backtest(args);
  assert.equal(r.code, 2, `${args.join(' ')}: ${r.out}${r.err}`);
  const e = JSON.parse(r.err).error;
  assert.equal(e.kind, 'invalid_argument');
  assert.equal(e.field, field);
  if (message) assert.match(e.message, message);
}

test('bad input: a clear error naming the field or line, exit 2', () => {
  const base = ['--venue', 'binance_futures', '--symbol', 'BTCUSDT', '--timeframe', '1h', '--candles', WALK];
  refused(['--strategy', 'nope', ...base], 'strategy', /unknown strategy 'nope'; there are ma_cross, breakout/);
  refused(base, 'strategy', /is required/);
  refused(['--strategy', 'ma_cross', '--params', '{"fast":0}', ...base], 'params.fast', /between 1 and 1000, got 0/);
  refused(['--strategy', 'ma_cross', '--params', '{"fast":"5"}', ...base], 'params.fast', /an integer/);
  refused(['--strategy', 'ma_cross', '--params', '{"fast":2.5}', ...base], 'params.fast', /an integer/);
  refused(['--strategy', 'ma_cross', '--params', '{"fast":20,"slow":10}', ...base], 'params.slow', /greater than fast/);
  refused(['--strategy', 'ma_cross', '--params', '{"speed":1}', ...base], 'params.speed', /no parameter/);
  refused(['--strategy', 'ma_cross', '--params', '[1]', ...base], 'params', /JSON object/);
  refused(['--strategy', 'ma_cross', '--venue', 'nowhere', '--symbol', 'BTCUSDT', '--timeframe', '1h', '--candles', WALK], 'venue');
  refused(['--strategy', 'ma_cross', '--venue', 'kraken', '--symbol', 'BTCUSDT', '--timeframe', '1h', '--candles', WALK], 'symbol', /XXBTZUSD/);
  refused(['--strategy', 'ma_cross', '--venue', 'kraken', '--symbol', 'XXBTZUSD', '--timeframe', '2h', '--candles', WALK], 'timeframe');
  refused(['--strategy', 'ma_cross', ...base, '--fee-rate', '-1'], 'fee-rate');
  refused(['--strategy', 'ma_cross', ...base, '--volume-quote', '0'], 'volume-quote');
  refused(['--strategy', 'ma_cross', ...base, '--volume-quote', '1e13'], 'volume-quote', /more than 10\^12/);
  refused(['--strategy', 'ma_cross', ...base, '--from', '2030-01-01'], 'from', /no candles between 2030-01-01/);
  refused(['--strategy', 'ma_cross', ...base, '--from', '2024-13-01'], 'from', /not a date/);
  refused(['--strategy', 'ma_cross', '--venue', 'kraken', '--symbol', 'XXBTZUSD', '--timeframe', '1h', '--from', '2024-01-01'], 'candles');
  refused(['--strategy', 'ma_cross', '--venue', 'kraken', '--symbol', 'XXBTZUSD', '--timeframe', '1h', '--from', '2020-01-01', '--to', '2024-01-01'],
    'to', /at most 3 years/);
  refused(['--strategy', 'ma_cross', '--venue', 'kraken', '--symbol', 'XXBTZUSD', '--timeframe', '1h', '--from', '2024-01-02', '--to', '2024-01-01'],
    'to', /after --from/);
  refused(['--strategy', 'ma_cross', '--venue', 'kraken', '--symbol', 'XXBTZUSD', '--timeframe', '1h', '--candles', join(dir, 'missing.csv')],
    'candles', /cannot read/);
});

test('flags the command does not know, or of the wrong type: exit 2', () => {
  assert.equal(backtest(['--strategy', 'ma_cross', '--bogus', '1']).code, 2);
  assert.equal(backtest(['--seed', 'x']).code, 2);
});

test('bad candle files: the line is named', () => {
  const file = (name, text) => { const p = join(dir, name); writeFileSync(p, text); return p; };
  const run = (path) => ['--strategy', 'ma_cross', '--venue', 'kraken', '--symbol', 'XXBTZUSD', '--timeframe', '1m', '--candles', path];
  refused(run(file('empty.csv', '')), 'candles', /no candles in the file/);
  refused(run(file('short.csv', 'open_time_ms,open,high,low,close,volume\n60000,1,2,1,1\n')), 'candles', /line 2: want 6 fields/);
  refused(run(file('unsorted.csv', '120000,1,2,1,1,1\n60000,1,2,1,1,1\n')), 'candles', /line 2: .*unsorted/);
  refused(run(file('duplicate.csv', '60000,1,2,1,1,1\n60000,1,2,1,1,1\n')), 'candles', /line 2: duplicate/);
  refused(run(file('bad.csv', '60000,1,2,1,1,1\n120000,1,2,x,1,1\n')), 'candles', /line 2: low 'x' is not a decimal/);
  const coarse = file('coarse.csv', '0,1,2,1,1,1\n3600000,1,2,1,1,1\n');
  refused(run(coarse), 'candles', /coarser than --timeframe 1m/);
});

test('--help lists the strategies with their parameters and the markets', () => {
  const r = spawnSync(BIN, ['backtest', '--help'], { encoding: 'utf8' });
  assert.equal(r.status, 0);
  for (const word of ['ma_cross', 'breakout', 'parabolic', 'supertrend', 'trend_hold (long only)', 'fast (integer, 1..1000, default 10)', 'BTCUSDT'])
    assert.ok(r.stdout.includes(word), word);
});
