// @ts-check
// One exchange account in "My Exchange API Keys": what it is, its status with the reason, the live key test,
// and rename / replace keys / re-test / delete. Updates in place, so a form being filled survives events.
import { api } from '../api.js';
import { paths } from '../api-paths.js';
import { h, mount, uid } from '../dom.js';
import * as accounts from '../accounts.js';
import { exchanges, keyFields } from '../exchanges.js';
import { usd, timeEl, date } from '../format.js';
import { field, whileBusy, messageBox, confirmDialog, showApiError, clearSecret, slowNote } from '../ui.js';
import { stepList, testResult } from './keytest.js';
import { openOrdersSection } from './open-orders.js';
import { gateField } from '../two-factor.js';

/** @typedef {import('../accounts.js').AccountView} AccountView */

/** @type {Record<string, string>} */
export const STATUS_TEXT = { testing: 'Testing…', enabled: 'Ready', invalid: 'Invalid', disabled: 'Disabled', unverified: 'Not verified' };

/** @param {string} status */
export function statusBadge(status) {
  return h('span', { class: `badge badge--${status}`, dataset: { status } }, STATUS_TEXT[status] ?? status);
}

/** @param {AccountView} initial */
export function accountCard(initial) {
  let view = initial;
  let detailsOpen = false;
  const headingId = uid('acct');
  const name = h('h3', { class: 'account__name', id: headingId, tabindex: '-1' });
  const badgeSlot = h('span', { class: 'account__badge' });
  const exchangeEl = h('span', { class: 'account__exchange' });
  const facts = h('dl', { class: 'account__facts' });
  const detail = h('div', { class: 'account__detail' });
  const msg = messageBox('error');
  const panel = h('div', { class: 'account__panel', hidden: true });
  const orders = openOrdersSection(view.id);  // kept across renders: an open list stays open

  const renameBtn = h('button', { type: 'button', class: 'btn btn--small btn--ghost', dataset: { action: 'rename' } }, 'Rename');
  const replaceBtn = h('button', { type: 'button', class: 'btn btn--small btn--ghost', dataset: { action: 'replace' } }, 'Replace keys');
  const retestBtn = h('button', { type: 'button', class: 'btn btn--small btn--ghost', dataset: { action: 'retest' } }, 'Re-test');
  const deleteBtn = h('button', { type: 'button', class: 'btn btn--small btn--danger-ghost', dataset: { action: 'delete' } }, 'Delete');
  for (const b of [renameBtn, replaceBtn, retestBtn, deleteBtn]) b.setAttribute('aria-describedby', headingId);

  const el = h('li', { class: 'account', dataset: { accountId: view.id } },
    h('article', { class: 'account__card', 'aria-labelledby': headingId },
      h('div', { class: 'account__head' }, h('div', { class: 'account__title' }, name, exchangeEl), badgeSlot),
      facts, detail, orders, msg.el,
      h('div', { class: 'account__actions' }, renameBtn, replaceBtn, retestBtn, deleteBtn),
      panel));

  function render() {
    name.textContent = view.name;
    exchangeEl.textContent = view.exchange_name;
    exchangeEl.hidden = view.name === view.exchange_name; // "Kraken" named after its exchange says it once
    mount(badgeSlot, statusBadge(view.status));
    el.dataset.status = view.status;
    mount(facts,
      h('div', {}, h('dt', {}, 'API key'), h('dd', { class: 'mono' }, view.key)),
      h('div', {}, h('dt', {}, 'Balance'), h('dd', {}, view.status === 'enabled' ? usd(view.usd_total) : '—')),
      h('div', {}, h('dt', {}, 'Last checked'), h('dd', {}, timeEl(view.last_checked_at))),
      h('div', {}, h('dt', {}, 'Added'), h('dd', {}, date(view.created_at))));
    if (view.status === 'testing') {
      // A test order in doubt is named while the test waits for the exchange, not only once it ends.
      const doubt = view.pending_orders?.length
        ? h('ul', { class: 'warnings', 'aria-label': 'Warnings' }, view.warnings.map((w) => h('li', {}, w)))
        : null;
      mount(detail, h('p', { class: 'account__testing', 'aria-live': 'polite' }, 'Testing the key: creating and cancelling an order…'), stepList(view), doubt);
    } else {
      const details = h('details', { class: 'account__steps', open: detailsOpen },
        h('summary', {}, 'Steps of the last key test'), stepList(view));
      details.addEventListener('toggle', () => {
        detailsOpen = details.open;
      });
      const result = view.status === 'invalid' || view.status === 'unverified' || view.warnings?.length || view.order_to_cancel_by_hand ? testResult(view) : null;
      if (result && view.status === 'enabled') result.querySelector('.result__title')?.remove();
      mount(detail, result, view.test ? details : null);
    }
    orders.hidden = view.status !== 'enabled';  // only a working key reads them
    retestBtn.disabled = view.status === 'testing';
    // A refused key pair was erased (the server says so): nothing to test again until a new pair is sent.
    retestBtn.hidden = view.key_kept === false;
    replaceBtn.classList.toggle('btn--ghost', !retestBtn.hidden);
    replaceBtn.disabled = view.status === 'testing';
  }

  /** @param {HTMLElement} [focusBack] */
  function closePanel(focusBack) {
    panel.hidden = true;
    panel.replaceChildren();
    for (const b of [renameBtn, replaceBtn]) b.setAttribute('aria-expanded', 'false');
    focusBack?.focus();
  }

  /**
   * @param {HTMLButtonElement} button
   * @param {HTMLElement} content
   * @param {HTMLElement} firstInput
   */
  function openPanel(button, content, firstInput) {
    msg.hide();
    const wasOpen = button.getAttribute('aria-expanded') === 'true';
    closePanel();
    if (wasOpen) return;
    button.setAttribute('aria-expanded', 'true');
    mount(panel, content);
    panel.hidden = false;
    panel.onkeydown = (e) => {
      if (e.key === 'Escape') closePanel(button);
    };
    firstInput.focus();
  }

  renameBtn.setAttribute('aria-expanded', 'false');
  renameBtn.addEventListener('click', () => {
    const input = h('input', { type: 'text', name: 'name', value: view.name, maxlength: '64', required: true, autocomplete: 'off' });
    const nameField = field({ label: 'New name', input });
    const save = h('button', { type: 'submit', class: 'btn btn--small' }, 'Save name');
    const slow = slowNote();
    const formMsg = messageBox('error');
    const form = h('form', { class: 'inline-form', novalidate: true, 'aria-label': `Rename ${view.name}` },
      nameField.wrap, formMsg.el, slow,
      h('div', { class: 'form__actions' }, save, h('button', { type: 'button', class: 'btn btn--small btn--ghost', on: { click: () => closePanel(renameBtn) } }, 'Cancel')));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      nameField.clearError();
      formMsg.hide();
      const value = input.value.trim();
      if (!value) {
        nameField.setError('Type a name.');
        input.focus();
        return;
      }
      await whileBusy(save, 'Saving…', async () => {
        try {
          /** @type {AccountView} */
          const updated = await api('PATCH', paths.account(view.id), { name: value });
          accounts.upsert(updated);
          closePanel(renameBtn);
          msg.show(`Renamed to “${updated.name}”.`, null, 'ok');
        } catch (err) {
          showApiError(err, { name: nameField }, formMsg);
        }
      }, slow);
    });
    openPanel(renameBtn, form, input);
    input.select();
  });

  replaceBtn.setAttribute('aria-expanded', 'false');
  replaceBtn.addEventListener('click', async () => {
    const list = await exchanges().catch(() => []);
    const ex = list.find((x) => x.id === view.exchange);
    const fields = keyFields(ex);
    const submit = h('button', { type: 'submit', class: 'btn btn--small' }, 'Replace and test');
    const code = gateField();
    const slow = slowNote();
    const formMsg = messageBox('error');
    const form = h('form', { class: 'inline-form', novalidate: true, autocomplete: 'off', 'aria-label': `Replace the keys of ${view.name}` },
      h('p', { class: 'muted' }, `A new ${view.exchange_name} key pair for this account. It is tested at once; the old one is forgotten.`),
      fields.key.wrap, fields.secret.wrap, code.wrap, formMsg.el, slow,
      h('div', { class: 'form__actions' }, submit, h('button', { type: 'button', class: 'btn btn--small btn--ghost', on: { click: () => closePanel(replaceBtn) } }, 'Cancel')));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      fields.key.clearError();
      fields.secret.clearError();
      formMsg.hide();
      const key = fields.key.input.value.trim();
      const secret = fields.secret.input.value.trim();
      if (!key) fields.key.setError('Paste the API key.');
      if (!secret) fields.secret.setError('Paste the API secret.');
      if (!key || !secret) {
        (key ? fields.secret.input : fields.key.input).focus();
        return;
      }
      const totp = code.read();
      if (totp === null) return;
      clearSecret(fields.secret.input); // never kept in the page once sent
      await whileBusy(submit, 'Sending…', async () => {
        try {
          /** @type {{ key: string, secret: string, totp_code?: string }} */
          const body = { key, secret };
          if (totp) body.totp_code = totp;
          /** @type {AccountView} */
          const updated = await api('PUT', paths.accountKeys(view.id), body);
          accounts.upsert(updated);
          closePanel(name); // the buttons are disabled while the new pair is tested
        } catch (err) {
          if (!code.take(err)) showApiError(err, { key: fields.key, secret: fields.secret }, formMsg);
          fields.secret.setError(err.field === 'secret' ? `${err.plain} Paste it again.` : 'The secret was cleared when sent: paste it again.');
        }
      }, slow);
    });
    openPanel(replaceBtn, form, fields.key.input);
  });

  retestBtn.addEventListener('click', () => whileBusy(retestBtn, 'Starting…', async () => {
    msg.hide();
    try {
      accounts.upsert(await api('POST', paths.accountCheck(view.id)));
    } catch (err) {
      msg.show(err.message.charAt(0).toUpperCase() + err.message.slice(1));
    }
  }));

  deleteBtn.addEventListener('click', async () => {
    msg.hide();
    const yes = await confirmDialog({
      title: `Delete “${view.name}”?`,
      body: `The ${view.exchange_name} key ${view.key} and its encrypted secret are erased from tradebridge. The key itself stays valid at the exchange: delete it there too if you no longer use it.`,
      confirmLabel: 'Delete key',
    });
    if (!yes) {
      deleteBtn.focus();
      return;
    }
    await whileBusy(deleteBtn, 'Deleting…', async () => {
      try {
        await api('DELETE', paths.account(view.id));
        accounts.remove(view.id);
      } catch (err) {
        if (err.status === 404) accounts.remove(view.id);
        else msg.show(`Not deleted: ${err.message}`);
      }
    });
  });

  render();
  return {
    el,
    /** @param {AccountView} next */
    update(next) {
      view = next;
      render();
    },
    refreshSteps() {
      render();
    },
  };
}
