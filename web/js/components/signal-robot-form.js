// @ts-check
// Create a signal robot: a private robot that trades on the signals an outside tool (a TradingView alert, a
// script) sends to its URL with its token. The token is shown once, here, right after creation.
import { h, mount } from '../dom.js';
import { exchanges } from '../exchanges.js';
import { field, messageBox, showApiError, whileBusy } from '../ui.js';
import { createSignalRobot } from '../user-robots.js';

/**
 * @param {{ onCreated: () => void }} options
 * @returns {HTMLElement}
 */
export function signalRobotForm({ onCreated }) {
  const name = field({ label: 'Robot name', input: h('input', { type: 'text', name: 'name', required: true, autocomplete: 'off' }) });
  const exchange = field({ label: 'Exchange to trade on', input: h('select', { name: 'exchange' }) });
  const symbol = field({ label: 'Market symbol', input: h('input', { type: 'text', name: 'symbol', required: true, autocomplete: 'off', class: 'mono' }), hint: 'As the exchange writes it, e.g. BTCUSDT.' });
  exchanges().then((list) => mount(exchange.input, list.map((x) => h('option', { value: x.id }, x.name)))).catch(() => {});
  const box = messageBox();
  const shown = h('div', { class: 'signal-secret', hidden: true });
  const submit = h('button', { type: 'submit', class: 'btn' }, 'Create signal robot');
  const form = h('form', { class: 'form', novalidate: true }, name.wrap, exchange.wrap, symbol.wrap, box.el, h('div', { class: 'form__actions' }, submit));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    whileBusy(submit, 'Creating…', async () => {
      for (const f of [name, exchange, symbol]) f.clearError();
      box.hide();
      try {
        const made = await createSignalRobot({ name: name.input.value.trim(), exchange: exchange.input.value, symbol: symbol.input.value.trim() });
        mount(shown,
          h('p', { class: 'msg msg--ok' }, `Signal robot "${made.name}" created. Copy its token now: it is never shown again.`),
          h('dl', { class: 'robot-facts' },
            h('dt', {}, 'Signal URL'), h('dd', { class: 'mono', dataset: { secret: 'url' } }, made.signal_url),
            h('dt', {}, 'Signal token'), h('dd', { class: 'mono', dataset: { secret: 'token' } }, made.signal_token)),
          h('p', { class: 'muted' }, 'Send POST {"id": "<unique id>", "action": "long" | "short" | "close"} to the URL with the header Authorization: Bearer <token>.'));
        shown.hidden = false;
        form.reset();
        onCreated();
      } catch (err) {
        showApiError(err, { name, exchange, symbol }, box);
      }
    });
  });
  return h('section', { class: 'panel', 'aria-labelledby': 'signal-title' },
    h('h2', { id: 'signal-title' }, 'Create a signal robot'),
    h('p', { class: 'muted' }, 'A private robot that trades on your own signals (a TradingView alert, a script). Follow it below like any robot.'),
    form, shown);
}
