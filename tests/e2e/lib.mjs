// End-to-end helpers: `tradebridge exsim` and `tradebridge serve` as child processes on loopback, a small
// API client, server-sent events over fetch, and polling. Every test file starts its own processes in a
// fresh temporary data directory; nothing is shared between files, so ctest runs them in parallel.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, mkdirSync, rmSync, readdirSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { startChild as spawnChild, startExsim as startExsimChild } from '../support/child.mjs';

export const VENUES = ['binance_futures', 'kraken', 'bitfinex'];
export const DISPLAY = { binance_futures: 'Binance USD-M Futures', kraken: 'Kraken', bitfinex: 'Bitfinex' };
// The exsim endpoint names its faults are keyed by (src/exsim/<venue>/).
export const ORDER_ENDPOINT = { binance_futures: 'order', kraken: 'AddOrder', bitfinex: 'auth/w/order/submit' };
export const CANCEL_ENDPOINT = { binance_futures: 'order', kraken: 'CancelOrder', bitfinex: 'auth/w/order/cancel' };
// The order look-up by client order id each connector sends first.
export const QUERY_ENDPOINT = { binance_futures: 'order', kraken: 'OpenOrders', bitfinex: 'auth/r/orders' };
export const QUOTE = { binance_futures: 'USDT', kraken: 'USD', bitfinex: 'USD' };
export const EGRESS_IP = '203.0.113.7';

export function bin() {
  const b = process.env.TB_BIN;
  if (!b) throw new Error('TB_BIN must point at the tradebridge binary');
  return b;
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const dirs = new Set();

export function tempDir(label) {
  const d = mkdtempSync(join(tmpdir(), `tb-e2e-${label}-`));
  dirs.add(d);
  return d;
}

// TB_E2E_KEEP=1 keeps the data directories for a look after a failure.
export function removeDir(dir) {
  if (dir && !process.env.TB_E2E_KEEP) rmSync(dir, { recursive: true, force: true });
  dirs.delete(dir);
}

// Data directories left when this process ends (a failed before(), an interrupted run) go with it; the
// children are killed by ../support/child.mjs.
process.on('exit', () => {
  for (const d of [...dirs]) removeDir(d);
});
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.once(sig, () => process.exit(128 + 1));

const startChild = (args, options) => spawnChild(bin(), args, options);

// `tradebridge exsim --port 0`, with the admin API as methods (tests/support/child.mjs).
export const startExsim = (extraArgs = []) => startExsimChild(bin(), { seed: 1, args: extraArgs });

// A key for `venue` that passes the key test unless told otherwise.
export function keySpec(venue, { withdraw = false, trade = true, quote = '10000', whitelist = [], label = 'e2e' } = {}) {
  const balances = { [QUOTE[venue]]: quote };
  if (venue !== 'binance_futures') balances.BTC = '0.5';
  return {
    venue, label, permissions: { read: true, trade, futures: venue === 'binance_futures' ? trade : false, withdraw },
    ip_whitelist: whitelist, balances,
  };
}

// `tradebridge serve` on a free loopback port, pointed at the simulator.
export async function startServe({ dataDir, exsimUrl, extraArgs = [], env = {}, passwordCost = 'fast' }) {
  const args = ['serve', '--listen', '127.0.0.1:0', '--data-dir', dataDir, '--password-cost', passwordCost, '--egress-ip', EGRESS_IP,
    // One user adds up to hundreds of keys here; the per-user caps have tests of their own.
    '--max-accounts-per-user', '0', '--key-tests-per-hour', '0'];
  if (exsimUrl) for (const v of VENUES) args.push('--venue-url', `${v}=${exsimUrl}`);
  // Tests send dozens of requests at once from loopback (order_safety: 60 key adds): no per-address cap
  // unless the test sets one (hardening.test.mjs).
  if (!extraArgs.includes('--max-connections-per-ip')) args.push('--max-connections-per-ip', '0');
  // Tests register many users from one address; a test of the limit passes --register-limit, which wins.
  const p = startChild([...args, ...extraArgs], { env: { TRADEBRIDGE_REGISTER_LIMIT: '0', ...env }, label: 'serve' });
  const first = await p.first;
  return { url: first.listening, first, proc: p, output: p.output, stop: (sig) => p.stop(sig), kill: () => p.stop('SIGKILL') };
}

// Several `serve` processes over one throwaway PostgreSQL database, as a scaled-out platform runs: each its own
// data directory and port, one master key. `url` takes turns: each time it is read into a string
// (`url + '/api/...'`, a Client's requests, an event stream) it is the next process's, so a suite written
// for one process sends its requests alternately to all of them. `urls` are the processes' own.
export async function startCluster({ dataDir, exsimUrl, processes = 2, extraArgs = [], env = {} }) {
  const { startPostgres } = await import('../support/postgres.mjs');
  const pg = await startPostgres();
  pg.createDatabase('cluster');
  const shared = { TRADEBRIDGE_MASTER_KEY: randomBytes(32).toString('hex'), ...env };
  const launch = (i) => {
    const dir = join(dataDir, `process-${i}`);
    mkdirSync(dir, { recursive: true });
    return startServe({ dataDir: dir, exsimUrl, extraArgs: ['--database', pg.url('cluster'), ...extraArgs], env: shared });
  };
  const servers = [];
  const outputs = [];  // of the processes killed and started again
  try {
    for (let i = 0; i < processes; i++) servers.push(await launch(i));
  } catch (e) {
    for (const s of servers) await s.stop();
    pg.stop();
    throw e;
  }
  let turn = 0;
  const url = { [Symbol.toPrimitive]: () => servers[turn++ % servers.length].url };
  return {
    url, servers, pg, databaseUrl: pg.url('cluster'),
    get urls() { return servers.map((s) => s.url); },
    // kill -9 of process i, then it starts again on its directory (a new port: `urls` has it).
    async restart(i) {
      await servers[i].kill();
      outputs.push(servers[i].output());
      servers[i] = await launch(i);
    },
    output: () => [...outputs, ...servers.map((s) => s.output())].join('\n'),
    stop: async (sig) => { for (const s of servers) await s.stop(sig); pg.stop(); },
  };
}

// One process, or with TB_E2E_PROCESSES=N (N > 1) a cluster of N over PostgreSQL (startCluster): how a
// suite runs once more against several processes with its requests alternating between them.
export async function startServers(opts) {
  const n = Number(process.env.TB_E2E_PROCESSES || 1);
  return n > 1 ? startCluster({ ...opts, processes: n }) : startServe(opts);
}

// Runs `tradebridge ARGS` to the end: {code, stdout, stderr, json (stdout's first line parsed, if JSON)}.
// A command still running after `timeout` ms is killed: {code: null, signal: 'SIGTERM'}.
export function runTb(args, env = {}, { timeout = 60000 } = {}) {
  const r = spawnSync(bin(), args, { encoding: 'utf8', env: { ...process.env, ...env }, timeout });
  let json = null;
  try { json = JSON.parse(r.stdout.split('\n')[0]); } catch { /* not JSON */ }
  let errJson = null;
  try { errJson = JSON.parse(r.stderr); } catch { /* not JSON */ }
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr, json, errJson };
}

// Every response the tests saw, so a secret can be looked for in all of them at the end.
export const seenBodies = [];

export class Client {
  constructor(base, { token, cookie, csrf } = {}) {
    this.base = base;
    this.token = token;
    this.cookie = cookie;
    this.csrf = csrf;
  }

  // opts: {headers, raw (a string body sent as is), bearer (default true when a token is set), cookie, csrf}
  async req(method, path, body, opts = {}) {
    const headers = { ...(opts.headers || {}) };
    let payload;
    if (opts.raw !== undefined) payload = opts.raw;
    else if (body !== undefined) {
      payload = JSON.stringify(body);
      if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['Content-Type'] = 'application/json';
    }
    const useCookie = opts.cookie ?? (!this.token && !!this.cookie);
    if (this.token && !useCookie && opts.bearer !== false) headers.Authorization = `Bearer ${this.token}`;
    if (useCookie && this.cookie) headers.Cookie = this.cookie;
    if (opts.csrf !== undefined ? opts.csrf : (useCookie && this.csrf)) headers['X-CSRF-Token'] = opts.csrf ?? this.csrf;
    const r = await fetch(this.base + path, { method, headers, body: payload });
    const text = await r.text();
    seenBodies.push(text);
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
    return { status: r.status, headers: r.headers, text, body: json };
  }
  get(path, opts) { return this.req('GET', path, undefined, opts); }
  post(path, body, opts) { return this.req('POST', path, body, opts); }
  patch(path, body, opts) { return this.req('PATCH', path, body, opts); }
  put(path, body, opts) { return this.req('PUT', path, body, opts); }
  del(path, opts) { return this.req('DELETE', path, undefined, opts); }
}

let userCounter = 0;
export const PASSWORD = 'correct horse battery staple';

// Registers a fresh user and signs in: a Client with the bearer token, plus the cookie and CSRF token.
export async function newUser(base, email) {
  email = email || `user${process.pid}-${++userCounter}@example.com`;
  const anon = new Client(base);
  const reg = await anon.post('/api/v1/auth/register', { email, password: PASSWORD });
  if (reg.status !== 201) throw new Error(`register ${email}: ${reg.status} ${reg.text}`);
  const login = await anon.post('/api/v1/auth/login', { email, password: PASSWORD });
  if (login.status !== 200) throw new Error(`login ${email}: ${login.status} ${login.text}`);
  const setCookie = login.headers.get('set-cookie') || '';
  const cookie = setCookie.split(';')[0];
  const c = new Client(base, { token: login.body.token, cookie, csrf: login.body.csrf_token });
  c.email = email;
  c.user = login.body.user;
  c.login = login;
  return c;
}

// Polls fn() until it returns a truthy value; throws with the last value after `ms`.
export async function waitFor(fn, { ms = 30000, every = 100, what = 'condition' } = {}) {
  const deadline = Date.now() + ms;
  let last;
  for (;;) {
    last = await fn();
    if (last) return last;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}; last: ${JSON.stringify(last)}`);
    await sleep(every);
  }
}

// A key test's verdicts; `testing` lasts while the exchange's trouble defers the test (issue 15).
export const FINAL = new Set(['enabled', 'invalid', 'disabled', 'unverified']);

// Waits until the account's key test has finished; returns the account.
export async function waitTested(client, id, ms = 60000) {
  let acct;
  await waitFor(async () => {
    const r = await client.get(`/api/v1/exchange-accounts/${id}`);
    if (r.status !== 200) throw new Error(`GET account ${id}: ${r.status} ${r.text}`);
    acct = r.body;
    return FINAL.has(acct.status) && acct.test && acct.test.outcome;
  }, { ms, what: `account ${id} to finish its key test` });
  return acct;
}

// Adds a key and waits for its test: {added (the 202 body), account (final)}.
export async function addAndTest(client, venue, key, extra = {}) {
  const r = await client.post('/api/v1/exchange-accounts', { exchange: venue, key: key.key, secret: key.secret, ...extra });
  if (r.status !== 202) throw new Error(`add ${venue}: ${r.status} ${r.text}`);
  const account = await waitTested(client, r.body.id);
  return { added: r.body, account, response: r };
}

// N started quote_fixed (150 USDT) user robots following `robotId`, each on a Binance USD-M key of its own
// added through the API: [{id, key}].
export async function startFollowers(sim, client, robotId, n) {
  const followers = [];
  for (let i = 0; i < n; i++) {
    const key = await sim.createKey(keySpec('binance_futures', { quote: '100000' }));
    const { account } = await addAndTest(client, 'binance_futures', key);
    const made = await client.post('/api/v1/user-robots', { robot_id: robotId, account_id: account.id, volume: { type: 'quote_fixed', value: '150' } });
    if (made.status !== 201) throw new Error(`user robot: ${made.status} ${made.text}`);
    const started = await client.post(`/api/v1/user-robots/${made.body.id}/start`, { confirm: true });
    if (started.status !== 200) throw new Error(`start: ${started.status} ${started.text}`);
    followers.push({ id: made.body.id, key });
  }
  return followers;
}

// GET /api/v1/events over fetch: events arrive in `events` ([{event, data}]) as they come.
export async function subscribe(base, token) {
  const ctrl = new AbortController();
  const r = await fetch(base + '/api/v1/events', { headers: { Authorization: `Bearer ${token}` }, signal: ctrl.signal });
  if (r.status !== 200) throw new Error(`events: ${r.status} ${await r.text()}`);
  const events = [];
  const raw = { text: '' };
  const reader = r.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const pump = (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        const chunk = decoder.decode(value, { stream: true });
        raw.text += chunk;
        buffer += chunk;
        let cut;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          let event = 'message';
          const data = [];
          for (const line of block.split('\n')) {
            if (line.startsWith('event:')) event = line.slice(6).trim();
            else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
          }
          if (!data.length) continue;
          let parsed = data.join('\n');
          try { parsed = JSON.parse(parsed); } catch { /* keep text */ }
          events.push({ event, data: parsed });
        }
      }
    } catch { /* aborted */ }
  })();
  return {
    status: r.status,
    headers: r.headers,
    events,
    raw,
    waitFor: (pred, ms = 30000) => waitFor(() => events.find(pred), { ms, what: 'an event' }),
    ended: pump,  // settles when the server ends the stream (or close() aborts it)
    close: async () => { ctrl.abort(); await pump; },
  };
}

// The data directory's SQLite files, as bytes (the WAL holds recent writes before a checkpoint).
export function dbFiles(dir) {
  return readdirSync(dir).filter((f) => f.startsWith('tradebridge.db')).map((f) => ({ name: f, bytes: readFileSync(join(dir, f)) }));
}

export function haveSqlite3() {
  return spawnSync('sqlite3', ['-version'], { encoding: 'utf8' }).status === 0;
}

export function sqlite(dbPath, sql) {
  const r = spawnSync('sqlite3', [dbPath, sql], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`sqlite3: ${r.stderr}`);
  return r.stdout;
}

export { existsSync, join, readFileSync };

// Exact decimal strings as BigInt in units of 1e-18, so sums can be compared without floating point.
export function dec(s) {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(String(s));
  if (!m) throw new Error(`not a decimal: ${s}`);
  const frac = (m[3] || '').padEnd(18, '0').slice(0, 18);
  const v = BigInt(m[2]) * 10n ** 18n + BigInt(frac || '0');
  return m[1] ? -v : v;
}

export const maskOf = (key) => `${key.slice(0, 4)}\u2026${key.slice(-4)}`;

// A user robot after `signals` alternating long/close signals, checked against the simulator: every signal
// traded (an entry, an exit), one venue order per intent and each of ours there once, no leg twice, and
// the position equal to the venue's. rows(sql): serve's database as JSON rows.
export async function assertTradedOnce({ rows, sim, follower: f, signals }) {
  const ours = rows(`SELECT client_order_id, state, signal_seq, leg, attempt FROM orders WHERE user_robot_id = ${f.id}`);
  const onVenue = (await sim.orders(f.key.key)).filter((o) => o.client_order_id.startsWith('tb-r-'));
  assert.equal(new Set(onVenue.map((o) => o.client_order_id)).size, onVenue.length, 'a client order id twice on the venue');
  const placed = ours.filter((o) => o.state !== 'rejected');
  assert.equal(placed.length, signals, 'every signal traded: a long enters, a close exits');
  assert.equal(onVenue.length, placed.length, `user robot ${f.id}: ${JSON.stringify(ours.map((o) => [o.client_order_id, o.state]))}`);
  const legs = ours.map((o) => `${o.signal_seq}/${o.leg}/${o.attempt}`);
  assert.equal(new Set(legs).size, legs.length, 'a signal planned twice');
  const [open] = rows(`SELECT side, entered, exited FROM robot_positions WHERE user_robot_id = ${f.id} AND closed_at IS NULL`);
  const venueNet = onVenue.reduce((n, o) => n + (o.side === 'buy' ? 1 : -1) * Number(o.filled), 0);
  const held = open ? (open.side === 'long' ? 1 : -1) * (Number(open.entered) - Number(open.exited)) : 0;
  assert.equal(dec(venueNet.toFixed(6)), dec(held.toFixed(6)), `user robot ${f.id}: ours ${held}, the venue's ${venueNet}`);
}
