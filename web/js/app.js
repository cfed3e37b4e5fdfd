// @ts-check
// The app shell: client-side routes on the history API (no hashes; the server answers every route with this
// page), the session check, the navigation, and sign-out.
import { h, mount } from './dom.js';
import { onUnauthorized } from './api.js';
import { paths } from './api-paths.js';
import { isSignedIn, loadSession, signOut, clearSession } from './session.js';
import { loadTwoFactor, setTwoFactor } from './two-factor.js';
import * as accounts from './accounts.js';
import { startLive, stopLive } from './live.js';
import { whileBusy } from './ui.js';
import signin from './pages/signin.js';
import register from './pages/register.js';
import profile from './pages/profile.js';
import addKey from './pages/add-key.js';
import portfolio from './pages/portfolio.js';
import robots from './pages/robots.js';
import robot from './pages/robot.js';
import userRobot from './pages/user-robot.js';
import notFound from './pages/not-found.js';

/**
 * What a page gets: navigation, what to do after signing in, a message left for it, and the parts of its
 * address a pattern route captured (the robot's id of /robots/12).
 * @typedef {{ navigate: typeof navigate, afterSignIn: () => Promise<void>, notice: string | null,
 *   params: string[] }} PageContext
 */
/**
 * A page: its title, and render() that fills `main` and may return its cleanup.
 * @typedef {{ title: string, render(main: HTMLElement, ctx: PageContext): (() => void) | void }} Page
 */
/** @typedef {{ page: Page, guest?: boolean, nav?: string }} Route */

/** @type {Record<string, Route | undefined>} */
const ROUTES = {
  '/signin': { page: signin, guest: true },
  '/register': { page: register, guest: true },
  '/portfolio': { page: portfolio, nav: '/portfolio' },
  '/robots': { page: robots, nav: '/robots' },
  '/profile': { page: profile, nav: '/profile' },
  '/profile/keys/new': { page: addKey, nav: '/profile' },
};
/** Routes with a part that varies, tried in order when no route above matches. @type {[RegExp, Route][]} */
const PATTERNS = [
  [/^\/robots\/(\d+)$/, { page: robot, nav: '/robots' }],
  [/^\/user-robots\/(\d+)$/, { page: userRobot, nav: '/robots' }],
];

/**
 * @param {string} path
 * @returns {{ route: Route | undefined, params: string[] }}
 */
function findRoute(path) {
  const exact = ROUTES[path];
  if (exact) return { route: exact, params: [] };
  for (const [pattern, route] of PATTERNS) {
    const m = pattern.exec(path);
    if (m) return { route, params: m.slice(1) };
  }
  return { route: undefined, params: [] };
}

// The shell's parts, all in index.html.
const main = /** @type {HTMLElement} */ (document.getElementById('main'));
const nav = /** @type {HTMLElement} */ (document.getElementById('nav'));
const banner = /** @type {HTMLElement} */ (document.getElementById('banner'));
const signoutButton = /** @type {HTMLButtonElement} */ (document.getElementById('signout'));
/** @type {(() => void) | null} */
let cleanup = null;
/** @type {string | null} */
let notice = null; // a message for the next sign-in page

/**
 * @param {string} text
 * @param {string} [kind]
 */
function showBanner(text, kind = 'error') {
  const close = h('button', { type: 'button', class: 'banner__close', 'aria-label': 'Dismiss' }, '×');
  close.addEventListener('click', () => {
    banner.hidden = true;
  });
  banner.className = `banner banner--${kind}`;
  mount(banner, h('p', {}, text), close);
  banner.hidden = false;
}

/** @param {string} path */
function normalize(path) {
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

/**
 * @param {string} to
 * @param {{ replace?: boolean }} [options]
 */
export function navigate(to, { replace = false } = {}) {
  const url = new URL(to, location.origin);
  const target = url.pathname + url.search;
  if (replace) history.replaceState(null, '', target);
  else if (target !== location.pathname + location.search) history.pushState(null, '', target);
  render();
}

function render() {
  const path = normalize(location.pathname);
  if (path === '/') return navigate(isSignedIn() ? '/portfolio' : '/signin', { replace: true });
  const { route, params } = findRoute(path);
  if (route && !route.guest && !isSignedIn()) return navigate(`/signin?next=${encodeURIComponent(path)}`, { replace: true });
  if (route?.guest && isSignedIn()) return navigate('/portfolio', { replace: true });

  cleanup?.();
  cleanup = null;
  const page = route?.page ?? notFound;
  document.title = `${page.title} · tradebridge`;
  nav.hidden = !isSignedIn();
  for (const a of /** @type {NodeListOf<HTMLElement>} */ (nav.querySelectorAll('[data-nav]'))) {
    if (a.dataset.nav === route?.nav) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  const pageNotice = notice;
  notice = null;
  main.replaceChildren();
  cleanup = page.render(main, { navigate, afterSignIn, notice: pageNotice, params }) ?? null;
  // Keyboard and screen-reader users land on the new page's heading unless the page chose a field.
  if (!main.contains(document.activeElement)) {
    const heading = main.querySelector('h1');
    if (heading) {
      heading.setAttribute('tabindex', '-1');
      heading.focus({ preventScroll: true });
    }
  }
  window.scrollTo(0, 0);
  return undefined;
}

async function afterSignIn() {
  banner.hidden = true;
  startLive();
  accounts.refresh().catch(() => {});
  await loadTwoFactor();
}

// Everything of the signed-in user leaves the page: data, live stream, the CSRF token.
/**
 * @param {string} message
 * @param {string | null} [next]
 */
function endSession(message, next = null) {
  stopLive();
  accounts.reset();
  clearSession();
  setTwoFactor(false);
  cleanup?.();
  cleanup = null;
  main.replaceChildren();
  notice = message;
  navigate(next ? `/signin?next=${encodeURIComponent(next)}` : '/signin', { replace: true });
}

signoutButton.addEventListener('click', () => whileBusy(signoutButton, 'Signing out…', async () => {
  try {
    await signOut();
  } catch (e) {
    if (e.status !== 401) {
      showBanner(`Sign-out failed: ${e.message} You are still signed in.`);
      return;
    }
  }
  endSession('You are signed out.');
}));

onUnauthorized(() => {
  if (isSignedIn()) endSession('Your session has ended. Sign in again.', normalize(location.pathname));
});

// Same-origin links move through history without reloading the page.
document.addEventListener('click', (e) => {
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  const a = e.target instanceof Element ? e.target.closest('a[href]') : null;
  if (!(a instanceof HTMLAnchorElement) || a.target || a.hasAttribute('download')) return;
  if (a.getAttribute('href')?.startsWith('#')) return;
  const url = new URL(a.href);
  if (url.origin !== location.origin || url.pathname.startsWith(paths.apiPrefix) || /\.[a-z0-9]+$/i.test(url.pathname)) return;
  e.preventDefault();
  navigate(url.pathname + url.search);
});

window.addEventListener('popstate', render);
// A page restored from the back-forward cache may show a signed-out session: ask the server again.
window.addEventListener('pageshow', (e) => {
  if (e.persisted) location.reload();
});

async function boot() {
  try {
    if (await loadSession()) await afterSignIn();
  } catch (e) {
    const retry = h('button', { type: 'button', class: 'btn', on: { click: () => { mount(main, h('p', { class: 'loading' }, 'Loading…')); boot(); } } }, 'Try again');
    mount(main, h('section', { class: 'panel', role: 'alert' },
      h('h1', {}, 'tradebridge is not answering'),
      h('p', {}, e.message),
      retry));
    return;
  }
  render();
}

boot();
