// @ts-check
// Profile: the user, My Exchange API Keys (live), Link Telegram (when the server offers it), sessions,
// change password, recent activity.
import { h, mount } from '../dom.js';
import { get, post } from '../api.js';
import { paths } from '../api-paths.js';
import { session } from '../session.js';
import * as accounts from '../accounts.js';
import { liveState, onLiveState } from '../live.js';
import { date, timeEl } from '../format.js';
import { whileBusy, messageBox } from '../ui.js';
import { accountCard } from '../components/account-card.js';
import { sessionsSection, passwordSection } from '../components/sessions.js';
import { twoFactorSection } from '../components/two-factor.js';
import { gateField } from '../two-factor.js';

/** POST /telegram/link-code. @typedef {{ code: string, expires_at: string, bot_username: string | null }} LinkCode */
/**
 * One entry of GET /audit; `detail` says more, by action.
 * @typedef {{ id: number, action: string, account_id: number | null, ip: string, channel: string,
 *   detail: { name?: string, key?: string, outcome?: string, to?: string }, at: string }} AuditEntry
 */

/** @type {Record<import('../live.js').LiveState, string>} */
const LIVE_TEXT = {
  open: 'Live',
  connecting: 'Connecting…',
  down: 'Live updates interrupted: refreshing every few seconds',
  off: '',
};

function liveIndicator() {
  const el = h('p', { class: 'live', role: 'status' });
  /** @param {import('../live.js').LiveState} state */
  const set = (state) => {
    el.dataset.state = state;
    el.textContent = LIVE_TEXT[state] ?? '';
  };
  set(liveState());
  return { el, stop: onLiveState(set) };
}

function keysSection() {
  const list = h('ul', { class: 'accounts', 'aria-label': 'Exchange API keys' });
  const empty = h('div', { class: 'empty', hidden: true },
    h('p', {}, 'No exchange keys yet.'),
    h('p', { class: 'muted' }, 'Press ADD NEW KEY + to connect Binance USD-M Futures, Kraken or Bitfinex. The key is tested by placing and cancelling an order.'));
  const box = messageBox('error');
  const live = liveIndicator();
  const loading = h('p', { class: 'loading' }, 'Loading your keys…');
  const cards = new Map();

  function sync() {
    const views = accounts.list();
    const ids = new Set(views.map((v) => v.id));
    for (const [id, card] of cards) {
      if (!ids.has(id)) {
        card.el.remove();
        cards.delete(id);
      }
    }
    for (const v of views) {
      const card = cards.get(v.id);
      if (card) card.update(v);
      else {
        const c = accountCard(v);
        cards.set(v.id, c);
        list.append(c.el);
      }
    }
    empty.hidden = !accounts.isLoaded() || views.length > 0;
    loading.hidden = accounts.isLoaded() || views.length > 0;
  }

  const unsubscribe = accounts.subscribe(sync);
  accounts.refresh().then(sync).catch((e) => {
    loading.hidden = true;
    box.show(`Could not load your keys: ${e.message}`);
  });
  sync();

  const section = h('section', { class: 'panel', 'aria-labelledby': 'keys-title' },
    h('div', { class: 'panel__head' },
      h('h2', { id: 'keys-title' }, 'My Exchange API Keys'),
      h('a', { href: '/profile/keys/new', class: 'btn', id: 'add-key' }, 'ADD NEW KEY +')),
    live.el, box.el, loading, empty, list);
  return { section, stop: () => { unsubscribe(); live.stop(); } };
}

// Shown only when this server has the Telegram bot's linking route.
function telegramSection() {
  const section = h('section', { class: 'panel', 'aria-labelledby': 'tg-title', hidden: true, id: 'telegram' });
  const out = h('div', { class: 'tg__code', 'aria-live': 'polite' });
  const box = messageBox('error');
  const button = h('button', { type: 'button', class: 'btn btn--ghost' }, 'Get a linking code');
  const totp = gateField();  // a linked chat can add keys: with two-factor on, linking takes a code
  button.addEventListener('click', () => whileBusy(button, 'Asking…', async () => {
    box.hide();
    const typed = totp.read();
    if (typed === null) return;
    try {
      /** @type {LinkCode} */
      const r = await post(paths.telegramLinkCode, typed ? { totp_code: typed } : undefined);
      totp.input.value = '';
      const bot = r.bot_username ? r.bot_username.replace(/^@/, '') : null;
      mount(out,
        h('p', {}, 'Your code: ', h('code', { class: 'tg__value' }, r.code)),
        bot
          ? h('p', {}, 'Open ', h('a', { href: `https://t.me/${encodeURIComponent(bot)}?start=${encodeURIComponent(r.code)}`, target: '_blank', rel: 'noopener noreferrer' }, `@${bot}`),
            ' in Telegram and press Start, or send it ', h('code', {}, `/start ${r.code}`), '.')
          : h('p', {}, 'Send ', h('code', {}, `/start ${r.code}`), ' to the tradebridge bot in Telegram.'),
        r.expires_at ? h('p', { class: 'muted' }, 'The code expires ', timeEl(r.expires_at), '.') : null);
    } catch (e) {
      if (e.status === 404) section.hidden = true;
      else if (!totp.take(e)) box.show(`No code: ${e.message}`);
    }
  }));
  mount(section,
    h('h2', { id: 'tg-title' }, 'Link Telegram'),
    h('p', { class: 'muted' }, 'Follow key tests and robots from the tradebridge bot: get a one-time code and send it to the bot.'),
    totp.wrap, button, box.el, out);
  /** @type {Promise<{ paths?: Record<string, unknown> } | null>} */ (get(paths.openapi))
    .then((doc) => {
      section.hidden = !doc?.paths?.[paths.telegramLinkCode];
    })
    .catch(() => {});
  return section;
}

/** @type {Record<string, string>} */
const ACTION_TEXT = {
  'user.registered': 'Account created',
  'user.login': 'Signed in',
  'user.login_failed': 'Failed sign-in',
  'user.password_changed': 'Password changed',
  'user.password_change_failed': 'Wrong current password',
  'user.signed_out_elsewhere': 'Signed out everywhere else',
  'user.session_ended': 'A session signed out',
  '2fa.setup': 'Two-factor set up',
  '2fa.enabled': 'Two-factor turned on',
  '2fa.disabled': 'Two-factor turned off',
  '2fa.recovery_codes_renewed': 'New recovery codes',
  '2fa.code_rejected': 'Wrong two-factor code',
  'key.added': 'Key added',
  'key.tested': 'Key tested',
  'key.renamed': 'Key renamed',
  'key.replaced': 'Keys replaced',
  'key.deleted': 'Key deleted',
  'key.check_requested': 'Re-test requested',
  'key.used_to_trade': 'Key used to trade',
};

function activitySection() {
  const list = h('ul', { class: 'activity' });
  const section = h('section', { class: 'panel', 'aria-labelledby': 'activity-title' },
    h('h2', { id: 'activity-title' }, 'Recent activity'), list);
  const load = () => /** @type {Promise<{ entries: AuditEntry[] }>} */ (get(paths.audit(8))).then((r) => {
    mount(list, r.entries.map((e) => {
      const what = [e.detail?.name, e.detail?.key, e.detail?.outcome, e.detail?.to].filter(Boolean).join(' · ');
      return h('li', {}, h('span', { class: 'activity__what' }, ACTION_TEXT[e.action] ?? e.action, what ? h('span', { class: 'muted' }, ` — ${what}`) : null),
        h('span', { class: 'activity__when' }, timeEl(e.at), e.ip ? h('span', { class: 'muted' }, ` from ${e.ip}`) : null));
    }));
    if (!r.entries.length) mount(list, h('li', { class: 'muted' }, 'Nothing yet.'));
  }).catch(() => mount(list, h('li', { class: 'muted' }, 'The activity log could not be loaded.')));
  load();
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  const unsubscribe = accounts.subscribe((change) => {
    if (change.type === 'step') return;
    clearTimeout(timer);
    timer = setTimeout(load, 800);
  });
  return { section, stop: () => { unsubscribe(); clearTimeout(timer); } };
}

/** @type {import('../app.js').Page} */
export default {
  title: 'Profile',
  render(main) {
    const keys = keysSection();
    const activity = activitySection();
    const user = session.user;
    mount(main,
      h('div', { class: 'page-head' },
        h('h1', { tabindex: '-1' }, 'Profile'),
        h('p', { class: 'muted' }, h('span', { class: 'profile__email' }, user?.email ?? ''), user?.created_at ? ` · member since ${date(user.created_at)}` : '')),
      keys.section,
      telegramSection(),
      twoFactorSection(),
      sessionsSection(),
      passwordSection(),
      activity.section);
    return () => {
      keys.stop();
      activity.stop();
    };
  },
};
