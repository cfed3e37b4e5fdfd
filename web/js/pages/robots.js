// @ts-check
// Robots: the catalogue of trading robots with the statistics of their runs, filtered by exchange, market,
// timeframe and strategy (the API filters), sorted by any column. The filters and the order live in the
// address (?exchange=…&sort=sharpe&dir=desc), so a view can be bookmarked and Back returns to it. The
// statistics move as candles close: the list is read again every 15 seconds while the page is shown.
import { h, mount } from '../dom.js';
import { exchanges } from '../exchanges.js';
import { listRobots, strategies } from '../robots.js';
import { robotColumns, robotTable } from '../components/robot-table.js';
import { FILTERS, robotFilters } from '../components/robot-filters.js';
import { readyAccounts } from '../components/ready-accounts.js';
import { myRobots } from '../components/my-robots.js';
import { signalRobotForm } from '../components/signal-robot-form.js';

const REFRESH_MS = 15000;

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

/** @type {import('../app.js').Page} */
export default {
  title: 'Robots',
  render(main) {
    let { filter, sort } = readAddress();
    /** @type {Record<string, string>} */
    let names = {};
    const exchangeName = (/** @type {string} */ id) => names[id] ?? id;
    const count = h('p', { class: 'muted robots-count', role: 'status' }, 'Loading robots…');
    const error = h('div', { class: 'msg msg--error', role: 'alert', hidden: true });
    const table = robotTable({ columns: robotColumns(exchangeName), sort, onSort: (s) => {
      sort = s;
      writeAddress(filter, sort);
    } });
    const filters = robotFilters({ filter, exchangeName, onChange: (f) => {
      filter = f;
      writeAddress(filter, sort);
      load();
    } });
    const ready = readyAccounts();
    const mine = myRobots();
    mount(main,
      h('div', { class: 'page-head' }, h('h1', { tabindex: '-1' }, 'Robots'),
        h('p', { class: 'muted' }, 'Trading robots and how their strategies did: a backtest over the candles the platform keeps, then live as new candles close. Open a robot for its chart, trades and equity curve.')),
      mine.el, signalRobotForm({ onCreated: () => { mine.reload(); } }),
      filters.el, error, count, table.el, ready.el);

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
        if (FILTERS.every((k) => !filter[k])) filters.setRobots(robots);
        const key = JSON.stringify(robots);
        if (key === shown) return;
        shown = key;
        table.show(robots);
      } catch (e) {
        if (mine !== seq) return;
        mount(error, h('p', {}, `The robots could not be loaded: ${e.message}`));
        error.hidden = false;
      }
    }

    // The filters' choices come from every robot, whatever the filters of the address.
    async function start() {
      names = Object.fromEntries((await exchanges().catch(() => [])).map((x) => [x.id, x.name]));
      strategies().then((list) => filters.setStrategies(list.map((s) => s.id))).catch(() => {});
      if (FILTERS.some((k) => filter[k])) listRobots().then((all) => filters.setRobots(all)).catch(() => {});
      await load();
    }
    start();
    const timer = setInterval(() => {
      if (!document.hidden) load();
    }, REFRESH_MS);
    return () => {
      clearInterval(timer);
      ready.stop();
      mine.stop();
      seq += 1;
    };
  },
};
