// @ts-check
// Portfolio: the USD total, its history as a chart (uPlot, loaded from this origin), and the balances of each
// enabled account.
import { h, mount, uid } from '../dom.js';
import { get } from '../api.js';
import { paths } from '../api-paths.js';
import * as accounts from '../accounts.js';
import { exchanges } from '../exchanges.js';
import { usd, amount, timeEl } from '../format.js';

/** @typedef {{ at: string, usd_total: string }} HistoryPoint */
/** GET /portfolio/history. @typedef {{ bucket: string, points: HistoryPoint[] }} History */
/**
 * GET /portfolio: the enabled accounts with their holdings.
 * @typedef {{ usd_total: string, accounts: { id: number, name: string, exchange: string, usd_total: string,
 *   balances: import('../accounts.js').Balance[], positions: import('../accounts.js').Position[],
 *   last_checked_at: string | null }[] }} Portfolio
 */

/** @type {[number, string][]} */
const RANGES = [
  [1, '24 hours'],
  [7, '7 days'],
  [30, '30 days'],
  [90, '90 days'],
];

const compactUsd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', notation: 'compact', maximumFractionDigits: 2 });

/** @type {Promise<typeof import('uplot')> | null} */
let uplotModule = null;
function loadUplot() {
  uplotModule ??= import('/vendor/uplot.esm.js').then((m) => m.default).catch((e) => {
    uplotModule = null;
    throw e;
  });
  return uplotModule;
}

/**
 * @param {number} width
 * @param {HistoryPoint[]} points
 * @returns {import('uplot').Options}
 */
function chartOptions(width, points) {
  const xs = points.map((p) => Date.parse(p.at) / 1000);
  const single = xs.length === 1;
  return {
    width,
    height: width < 500 ? 200 : 260,
    legend: { show: false },
    cursor: { drag: { x: false, y: false } },
    scales: {
      x: { time: true, range: single ? [xs[0] - 3600, xs[0] + 3600] : undefined },
      y: { range: (u, min, max) => (min === max ? [min * 0.9, max * 1.1 || 1] : [min - (max - min) * 0.1, max + (max - min) * 0.1]) },
    },
    axes: [
      { stroke: '#4b5563', grid: { stroke: '#eef0f4' } },
      { stroke: '#4b5563', grid: { stroke: '#eef0f4' }, size: 70, values: (u, vals) => vals.map((v) => compactUsd.format(v)) },
    ],
    series: [
      {},
      { label: 'Total (USD)', stroke: '#1d4ed8', width: 2, fill: 'rgba(29, 78, 216, 0.10)', points: { show: xs.length < 40, size: 7 } },
    ],
  };
}

function chartSection() {
  let days = 7;
  /** @type {import('uplot') | null} */
  let chart = null;
  /** @type {ResizeObserver | null} */
  let observer = null;
  let seq = 0;
  const titleId = uid('chart');
  const plot = h('div', { class: 'chart', role: 'img', 'aria-labelledby': titleId });
  const note = h('p', { class: 'muted chart__note' });
  const table = h('details', { class: 'chart__table' });
  const buttons = RANGES.map(([d, label]) => {
    const b = h('button', { type: 'button', class: 'seg__btn', 'aria-pressed': String(d === days), dataset: { days: d } }, label);
    b.addEventListener('click', () => {
      days = d;
      for (const x of buttons) x.setAttribute('aria-pressed', String(x === b));
      load();
    });
    return b;
  });
  const section = h('section', { class: 'panel', 'aria-labelledby': titleId },
    h('div', { class: 'panel__head' },
      h('h2', { id: titleId }, 'Total over time'),
      h('div', { class: 'seg', role: 'group', 'aria-label': 'Period' }, buttons)),
    plot, note, table);

  function destroy() {
    chart?.destroy();
    chart = null;
    observer?.disconnect();
    observer = null;
  }

  async function load() {
    const mine = ++seq;
    /** @type {History} */
    let r;
    try {
      r = await get(paths.portfolioHistory(days));
    } catch (e) {
      if (mine !== seq) return;
      destroy();
      mount(plot);
      note.textContent = `The history could not be loaded: ${e.message}`;
      return;
    }
    if (mine !== seq) return;
    const points = r.points;
    destroy();
    mount(plot);
    mount(table, h('summary', {}, 'Show as a table'),
      h('table', { class: 'table' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Time'), h('th', { scope: 'col', class: 'num' }, 'Total (USD)'))),
        h('tbody', {}, points.map((p) => h('tr', {}, h('td', {}, new Date(p.at).toLocaleString()), h('td', { class: 'num' }, usd(p.usd_total)))))));
    table.hidden = points.length === 0;
    if (!points.length) {
      plot.dataset.empty = 'true';
      note.textContent = 'No balance snapshots yet: the chart fills in as your keys are tested and re-checked.';
      return;
    }
    delete plot.dataset.empty;
    const first = points[0];
    const last = points[points.length - 1];
    plot.setAttribute('aria-label', `Total in USD over the last ${RANGES.find(([d]) => d === days)?.[1] ?? `${days} days`}: from ${usd(first.usd_total)} to ${usd(last.usd_total)}`);
    note.textContent = points.length === 1
      ? 'One snapshot so far: the line grows as the platform re-checks your keys.'
      : `${points.length} points, one per ${r.bucket}.`;
    try {
      const UPlot = await loadUplot();
      if (mine !== seq) return;
      /** @type {import('uplot').AlignedData} */
      const data = [points.map((p) => Date.parse(p.at) / 1000), points.map((p) => Number(p.usd_total))];
      chart = new UPlot(chartOptions(Math.max(plot.clientWidth, 260), points), data, plot);
      observer = new ResizeObserver(() => {
        const w = Math.max(plot.clientWidth, 260);
        if (chart && Math.abs(chart.width - w) > 2) chart.setSize({ width: w, height: w < 500 ? 200 : 260 });
      });
      observer.observe(plot);
    } catch {
      note.textContent += ' (The chart library is missing: run scripts/setup.sh. The table below has the same numbers.)';
      table.open = true;
    }
  }

  load();
  return { section, reload: load, stop: destroy };
}

/** @param {import('../accounts.js').Balance[] | undefined} balances */
function balancesTable(balances) {
  const rows = (balances ?? []).filter((b) => Number(b.total) !== 0 || Number(b.used) !== 0);
  if (!rows.length) return h('p', { class: 'muted' }, 'No balances.');
  return h('div', { class: 'table-wrap' }, h('table', { class: 'table balances' },
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, 'Asset'),
      h('th', { scope: 'col', class: 'num' }, 'Total'),
      h('th', { scope: 'col', class: 'num' }, 'Free'),
      h('th', { scope: 'col', class: 'num' }, 'In orders'))),
    h('tbody', {}, rows.map((b) => h('tr', { dataset: { asset: b.asset } },
      h('th', { scope: 'row' }, b.asset),
      h('td', { class: 'num mono' }, amount(b.total)),
      h('td', { class: 'num mono' }, amount(b.free)),
      h('td', { class: 'num mono' }, amount(b.used)))))));
}

/** @param {import('../accounts.js').Position[] | undefined} positions */
function positionsTable(positions) {
  if (!positions?.length) return null;
  return h('div', { class: 'table-wrap' }, h('table', { class: 'table positions' },
    h('caption', {}, 'Open positions'),
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, 'Market'),
      h('th', { scope: 'col', class: 'num' }, 'Size'),
      h('th', { scope: 'col', class: 'num' }, 'Entry price'),
      h('th', { scope: 'col', class: 'num' }, 'Unrealized P&L'))),
    h('tbody', {}, positions.map((p) => h('tr', {},
      h('th', { scope: 'row' }, p.symbol),
      h('td', { class: 'num mono' }, `${Number(p.amount) < 0 ? 'short ' : 'long '}${amount(p.amount.replace(/^-/, ''))}`),
      h('td', { class: 'num mono' }, amount(p.entry_price)),
      h('td', { class: 'num mono' }, amount(p.unrealized_pnl)))))));
}

/** @type {import('../app.js').Page} */
export default {
  title: 'Portfolio',
  render(main) {
    const total = h('p', { class: 'total__value', id: 'portfolio-total' }, '…');
    const sub = h('p', { class: 'muted' });
    const list = h('div', { class: 'holdings' });
    const chart = chartSection();
    mount(main,
      h('div', { class: 'page-head' }, h('h1', { tabindex: '-1' }, 'Portfolio')),
      h('section', { class: 'panel total', 'aria-labelledby': 'total-title' },
        h('h2', { id: 'total-title', class: 'total__label' }, 'Total balance'), total, sub),
      chart.section,
      h('section', { 'aria-labelledby': 'holdings-title' }, h('h2', { id: 'holdings-title', class: 'section-title' }, 'Balances by account'), list));

    let seq = 0;
    async function load() {
      const mine = ++seq;
      /** @type {Portfolio} */
      let p;
      /** @type {Record<string, string>} */
      let names = {};
      try {
        p = await get(paths.portfolio);
        names = Object.fromEntries((await exchanges().catch(() => [])).map((x) => [x.id, x.name]));
      } catch (e) {
        if (mine === seq) mount(list, h('div', { class: 'msg msg--error', role: 'alert' }, h('p', {}, `The portfolio could not be loaded: ${e.message}`)));
        return;
      }
      if (mine !== seq) return;
      total.textContent = usd(p.usd_total);
      total.dataset.usd = p.usd_total;
      const n = p.accounts.length;
      sub.textContent = n ? `Across ${n} exchange account${n === 1 ? '' : 's'} ready for trading.` : '';
      if (!n) {
        mount(list, h('div', { class: 'empty' },
          h('p', {}, 'No exchange account is ready yet.'),
          h('p', {}, h('a', { href: '/profile/keys/new', class: 'btn' }, 'ADD NEW KEY +'))));
        return;
      }
      mount(list, p.accounts.map((a) => h('article', { class: 'panel holding', dataset: { accountId: a.id }, 'aria-label': a.name },
        h('div', { class: 'panel__head' },
          h('div', {}, h('h3', {}, a.name), h('p', { class: 'muted small' }, (names[a.exchange] ?? a.exchange) === a.name ? 'checked ' : `${names[a.exchange] ?? a.exchange} · checked `, timeEl(a.last_checked_at))),
          h('p', { class: 'holding__total' }, usd(a.usd_total))),
        balancesTable(a.balances),
        positionsTable(a.positions))));
    }
    load();

    /** @type {ReturnType<typeof setTimeout> | undefined} */
    let timer;
    const unsubscribe = accounts.subscribe((change) => {
      if (change.type === 'step') return;
      clearTimeout(timer);
      timer = setTimeout(() => {
        load();
        chart.reload();
      }, 400);
    });
    return () => {
      unsubscribe();
      clearTimeout(timer);
      chart.stop();
    };
  },
};

