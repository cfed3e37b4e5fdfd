// @ts-check
// Robots: the page comes with the robots work; until then it says what it will hold and which accounts are
// ready for it.
import { h, mount } from '../dom.js';
import * as accounts from '../accounts.js';
import { usd } from '../format.js';

/** @type {import('../app.js').Page} */
export default {
  title: 'Robots',
  render(main) {
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
    mount(main,
      h('div', { class: 'page-head' }, h('h1', { tabindex: '-1' }, 'Robots')),
      h('section', { class: 'panel' },
        h('h2', {}, 'Trading robots are coming'),
        h('p', {}, 'Here you will start trading robots on your exchange accounts: pick a strategy for a market and timeframe, set the volume per trade, and follow each robot’s positions, trades, fees, net profit, win rate and drawdown.'),
        h('p', { class: 'muted' }, 'Robots use your keys only to read prices and balances and to send their buy and sell orders. While a robot runs on an account, its keys cannot be replaced or deleted.'),
        ready));
    const unsubscribe = accounts.subscribe((c) => {
      if (c.type !== 'step') render();
    });
    render();
    accounts.refresh().catch(() => {});
    return unsubscribe;
  },
};
