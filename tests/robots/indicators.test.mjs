// The indicators over the simulator's seeded walk, checked against this independent implementation of
// their definitions (src/robots/indicators.hpp), value by value to 1e-9 relative.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN = process.env.TB_BIN;
const DUMP = process.env.TB_INDICATOR_DUMP;
assert.ok(BIN && DUMP, 'TB_BIN and TB_INDICATOR_DUMP must point at the programs');
const dir = mkdtempSync(join(tmpdir(), 'tb-indicators-'));

// Candles of the simulator's walk, as the backtest reads them (written with --candles-out).
function walk(symbol, timeframe, from, to) {
  const file = join(dir, `${symbol}-${timeframe}.csv`);
  const r = spawnSync(BIN, ['backtest', '--strategy', 'ma_cross', '--venue', 'binance_futures', '--symbol', symbol, '--timeframe', timeframe,
    '--from', from, '--to', to, '--candles-out', file, '--json'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const candles = readFileSync(file, 'utf8').split('\n').filter((l) => /^\d/.test(l)).map((l) => {
    const [, , high, low, close] = l.split(',').map(Number);
    return { high, low, close };
  });
  return { file, candles };
}

const sma = (xs, n) => xs.map((_, i) => (i < n - 1 ? null : xs.slice(i - n + 1, i + 1).reduce((a, b) => a + b, 0) / n));

// Seeded with the mean of the first n values; then the EMA's or Wilder's weighting.
function smooth(xs, n, wilder, start = 0) {
  const out = xs.map(() => null);
  let v = 0;
  for (let i = start; i < xs.length; i += 1) {
    const k = i - start;
    if (k < n) { v += xs[i]; if (k === n - 1) { v /= n; out[i] = v; } continue; }
    const a = 2 / (n + 1);
    v = wilder ? (v * (n - 1) + xs[i]) / n : a * xs[i] + (1 - a) * v;
    out[i] = v;
  }
  return out;
}

const trueRange = (c) => c.map((b, i) => (i === 0 ? b.high - b.low
  : Math.max(b.high - b.low, Math.abs(b.high - c[i - 1].close), Math.abs(b.low - c[i - 1].close))));

function adx(c, n) {
  const tr = trueRange(c), plus = c.map(() => 0), minus = c.map(() => 0);
  for (let i = 1; i < c.length; i += 1) {
    const up = c[i].high - c[i - 1].high, down = c[i - 1].low - c[i].low;
    plus[i] = up > down && up > 0 ? up : 0;
    minus[i] = down > up && down > 0 ? down : 0;
  }
  const str = smooth(tr, n, true, 1), sp = smooth(plus, n, true, 1), sm = smooth(minus, n, true, 1);
  const pdi = c.map((_, i) => (str[i] === null ? null : str[i] > 0 ? (100 * sp[i]) / str[i] : 0));
  const mdi = c.map((_, i) => (str[i] === null ? null : str[i] > 0 ? (100 * sm[i]) / str[i] : 0));
  const dx = c.map((_, i) => (pdi[i] === null ? 0 : pdi[i] + mdi[i] > 0 ? (100 * Math.abs(pdi[i] - mdi[i])) / (pdi[i] + mdi[i]) : 0));
  const a = smooth(dx, n, true, n);
  return { adx: a, pdi: pdi.map((v, i) => (a[i] === null ? null : v)), mdi: mdi.map((v, i) => (a[i] === null ? null : v)) };
}

const extreme = (xs, n, f) => xs.map((_, i) => (i < n - 1 ? null : f(...xs.slice(i - n + 1, i + 1))));

function psar(c, step, max) {
  const out = [{ sar: null, rising: null }];
  let rising = true, sar = c[0].low, ep = c[0].high, af = step;
  for (let i = 1; i < c.length; i += 1) {
    const p1 = c[i - 1], p2 = c[Math.max(0, i - 2)];
    let next = sar + af * (ep - sar);
    if (rising) {
      next = Math.min(next, p1.low, p2.low);
      if (c[i].low < next) { rising = false; next = ep; ep = c[i].low; af = step; }
      else if (c[i].high > ep) { ep = c[i].high; af = Math.min(af + step, max); }
    } else {
      next = Math.max(next, p1.high, p2.high);
      if (c[i].high > next) { rising = true; next = ep; ep = c[i].high; af = step; }
      else if (c[i].low < ep) { ep = c[i].low; af = Math.min(af + step, max); }
    }
    sar = next;
    out.push({ sar, rising });
  }
  return out;
}

function supertrend(c, n, mult) {
  const atr = smooth(trueRange(c), n, true);
  const out = [];
  let lower = null, upper = null, up = true;
  for (let i = 0; i < c.length; i += 1) {
    if (atr[i] === null) { out.push({ line: null, up: null }); continue; }
    const mid = (c[i].high + c[i].low) / 2, bl = mid - mult * atr[i], bu = mid + mult * atr[i];
    if (lower === null) { lower = bl; upper = bu; up = true; }
    else {
      const pc = c[i - 1].close;
      lower = pc > lower ? Math.max(bl, lower) : bl;
      upper = pc < upper ? Math.min(bu, upper) : bu;
      if (up && c[i].close < lower) up = false; else if (!up && c[i].close > upper) up = true;
    }
    out.push({ line: up ? lower : upper, up });
  }
  return out;
}

function check(name, got, want) {
  let compared = 0;
  for (let i = 0; i < want.length; i += 1) {
    const g = got[i], w = want[i];
    if (w === null || g === null) { assert.equal(g, w, `${name}[${i}]`); continue; }
    if (typeof w === 'boolean') assert.equal(g, w, `${name}[${i}]`);
    else assert.ok(Math.abs(g - w) <= 1e-9 * Math.max(Math.abs(g), Math.abs(w), 1e-300), `${name}[${i}]: ${g} vs ${w}`);
    compared += 1;
  }
  assert.ok(compared > want.length * 0.9, `${name}: most candles have a value`);
}

for (const [symbol, timeframe, from, to] of [['BTCUSDT', '1m', '2024-03-01', '2024-03-05'], ['ETHUSDT', '15m', '2024-03-01', '2024-03-31']]) {
  test(`indicators over the simulator's walk of ${symbol} ${timeframe}`, () => {
    const { file, candles } = walk(symbol, timeframe, from, to);
    const r = spawnSync(DUMP, [file], { encoding: 'utf8', maxBuffer: 1 << 28 });
    assert.equal(r.status, 0, r.stderr);
    const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(rows.length, candles.length);
    const col = (k) => rows.map((row) => row[k]);
    const closes = candles.map((c) => c.close);
    const a = adx(candles, 14), s = psar(candles, 0.02, 0.2), st = supertrend(candles, 10, 3);
    check('sma20', col(0), sma(closes, 20));
    check('ema20', col(1), smooth(closes, 20, false));
    check('atr14', col(2), smooth(trueRange(candles), 14, true));
    check('adx14', col(3), a.adx);
    check('+di14', col(4), a.pdi);
    check('-di14', col(5), a.mdi);
    check('highest20', col(6), extreme(candles.map((c) => c.high), 20, Math.max));
    check('lowest20', col(7), extreme(candles.map((c) => c.low), 20, Math.min));
    check('psar', col(8), s.map((x) => x.sar));
    check('psar rising', col(9), s.map((x) => x.rising));
    check('supertrend', col(10), st.map((x) => x.line));
    check('supertrend up', col(11), st.map((x) => x.up));
  });
}
