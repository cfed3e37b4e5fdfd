// An independent implementation of issue 12's ma_cross backtest, in plain JS with no dependencies, written
// from the words: SMA of closes, crossings on both averages defined at i and i-1, market orders at
// the next candle's open, amount = volume / price rounded down to the step, below the minimum skipped,
// fee = fee_rate x notional on each fill, an open position at the end left out of the statistics.
// Money is exact (BigInt decimals); statistics are doubles. Used by backtest_cli.test.mjs and
// bench/backtest_reference.mjs.

// A decimal is [units: BigInt, scale: number]. Products keep every digit up to 18 decimals, then round
// half-even, as the platform's Decimal does.
const MAX_SCALE = 18;
const TEN = 10n;
const pow10 = (n) => TEN ** BigInt(n);

export function dec(text) {
  const m = /^(-?)(\d*)(?:\.(\d*))?$/.exec(text.trim());
  if (!m) throw new Error(`not a decimal: ${text}`);
  const frac = m[3] ?? '';
  const units = BigInt((m[2] || '0') + frac) * (m[1] ? -1n : 1n);
  return [units, frac.length];
}

function align(a, b) {
  const s = Math.max(a[1], b[1]);
  return [a[0] * pow10(s - a[1]), b[0] * pow10(s - b[1]), s];
}

export const add = (a, b) => { const [x, y, s] = align(a, b); return [x + y, s]; };
export const sub = (a, b) => { const [x, y, s] = align(a, b); return [x - y, s]; };
export const cmp = (a, b) => { const [x, y] = align(a, b); return x < y ? -1 : x > y ? 1 : 0; };

function roundHalfEven(n, d) {
  // n / d, d > 0
  let q = n / d;
  const r = n - q * d;
  const ar = r < 0n ? -r : r;
  if (2n * ar > d || (2n * ar === d && q % 2n !== 0n)) q += n < 0n ? -1n : 1n;
  return q;
}

export function mul(a, b) {
  let units = a[0] * b[0];
  let scale = a[1] + b[1];
  if (scale > MAX_SCALE) {
    units = roundHalfEven(units, pow10(scale - MAX_SCALE));
    scale = MAX_SCALE;
  }
  return [units, scale];
}

export function str(a) {
  let [u, s] = a;
  while (s > 0 && u % 10n === 0n) { u /= 10n; s -= 1; }
  const neg = u < 0n;
  const digits = (neg ? -u : u).toString().padStart(s + 1, '0');
  const text = s === 0 ? digits : `${digits.slice(0, digits.length - s)}.${digits.slice(digits.length - s)}`;
  return (neg ? '-' : '') + text;
}

export const num = (a) => Number(str(a));

// floor(volume / (price * step)) * step, all positive.
function amountFor(volume, price, step) {
  const count = (volume[0] * pow10(price[1] + step[1])) / (price[0] * step[0] * pow10(volume[1]));
  return [count * step[0], step[1]];
}

export function isoUtc(ms) {
  return new Date(ms).toISOString().replace(/\.000Z$/, 'Z');
}

// candles: [{t, open, high, low, close}] with decimal strings. m: {fast, slow, shorts, volume, feeRate,
// step, minQty, minNotional} (decimals as strings).
export function maCrossBacktest(candles, m) {
  const volume = dec(m.volume), feeRate = dec(m.feeRate), step = dec(m.step);
  const minQty = dec(m.minQty), minNotional = dec(m.minNotional);
  const closes = candles.map((c) => dec(c.close));
  // SMA comparisons exactly: sum(fast) * slow against sum(slow) * fast.
  const prefix = [[0n, 0]];
  for (const c of closes) prefix.push(add(prefix[prefix.length - 1], c));
  const windowSum = (i, n) => sub(prefix[i + 1], prefix[i + 1 - n]);
  const sign = (i) => cmp(mul(windowSum(i, m.fast), [BigInt(m.slow), 0]), mul(windowSum(i, m.slow), [BigInt(m.fast), 0]));

  let pos = null;
  let skipped = 0;
  const trades = [];
  let pending = [];
  for (let i = 0; i < candles.length; i += 1) {
    const open = dec(candles[i].open);
    for (const action of pending) {
      if (action === 'long' || action === 'short') {
        if (pos) continue;
        const amount = amountFor(volume, open, step);
        const notional = mul(amount, open);
        if (amount[0] <= 0n || cmp(amount, minQty) < 0 || cmp(notional, minNotional) < 0) { skipped += 1; continue; }
        pos = { side: action, entryIndex: i, entryTime: candles[i].t, entryPrice: open, amount, fee: mul(feeRate, notional) };
      } else if (pos && action === `close_${pos.side}`) {
        const exitFee = mul(feeRate, mul(pos.amount, open));
        const fees = add(pos.fee, exitFee);
        const move = pos.side === 'long' ? sub(open, pos.entryPrice) : sub(pos.entryPrice, open);
        trades.push({
          side: pos.side, entryTime: pos.entryTime, exitTime: candles[i].t, entryPrice: pos.entryPrice, exitPrice: open,
          amount: pos.amount, fees, profit: sub(mul(move, pos.amount), fees), bars: i - pos.entryIndex,
        });
        pos = null;
      }
    }
    pending = [];
    if (i < m.slow) continue;
    const now = sign(i), before = sign(i - 1);
    if (now > 0 && before <= 0) {
      if (pos?.side === 'short') pending.push('close_short');
      if (pos?.side !== 'long') pending.push('long');
    } else if (now < 0 && before >= 0) {
      if (pos?.side === 'long') pending.push('close_long');
      if (m.shorts && pos?.side !== 'short') pending.push('short');
    }
  }
  const from = candles[0].t, to = candles[candles.length - 1].t;
  return {
    trades, skipped, open: pos,
    stats: { all: stats(trades, volume, from, to), long: stats(trades.filter((t) => t.side === 'long'), volume, from, to),
      short: stats(trades.filter((t) => t.side === 'short'), volume, from, to) },
  };
}

const monthOf = (ms) => { const d = new Date(ms); return d.getUTCFullYear() * 12 + d.getUTCMonth(); };

// The statistics of issue 12 part 4, as docs and src/robots/stats.hpp define them.
export function stats(trades, volume, from, to) {
  const v = num(volume);
  let net = [0n, 0], gross = [0n, 0], loss = [0n, 0], wins = 0, bars = 0;
  let equity = [0n, 0], peak = [0n, 0], dd = [0n, 0], ddPeak = [0n, 0], ddTime = null;
  for (const t of trades) {
    net = add(net, t.profit);
    bars += t.bars;
    if (t.profit[0] > 0n) { wins += 1; gross = add(gross, t.profit); } else loss = add(loss, t.profit);
    equity = add(equity, t.profit);
    if (cmp(equity, peak) > 0) peak = equity;
    if (cmp(sub(peak, equity), dd) > 0) { dd = sub(peak, equity); ddPeak = peak; ddTime = t.exitTime; }
  }
  const n = trades.length, losses = n - wins;
  const netPct = (num(net) / v) * 100;
  const ddPct = dd[0] > 0n ? (num(dd) / (v + num(ddPeak))) * 100 : 0;
  const avgWin = wins ? num(gross) / wins : null;
  const avgLoss = losses ? num(loss) / losses : null;
  // Monthly returns over every month of the period.
  const first = monthOf(from), last = monthOf(to);
  let sharpe = null;
  if (last - first + 1 >= 2) {
    const r = new Array(last - first + 1).fill(0);
    for (const t of trades) r[monthOf(t.exitTime) - first] += num(t.profit);
    const ret = r.map((x) => x / v);
    const mean = ret.reduce((a, b) => a + b, 0) / ret.length;
    const sd = Math.sqrt(ret.reduce((a, b) => a + (b - mean) ** 2, 0) / (ret.length - 1));
    sharpe = sd === 0 ? null : (mean / sd) * Math.sqrt(12);
  }
  return {
    net_profit: str(net), net_profit_pct: netPct, trades: n, wins, losses, win_rate: n ? (100 * wins) / n : null,
    gross_profit: str(gross), gross_loss: str(loss), profit_factor: loss[0] !== 0n ? num(gross) / -num(loss) : null,
    avg_win: avgWin, avg_loss: avgLoss, payoff_ratio: avgWin !== null && avgLoss !== null && avgLoss !== 0 ? avgWin / -avgLoss : null,
    max_drawdown: str(dd), max_drawdown_pct: ddPct, max_drawdown_date: ddTime === null ? null : isoUtc(ddTime),
    recovery_factor: dd[0] > 0n ? netPct / ddPct : null, sharpe, avg_bars_held: n ? bars / n : null,
  };
}

// The CSV the platform reads and writes.
export function parseCsv(text) {
  return text.split('\n').filter((l) => /^\d/.test(l)).map((l) => {
    const [t, open, high, low, close] = l.trim().split(',');
    return { t: Number(t), open, high, low, close };
  });
}
