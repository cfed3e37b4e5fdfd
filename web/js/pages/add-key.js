// @ts-check
// ADD NEW KEY +: optional name, exchange, the key pair, the exchange's "how to create this key" beside it;
// then the key test live, step by step, and its result.
import { h, mount } from '../dom.js';
import { post } from '../api.js';
import { paths } from '../api-paths.js';
import * as accounts from '../accounts.js';
import { exchanges, keyFields, keyGuide } from '../exchanges.js';
import { field, whileBusy, messageBox, showApiError, clearSecret, slowNote } from '../ui.js';
import { stepList, testResult } from '../components/keytest.js';
import { gateField } from '../two-factor.js';

const ADD_TIMEOUT_MS = 20000;

/**
 * @param {number} id
 * @param {{ navigate: import('../app.js').PageContext['navigate'], again: () => void }} options
 */
function progressPanel(id, { navigate, again }) {
  const title = h('h2', { tabindex: '-1', class: 'progress__title' });
  const lead = h('p', { class: 'muted' });
  const steps = h('div', { class: 'progress__steps', 'aria-live': 'polite' });
  const result = h('div', { class: 'progress__result' });
  const actions = h('div', { class: 'form__actions', hidden: true });
  const panel = h('section', { class: 'panel progress', 'aria-labelledby': 'progress-title' }, title, lead, steps, result, actions);
  title.id = 'progress-title';

  function render() {
    const v = accounts.byId(id);
    if (!v) {
      title.textContent = 'This key was deleted.';
      mount(steps);
      mount(result);
      return;
    }
    panel.dataset.status = v.status;
    if (v.status === 'testing') {
      title.textContent = `Testing “${v.name}”…`;
      lead.textContent = `tradebridge places a small limit buy far below the market on ${v.exchange_name} and cancels it at once. This takes a few seconds.`;
    } else if (v.status === 'enabled') {
      title.textContent = `“${v.name}” is ready`;
      lead.textContent = `The ${v.exchange_name} key ${v.key} placed and cancelled a test order.`;
    } else {
      title.textContent = `“${v.name}” was refused`;
      lead.textContent = `The ${v.exchange_name} key ${v.key} cannot be used.`;
    }
    mount(steps, stepList(v));
    mount(result, testResult(v));
    actions.hidden = v.status === 'testing';
    if (v.status !== 'testing' && !actions.childElementCount) {
      mount(actions,
        v.status === 'enabled' ? h('a', { href: '/robots', class: 'btn' }, 'Go to Robots') : null,
        h('a', { href: '/profile', class: v.status === 'enabled' ? 'btn btn--ghost' : 'btn' }, 'Back to My Exchange API Keys'),
        h('button', { type: 'button', class: 'btn btn--ghost', on: { click: again } }, 'Add another key'));
    }
  }
  render();
  const stop = accounts.subscribe((change) => {
    if (change.id === undefined || change.id === id) render();
  });
  return { panel, stop, focus: () => title.focus() };
}

/** @type {import('../app.js').Page} */
export default {
  title: 'Add an exchange API key',
  render(main, ctx) {
    /** @type {(() => void)[]} */
    let cleanups = []; // subscriptions of the form or the progress panel shown now
    const formSlot = h('div', { class: 'addkey__main' });
    const guide = h('aside', { class: 'guide', 'aria-label': 'How to create this key', hidden: true });
    mount(main,
      h('div', { class: 'page-head' },
        h('p', { class: 'crumbs' }, h('a', { href: '/profile' }, 'Profile'), ' › My Exchange API Keys'),
        h('h1', { tabindex: '-1' }, 'Add a new exchange API key')),
      h('div', { class: 'addkey' }, formSlot, guide));

    const stopAll = () => {
      for (const stop of cleanups) stop();
      cleanups = [];
    };

    /** @param {import('../exchanges.js').Exchange[]} list */
    function showForm(list) {
      stopAll();
      const nameInput = h('input', { type: 'text', name: 'name', maxlength: '64', autocomplete: 'off' });
      const name = field({ label: 'Name', input: nameInput, optional: true, hint: '' });
      const select = h('select', { name: 'exchange', required: true },
        list.map((ex) => h('option', { value: ex.id }, ex.name)));
      const exchange = field({ label: 'Exchange', input: select });
      const keys = keyFields(list[0]);
      const code = gateField();
      const box = messageBox('error');
      const slow = slowNote();
      const submit = h('button', { type: 'submit', class: 'btn btn--wide' }, 'Add and test key');
      const form = h('form', { class: 'form panel', novalidate: true, autocomplete: 'off', 'aria-label': 'New exchange API key' },
        exchange.wrap, name.wrap, keys.key.wrap, keys.secret.wrap, code.wrap, box.el, slow, submit,
        h('p', { class: 'muted small' }, 'Submitting tests the key at once: a limit buy far below the market is placed and immediately cancelled.'));

      const current = () => list.find((x) => x.id === select.value) ?? list[0];
      const updateHints = () => {
        const ex = current();
        const generated = accounts.generatedName(ex.name);
        nameInput.placeholder = generated;
        if (name.hintEl) name.hintEl.textContent = `Leave empty to call it “${generated}”.`;
        keys.setExchange(ex);
        mount(guide, keyGuide(ex));
        guide.hidden = false;
      };
      select.addEventListener('change', updateHints);
      cleanups.push(accounts.subscribe((c) => {
        if (c.type !== 'step') updateHints();
      }));
      updateHints();

      form.addEventListener('submit', async (e) => {
        e.preventDefault();
        for (const f of [name, keys.key, keys.secret]) f.clearError();
        box.hide();
        /** @type {{ exchange: string, key: string, secret: string, name?: string, totp_code?: string }} */
        const body = { exchange: select.value, key: keys.key.input.value.trim(), secret: keys.secret.input.value.trim() };
        const typedName = nameInput.value.trim();
        if (typedName) body.name = typedName;
        if (!body.key) keys.key.setError('Paste the API key.');
        if (!body.secret) keys.secret.setError('Paste the API secret.');
        if (!body.key || !body.secret) {
          (body.key ? keys.secret.input : keys.key.input).focus();
          return;
        }
        const totp = code.read();
        if (totp === null) return;
        if (totp) body.totp_code = totp;
        clearSecret(keys.secret.input); // the secret leaves the page with this request and is never shown again
        await whileBusy(submit, 'Adding…', async () => {
          try {
            /** @type {import('../accounts.js').AccountView} */
            const view = await post(paths.accounts, body, { timeout: ADD_TIMEOUT_MS });
            body.secret = '';
            accounts.upsert(view);
            showProgress(view.id);
          } catch (err) {
            body.secret = '';
            if (code.take(err)) {
              // nothing was added: only the code was missing or wrong
            } else if (err.code === 'timeout') {
              box.show('No answer from the server in time. The key may have been added all the same: check My Exchange API Keys before adding it again.',
                h('p', {}, h('a', { href: '/profile' }, 'Open My Exchange API Keys')));
            } else {
              showApiError(err, { name, key: keys.key, secret: keys.secret, exchange }, box);
            }
            if (err.field !== 'secret') keys.secret.setError('The secret was cleared when sent: paste it again.');
            else keys.secret.setError(`${err.plain} Paste it again.`);
          }
        }, slow);
      });
      mount(formSlot, form);
      select.focus();

      /** @param {number} id */
      function showProgress(id) {
        const progress = progressPanel(id, {
          navigate: ctx.navigate,
          again: () => showForm(list),
        });
        stopAll();
        cleanups.push(progress.stop);
        mount(formSlot, progress.panel);
        progress.focus();
      }
    }

    function load() {
      mount(formSlot, h('p', { class: 'loading' }, 'Loading the exchanges…'));
      exchanges().then(showForm, (e) => {
        const retry = h('button', { type: 'button', class: 'btn', on: { click: load } }, 'Try again');
        mount(formSlot, h('div', { class: 'msg msg--error', role: 'alert' }, h('p', {}, `The list of exchanges could not be loaded: ${e.message}`), retry));
      });
    }
    load();
    if (!accounts.isLoaded()) accounts.refresh().catch(() => {});
    return stopAll;
  },
};
