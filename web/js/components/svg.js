// @ts-check
// What the robot charts share: SVG nodes built like dom.js builds HTML (no markup parsed, no inline style: the
// CSP forbids it, colours are classes of app.css), round axis ticks, the axes' labels, and a frame that
// redraws a chart at its container's width.
import { h } from '../dom.js';
import { fixed } from '../format.js';

const NS = 'http://www.w3.org/2000/svg';

/** @typedef {SVGElement | string | null | undefined | false | SvgChild[]} SvgChild */

/**
 * svg('rect', {x: 1, y: 2, class: 'bar'}, svg('title', {}, 'a bar'))
 * @param {string} tag
 * @param {Record<string, string | number | null | undefined>} [attrs]
 * @param {SvgChild[]} children
 * @returns {SVGElement}
 */
export function svg(tag, attrs = {}, ...children) {
  const el = /** @type {SVGElement} */ (document.createElementNS(NS, tag));
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'style') throw new Error('svg(): style is not allowed');
    if (v !== null && v !== undefined) el.setAttribute(k, String(v));
  }
  const add = (/** @type {SvgChild} */ c) => {
    if (c === null || c === undefined || c === false) return;
    if (Array.isArray(c)) c.forEach(add);
    else el.append(c);
  };
  children.forEach(add);
  return el;
}

/** @param {number} n a coordinate, rounded to a tenth of a pixel to keep paths short */
export const px = (n) => Math.round(n * 10) / 10;

/**
 * Round values between min and max, about `count` of them: 0, 250, 500... or 0.002, 0.004...
 * @param {number} min
 * @param {number} max
 * @param {number} [count]
 * @returns {{ values: number[], digits: number }} the ticks and the decimals their labels need
 */
export function niceTicks(min, max, count = 5) {
  if (!(max > min) || !Number.isFinite(min) || !Number.isFinite(max)) return { values: Number.isFinite(min) ? [min] : [], digits: 2 };
  const raw = (max - min) / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? 10 * magnitude;
  const values = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) values.push(Number(v.toPrecision(12)));
  let digits = 0; // as many as the step has: 250 -> 0, 0.5 -> 1, 0.00025 -> 5
  while (digits < 8 && Math.abs(Math.round(step * 10 ** digits) - step * 10 ** digits) > 1e-6) digits += 1;
  return { values, digits };
}

/**
 * A linear map from [d0, d1] to [r0, r1].
 * @param {number} d0
 * @param {number} d1
 * @param {number} r0
 * @param {number} r1
 */
export function scale(d0, d1, r0, r1) {
  const k = d1 === d0 ? 0 : (r1 - r0) / (d1 - d0);
  return (/** @type {number} */ v) => (d1 === d0 ? (r0 + r1) / 2 : r0 + (v - d0) * k);
}

/**
 * A time on the horizontal axis: the day, with the hour when the chart spans a few days only.
 * @param {number} ms
 * @param {number} spanMs
 */
export function timeLabel(ms, spanMs) {
  const d = new Date(ms);
  const day = d.toLocaleDateString('en-US', { month: 'short', day: 'numeric' });
  return spanMs > 4 * 86400000 ? day : `${day} ${d.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' })}`;
}

/**
 * Horizontal grid lines with their values at the right edge.
 * @param {{ min: number, max: number, y: (v: number) => number, left: number, right: number, count?: number }} o
 */
export function valueGrid({ min, max, y, left, right, count = 5 }) {
  const { values, digits } = niceTicks(min, max, count);
  return svg('g', { class: 'chart-grid' }, values.map((v) => [
    svg('line', { x1: left, x2: right, y1: px(y(v)), y2: px(y(v)) }),
    svg('text', { x: right + 6, y: px(y(v)) + 4, class: 'chart-label' }, fixed(v, digits)),
  ]));
}

/**
 * Labels under the plot at the given x positions.
 * @param {{ x: number, ms: number }[]} marks
 * @param {number} spanMs
 * @param {number} top the baseline of the labels
 */
export function timeAxis(marks, spanMs, top) {
  return svg('g', { class: 'chart-axis' }, marks.map((m) => svg('text', { x: px(m.x), y: top, 'text-anchor': 'middle', class: 'chart-label' }, timeLabel(m.ms, spanMs))));
}

/**
 * A box that draws `draw(width)` now and again whenever its width changes.
 * @param {string} className
 * @param {(width: number) => SVGElement} draw
 * @returns {{ el: HTMLDivElement, redraw(): void, stop(): void }}
 */
export function chartFrame(className, draw) {
  const el = h('div', { class: ['svg-chart', className] });
  let width = 0;
  function redraw() {
    width = Math.max(280, Math.floor(el.clientWidth || 640));
    el.replaceChildren(draw(width));
  }
  const observer = new ResizeObserver(() => {
    if (Math.abs(Math.max(280, Math.floor(el.clientWidth)) - width) > 2) redraw();
  });
  observer.observe(el);
  return { el, redraw, stop: () => observer.disconnect() };
}
