// @ts-check
// A user robot (/user-robots/ID): the robot it follows, its account, status (and why, when paused), volume,
// statistics of its real fills, its positions and its orders. Read again on every robot event.
import { h, mount } from '../dom.js';
import * as accounts from '../accounts.js';
import { amount, dateTime, fixed, percent } from '../format.js';
import * as ur from '../user-robots.js';
import { positionText, volumeText } from '../components/my-robots.js';

/** @param {string} title @param {string[]} heads @param {HTMLTableRowElement[]} rows @param {string} cls */
function tableOf(title, heads, rows, cls) {
  return h('section', { class: 'panel', 'aria-label': title }, h('h2', {}, title),
    rows.length
      ? h('div', { class: 'table-wrap' }, h('table', { class: `table ${cls}` },
        h('thead', {}, h('tr', {}, heads.map((t) => h('th', { scope: 'col' }, t)))), h('tbody', {}, rows)))
      : h('p', { class: 'empty' }, `No ${title.toLowerCase()} yet.`));
}

/** @param {import('../user-robots.js').UserPosition} p */
function positionRow(p) {
  const profit = p.profit === null ? null : Number(p.profit);
  return h('tr', { dataset: { positionId: p.id } },
    h('td', {}, p.side), h('td', {}, amount(p.entered)), h('td', {}, amount(p.entry_price)),
    h('td', {}, p.closed_at ? amount(p.exit_price) : 'open'), h('td', {}, amount(p.fees)),
    h('td', { class: profit === null ? '' : profit > 0 ? 'pos' : profit < 0 ? 'neg' : '' }, p.profit === null ? '—' : fixed(p.profit, 2)),
    h('td', {}, dateTime(p.opened_at)), h('td', {}, p.closed_at ? dateTime(p.closed_at) : '—'));
}

/** @param {import('../user-robots.js').UserOrder} o */
function orderRow(o) {
  return h('tr', { dataset: { orderId: o.id } },
    h('td', {}, dateTime(o.created_at)), h('td', {}, o.side), h('td', {}, o.type), h('td', {}, amount(o.amount)),
    h('td', {}, amount(o.filled)), h('td', {}, amount(o.average_price)),
    // A fee the venue tells apart (its trades) comes a little after the fill.
    h('td', {}, o.fee_pending ? `${amount(o.fee)} (pending)` : amount(o.fee)),
    h('td', { dataset: { key: 'state' } }, o.state), h('td', { class: 'mono small' }, o.client_order_id), h('td', { class: 'small' }, o.note));
}

/** @param {import('../user-robots.js').UserRobot} u @param {string} name */
function summary(u, name) {
  const account = accounts.byId(u.account_id);
  const s = u.statistics;
  const facts = [['Status', u.status], ['Account', account?.name ?? `Account ${u.account_id}`], ['Volume', volumeText(u)],
    ...(u.leverage === null ? [] : [['Leverage', `${u.leverage}×`]]),
    ['Position', positionText(u)], ['Closed positions', fixed(s.positions, 0)], ['Wins', fixed(s.wins, 0)],
    ['Win rate', percent(s.win_rate, 2)], ['Net profit', fixed(s.net_profit, 2)], ['Fees', amount(s.fees)]];
  return [
    h('div', { class: 'page-head' }, h('p', { class: 'crumbs' }, h('a', { href: '/robots' }, 'Robots'), ' / My Robots'),
      h('h1', { tabindex: '-1' }, name)),
    u.status === 'paused' && u.message ? h('p', { class: 'msg msg--warn', role: 'status' }, `Paused: ${u.message}`) : null,
    h('section', { class: 'panel', 'aria-label': 'Statistics' }, h('h2', {}, 'Statistics'),
      h('dl', { class: 'robot-facts user-robot-facts' }, facts.map(([k, v]) => [h('dt', {}, k), h('dd', { dataset: { key: k } }, v)]))),
  ];
}

/** @type {import('../app.js').Page} */
export default {
  title: 'My robot',
  render(main, ctx) {
    const id = Number(ctx.params[0]);
    mount(main, h('p', { class: 'loading' }, 'Loading the robot…'));
    let seq = 0;
    async function load() {
      const mine = ++seq;
      try {
        const [u, positions, orders, robots] = await Promise.all([ur.userRobot(id), ur.userPositions(id), ur.userOrders(id), ur.followable()]);
        if (mine !== seq) return;
        const name = robots.find((r) => r.id === u.robot_id)?.name ?? `Robot ${u.robot_id}`;
        document.title = `${name} · tradebridge`;
        mount(main, summary(u, name),
          tableOf('Positions', ['Side', 'Amount', 'Entry', 'Exit', 'Fees', 'Profit', 'Opened', 'Closed'], positions.map(positionRow), 'user-positions'),
          tableOf('Orders', ['Time', 'Side', 'Type', 'Amount', 'Filled', 'Avg price', 'Fee', 'State', 'Client id', 'Note'], orders.map(orderRow), 'user-orders'));
      } catch (e) {
        if (mine !== seq) return;
        const missing = e.status === 404;
        mount(main, h('section', { class: 'panel', role: 'alert' },
          h('h1', { tabindex: '-1' }, missing ? 'No such robot of yours' : 'The robot could not be loaded'),
          h('p', {}, missing ? `You have no user robot #${id}.` : e.message),
          h('p', {}, h('a', { href: '/robots' }, 'Back to Robots'))));
      }
    }
    load();
    const off = ur.onRobotsChanged((type, data) => {
      if (type === 'refresh' || !data || data.id === id || data.user_robot_id === id) load();
    });
    return () => {
      off();
      seq += 1;
    };
  },
};
