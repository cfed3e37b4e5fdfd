// The signed-in user's exchange accounts, kept current from the events stream (and from polling while the
// stream is down). Pages subscribe and render from here, so a key test started on one page shows its steps
// on any other.
import { get } from './api.js';

export const STEPS = [
  ['permissions', 'Checking permissions'],
  ['balances', 'Reading balances'],
  ['test_order', 'Placing the test order'],
  ['cancel', 'Cancelling it'],
];

const accounts = new Map(); // id -> account view
const liveSteps = new Map(); // account id -> {testId, steps: [step]}
const listeners = new Set();
let loaded = false;
let loading = null;

function notify(change) {
  for (const fn of listeners) fn(change);
}

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

export function byId(id) {
  return accounts.get(Number(id)) ?? null;
}

export function anyTesting() {
  for (const a of accounts.values()) if (a.status === 'testing') return true;
  return false;
}

// An older view never replaces a newer one (an answer and an event can cross on the way): a later test
// wins, a finished test beats the same test under way, and otherwise the later update.
function isOlder(incoming, current) {
  if (!current) return false;
  const inTest = incoming.test?.id ?? 0;
  const curTest = current.test?.id ?? 0;
  if (inTest !== curTest) return inTest < curTest;
  if (inTest !== 0 && current.test?.finished_at && !incoming.test?.finished_at) return true;
  return Date.parse(incoming.updated_at) < Date.parse(current.updated_at);
}

export function upsert(view, { silent = false } = {}) {
  if (!view || typeof view.id !== 'number') return;
  if (isOlder(view, accounts.get(view.id))) return;
  accounts.set(view.id, view);
  if (!silent) notify({ type: 'account', id: view.id });
}

export function remove(id) {
  accounts.delete(Number(id));
  liveSteps.delete(Number(id));
  notify({ type: 'deleted', id: Number(id) });
}

export async function refresh() {
  if (loading) return loading;
  loading = (async () => {
    try {
      const r = await get('/api/v1/exchange-accounts');
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

// One event of GET /api/v1/events.
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
      const id = Number(data.account_id);
      let live = liveSteps.get(id);
      if (!live || live.testId !== data.test_id) {
        if (live && live.testId > data.test_id) return;
        live = { testId: data.test_id, steps: [] };
        liveSteps.set(id, live);
      }
      const i = live.steps.findIndex((s) => s.name === data.step.name);
      if (i >= 0) live.steps[i] = data.step;
      else live.steps.push(data.step);
      notify({ type: 'step', id });
      break;
    }
    default:
      break;
  }
}

// The steps to show for an account: the stored ones of its latest test, the live ones of a test under way,
// and the canonical four filled in as "waiting" (under way) or "not reached" (finished).
export function stepsOf(view) {
  const testing = view.status === 'testing';
  const test = view.test;
  const live = liveSteps.get(view.id);
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
export function generatedName(exchangeName) {
  const taken = new Set(list().map((a) => a.name.toLowerCase()));
  if (!taken.has(exchangeName.toLowerCase())) return exchangeName;
  for (let n = 2; ; n += 1) {
    const candidate = `${exchangeName} #${n}`;
    if (!taken.has(candidate.toLowerCase())) return candidate;
  }
}
