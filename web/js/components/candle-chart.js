// @ts-check
// A robot's market as candles (inline SVG, drawn here: no chart library, nothing from the network), with its
// trades marked: ▲ a long entry, ▼ a short entry, ● the exit, a dashed line between them (green when the trade
// won), ◆ the position still open. A readout under the chart tells the candle under the pointer.
import { h } from '../dom.js';
import { amount, dateTime, fixed } from '../format.js';
import { svg, px, scale, valueGrid, timeAxis, chartFrame } from './svg.js';

/** @typedef {import('../robots.js').Candle} Candle */
/** @typedef {import('../robots.js').Trade} Trade */
/** @typedef {import('../robots.js').OpenPosition} OpenPosition */

const PAD = { left: 8, right: 72, top: 12, bottom: 26 };
/** @type {[number, string][]} the last n candles (0: all) and the button's words */
const WINDOWS = [[120, 'Last 120'], [360, 'Last 360'], [0, 'All']];

/**
 * The index of the candle open at `ms` (the last one that opened at or before it), or -1 before the first.
 * @param {Candle[]} candles
 * @param {number} ms
 */
export function candleAt(candles, ms) {
  let lo = 0;
  let hi = candles.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (candles[mid].time <= ms) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

/**
 * The candles as two paths per colour (wicks and bodies): a few nodes however many candles there are.
 * @param {Candle[]} candles
 * @param {(i: number) => number} x the centre of candle i
 * @param {(p: number) => number} y
 * @param {number} body the width of a body
 */
function candlePaths(candles, x, y, body) {
  const d = { up: { wick: '', body: '' }, down: { wick: '', body: '' } };
  candles.forEach((k, i) => {
    const side = k.close >= k.open ? d.up : d.down;
    const cx = px(x(i));
    const top = y(Math.max(k.open, k.close));
    const height = Math.max(1, y(Math.min(k.open, k.close)) - top);
    side.wick += `M${cx} ${px(y(k.high))}V${px(y(k.low))}`;
    side.body += `M${px(cx - body / 2)} ${px(top)}h${px(body)}v${px(height)}h${px(-body)}Z`;
  });
  return [
    svg('path', { class: 'candle-wick candle--up', d: d.up.wick }),
    svg('path', { class: 'candle-wick candle--down', d: d.down.wick }),
    svg('path', { class: 'candle-body candle--up', d: d.up.body }),
    svg('path', { class: 'candle-body candle--down', d: d.down.body }),
  ];
}

/**
 * A marker: ▲/▼ (entry of a long/short), ● (exit) or ◆ (open), with its words as a tooltip.
 * @param {'entry' | 'exit' | 'open'} what
 * @param {'long' | 'short'} side
 * @param {number} cx
 * @param {number} cy
 * @param {string} title
 */
function marker(what, side, cx, cy, title) {
  const cls = `marker marker--${what} marker--${side}`;
  const tip = svg('title', {}, title);
  if (what === 'exit') return svg('circle', { class: cls, cx: px(cx), cy: px(cy), r: 4 }, tip);
  if (what === 'open') return svg('path', { class: cls, d: `M${px(cx)} ${px(cy - 6)}l6 6l-6 6l-6 -6Z` }, tip);
  const d = side === 'long' ? `M${px(cx)} ${px(cy)}l6 10h-12Z` : `M${px(cx)} ${px(cy)}l6 -10h-12Z`;
  return svg('path', { class: cls, d }, tip);
}

/**
 * The trades on the candles: markers and the line from entry to exit. Trades outside the candles are left out.
 * @param {{ candles: Candle[], trades: Trade[], open: OpenPosition | null, x: (i: number) => number, y: (p: number) => number }} o
 */
function tradeMarks({ candles, trades, open, x, y }) {
  const at = (/** @type {string} */ iso) => candleAt(candles, Date.parse(iso));
  const out = [];
  for (const t of trades) {
    const i = at(t.entry_time);
    const j = at(t.exit_time);
    if (i < 0 || j < 0) continue;
    const won = Number(t.profit) > 0;
    const side = t.side === 'long' ? 'Long' : 'Short';
    out.push(svg('g', { class: `trade ${won ? 'trade--win' : 'trade--loss'}`, 'data-side': t.side },
      svg('line', { class: 'trade-line', x1: px(x(i)), y1: px(y(Number(t.entry_price))), x2: px(x(j)), y2: px(y(Number(t.exit_price))) }),
      marker('entry', t.side, x(i), y(Number(t.entry_price)), `${side} entry ${dateTime(t.entry_time)} at ${amount(t.entry_price)}`),
      marker('exit', t.side, x(j), y(Number(t.exit_price)), `${side} exit ${dateTime(t.exit_time)} at ${amount(t.exit_price)}: profit ${fixed(t.profit)}`)));
  }
  if (open) {
    const i = at(open.entry_time);
    if (i >= 0) out.push(marker('open', open.side, x(i), y(Number(open.entry_price)), `Open ${open.side} since ${dateTime(open.entry_time)} at ${amount(open.entry_price)}`));
  }
  return out;
}

/**
 * @param {{ candles: Candle[], trades: Trade[], open: OpenPosition | null, label: string }} data
 * @returns {{ el: HTMLElement, redraw(): void, stop(): void }}
 */
export function candleChart({ candles: every, trades, open, label }) {
  const readout = h('p', { class: 'chart-readout muted small', 'aria-live': 'off' }, 'Point at a candle to read it.');
  // How many of the last candles to show: all of them while their bodies stay visible.
  let count = every.length <= 600 ? 0 : 360;
  const buttons = WINDOWS.map(([n, text]) => h('button', { type: 'button', class: 'seg__btn', 'aria-pressed': String(n === count), dataset: { window: n } }, text));
  for (const [i, b] of buttons.entries()) {
    b.addEventListener('click', () => {
      count = WINDOWS[i][0];
      for (const x of buttons) x.setAttribute('aria-pressed', String(x === b));
      frame.redraw();
    });
  }
  /** @param {number} width */
  function draw(width) {
    const candles = count ? every.slice(-count) : every;
    const height = width < 500 ? 260 : 340;
    const right = width - PAD.right;
    const bottom = height - PAD.bottom;
    const lo = Math.min(...candles.map((k) => k.low));
    const hi = Math.max(...candles.map((k) => k.high));
    const pad = (hi - lo) * 0.05 || hi * 0.01 || 1;
    const y = scale(lo - pad, hi + pad, bottom, PAD.top);
    const step = (right - PAD.left) / Math.max(1, candles.length);
    const x = (/** @type {number} */ i) => PAD.left + step * (i + 0.5);
    const marks = (width < 500 ? [0.12, 0.5, 0.88] : [0.08, 0.3, 0.5, 0.7, 0.92]).map((f) => Math.floor(f * (candles.length - 1))).map((i) => ({ x: x(i), ms: candles[i].time }));
    const cross = svg('line', { class: 'chart-cross', x1: -10, x2: -10, y1: PAD.top, y2: bottom });
    const el = svg('svg', {
      class: 'candles', width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': label,
      'data-candles': candles.length,
    },
    valueGrid({ min: lo - pad, max: hi + pad, y, left: PAD.left, right }),
    timeAxis(marks, candles[candles.length - 1].time - candles[0].time, height - 6),
    svg('g', { class: 'candle-set' }, candlePaths(candles, x, y, Math.max(1, Math.min(12, step * 0.7)))),
    svg('g', { class: 'trades' }, tradeMarks({ candles, trades, open, x, y })),
    cross);
    el.addEventListener('pointermove', (e) => {
      const box = el.getBoundingClientRect();
      const i = Math.min(candles.length - 1, Math.max(0, Math.floor(((e.clientX - box.left) * (width / box.width) - PAD.left) / step)));
      const k = candles[i];
      cross.setAttribute('x1', String(px(x(i))));
      cross.setAttribute('x2', String(px(x(i))));
      readout.textContent = `${dateTime(new Date(k.time).toISOString())} · open ${k.open} · high ${k.high} · low ${k.low} · close ${k.close}`;
    });
    return el;
  }
  const frame = chartFrame('candle-chart', draw);
  const seg = h('div', { class: 'seg chart-window', role: 'group', 'aria-label': 'Candles shown' }, buttons);
  return { el: h('div', {}, seg, frame.el, readout), redraw: frame.redraw, stop: frame.stop };
}
