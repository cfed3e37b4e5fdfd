// @ts-check
// The catalogue's filters: exchange, market, timeframe and strategy, each "All" or one value. The choices come
// from every robot (and the strategies), the markets from the chosen exchange's robots; a market of another
// exchange is dropped with the exchange that changed.
import { h, mount } from '../dom.js';
import { field } from '../ui.js';
import { timeframeMinutes } from './robot-table.js';

/** @typedef {import('../robots.js').RobotFilter} RobotFilter */
/** @typedef {import('../robots.js').RobotSummary} RobotSummary */

/** @type {(keyof RobotFilter)[]} */
export const FILTERS = ['exchange', 'symbol', 'timeframe', 'strategy'];
/** @type {Record<string, string>} */
const LABELS = { exchange: 'Exchange', symbol: 'Market', timeframe: 'Timeframe', strategy: 'Strategy' };

/**
 * A select of one filter: "All" and the given values, the chosen one kept even when it is not among them.
 * @param {string} name
 * @param {() => string} chosen the filter's value now
 */
function filterSelect(name, chosen) {
  const select = h('select', { name, dataset: { filter: name } });
  const wrap = field({ label: LABELS[name], input: select }).wrap;
  /** @param {[string, string][]} options value and label */
  const fill = (options) => {
    const current = chosen();
    const values = new Set(options.map(([v]) => v));
    if (current && !values.has(current)) options.push([current, current]);
    mount(select, h('option', { value: '' }, 'All'), options.map(([v, label]) => h('option', { value: v, selected: v === current }, label)));
  };
  fill([]);
  return { select, wrap, fill };
}

/** @param {string[]} xs */
const uniq = (xs) => [...new Set(xs)];
/** @type {(x: string) => [string, string]} */
const same = (x) => [x, x];

/**
 * @param {{ filter: RobotFilter, exchangeName: (id: string) => string, onChange(filter: RobotFilter): void }} options
 * @returns {{ el: HTMLElement, setRobots(all: RobotSummary[]): void, setStrategies(ids: string[]): void }}
 */
export function robotFilters({ filter, exchangeName, onChange }) {
  const selects = Object.fromEntries(FILTERS.map((k) => [k, filterSelect(k, () => filter[k] ?? '')]));
  /** @type {RobotSummary[]} */
  let every = [];
  function fill() {
    const markets = filter.exchange ? every.filter((r) => r.exchange === filter.exchange) : every;
    const byName = (/** @type {[string, string]} */ a, /** @type {[string, string]} */ b) => a[1].localeCompare(b[1]);
    selects.exchange.fill(uniq(every.map((r) => r.exchange)).map((x) => /** @type {[string, string]} */ ([x, exchangeName(x)])).sort(byName));
    selects.symbol.fill(uniq(markets.map((r) => r.symbol)).sort().map(same));
    selects.timeframe.fill(uniq(every.map((r) => r.timeframe)).sort((a, b) => timeframeMinutes(a) - timeframeMinutes(b)).map(same));
  }
  for (const k of FILTERS) {
    selects[k].select.addEventListener('change', () => {
      filter = { ...filter, [k]: selects[k].select.value };
      if (k === 'exchange') {
        if (filter.symbol && filter.exchange && !every.some((r) => r.exchange === filter.exchange && r.symbol === filter.symbol)) filter.symbol = '';
        fill();
      }
      onChange(filter);
    });
  }
  const clear = h('button', { type: 'button', class: 'btn btn--ghost btn--small' }, 'Clear filters');
  clear.addEventListener('click', () => {
    filter = {};
    fill();
    for (const k of FILTERS) selects[k].select.value = '';
    onChange(filter);
  });
  const el = h('section', { class: 'panel', 'aria-label': 'Filters' },
    h('form', { class: 'filters', on: { submit: (/** @type {Event} */ e) => e.preventDefault() } },
      FILTERS.map((k) => selects[k].wrap), h('div', { class: 'filters__actions' }, clear)));
  return {
    el,
    setRobots(all) {
      // Filled again only when the choices change: a select the user holds open stays open.
      const choices = (/** @type {RobotSummary[]} */ rs) => JSON.stringify(rs.map((r) => [r.exchange, r.symbol, r.timeframe]).sort());
      const changed = choices(all) !== choices(every);
      every = all;
      if (changed) fill();
    },
    setStrategies(ids) {
      selects.strategy.fill(ids.map(same));
    },
  };
}
