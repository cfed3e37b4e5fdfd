// @ts-check
// Robots: the catalogue of trading robots with the statistics of their runs, filtered by exchange, market,
// timeframe and strategy (the API filters), sorted by any column. The filters and the order live in the
// address (?exchange=…&sort=sharpe&dir=desc), so a view can be bookmarked and Back returns to it. The
// statistics move as candles close: the list is read again every 15 seconds while the page is shown.
import { h, mount } from '../dom.js';
import { exchanges } from '../exchanges.js';
import { listRobots, strategies } from '../robots.js';
import { field } from '../ui.js';
import { robotColumns, robotTable, timeframeMinutes } from '../components/robot-table.js';
import { readyAccounts } from '../components/ready-accounts.js';

const REFRESH_MS = 15000;
/** @type {(keyof import('../robots.js').RobotFilter)[]} */
const FILTERS = ['exchange', 'symbol', 'timeframe', 'strategy'];
/** @type {Record<string, string>} */
const LABELS = { exchange: 'Exchange', symbol: 'Market', timeframe: 'Timeframe', strategy: 'Strategy' };

/** The filters and order in the address. */
function readAddress() {
  const q = new URLSearchParams(location.search);
  /** @type {import('../robots.js').RobotFilter} */
  const filter = {};
  for (const k of FILTERS) filter[k] = q.get(k) ?? '';
  /** @type {import('../components/robot-table.js').SortState} */
  const sort = { key: q.get('sort') || 'net_profit', dir: q.get('dir') === 'asc' ? 'asc' : 'desc' };
  return { filter, sort };
}

/**
 * @param {import('../robots.js').RobotFilter} filter
 * @param {import('../components/robot-table.js').SortState} sort
 */
function writeAddress(filter, sort) {
  const q = new URLSearchParams();
  for (const k of FILTERS) if (filter[k]) q.set(k, filter[k] ?? '');
  q.set('sort', sort.key);
  q.set('dir', sort.dir);
  history.replaceState(null, '', `/robots?${q}`);
}

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

/** @type {import('../app.js').Page} */
export default {
  title: 'Robots',
  render(main) {
    let { filter, sort } = readAddress();
    /** @type {Record<string, string>} */
    let names = {};
    const exchangeName = (/** @type {string} */ id) => names[id] ?? id;
    const selects = Object.fromEntries(FILTERS.map((k) => [k, filterSelect(k, () => filter[k] ?? '')]));
    const count = h('p', { class: 'muted robots-count', role: 'status' }, 'Loading robots…');
    const error = h('div', { class: 'msg msg--error', role: 'alert', hidden: true });
    const table = robotTable({ columns: robotColumns(exchangeName), sort, onSort: (s) => {
      sort = s;
      writeAddress(filter, sort);
    } });
    const ready = readyAccounts();
    const clear = h('button', { type: 'button', class: 'btn btn--ghost btn--small' }, 'Clear filters');
    mount(main,
      h('div', { class: 'page-head' }, h('h1', { tabindex: '-1' }, 'Robots'),
        h('p', { class: 'muted' }, 'Trading robots and how their strategies did: a backtest over the candles the platform keeps, then live as new candles close. Open a robot for its chart, trades and equity curve.')),
      h('section', { class: 'panel', 'aria-label': 'Filters' },
        h('form', { class: 'filters', on: { submit: (/** @type {Event} */ e) => e.preventDefault() } }, FILTERS.map((k) => selects[k].wrap), h('div', { class: 'filters__actions' }, clear))),
      error, count, table.el, ready.el);

    /** @type {import('../robots.js').RobotSummary[]} */
    let every = [];
    // The choices come from every robot, whatever the filters; the markets from the chosen exchange's.
    /** @param {import('../robots.js').RobotSummary[]} [all] */
    function fillOptions(all = every) {
      every = all;
      const uniq = (/** @type {string[]} */ xs) => [...new Set(xs)];
      const markets = filter.exchange ? all.filter((r) => r.exchange === filter.exchange) : all;
      /** @type {(x: string) => [string, string]} */
      const same = (x) => [x, x];
      selects.exchange.fill(uniq(all.map((r) => r.exchange)).map((x) => /** @type {[string, string]} */ ([x, exchangeName(x)])).sort((a, b) => a[1].localeCompare(b[1])));
      selects.symbol.fill(uniq(markets.map((r) => r.symbol)).sort().map(same));
      selects.timeframe.fill(uniq(all.map((r) => r.timeframe)).sort((a, b) => timeframeMinutes(a) - timeframeMinutes(b)).map(same));
    }

    let seq = 0;
    let shown = ''; // what the table shows: an unchanged answer leaves it (and the focus in it) alone
    async function load() {
      const mine = ++seq;
      try {
        const robots = await listRobots(filter);
        if (mine !== seq) return;
        error.hidden = true;
        const n = robots.length;
        count.textContent = n ? `${n} robot${n === 1 ? '' : 's'}${FILTERS.some((k) => filter[k]) ? ' match these filters' : ''}.` : 'No robot matches these filters.';
        const key = JSON.stringify(robots);
        if (key === shown) return;
        shown = key;
        if (FILTERS.every((k) => !filter[k])) fillOptions(robots);
        table.show(robots);
      } catch (e) {
        if (mine !== seq) return;
        mount(error, h('p', {}, `The robots could not be loaded: ${e.message}`));
        error.hidden = false;
      }
    }

    async function start() {
      names = Object.fromEntries((await exchanges().catch(() => [])).map((x) => [x.id, x.name]));
      strategies().then((list) => selects.strategy.fill(list.map((s) => /** @type {[string, string]} */ ([s.id, s.id])))).catch(() => {});
      if (FILTERS.some((k) => filter[k])) listRobots().then((all) => fillOptions(all)).catch(() => {});
      await load();
    }

    for (const k of FILTERS) {
      selects[k].select.addEventListener('change', () => {
        filter = { ...filter, [k]: selects[k].select.value };
        // A market of another exchange would match nothing: the market filter goes with the exchange.
        if (k === 'exchange' && filter.symbol && filter.exchange && !every.some((r) => r.exchange === filter.exchange && r.symbol === filter.symbol)) filter.symbol = '';
        if (k === 'exchange') fillOptions();
        writeAddress(filter, sort);
        load();
      });
    }
    clear.addEventListener('click', () => {
      filter = {};
      for (const k of FILTERS) selects[k].select.value = '';
      fillOptions();
      writeAddress(filter, sort);
      load();
    });
    start();
    const timer = setInterval(() => {
      if (!document.hidden) load();
    }, REFRESH_MS);
    return () => {
      clearInterval(timer);
      ready.stop();
      seq += 1;
    };
  },
};
