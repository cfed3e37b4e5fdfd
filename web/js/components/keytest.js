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
    // The advice and what became of the key pair are the server's words (the bot shows the same).
    return h('div', { class: 'result result--bad', role: 'alert' },
      h('p', { class: 'result__title' }, h('span', { 'aria-hidden': 'true' }, '✕ '), 'Refused'),
      h('p', { class: 'result__reason' }, view.reason || 'The key test failed.'),
      view.advice ? h('p', { class: 'result__next' }, h('strong', {}, 'What to do: '), view.advice) : null,
      view.key_note ? h('p', { class: 'result__kept' }, view.key_note) : null,
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
