// @ts-check
// The events stream (server-sent events with the session cookie). EventSource reconnects by itself; while
// the stream is down, accounts under test are polled instead, and a reconnect re-reads the list so no
// missed event leaves a page stale.
import { get } from './api.js';
import { paths } from './api-paths.js';
import * as accounts from './accounts.js';
import { ROBOT_EVENT_TYPES, applyRobotEvent } from './user-robots.js';

/** @typedef {'off' | 'connecting' | 'open' | 'down'} LiveState */

const EVENT_TYPES = ['account.created', 'account.updated', 'account.tested', 'account.invalid', 'account.deleted', 'key_test.step'];
const POLL_WHILE_DOWN_MS = 2500;
const POLL_WHILE_LIVE_MS = 10000; // a safety net: an event lost between an answer and the stream
const RECONNECT_MS = 4000;

/** @type {EventSource | null} */
let source = null;
/** @type {LiveState} */
let state = 'off';
/** @type {ReturnType<typeof setTimeout> | undefined} */
let reconnectTimer;
/** @type {ReturnType<typeof setInterval> | undefined} */
let pollTimer;
let lastPoll = 0;
/** @type {Set<(state: LiveState) => void>} */
const stateListeners = new Set();

/** @param {LiveState} next */
function setState(next) {
  if (state === next) return;
  state = next;
  for (const fn of stateListeners) fn(state);
}

export function liveState() {
  return state;
}

/** @param {(state: LiveState) => void} fn */
export function onLiveState(fn) {
  stateListeners.add(fn);
  return () => stateListeners.delete(fn);
}

function connect() {
  reconnectTimer = undefined;
  const es = new EventSource(paths.events);
  source = es;
  setState('connecting');
  let wasDown = false;
  es.addEventListener('ready', () => {
    if (source !== es) return;
    setState('open');
    // Whatever happened while the stream was away is read once now.
    if (wasDown || accounts.isLoaded()) accounts.refresh().catch(() => {});
    if (wasDown) applyRobotEvent('refresh', null);
  });
  for (const type of EVENT_TYPES) {
    es.addEventListener(type, (/** @type {MessageEvent<string>} */ event) => {
      if (source !== es) return;
      let data;
      try {
        data = JSON.parse(event.data);
      } catch {
        return;
      }
      accounts.applyEvent(type, data);
    });
  }
  for (const type of ROBOT_EVENT_TYPES) {
    es.addEventListener(type, (/** @type {MessageEvent<string>} */ event) => {
      if (source !== es) return;
      try {
        applyRobotEvent(type, JSON.parse(event.data));
      } catch {
        // a malformed event changes nothing
      }
    });
  }
  es.addEventListener('session.ended', () => {
    if (source !== es) return;
    // Signed out (from elsewhere too) or expired: the 401 of asking who we are signs the page out.
    es.close();
    source = null;
    get(paths.me).catch(() => {});
  });
  es.addEventListener('error', () => {
    if (source !== es) return;
    wasDown = true;
    setState('down');
    if (es.readyState === EventSource.CLOSED) {
      // The browser gave up (an error status): try again ourselves, a little later. A session that ended
      // meanwhile is noticed here (a 401 signs the page out).
      es.close();
      source = null;
      get(paths.me).catch(() => {});
      reconnectTimer = setTimeout(connect, RECONNECT_MS);
    }
  });
}

function tick() {
  if (state === 'off' || !accounts.anyTesting()) return;
  const every = state === 'open' ? POLL_WHILE_LIVE_MS : POLL_WHILE_DOWN_MS;
  if (Date.now() - lastPoll < every) return;
  lastPoll = Date.now();
  accounts.refresh().catch(() => {});
}

function onVisible() {
  if (document.visibilityState === 'visible' && state !== 'off') accounts.refresh().catch(() => {});
}

export function startLive() {
  if (state !== 'off') return;
  lastPoll = Date.now();
  connect();
  pollTimer = setInterval(tick, 500);
  document.addEventListener('visibilitychange', onVisible);
}

export function stopLive() {
  if (source) source.close();
  source = null;
  clearTimeout(reconnectTimer);
  clearInterval(pollTimer);
  reconnectTimer = undefined;
  pollTimer = undefined;
  document.removeEventListener('visibilitychange', onVisible);
  setState('off');
}
