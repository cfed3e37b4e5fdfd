// @ts-check
// A robot's equity curve (inline SVG, drawn here): its net profit after each trade, over time, as a step
// line from the start of its run, with the zero line for reference.
import { svg, px, scale, valueGrid, timeAxis, chartFrame } from './svg.js';

const PAD = { left: 8, right: 72, top: 12, bottom: 26 };

/**
 * @param {{ points: [string, string][], label: string }} data [time, equity] as the API sends them
 * @returns {{ el: HTMLElement, redraw(): void, stop(): void }}
 */
export function equityChart({ points, label }) {
  const series = points.map(([t, v]) => ({ ms: Date.parse(t), v: Number(v) })).filter((p) => Number.isFinite(p.ms) && Number.isFinite(p.v));
  /** @param {number} width */
  function draw(width) {
    const height = width < 500 ? 180 : 220;
    const right = width - PAD.right;
    const bottom = height - PAD.bottom;
    const t0 = series[0].ms;
    const t1 = Math.max(series[series.length - 1].ms, t0 + 1);
    const lo = Math.min(0, ...series.map((p) => p.v));
    const hi = Math.max(0, ...series.map((p) => p.v));
    const pad = (hi - lo) * 0.08 || 1;
    const x = scale(t0, t1, PAD.left, right);
    const y = scale(lo - pad, hi + pad, bottom, PAD.top);
    // Equity changes when a trade closes and stays until the next one: a step line.
    let line = `M${px(x(series[0].ms))} ${px(y(series[0].v))}`;
    for (const p of series.slice(1)) line += `H${px(x(p.ms))}V${px(y(p.v))}`;
    const area = `${line}V${px(y(0))}H${px(x(series[0].ms))}Z`;
    const last = series[series.length - 1];
    const marks = [0.1, 0.5, 0.9].map((f) => ({ x: x(t0 + f * (t1 - t0)), ms: t0 + f * (t1 - t0) }));
    return svg('svg', {
      class: 'equity', width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': label, 'data-points': series.length,
    },
    valueGrid({ min: lo - pad, max: hi + pad, y, left: PAD.left, right, count: 4 }),
    timeAxis(marks, t1 - t0, height - 6),
    svg('line', { class: 'equity-zero', x1: PAD.left, x2: right, y1: px(y(0)), y2: px(y(0)) }),
    svg('path', { class: `equity-area ${last.v < 0 ? 'equity--neg' : 'equity--pos'}`, d: area }),
    svg('path', { class: 'equity-line', d: line }),
    svg('circle', { class: 'equity-last', cx: px(x(last.ms)), cy: px(y(last.v)), r: 3 }));
  }
  const frame = chartFrame('equity-chart', draw);
  return { el: frame.el, redraw: frame.redraw, stop: frame.stop };
}
