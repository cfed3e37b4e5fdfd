// @ts-check
// The robots' catalogue as a table sorted by any column: a click on a header sorts by it (numbers largest
// first, words A to Z), a second click reverses. Robots without the value (no trades yet) stay last.
import { h, mount } from '../dom.js';
import { fixed } from '../format.js';
import { formatStat, statNumber, signClass } from '../robots.js';

/** @typedef {import('../robots.js').RobotSummary} RobotSummary */
/** @typedef {'asc' | 'desc'} Direction */
/** @typedef {{ key: string, dir: Direction }} SortState */
/**
 * @typedef {{ key: string, label: string, num: boolean, value: (r: RobotSummary) => number | string | null,
 *   cell: (r: RobotSummary) => import('../dom.js').Child, className?: (r: RobotSummary) => string }} Column
 */

const TIMEFRAME_UNITS = /** @type {Record<string, number>} */ ({ m: 1, h: 60, d: 1440, w: 10080 });

/** @param {string} tf "1h" -> 60 (minutes), so timeframes sort by length */
export function timeframeMinutes(tf) {
  const m = /^(\d+)([mhdw])$/.exec(tf);
  return m ? Number(m[1]) * (TIMEFRAME_UNITS[m[2]] ?? 0) : Number.MAX_SAFE_INTEGER;
}

// The catalogue's own robots are named "strategy market timeframe venue", which the other columns show: such
// a robot goes by its strategy; one the operator named, by its name.
/** @param {RobotSummary} r */
export function shortName(r) {
  return r.name === `${r.strategy} ${r.symbol} ${r.timeframe} ${r.exchange}` ? r.strategy : r.name;
}

/** @param {RobotSummary} r what the statistics cover so far */
function progress(r) {
  if (!r.candles) return 'no candles yet';
  if (r.candles < r.warmup_bars) return `warming up: ${r.candles} of ${r.warmup_bars} candles`;
  return `#${r.id} · ${r.candles} candles`;
}

/**
 * A column of one statistic over all trades.
 * @param {keyof import('../robots.js').Stats} key
 * @param {string} label
 * @param {import('../robots.js').StatKind} kind
 * @param {boolean} [signed] coloured by its sign
 * @returns {Column}
 */
function statColumn(key, label, kind, signed = false) {
  return {
    key,
    label,
    num: true,
    value: (r) => statNumber(r.stats.all, key),
    cell: (r) => formatStat(kind, r.stats.all[key]),
    className: signed ? (r) => signClass(statNumber(r.stats.all, key)) : undefined,
  };
}

/**
 * @param {(id: string) => string} exchangeName
 * @returns {Column[]}
 */
export function robotColumns(exchangeName) {
  return [
    {
      key: 'name', label: 'Robot', num: false, value: (r) => shortName(r).toLowerCase(),
      cell: (r) => [h('a', { href: `/robots/${r.id}`, class: 'robot-link', title: r.name }, shortName(r)),
        h('span', { class: 'robot-sub muted small' }, progress(r),
          r.open_position ? h('span', { class: `pos-badge pos-badge--${r.open_position.side}` }, `${r.open_position.side} open`) : null)],
    },
    { key: 'exchange', label: 'Exchange', num: false, value: (r) => exchangeName(r.exchange).toLowerCase(), cell: (r) => exchangeName(r.exchange) },
    { key: 'symbol', label: 'Market', num: false, value: (r) => r.symbol, cell: (r) => r.symbol },
    { key: 'timeframe', label: 'Timeframe', num: false, value: (r) => timeframeMinutes(r.timeframe), cell: (r) => r.timeframe },
    { key: 'trades', label: 'Trades', num: true, value: (r) => r.stats.all.trades, cell: (r) => fixed(r.stats.all.trades, 0) },
    statColumn('net_profit', 'Net profit', 'money', true),
    statColumn('net_profit_pct', 'Net profit %', 'pct', true),
    statColumn('win_rate', 'Win rate', 'pct'),
    statColumn('profit_factor', 'Profit factor', 'ratio'),
    statColumn('max_drawdown_pct', 'Max drawdown', 'pct'),
    statColumn('sharpe', 'Sharpe', 'ratio', true),
  ];
}

/**
 * The robots in the order of `sort`, those without a value last, ties by id.
 * @param {RobotSummary[]} robots
 * @param {Column} column
 * @param {Direction} dir
 */
export function sortRobots(robots, column, dir) {
  const sign = dir === 'asc' ? 1 : -1;
  return [...robots].sort((a, b) => {
    const va = column.value(a);
    const vb = column.value(b);
    if (va === null || vb === null) return va === vb ? a.id - b.id : va === null ? 1 : -1;
    const c = typeof va === 'number' && typeof vb === 'number' ? va - vb : String(va).localeCompare(String(vb));
    return c === 0 ? a.id - b.id : sign * c;
  });
}

/**
 * @param {{ columns: Column[], sort: SortState, onSort(sort: SortState): void }} options
 * @returns {{ el: HTMLElement, show(robots: RobotSummary[]): void }}
 */
export function robotTable({ columns, sort, onSort }) {
  const head = h('tr');
  const body = h('tbody');
  /** @type {RobotSummary[]} */
  let shown = [];
  const column = () => columns.find((c) => c.key === sort.key) ?? columns[0];

  function renderHead() {
    mount(head, columns.map((c) => {
      const active = c.key === column().key;
      const button = h('button', { type: 'button', class: 'sort', dataset: { sort: c.key } },
        c.label, h('span', { class: 'sort__arrow', 'aria-hidden': 'true' }, active ? (sort.dir === 'asc' ? '▲' : '▼') : ''));
      button.addEventListener('click', () => {
        sort = { key: c.key, dir: active ? (sort.dir === 'asc' ? 'desc' : 'asc') : c.num ? 'desc' : 'asc' };
        onSort(sort);
        renderHead();
        renderBody();
        // The header was drawn again: the focus goes to its new button, for keyboard users.
        /** @type {HTMLButtonElement | null} */ (head.querySelector(`button[data-sort="${c.key}"]`))?.focus();
      });
      return h('th', { scope: 'col', class: c.num ? 'num' : '', 'aria-sort': active ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none' }, button);
    }));
  }

  function renderBody() {
    const c = column();
    mount(body, sortRobots(shown, c, sort.dir).map((r) => h('tr', { dataset: { robotId: r.id } },
      columns.map((col, i) => h(i === 0 ? 'th' : 'td', {
        scope: i === 0 ? 'row' : null, class: [col.num ? 'num' : '', col.className?.(r) ?? ''], dataset: { key: col.key },
      }, col.cell(r))))));
  }

  renderHead();
  const el = h('div', { class: 'table-wrap panel robots-wrap' }, h('table', { class: 'table robots-table' },
    h('caption', { class: 'sr-only' }, 'Robots, sortable by each column'), h('thead', {}, head), body));
  return {
    el,
    show(robots) {
      shown = robots;
      renderBody();
    },
  };
}
