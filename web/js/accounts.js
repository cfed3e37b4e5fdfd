// @ts-check
// The signed-in user's exchange accounts, kept current from the events stream (and from polling while the
// stream is down). Pages subscribe and render from here, so a key test started on one page shows its steps
// on any other.
import { get } from './api.js';
import { paths } from './api-paths.js';

// The account view of the API (src/accounts/account_view.cpp): amounts are decimal strings, times ISO 8601.
/** @typedef {{ asset: string, total: string, free: string, used: string }} Balance */
/** @typedef {{ symbol: string, amount: string, entry_price: string, unrealized_pnl: string, leverage: string | null }} Position */
/** A key test step; `label` is added here. @typedef {{ name: string, state: string, message: string, duration_ms: number, label?: string }} Step */
/**
 * @typedef {{ id: number, started_at: string, finished_at: string | null, outcome: string | null, steps: Step[] }} KeyTest
 */
/** @typedef {{ symbol: string, order_id: string, client_order_id: string }} OrderRef */
/**
 * @typedef {OrderRef & { exchange: string, state: string, note: string, since: string }} PendingOrder
 */
/**
 * @typedef {{ id: number, name: string, exchange: string, exchange_name: string, status: string,
 *   reason: string | null, reason_code: string | null, key: string, balances: Balance[], positions: Position[],
 *   usd_total: string, last_checked_at: string | null, created_at: string, updated_at: string, warnings: string[],
 *   order_to_cancel_by_hand: OrderRef | null, pending_orders: PendingOrder[], trading_expires_at: string | null,
 *   test: KeyTest | null, advice: string | null, key_kept: boolean, key_note: string | null }} AccountView
 */
/** What changed, for subscribers. @typedef {{ type: 'account' | 'deleted' | 'step' | 'refresh' | 'reset', id?: number }} Change */
/** The data of a key_test.step event. @typedef {{ account_id: number, test_id: number, step: Step }} StepEvent */

// The key test's steps with their labels, as the server sends them (key_test_steps of GET
// /api/v1/exchange-accounts and GET /api/v1/exchanges).
/** @type {[string, string][]} */
let STEPS = [];

/** @param {{ name: string, label: string }[] | undefined} list */
export function setSteps(list) {
  if (Array.isArray(list) && list.length) STEPS = list.map((s) => [s.name, s.label]);
}

/** @type {Map<number, AccountView>} */
const accounts = new Map(); // id -> account view
/** @type {Map<number, { testId: number, steps: Step[] }>} */
const liveSteps = new Map(); // account id -> {testId, steps: [step]}
/** @type {Set<(change: Change) => void>} */
const listeners = new Set();
let loaded = false;
/** @type {Promise<void> | null} */
let loading = null;

/** @param {Change} change */
function notify(change) {
  for (const fn of listeners) fn(change);
}

/**
 * @param {(change: Change) => void} fn
 * @returns {() => void} unsubscribes
 */
export function subscribe(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export function isLoaded() {
  return loaded;
}

export function list() {
  return [...accounts.values()].sort((a, b) => a.id - b.id);
}

/** @param {number | string} id */
export function byId(id) {
  return accounts.get(Number(id)) ?? null;
}

export function anyTesting() {
  for (const a of accounts.values()) if (a.status === 'testing') return true;
  return false;
}

// An older view never replaces a newer one (an answer and an event can cross on the way): a later test
// wins, a finished test beats the same test under way, and otherwise the later update.
/**
 * @param {AccountView} incoming
 * @param {AccountView | undefined} current
 */
function isOlder(incoming, current) {
  if (!current) return false;
  const inTest = incoming.test?.id ?? 0;
  const curTest = current.test?.id ?? 0;
  if (inTest !== curTest) return inTest < curTest;
  if (inTest !== 0 && current.test?.finished_at && !incoming.test?.finished_at) return true;
  return Date.parse(incoming.updated_at) < Date.parse(current.updated_at);
}

/**
 * @param {AccountView | null | undefined} view
 * @param {{ silent?: boolean }} [options]
 */
export function upsert(view, { silent = false } = {}) {
  if (!view || typeof view.id !== 'number') return;
  if (isOlder(view, accounts.get(view.id))) return;
  accounts.set(view.id, view);
  if (!silent) notify({ type: 'account', id: view.id });
}

/** @param {number | string} id */
export function remove(id) {
  accounts.delete(Number(id));
  liveSteps.delete(Number(id));
  notify({ type: 'deleted', id: Number(id) });
}

export async function refresh() {
  if (loading) return loading;
  loading = (async () => {
    try {
      /** @type {{ accounts: AccountView[], key_test_steps?: { name: string, label: string }[] }} */
      const r = await get(paths.accounts);
      setSteps(r.key_test_steps);
      const seen = new Set();
      for (const v of r.accounts) {
        seen.add(v.id);
        upsert(v, { silent: true });
      }
      for (const id of [...accounts.keys()]) if (!seen.has(id)) accounts.delete(id);
      loaded = true;
      notify({ type: 'refresh' });
    } finally {
      loading = null;
    }
  })();
  return loading;
}

export function reset() {
  accounts.clear();
  liveSteps.clear();
  loaded = false;
  notify({ type: 'reset' });
}

// One event of the events stream (./live.js).
/**
 * @param {string} type
 * @param {any} data the event's JSON, of the shape its type says
 */
export function applyEvent(type, data) {
  switch (type) {
    case 'account.created':
    case 'account.updated':
    case 'account.tested':
    case 'account.invalid':
      upsert(data);
      break;
    case 'account.deleted':
      remove(data.id);
      break;
    case 'key_test.step': {
      /** @type {StepEvent} */
      const event = data;
      const id = Number(event.account_id);
      let live = liveSteps.get(id);
      if (!live || live.testId !== event.test_id) {
        if (live && live.testId > event.test_id) return;
        live = { testId: event.test_id, steps: [] };
        liveSteps.set(id, live);
      }
      const i = live.steps.findIndex((s) => s.name === event.step.name);
      if (i >= 0) live.steps[i] = event.step;
      else live.steps.push(event.step);
      notify({ type: 'step', id });
      break;
    }
    default:
      break;
  }
}

// The steps to show for an account: the stored ones of its latest test, the live ones of a test under way,
// and the canonical four filled in as "waiting" (under way) or "not reached" (finished).
/**
 * @param {AccountView} view
 * @returns {(Step & { label: string })[]}
 */
export function stepsOf(view) {
  const testing = view.status === 'testing';
  const test = view.test;
  const live = liveSteps.get(view.id);
  /** @type {Step[]} */
  let steps = [];
  if (testing) {
    // A test the exchange's trouble deferred shows what it waits for until the next try starts.
    const stored = test && (!test.finished_at || test.outcome === 'deferred') ? test.steps : [];
    if (live && (!test || live.testId > test.id || (live.testId === test.id && !test.finished_at))) {
      steps = [...stored];
      for (const s of live.steps) {
        const i = steps.findIndex((x) => x.name === s.name);
        if (i >= 0) steps[i] = s;
        else steps.push(s);
      }
    } else {
      steps = [...stored];
    }
  } else if (test) {
    steps = [...test.steps];
  }
  const out = STEPS.map(([name, label]) => {
    const s = steps.find((x) => x.name === name);
    if (s) return { ...s, label };
    return { name, label, state: testing ? 'waiting' : 'not_reached', message: '', duration_ms: 0 };
  });
  for (const s of steps) if (!STEPS.some(([n]) => n === s.name)) out.push({ ...s, label: s.name });
  return out;
}

// The name the server will give a key added without one: "Kraken", then "Kraken #2", ...
/** @param {string} exchangeName */
export function generatedName(exchangeName) {
  const taken = new Set(list().map((a) => a.name.toLowerCase()));
  if (!taken.has(exchangeName.toLowerCase())) return exchangeName;
  for (let n = 2; ; n += 1) {
    const candidate = `${exchangeName} #${n}`;
    if (!taken.has(candidate.toLowerCase())) return candidate;
  }
}
