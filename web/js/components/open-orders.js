// @ts-check
// An account's open orders on the exchange (GET /exchange-accounts/{id}/orders), asked when the section is
// opened: each with its real type, trigger and limit in the server's words ("Stop limit · trigger 55 · limit
// 54"), and whose it is — a user robot's, tradebridge's own, or placed outside tradebridge.
import { get } from '../api.js';
import { paths } from '../api-paths.js';
import { h, mount } from '../dom.js';
import { amount } from '../format.js';

/**
 * @typedef {{ id: string, client_order_id: string, symbol: string, side: string, type: string, venue_type: string,
 *   status: string, amount: string, filled: string, price: string | null, trigger_price: string | null,
 *   reduce_only: boolean, description: string, ours: boolean, user_robot_id: number | null }} AccountOrder
 */

/** @param {number} id @returns {Promise<AccountOrder[]>} */
export async function accountOrders(id) {
  /** @type {{ orders: AccountOrder[] }} */
  const r = await get(paths.accountOrders(id));
  return r.orders;
}

/** @param {AccountOrder} o */
function whose(o) {
  if (!o.ours) return h('span', { class: 'foreign' }, 'placed outside tradebridge');
  if (o.user_robot_id === null) return 'tradebridge';
  return h('a', { href: `/user-robots/${o.user_robot_id}` }, `User robot ${o.user_robot_id}`);
}

/** @param {AccountOrder} o */
function row(o) {
  return h('tr', { dataset: { orderId: o.id, ours: String(o.ours) } },
    h('td', {}, o.symbol), h('td', {}, o.side), h('td', { dataset: { key: 'type' } }, o.description),
    h('td', {}, amount(o.amount)), h('td', {}, amount(o.filled)), h('td', {}, o.reduce_only ? 'yes' : 'no'),
    h('td', { dataset: { key: 'whose' } }, whose(o)));
}

/** @param {AccountOrder[]} orders */
function table(orders) {
  if (!orders.length) return h('p', { class: 'empty' }, 'No open orders on the exchange.');
  const heads = ['Market', 'Side', 'Type', 'Amount', 'Filled', 'Reduce only', 'Placed by'];
  return h('div', { class: 'table-wrap' }, h('table', { class: 'table open-orders' },
    h('thead', {}, h('tr', {}, heads.map((t) => h('th', { scope: 'col' }, t)))), h('tbody', {}, orders.map(row))));
}

/**
 * The section of an account's card: read from the exchange each time it is opened.
 * @param {number} accountId
 */
export function openOrdersSection(accountId) {
  const body = h('div', { 'aria-live': 'polite' });
  const details = h('details', { class: 'account__orders' }, h('summary', {}, 'Open orders on the exchange'), body);
  let seq = 0;
  async function load() {
    const mine = ++seq;
    mount(body, h('p', { class: 'loading' }, 'Asking the exchange…'));
    try {
      const orders = await accountOrders(accountId);
      if (mine === seq) mount(body, table(orders));
    } catch (e) {
      if (mine === seq) mount(body, h('p', { class: 'msg msg--error', role: 'alert' }, e instanceof Error ? e.message : String(e)));
    }
  }
  details.addEventListener('toggle', () => {
    if (details.open) load();
  });
  return details;
}
