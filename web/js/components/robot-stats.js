// @ts-check
// A robot's statistics table (every statistic for all, long and short trades), its parameters, and its trades.
import { h } from '../dom.js';
import { amount, dateTime, fixed } from '../format.js';
import { STATS, formatStat, statNumber, signClass } from '../robots.js';

/** @typedef {import('../robots.js').RobotReport} RobotReport */

const SIDES = /** @type {const} */ ([['all', 'All trades'], ['long', 'Long'], ['short', 'Short']]);
const SIGNED = new Set(['net_profit', 'net_profit_pct']);

/** @param {RobotReport} r */
export function statsTable(r) {
  return h('div', { class: 'table-wrap' }, h('table', { class: 'table stats-table' },
    h('caption', { class: 'sr-only' }, 'Statistics of all, long and short trades'),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Statistic'), SIDES.map(([side, label]) => h('th', { scope: 'col', class: 'num', dataset: { side } }, label)))),
    h('tbody', {}, STATS.map((s) => h('tr', { dataset: { stat: s.key } },
      h('th', { scope: 'row' }, s.label),
      SIDES.map(([side]) => h('td', {
        class: ['num', SIGNED.has(s.key) ? signClass(statNumber(r.stats[side], s.key)) : ''], dataset: { side },
      }, formatStat(s.kind, r.stats[side][s.key]))))))));
}

/**
 * The robot's parameters with what each means (from the strategy's schema, when it is known).
 * @param {RobotReport} r
 * @param {import('../robots.js').Strategy | undefined} strategy
 */
export function paramsList(r, strategy) {
  const entries = Object.entries(r.params ?? {});
  if (!entries.length) return h('p', { class: 'muted' }, 'This strategy has no parameters.');
  return h('dl', { class: 'params' }, entries.map(([name, value]) => {
    const info = strategy?.params.find((p) => p.name === name);
    return h('div', { class: 'params__item', dataset: { param: name } },
      h('dt', {}, name),
      h('dd', {}, h('span', { class: 'mono' }, typeof value === 'object' ? JSON.stringify(value) : String(value)),
        info?.description ? h('span', { class: 'muted small params__about' }, info.description) : null));
  }));
}

/** @param {RobotReport} r newest first */
export function tradesTable(r) {
  if (!r.trades.length) return h('p', { class: 'muted' }, 'No closed trade yet.');
  const rows = [...r.trades].reverse();
  return h('div', { class: 'table-wrap trades-wrap' }, h('table', { class: 'table trades-table' },
    h('caption', { class: 'sr-only' }, 'Closed trades, newest first'),
    h('thead', {}, h('tr', {}, ['Side', 'Entry', 'Entry price', 'Exit', 'Exit price', 'Amount', 'Fees', 'Profit', 'Bars'].map((t, i) => h('th', { scope: 'col', class: i >= 2 && i !== 3 ? 'num' : '' }, t)))),
    h('tbody', {}, rows.map((t) => h('tr', { dataset: { side: t.side } },
      h('td', {}, h('span', { class: `pos-badge pos-badge--${t.side}` }, t.side)),
      h('td', {}, dateTime(t.entry_time)),
      h('td', { class: 'num mono' }, amount(t.entry_price)),
      h('td', {}, dateTime(t.exit_time)),
      h('td', { class: 'num mono' }, amount(t.exit_price)),
      h('td', { class: 'num mono' }, amount(t.amount)),
      h('td', { class: 'num mono' }, fixed(t.fees, 4)),
      h('td', { class: ['num', 'mono', signClass(Number(t.profit))] }, fixed(t.profit, 2)),
      h('td', { class: 'num' }, String(t.bars_held)))))));
}
