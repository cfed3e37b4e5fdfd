// `tradebridge candles ...` from outside: fetched from a venue (the simulator on loopback) into the data
// directory, exported as the simulator's CSV, imported back (a smaller timeframe built up), and bad input
// named with exit 2 and nothing kept.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startExsim } from '../support/child.mjs';

const BIN = process.env.TB_BIN;
assert.ok(BIN, 'TB_BIN must point at the tradebridge binary');
const sim = await startExsim(BIN);
after(() => sim.proc.stop());

function candles(dir, args) {
  const r = spawnSync(BIN, ['candles', ...args, '--data-dir', dir], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
const market = ['--venue', 'binance_futures', '--symbol', 'BTCUSDT'];

test('fetch keeps the venue\'s closed candles, export writes them as the simulator\'s CSV', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tb-candles-'));
  const r = candles(dir, ['fetch', ...market, '--timeframe', '1h', '--base-url', sim.url]);
  assert.equal(r.code, 0, r.err);
  const done = JSON.parse(r.out);
  assert.equal(done.fetched, 500);
  const csv = candles(dir, ['export', ...market, '--timeframe', '1h']);
  assert.equal(csv.code, 0, csv.err);
  const rows = csv.out.trim().split('\n').slice(1).map((l) => l.split(','));
  assert.equal(rows.length, 500);
  for (let i = 1; i < rows.length; i++) assert.equal(Number(rows[i][0]) - Number(rows[i - 1][0]), 3_600_000);
  assert.ok(Number(rows.at(-1)[0]) + 3_600_000 <= Date.now(), 'only closed candles');
  for (const [, o, h, l, c] of rows) assert.ok(Number(h) >= Math.max(Number(o), Number(c)) && Number(l) <= Math.min(Number(o), Number(c)));
  // Fetching again keeps each candle once.
  assert.equal(candles(dir, ['fetch', ...market, '--timeframe', '1h', '--base-url', sim.url]).code, 0);
  assert.equal(candles(dir, ['export', ...market, '--timeframe', '1h']).out.trim().split('\n').length, 501);
});

test('import takes a CSV whole (building 1h from 1m), export gives it back, and a bad file keeps nothing', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tb-candles-'));
  const t0 = Date.UTC(2024, 0, 1);
  const lines = ['open_time_ms,open,high,low,close,volume'];
  for (let i = 0; i < 120; i++) lines.push(`${t0 + i * 60_000},${100 + i},${101 + i},${99 + i},${100.5 + i},1`);
  const file = join(dir, 'in.csv');
  writeFileSync(file, lines.join('\n') + '\n');
  const r = candles(dir, ['import', ...market, '--timeframe', '1h', '--file', file]);
  assert.equal(r.code, 0, r.err);
  assert.equal(JSON.parse(r.out).imported, 2);
  const out = join(dir, 'out.csv');
  assert.equal(candles(dir, ['export', ...market, '--timeframe', '1h', '--file', out]).code, 0);
  const rows = readFileSync(out, 'utf8').trim().split('\n').slice(1);
  assert.deepEqual(rows[0].split(','), [String(t0), '100', '160', '99', '159.5', '60']);

  const bad = join(dir, 'bad.csv');
  writeFileSync(bad, lines.slice(0, 5).join('\n') + `\n${t0},1,2,0.5,1,1\n`);  // line 6 goes back in time
  const refused = candles(dir, ['import', ...market, '--timeframe', '1m', '--file', bad]);
  assert.equal(refused.code, 2);
  assert.match(JSON.parse(refused.err).error.message, /line 6/);
  assert.equal(candles(dir, ['export', ...market, '--timeframe', '1m']).out.trim().split('\n').length, 1);  // the header only

  for (const [args, field] of [[['import', '--venue', 'nasdaq', '--symbol', 'X', '--timeframe', '1h', '--file', file], 'venue'],
    [['import', '--venue', 'kraken', '--symbol', 'BTCUSDT', '--timeframe', '1h', '--file', file], 'symbol'],
    [['import', ...market, '--timeframe', '2h', '--file', file], 'timeframe'],
    [['export', ...market, '--timeframe', '1h', '--from', '2024-02-01', '--to', '2024-01-01'], 'to'],
    [['import', ...market, '--timeframe', '1h'], 'file']]) {
    const x = candles(dir, args);
    assert.equal(x.code, 2, `${field}: ${x.err}`);
    assert.equal(JSON.parse(x.err).error.field, field);
  }
});
