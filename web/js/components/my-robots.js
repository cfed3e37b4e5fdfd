// @ts-check
// My Robots: each user robot with its robot, status (and why, when paused), account, volume, position, P/L
// and win rate, and its actions: start (the start dialog), stop (close or keep), resume and delete. "Follow a
// robot" starts a new one from a catalogue robot or a signal robot. Read again on every robot event.
import { h, mount } from '../dom.js';
import * as accounts from '../accounts.js';
import { exchanges } from '../exchanges.js';
import { fixed, percent, amount } from '../format.js';
import { confirmDialog, messageBox, whileBusy } from '../ui.js';
import * as ur from '../user-robots.js';
import { startDialog, stopDialog } from './start-dialog.js';

/** @typedef {import('../user-robots.js').UserRobot} UserRobot */
/** @typedef {import('../user-robots.js').Followable} Followable */

/** @param {UserRobot} u */
export function volumeText(u) {
  const v = u.volume;
  if (v.type === 'balance_percent') return `${fixed(v.value, 0)}% of balance`;
  return `${amount(v.value)} ${v.type === 'quote_fixed' ? 'quote' : 'asset'}`;
}

/** @param {UserRobot} u */
export function positionText(u) {
  return u.position ? `${u.position.side} ${amount(u.position.amount)} @ ${amount(u.position.entry_price)}` : 'none';
}

/** @param {UserRobot} u @param {string} name */
function statusCell(u, name) {
  return h('td', { dataset: { key: 'status' } },
    h('span', { class: ['status', `status--${u.status}`] }, u.status),
    u.message ? h('p', { class: 'small muted', dataset: { key: 'message' } }, u.message) : null,
    h('span', { class: 'sr-only' }, ` ${name}`));
}

/** @returns {{ el: HTMLElement, reload(): Promise<void>, stop(): void }} */
export function myRobots() {
  /** @type {Map<number, Followable>} */
  let robots = new Map();
  const box = messageBox();
  const body = h('div', { class: 'table-wrap' });
  const pick = h('select', { name: 'follow', 'aria-label': 'Robot to follow' });
  const follow = h('button', { type: 'button', class: 'btn' }, 'Follow…');
  follow.addEventListener('click', async () => {
    const robot = robots.get(Number(pick.value));
    if (robot && (await startDialog({ robot }))) await reload();
  });

  /** @param {UserRobot} u @param {Followable | undefined} robot */
  function actions(u, robot) {
    const name = robot?.name ?? `robot ${u.robot_id}`;
    const btn = (/** @type {string} */ label, /** @type {(b: HTMLButtonElement) => Promise<void>} */ fn, cls = 'btn btn--small') => {
      const b = h('button', { type: 'button', class: cls, 'aria-label': `${label} ${name}` }, label);
      b.addEventListener('click', () => whileBusy(b, `${label}…`, () => fn(b).then(reload).catch((e) => box.show(e.message))));
      return b;
    };
    const list = [];
    if (u.status === 'stopped') list.push(btn('Start', async () => { await startDialog({ robot: robot ?? { id: u.robot_id, name, exchange: '' }, userRobot: u }); }));
    if (['started', 'starting', 'paused'].includes(u.status)) {
      list.push(btn('Stop', async () => {
        const how = await stopDialog(name);
        if (how) await ur.stopUserRobot(u.id, how);
      }, 'btn btn--small btn--danger-ghost'));
    }
    if (u.status === 'paused') list.push(btn('Resume', async () => { await ur.resumeUserRobot(u.id); }));
    if (u.status === 'stopped') {
      list.push(btn('Delete', async () => {
        if (await confirmDialog({ title: `Delete ${name}?`, body: 'Its positions and orders are forgotten here; nothing changes on the exchange.', confirmLabel: 'Delete' })) await ur.deleteUserRobot(u.id);
      }, 'btn btn--small btn--danger-ghost'));
    }
    return h('td', { class: 'account__actions' }, list);
  }

  /** @param {UserRobot} u */
  function row(u) {
    const robot = robots.get(u.robot_id);
    const account = accounts.byId(u.account_id);
    const net = Number(u.statistics.net_profit);
    return h('tr', { dataset: { userRobotId: u.id } },
      h('td', { dataset: { key: 'robot' } }, h('a', { href: `/user-robots/${u.id}`, class: 'robot-link' }, robot?.name ?? `Robot ${u.robot_id}`)),
      statusCell(u, robot?.name ?? ''),
      h('td', { dataset: { key: 'account' } }, account?.name ?? `Account ${u.account_id}`),
      h('td', { dataset: { key: 'volume' } }, volumeText(u)),
      h('td', { dataset: { key: 'position' } }, positionText(u)),
      h('td', { dataset: { key: 'net_profit' }, class: net > 0 ? 'pos' : net < 0 ? 'neg' : '' }, fixed(u.statistics.net_profit, 2)),
      h('td', { dataset: { key: 'win_rate' } }, percent(u.statistics.win_rate, 2)),
      actions(u, robot));
  }

  function table(/** @type {UserRobot[]} */ list) {
    if (!list.length) return h('p', { class: 'empty' }, 'You follow no robot yet. Pick one below, or create a signal robot.');
    const heads = ['Robot', 'Status', 'Account', 'Volume', 'Position', 'P/L', 'Win rate', 'Actions'];
    return h('table', { class: 'table my-robots' }, h('thead', {}, h('tr', {}, heads.map((t) => h('th', { scope: 'col' }, t)))), h('tbody', {}, list.map(row)));
  }

  let seq = 0;
  async function reload() {
    const mine = ++seq;
    try {
      const [list, all, venues] = await Promise.all([ur.listUserRobots(), ur.followable(), exchanges().catch(() => [])]);
      const venue = (/** @type {string} */ x) => venues.find((v) => v.id === x)?.name ?? x;
      if (mine !== seq) return;
      robots = new Map(all.map((r) => [r.id, r]));
      const keep = pick.value;
      mount(pick, all.map((r) => h('option', { value: String(r.id), selected: String(r.id) === keep }, `${r.signal ? 'Signal: ' : ''}${r.name} — ${venue(r.exchange)} ${r.symbol}`)));
      mount(body, table(list));
    } catch (e) {
      if (mine === seq) box.show(`Your robots could not be loaded: ${e.message}`);
    }
  }
  const off = ur.onRobotsChanged(() => { reload(); });
  const offAccounts = accounts.subscribe((c) => { if (c.type !== 'step') reload(); });
  reload();
  const el = h('section', { class: 'panel', 'aria-labelledby': 'my-robots-title' },
    h('h2', { id: 'my-robots-title' }, 'My Robots'),
    box.el, body,
    h('div', { class: 'inline-form my-follow' }, pick, follow));
  return { el, reload, stop: () => { off(); offAccounts(); seq += 1; } };
}
