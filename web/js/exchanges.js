// @ts-check
// The supported exchanges with their key formats and "how to create this key" guide (GET /api/v1/exchanges),
// read once per page load.
import { get } from './api.js';
import { paths } from './api-paths.js';
import { h } from './dom.js';
import { field, secretInput } from './ui.js';
import { setSteps } from './accounts.js';

/** @typedef {{ name: string, label: string, length: number, alphabet: string, secret: boolean, format: string }} KeyFormat */
/**
 * One exchange of GET /exchanges: its key format and the guide to create a key.
 * @typedef {{ id: string, name: string, fields: KeyFormat[], key_page?: string, steps?: string[],
 *   permissions?: { required: string[], trading: boolean, futures: boolean, withdrawals: boolean },
 *   withdrawals_off?: string, trading_on?: string, ip_whitelist?: { advice: string, server_ip: string | null } }} Exchange
 */

/** @type {Promise<Exchange[]> | null} */
let cached = null;

/** @returns {Promise<Exchange[]>} */
export async function exchanges() {
  if (!cached) {
    cached = /** @type {Promise<{ exchanges: Exchange[], key_test_steps?: { name: string, label: string }[] }>} */ (get(paths.exchanges)).then((r) => {
      setSteps(r.key_test_steps);
      return r.exchanges;
    }).catch((e) => {
      cached = null;
      throw e;
    });
  }
  return cached;
}

/** @param {KeyFormat | undefined} f */
function formatHint(f) {
  if (!f) return null;
  return `${f.length} characters: ${f.alphabet}.`;
}

// The two key fields with the exact labels users know from trading platforms.
/** @param {Exchange | undefined} exchange */
export function keyFields(exchange) {
  const keyInput = h('input', {
    type: 'text', name: 'key', required: true, autocomplete: 'off', autocapitalize: 'off', spellcheck: 'false', class: 'mono',
  });
  const secret = secretInput({ name: 'secret', required: true, class: 'secret__input mono' });
  const key = field({ label: 'API Key (Public Key)', input: keyInput, hint: formatHint(exchange?.fields?.find((f) => f.name === 'key')) ?? '' });
  const secretField = field({
    label: 'API Secret (Private Key)',
    input: secret,
    hint: [formatHint(exchange?.fields?.find((f) => f.name === 'secret')), 'Stored encrypted; never shown again.'].filter(Boolean).join(' '),
  });
  return {
    key,
    secret: secretField,
    /** @param {Exchange | undefined} ex */
    setExchange(ex) {
      if (key.hintEl) key.hintEl.textContent = formatHint(ex?.fields?.find((f) => f.name === 'key')) ?? '';
      if (secretField.hintEl) secretField.hintEl.textContent = [formatHint(ex?.fields?.find((f) => f.name === 'secret')), 'Stored encrypted; never shown again.']
        .filter(Boolean).join(' ');
    },
  };
}

// "How to create this key": steps, permissions to tick, never withdrawals, IP whitelist advice.
/** @param {Exchange | undefined} ex */
export function keyGuide(ex) {
  if (!ex) return h('p', {}, 'Choose an exchange to see how to create its key.');
  const required = ex.permissions?.required ?? [];
  return h('div', { class: 'guide__body' },
    h('h3', { class: 'guide__title' }, `How to create this key on ${ex.name}`),
    h('ol', { class: 'guide__steps' }, (ex.steps ?? []).map((s) => h('li', {}, s))),
    required.length
      ? h('div', { class: 'guide__perms' },
        h('p', { class: 'guide__label' }, 'Tick these permissions'),
        h('ul', { class: 'chips' }, required.map((p) => h('li', { class: 'chip chip--ok' }, p))))
      : null,
    h('div', { class: 'guide__never' },
      h('p', { class: 'guide__label' }, 'Never withdrawals'),
      h('p', {}, 'tradebridge refuses keys that can withdraw funds. ', ex.withdrawals_off ?? '')),
    h('div', { class: 'guide__ip' },
      h('p', { class: 'guide__label' }, 'IP whitelist'),
      h('p', {}, ex.ip_whitelist?.advice ?? ''),
      ex.ip_whitelist?.server_ip ? h('p', {}, 'This server: ', h('code', {}, ex.ip_whitelist.server_ip)) : null),
    ex.key_page
      ? h('p', {}, h('a', { href: ex.key_page, target: '_blank', rel: 'noopener noreferrer', class: 'external' }, `Open ${ex.name} API management`))
      : null);
}
