// Helpers of the Telegram tests: `tradebridge exsim` and `tradebridge serve` (with the bot pointed at the
// fake Bot API) as child processes on loopback, web users over the REST API, and people chatting with the
// bot through the fake. Each test file starts its own processes in a fresh data directory.
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { startChild as spawnChild, startExsim as startExsimChild } from '../support/child.mjs';
import assert from 'node:assert/strict';

import { FakeBotApi } from './fake_bot_api.mjs';

export const VENUES = ['binance_futures', 'kraken', 'bitfinex'];
export const DISPLAY = { binance_futures: 'Binance USD-M Futures', kraken: 'Kraken', bitfinex: 'Bitfinex' };
export const QUOTE = { binance_futures: 'USDT', kraken: 'USD', bitfinex: 'USD' };
export const TOKEN = '7342037359:AAHI25ES9xCOMPokpYoz-p8XVrZUdygo2J4';
export const EGRESS_IP = '203.0.113.7';
export const LABEL = {
  main: '🏠 Main Menu', robots: '🤖 Robots', portfolio: '💼 Portfolio', settings: '⚙️ Settings', help: '❓ Help',
  keys: '🔐 My Exchange API Keys', add: '🔑 Add New Exchange API Key', back: '◀️ Back', cancel: '❌ Cancel',
  rename: '✏️ Rename', replace: '🔁 Replace keys', retest: '🔄 Re-test', openOrders: '📋 Open Orders', del: '🗑 Delete', yes: '✅ Yes, delete', no: '❌ No, keep it',
  noticesOn: '🔔 Robot notifications: on', noticesOff: '🔕 Robot notifications: off',
};

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export function bin() {
  if (!process.env.TB_BIN) throw new Error('TB_BIN must point at the tradebridge binary');
  return process.env.TB_BIN;
}

export const tempDir = (label) => mkdtempSync(join(tmpdir(), `tb-tg-${label}-`));
export function removeDir(dir) { if (dir && !process.env.TB_KEEP) rmSync(dir, { recursive: true, force: true }); }

const startChild = (args, options) => spawnChild(bin(), args, options);

export const startExsim = () => startExsimChild(bin(), { seed: 7 });

export function keySpec(venue, { withdraw = false, trade = true, quote = '10000' } = {}) {
  const balances = { [QUOTE[venue]]: quote };
  if (venue !== 'binance_futures') balances.BTC = '0.5';
  return { venue, label: 'tg', permissions: { read: true, trade, futures: venue === 'binance_futures' ? trade : false, withdraw }, ip_whitelist: [], balances };
}

// `tradebridge serve` with its bot on the fake Bot API; `restart()` starts it again on the same data.
export async function startServe({ dataDir, exsimUrl, apiUrl, extraArgs = [], env = {} }) {
  const args = ['serve', '--listen', '127.0.0.1:0', '--data-dir', dataDir, '--password-cost', 'fast', '--egress-ip', EGRESS_IP,
    '--telegram-api-url', apiUrl, '--telegram-poll-timeout', '3', '--telegram-chat-interval-ms', '200'];
  for (const v of VENUES) args.push('--venue-url', `${v}=${exsimUrl}`);
  const p = startChild([...args, ...extraArgs], { env: { TRADEBRIDGE_TELEGRAM_TOKEN: TOKEN, TRADEBRIDGE_REGISTER_LIMIT: '0', ...env }, label: 'serve' });
  const first = await p.first;
  return { url: first.listening, proc: p, output: () => p.output(), stop: (sig) => p.stop(sig) };
}

// Everything a test needs: the fake Bot API, the simulator, serve; `restartServe()` keeps the data.
export async function startWorld(label, { serveArgs = [] } = {}) {
  const world = { dir: tempDir(label), fake: new FakeBotApi({ token: TOKEN }), logs: [], secrets: [] };
  world.apiUrl = await world.fake.start();
  world.sim = await startExsim();
  world.startServe = async (extra = serveArgs) => {
    world.srv = await startServe({ dataDir: world.dir, exsimUrl: world.sim.url, apiUrl: world.apiUrl, extraArgs: extra });
    return world.srv;
  };
  world.stopServe = async (signal) => {
    const r = await world.srv.stop(signal);
    world.logs.push(world.srv.output());
    return r;
  };
  await world.startServe();
  // The bot is up once it has asked who it is and set its commands.
  await world.fake.waitFor(() => world.fake.calls.some((c) => c.method === 'setMyCommands'), { what: 'setMyCommands' });
  world.key = async (venue, opts) => {
    const k = await world.sim.createKey(keySpec(venue, opts));
    world.secrets.push(k.secret);
    return k;
  };
  world.close = async () => {
    if (world.srv && !world.srv.proc.exited) await world.stopServe();
    await world.sim.stop();
    await world.fake.stop();
    removeDir(world.dir);
  };
  world.allLogs = () => world.logs.join('\n') + (world.srv && !world.srv.proc.exited ? world.srv.output() : '');
  return world;
}

// Several `serve` processes over one throwaway PostgreSQL, all with the bot on the same token (one master
// key, a data directory each), as a scaled-out platform runs: only the process holding the "telegram" role
// polls (cluster/node.hpp). Each reaches the fake through its own base URL (/via/p<i>), so the fake's calls
// say whose they were (call.via). `roles(i)` reads process i's /healthz; `startProcess(i)` starts it again.
export async function startClusterWorld(label, { processes = 2, serveArgs = [] } = {}) {
  const { startPostgres } = await import('../support/postgres.mjs');
  const world = { dir: tempDir(label), fake: new FakeBotApi({ token: TOKEN }), secrets: [], servers: [] };
  world.apiUrl = await world.fake.start();
  world.sim = await startExsim();
  world.pg = await startPostgres();
  world.pg.createDatabase('cluster');
  const env = { TRADEBRIDGE_MASTER_KEY: randomBytes(32).toString('hex') };
  // Process i, started (again, after a kill) on its data directory.
  world.startProcess = async (i) => {
    const dataDir = join(world.dir, `process-${i}`);
    mkdirSync(dataDir, { recursive: true });
    world.servers[i] = await startServe({ dataDir, exsimUrl: world.sim.url, apiUrl: `${world.apiUrl}/via/p${i}`, env,
      extraArgs: ['--database', world.pg.url('cluster'), ...serveArgs] });
    return world.servers[i];
  };
  for (let i = 0; i < processes; i++) await world.startProcess(i);
  world.roles = async (i) => {
    const r = await api(world.servers[i].url, 'GET', '/healthz');
    assert.equal(r.status, 200, r.text);
    return r.body.process.roles;
  };
  world.key = async (venue, opts) => {
    const k = await world.sim.createKey(keySpec(venue, opts));
    world.secrets.push(k.secret);
    return k;
  };
  world.close = async () => {
    for (const s of world.servers) if (!s.proc.exited) await s.stop();
    await world.sim.stop();
    await world.fake.stop();
    world.pg.stop();
    removeDir(world.dir);
  };
  world.allLogs = () => world.servers.map((s) => s.output()).join('\n');
  return world;
}

// ---- the web side ----

export async function api(base, method, path, { token, body, csrf, cookie } = {}) {
  const headers = {};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = `Bearer ${token}`;
  if (cookie) headers.Cookie = cookie;
  if (csrf) headers['X-CSRF-Token'] = csrf;
  const r = await fetch(base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await r.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
  return { status: r.status, body: json, text, headers: r.headers };
}

let webUsers = 0;
export async function webUser(base) {
  const email = `tg${process.pid}-${++webUsers}@example.com`;
  const password = 'correct horse battery staple';
  const reg = await api(base, 'POST', '/api/v1/auth/register', { body: { email, password } });
  assert.equal(reg.status, 201, reg.text);
  const login = await api(base, 'POST', '/api/v1/auth/login', { body: { email, password } });
  assert.equal(login.status, 200, login.text);
  const cookie = (login.headers.get('set-cookie') || '').split(';')[0];
  const u = { email, token: login.body.token, csrf: login.body.csrf_token, cookie, id: login.body.user.id };
  u.call = (method, path, body) => api(base, method, path, { token: u.token, body });
  u.browser = (method, path, body) => api(base, method, path, { cookie: u.cookie, csrf: u.csrf, body });
  return u;
}

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

// ---- people in Telegram ----

// A Telegram user chatting with the bot through the fake.
export class Person {
  constructor(fake, id, name) {
    this.fake = fake;
    this.id = id;
    fake.user(id, { first_name: name, username: name.toLowerCase() });
  }

  // A mark of "now" for expect(): messages sent or edited after it.
  mark() { return this.fake.seq; }

  // The newest bot message (sent or edited after the mark `since`) whose text matches.
  async expect(re, { since = 0, ms = 20000 } = {}) {
    return this.fake.waitFor(() => {
      const all = this.fake.botMessages(this.id).filter((m) => m.changed > since && re.test(m.text));
      return all[all.length - 1];
    }, { ms, what: `a bot message matching ${re} in chat ${this.id}` });
  }

  // Sends a text; with `expect`, waits for the answer matching it.
  async say(text, expect, opts = {}) {
    const since = this.mark();
    const sent = this.fake.sendText(this.id, text);
    if (!expect) return sent;
    const reply = await this.expect(expect, { since, ...opts });
    return Object.assign(reply, { sent });
  }

  // Presses a button of a bot message; waits for its answer (answerCallbackQuery) and, with `expect`, for
  // the screen matching it.
  async press(message, button, expect, opts = {}) {
    const since = this.mark();
    const { id } = this.fake.press(this.id, typeof message === 'number' ? message : message.message_id, button);
    await this.fake.waitFor(() => this.fake.callbacks.get(id).answered, { what: `the answer to ${button}` });
    const answer = this.fake.callbacks.get(id);
    if (!expect) return { answer };
    const screen = await this.expect(expect, { since, ...opts });
    return Object.assign(screen, { answer });
  }

  messages() { return this.fake.chat(this.id); }
  last() { return this.fake.lastBotMessage(this.id); }
}

// The path through the menus to the exchange picker, from the main menu's reply keyboard.
export async function openAddKey(person) {
  const settings = await person.say(LABEL.settings, /Settings/);
  const keys = await person.press(settings, LABEL.keys, /My Exchange API Keys/);
  return person.press(keys, LABEL.add, /Which exchange/);
}

// The text a bot message had when it was sent (before any edit).
export const firstText = (m) => (m.edits.length ? m.edits[0].text : m.text);

// Adds a key through the whole dialog, from the main menu; returns the messages along the way. The
// progress message is edited into the result, so the result is that message once its text is final.
export async function addKeyInChat(person, venue, k, { picker } = {}) {
  picker = picker || await openAddKey(person);
  const ask = await person.press(picker, DISPLAY[venue], /Send the API Key/);
  const keyReceived = await person.say(k.key, /API Key received/);
  const since = person.mark();
  const secretSent = await person.say(k.secret);
  const progress = await person.fake.waitFor(() => person.fake.botMessages(person.id)
    .find((m) => m.changed > since && /Checking your key/.test(firstText(m))), { what: 'the progress message' });
  const result = await person.fake.waitFor(() => person.fake.botMessages(person.id)
    .find((m) => m.message_id === progress.message_id && /Your key is ready|The key was not accepted/.test(m.text)), { ms: 30000, what: 'the key test result' });
  return { ask, keyReceived, keySent: keyReceived.sent, secretSent, progress, result };
}
