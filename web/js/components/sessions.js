// @ts-check
// Profile → Sessions (where this account is signed in, and Sign out everywhere else) and Change password
// (which signs out every other session too).
import { h, mount } from '../dom.js';
import { api, get, post } from '../api.js';
import { paths } from '../api-paths.js';
import { timeEl } from '../format.js';
import { field, secretInput, whileBusy, messageBox, showApiError } from '../ui.js';

/**
 * One of GET /sessions.
 * @typedef {{ id: string, created_at: string, last_seen_at: string, expires_at: string, ip: string,
 *   user_agent: string, current: boolean }} SessionView
 */

const MIN_PASSWORD = 10;

// "Firefox on Linux" from a User-Agent, or the agent itself when it says nothing we know.
/** @param {string} agent */
function deviceName(agent) {
  if (!agent) return 'Unknown device';
  const browser = [['Edg/', 'Edge'], ['Chrome/', 'Chrome'], ['Firefox/', 'Firefox'], ['Safari/', 'Safari']].find(([k]) => agent.includes(k))?.[1];
  const os = [['Android', 'Android'], ['iPhone', 'iPhone'], ['iPad', 'iPad'], ['Windows', 'Windows'], ['Mac OS', 'macOS'], ['Linux', 'Linux']].find(([k]) => agent.includes(k))?.[1];
  if (!browser) return agent.slice(0, 60);
  return os ? `${browser} on ${os}` : browser;
}

export function sessionsSection() {
  const list = h('ul', { class: 'activity sessions', 'aria-label': 'Where you are signed in' });
  const box = messageBox('error');
  const done = messageBox('ok');
  const others = h('button', { type: 'button', class: 'btn btn--ghost', id: 'sign-out-others', disabled: true }, 'End all other sessions');
  const load = () => /** @type {Promise<{ sessions: SessionView[] }>} */ (get(paths.sessions)).then((r) => {
    mount(list, r.sessions.map((s) => h('li', { class: 'session', 'data-current': String(s.current) },
      h('span', { class: 'activity__what' }, deviceName(s.user_agent), s.current ? h('strong', {}, ' · this browser') : null,
        s.ip ? h('span', { class: 'muted' }, ` — ${s.ip}`) : null),
      h('span', { class: 'activity__when' }, 'signed in ', timeEl(s.created_at), ', last active ', timeEl(s.last_seen_at)))));
    others.disabled = !r.sessions.some((s) => !s.current);
  }).catch(() => mount(list, h('li', { class: 'muted' }, 'Your sessions could not be loaded.')));
  others.addEventListener('click', async () => {
    let said = '';
    await whileBusy(others, 'Signing out…', async () => {
      box.hide();
      done.hide();
      try {
        /** @type {{ ended: number }} */
        const r = await api('DELETE', paths.sessions);
        said = r.ended === 1 ? 'Signed out 1 other session.' : `Signed out ${r.ended} other sessions.`;
      } catch (e) {
        box.show(`Could not sign out the other sessions: ${e.message}`);
      }
    });
    await load();  // after the button is itself again: the list decides whether it stays enabled
    if (said) done.show(said);  // only once the list shows it, so the message never sits beside the old list
  });
  load();
  return h('section', { class: 'panel', 'aria-labelledby': 'sessions-title', id: 'sessions' },
    h('div', { class: 'panel__head' }, h('h2', { id: 'sessions-title' }, 'Sessions'), others),
    h('p', { class: 'muted' }, 'Where your account is signed in. A session ends after 12 hours without use, or 7 days after signing in.'),
    box.el, done.el, list);
}

export function passwordSection() {
  const current = field({ label: 'Current password', input: secretInput({ name: 'current_password', autocomplete: 'current-password' }) });
  const next = field({
    label: 'New password',
    input: secretInput({ name: 'new_password', autocomplete: 'new-password', minlength: String(MIN_PASSWORD) }),
    hint: `At least ${MIN_PASSWORD} characters. Every other session is signed out.`,
  });
  const box = messageBox('error');
  const done = messageBox('ok');
  const submit = h('button', { type: 'submit', class: 'btn' }, 'Change password');
  const form = h('form', { class: 'form', novalidate: true, id: 'change-password', 'aria-labelledby': 'password-title' },
    current.wrap, next.wrap, box.el, done.el, submit);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    current.clearError();
    next.clearError();
    box.hide();
    done.hide();
    if (!current.input.value) {
      current.setError('Type your current password.');
      current.input.focus();
      return;
    }
    if (next.input.value.length < MIN_PASSWORD) {
      next.setError(`The new password needs at least ${MIN_PASSWORD} characters.`);
      next.input.focus();
      return;
    }
    await whileBusy(submit, 'Changing…', async () => {
      try {
        /** @type {{ sessions_ended: number }} */
        const r = await post(paths.password, { current_password: current.input.value, new_password: next.input.value });
        current.input.value = '';
        next.input.value = '';
        done.show(r.sessions_ended ? `Password changed. ${r.sessions_ended} other session(s) were signed out.` : 'Password changed.');
      } catch (err) {
        showApiError(err, { current_password: current, new_password: next }, box);
      }
    });
  });
  return h('section', { class: 'panel', 'aria-labelledby': 'password-title' }, h('h2', { id: 'password-title' }, 'Change password'), form);
}
