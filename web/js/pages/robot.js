// @ts-check
// A robot (/robots/ID): what it trades and with which parameters, its market's candles with its trades marked,
// the statistics of all, long and short trades, the equity curve, and the trades. Read again every 30 seconds
// while shown: a running robot's statistics move as candles close.
import { h, mount } from '../dom.js';
import { ApiError } from '../api.js';
import { exchanges } from '../exchanges.js';
import { amount, date, dateTime, fixed } from '../format.js';
import { robotReport, robotCandles, strategies } from '../robots.js';
import { candleChart } from '../components/candle-chart.js';
import { equityChart } from '../components/equity-chart.js';
import { statsTable, paramsList, tradesTable } from '../components/robot-stats.js';
import { startDialog } from '../components/start-dialog.js';

const REFRESH_MS = 30000;

/** @typedef {import('../robots.js').RobotReport} RobotReport */
/** @typedef {{ el: HTMLElement, redraw(): void, stop(): void }} Chart */

/**
 * @param {string} id
 * @param {string} title
 * @param {import('../dom.js').Child[]} children
 */
function panel(id, title, ...children) {
  return h('section', { class: 'panel', id, 'aria-labelledby': `${id}-title` }, h('h2', { id: `${id}-title` }, title), children);
}

/**
 * The lines under the title: market, timeframe, status, and the span of candles the statistics cover.
 * @param {RobotReport} r
 * @param {string} exchangeName
 */
function summary(r, exchangeName) {
  const span = r.candles ? `${fixed(r.candles, 0)} candles, ${date(r.from)} to ${date(r.to)}.` : 'No candles yet: they arrive as the platform reads the market.';
  return [
    h('p', { class: 'robot-facts' }, `${r.strategy} on ${exchangeName} ${r.symbol}, ${r.timeframe} candles · `, h('span', { class: `status status--${r.status}` }, r.status)),
    h('p', { class: 'muted small' }, span,
      r.candles < r.warmup_bars ? ` The strategy needs ${r.warmup_bars} candles before its first signal.` : '',
      r.skipped ? ` ${r.skipped} entries skipped: below the market's minimum amount.` : ''),
  ];
}

const LEGEND = [['marker--entry marker--long', '▲ long entry'], ['marker--entry marker--short', '▼ short entry'], ['marker--exit', '● exit'], ['marker--open', '◆ open position']];

/**
 * @param {RobotReport} r
 * @param {import('../robots.js').Candle[]} candles
 * @param {Chart[]} charts the charts drawn, to stop with the page
 */
function chartPanels(r, candles, charts) {
  /** @type {HTMLElement} */
  let price = h('p', { class: 'muted' }, 'No candles yet.');
  if (candles.length) {
    const c = candleChart({ candles, trades: r.trades, open: r.open_position, label: `${r.symbol} ${r.timeframe} candles with ${r.trades.length} trades marked` });
    charts.push(c);
    price = c.el;
  }
  /** @type {HTMLElement} */
  let equity = h('p', { class: 'muted' }, 'The curve starts with the first closed trade.');
  if (r.equity.length >= 2) {
    const last = r.equity[r.equity.length - 1][1];
    const e = equityChart({ points: r.equity, label: `Equity after each trade, now ${fixed(last)}` });
    charts.push(e);
    equity = e.el;
  }
  return [
    panel('robot-chart', 'Price and trades', h('ul', { class: 'legend small' }, LEGEND.map(([cls, text]) => h('li', { class: cls }, text))), price),
    panel('robot-equity', 'Equity curve', h('p', { class: 'muted small' }, 'Net profit after each closed trade, in the market\'s quote currency.'), equity),
  ];
}

/** @type {import('../app.js').Page} */
export default {
  title: 'Robot',
  render(main, ctx) {
    const id = Number(ctx.params[0]);
    const body = h('div', { class: 'robot' }, h('p', { class: 'loading' }, 'Loading the robot…'));
    mount(main, h('p', { class: 'crumbs' }, h('a', { href: '/robots' }, '← All robots')), body);
    /** @type {Chart[]} */
    let charts = [];
    let seq = 0;
    let shown = '';

    async function load() {
      const mine = ++seq;
      try {
        const [r, candles, list, venues] = await Promise.all([robotReport(id), robotCandles(id), strategies().catch(() => []), exchanges().catch(() => [])]);
        if (mine !== seq) return;
        const key = JSON.stringify([r, candles.length, candles[candles.length - 1]]);
        if (key === shown) return; // nothing new: the page (and the focus in it) stays
        shown = key;
        const strategy = list.find((s) => s.id === r.strategy);
        const fresh = /** @type {Chart[]} */ ([]);
        document.title = `${r.name} · tradebridge`;
        mount(body,
          h('div', { class: 'page-head' }, h('h1', { tabindex: '-1' }, r.name), summary(r, venues.find((v) => v.id === r.exchange)?.name ?? r.exchange),
            h('button', { type: 'button', class: 'btn', on: { click: () => follow(r) } }, 'Follow this robot')),
          panel('robot-params', 'Parameters', strategy ? h('p', { class: 'muted' }, strategy.description) : null, paramsList(r, strategy)),
          chartPanels(r, candles, fresh),
          panel('robot-stats', 'Statistics', statsTable(r)),
          panel('robot-trades', 'Trades', r.open_position
            ? h('p', { class: 'open-note' }, `Open ${r.open_position.side} position since ${dateTime(r.open_position.entry_time)} at ${amount(r.open_position.entry_price)}, amount ${amount(r.open_position.amount)} (not in the statistics until it closes).`)
            : null, tradesTable(r)));
        for (const c of charts) c.stop();
        charts = fresh;
        for (const c of charts) c.redraw();
        if (mine === 1) /** @type {HTMLElement | null} */ (body.querySelector('h1'))?.focus({ preventScroll: true });
      } catch (e) {
        if (mine !== seq) return;
        const missing = e instanceof ApiError && e.status === 404;
        mount(body, h('section', { class: 'panel', role: 'alert' },
          h('h1', { tabindex: '-1' }, missing ? 'No such robot' : 'The robot could not be loaded'),
          h('p', {}, missing ? `There is no robot #${ctx.params[0]}.` : e.message),
          h('p', {}, h('a', { href: '/robots' }, 'See all robots'))));
      }
    }

    // Started from here, the new user robot shows in My Robots.
    async function follow(/** @type {RobotReport} */ r) {
      if (await startDialog({ robot: r })) ctx.navigate('/robots');
    }

    load();
    const timer = setInterval(() => {
      if (!document.hidden) load();
    }, REFRESH_MS);
    return () => {
      clearInterval(timer);
      seq += 1;
      for (const c of charts) c.stop();
    };
  },
};
