// @ts-check
// Which of the user's exchange accounts are ready for automated trading (enabled keys), for the Robots page:
// robots will trade on them.
import { h, mount } from '../dom.js';
import * as accounts from '../accounts.js';
import { usd } from '../format.js';

/** @returns {{ el: HTMLElement, stop(): void }} */
export function readyAccounts() {
  const ready = h('div', { class: 'ready-list' });
  function render() {
    const enabled = accounts.list().filter((a) => a.status === 'enabled');
    if (!accounts.isLoaded()) {
      mount(ready, h('p', { class: 'loading' }, 'Loading your accounts…'));
    } else if (!enabled.length) {
      mount(ready, h('p', {}, 'No exchange account is ready for automated trading yet. '),
        h('p', {}, h('a', { href: '/profile/keys/new', class: 'btn' }, 'ADD NEW KEY +')));
    } else {
      mount(ready, h('p', {}, 'Ready for automated trading:'),
        h('ul', { class: 'ready' }, enabled.map((a) => h('li', {},
          h('strong', {}, a.name), ` — ${a.exchange_name}, about ${usd(a.usd_total)}`))));
    }
  }
  const el = h('section', { class: 'panel', 'aria-labelledby': 'ready-title' },
    h('h2', { id: 'ready-title' }, 'Your exchange accounts'),
    h('p', { class: 'muted' }, 'Robots use your keys only to read prices and balances and to send their buy and sell orders. While a robot runs on an account, its keys cannot be replaced or deleted.'),
    ready);
  const unsubscribe = accounts.subscribe((c) => {
    if (c.type !== 'step') render();
  });
  render();
  accounts.refresh().catch(() => {});
  return { el, stop: unsubscribe };
}
