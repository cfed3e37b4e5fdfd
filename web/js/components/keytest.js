// @ts-check
// The key test as a user sees it: the four steps with their state, and the result in plain words.
import { h, srOnly } from '../dom.js';
import { stepsOf } from '../accounts.js';
import { usd, amount } from '../format.js';

/** @typedef {import('../accounts.js').AccountView} AccountView */

/** @type {Record<string, string>} */
const STATE_TEXT = {
  waiting: 'waiting',
  running: 'in progress',
  ok: 'done',
  failed: 'failed',
  skipped: 'skipped',
  not_reached: 'not reached',
};
/** @type {Record<string, string>} */
const STATE_ICON = { waiting: '○', running: '', ok: '✓', failed: '✕', skipped: '–', not_reached: '·' };

/** @param {AccountView} view */
export function stepList(view) {
  // A failed step's message is the reason, shown once in the result below the list.
  const steps = stepsOf(view).map((s) => (s.state === 'failed' && s.message && s.message === view.reason ? { ...s, message: '' } : s));
  return h('ol', { class: 'steps', 'aria-label': 'Key test steps' },
    steps.map((s) => h('li', { class: `step step--${s.state}`, dataset: { step: s.name, state: s.state } },
      h('span', { class: 'step__icon', 'aria-hidden': 'true' }, STATE_ICON[s.state] ?? '•'),
      h('span', { class: 'step__body' },
        h('span', { class: 'step__label' }, s.label),
        srOnly(`: ${STATE_TEXT[s.state] ?? s.state}`),
        s.state === 'ok' || s.state === 'failed' || s.state === 'skipped'
          ? h('span', { class: 'step__time' }, s.duration_ms ? ` ${s.duration_ms} ms` : '')
          : null,
        s.message ? h('span', { class: 'step__message' }, s.message) : null))));
}

// Refusals after which the server keeps no ciphertext: only a new key pair (Replace keys) can follow.
/** @type {Set<string | null>} */
export const KEY_NOT_KEPT = new Set(['invalid_key', 'wrong_secret', 'ip_not_whitelisted', 'no_trading_permission', 'withdrawal_permission']);

/** @type {Record<string, string>} */
const NEXT_STEP = {
  invalid_key: 'Check that you copied the whole API key and its secret from the same key, then send them again with Replace keys.',
  wrong_secret: 'Copy the API secret again (the exchange shows it only once; if it is lost, create a new key) and send it with Replace keys.',
  ip_not_whitelisted: "Add this server's IP address to the key's whitelist at the exchange, then send the key again with Replace keys.",
  no_trading_permission: 'Turn on trading for this key at the exchange, then send it again with Replace keys.',
  withdrawal_permission: 'Turn off withdrawals for this key at the exchange (or create a new key without them), then send it with Replace keys.',
  insufficient_funds: 'Add funds to the exchange account, then press Re-test.',
  exchange_unavailable: 'The exchange did not answer properly. Press Re-test in a few minutes.',
};

/** @param {AccountView} view */
function balancesSummary(view) {
  const held = (view.balances ?? []).filter((b) => Number(b.total) !== 0);
  if (!held.length) return 'no balances';
  return held.slice(0, 4).map((b) => `${amount(b.total)} ${b.asset}`).join(', ') + (held.length > 4 ? ', …' : '');
}

// The outcome of the latest finished test, or null while one runs.
/** @param {AccountView} view */
export function testResult(view) {
  if (view.status === 'testing') return null;
  const warnings = view.warnings?.length
    ? h('ul', { class: 'warnings', 'aria-label': 'Warnings' }, view.warnings.map((w) => h('li', {}, w)))
    : null;
  // The warnings name each test order still in doubt; this says what the user may do meanwhile.
  const byHand = view.order_to_cancel_by_hand
    ? h('p', { class: 'result__byhand' }, h('strong', {}, 'Test order not settled yet: '),
      'we keep asking the exchange and cancel it there; you may also cancel it by hand on the exchange.')
    : null;
  if (view.status === 'enabled') {
    return h('div', { class: 'result result--ok', role: 'status' },
      h('p', { class: 'result__title' }, h('span', { 'aria-hidden': 'true' }, '✓ '), 'Ready for automated trading'),
      h('p', {}, `Balance about ${usd(view.usd_total)} (${balancesSummary(view)}). Robots can now trade on this account.`),
      byHand, warnings);
  }
  if (view.status === 'invalid') {
    const next = NEXT_STEP[view.reason_code ?? ''];
    return h('div', { class: 'result result--bad', role: 'alert' },
      h('p', { class: 'result__title' }, h('span', { 'aria-hidden': 'true' }, '✕ '), 'Refused'),
      h('p', { class: 'result__reason' }, view.reason || 'The key test failed.'),
      next ? h('p', { class: 'result__next' }, h('strong', {}, 'What to do: '), next) : null,
      byHand, warnings);
  }
  if (view.status === 'unverified') {
    return h('div', { class: 'result result--wait', role: 'status' },
      h('p', { class: 'result__title' }, h('span', { 'aria-hidden': 'true' }, '… '), 'Not verified yet'),
      h('p', { class: 'result__reason' }, view.reason || 'The exchange gave no verdict on this key.'),
      h('p', { class: 'result__next' }, h('strong', {}, 'What to do: '), 'nothing: we test it again by ourselves. Press Re-test to try now.'),
      byHand, warnings);
  }
  return h('div', { class: 'result' }, h('p', {}, view.reason || `Status: ${view.status}`), warnings);
}
