// The object-level authorization matrix: for every route that takes an id (read from the served OpenAPI
// document and from the route registrations in src/web/, so a new id route the matrix does not know fails
// this test) × GET, POST, PUT, PATCH, DELETE × user B's credentials (bearer token; cookie + CSRF token;
// none), user A's id answers exactly as an id that does not exist (status, body, headers), plain and
// percent-encoded; and nothing of A changed: A's rows in the SQLite database (row counts and a hash of
// every row that is A's), the global count of key tests and orders, and A's own view through the API.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join as pjoin } from 'node:path';
import { fileURLToPath } from 'node:url';

import {
  VENUES, startExsim, startServe, newUser, Client, keySpec, addAndTest, tempDir, removeDir, haveSqlite3, sqlite, join,
} from '../e2e/lib.mjs';
import { FakeBotApi } from '../telegram/fake_bot_api.mjs';
import { TOKEN } from '../telegram/lib.mjs';
import { figure } from './lib.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

// Every id route the matrix knows: its ids of A (from the world below), and a request body per method
// that would do harm were the id accepted.
const KNOWN = {
  '/api/v1/exchange-accounts/{id}': { kind: 'account' },
  '/api/v1/exchange-accounts/{id}/keys': { kind: 'account' },
  '/api/v1/exchange-accounts/{id}/check': { kind: 'account' },
  '/api/v1/exchange-accounts/{id}/orders': { kind: 'account' },
  '/api/v1/sessions/{id}': { kind: 'session' },
  // The robots' catalogue belongs to no user: any signed-in user reads every robot, nobody writes one
  // (checked below, apart from the matrix).
  '/api/v1/robots/{id}': { kind: 'shared' },
  '/api/v1/robots/{id}/candles': { kind: 'shared' },
  '/api/v1/robots/{id}/signals': { kind: 'shared' },
  '/api/v1/robots/{id}/trades': { kind: 'shared' },
  '/api/v1/robots/{id}/equity': { kind: 'shared' },
  // A user's robots: A's followers of a catalogue robot.
  '/api/v1/user-robots/{id}': { kind: 'user_robot' },
  '/api/v1/user-robots/{id}/start': { kind: 'user_robot' },
  '/api/v1/user-robots/{id}/stop': { kind: 'user_robot' },
  '/api/v1/user-robots/{id}/resume': { kind: 'user_robot' },
  '/api/v1/user-robots/{id}/positions': { kind: 'user_robot' },
  '/api/v1/user-robots/{id}/orders': { kind: 'user_robot' },
};
// A shared route's method that is a signal robot's webhook: no user's credentials write there, only the
// robot's own token (401 without it).
const WEBHOOK = { 'POST /api/v1/robots/{id}/signals': 401 };

let sim, srv, dir, fake, A, B, bCookie;
const aAccounts = [];
let aSessions = [];
const aUserRobots = [];
let bKey;

before(async () => {
  dir = tempDir('sec-authz');
  fake = new FakeBotApi({ token: TOKEN });
  const apiUrl = await fake.start();
  sim = await startExsim();
  // With the bot configured, so that its routes are registered and listed too.
  srv = await startServe({
    dataDir: dir, exsimUrl: sim.url, env: { TRADEBRIDGE_TELEGRAM_TOKEN: TOKEN },
    extraArgs: ['--telegram-api-url', apiUrl, '--telegram-poll-timeout', '3'],
  });
  [A, B] = [await newUser(srv.url), await newUser(srv.url)];
  // A: an enabled account per venue, one refused, a second session, a renamed account.
  for (const v of VENUES) aAccounts.push((await addAndTest(A, v, await sim.createKey(keySpec(v)))).account);
  aAccounts.push((await addAndTest(A, 'kraken', await sim.createKey(keySpec('kraken', { withdraw: true })))).account);
  assert.equal((await A.patch(`/api/v1/exchange-accounts/${aAccounts[0].id}`, { name: 'A main' })).status, 200);
  assert.equal((await new Client(srv.url).post('/api/v1/auth/login', { email: A.email, password: 'correct horse battery staple' })).status, 200);
  aSessions = (await A.get('/api/v1/sessions')).body.sessions;
  const robot = (await A.get(`/api/v1/robots?exchange=${aAccounts[0].exchange}`)).body.robots[0];
  const followed = await A.post('/api/v1/user-robots', { robot_id: robot.id, account_id: aAccounts[0].id, volume: { type: 'quote_fixed', value: '150' } });
  assert.equal(followed.status, 201, followed.text);
  aUserRobots.push(followed.body);
  assert.equal(aSessions.length, 2, JSON.stringify(aSessions));
  // B: an account of its own (B is a real user with real objects), and a key pair B could try to plant.
  await addAndTest(B, 'bitfinex', await sim.createKey(keySpec('bitfinex')));
  bKey = await sim.createKey(keySpec('binance_futures'));
  bCookie = new Client(srv.url, { cookie: B.cookie, csrf: B.csrf });
});

after(async () => {
  await srv?.stop();
  await sim?.stop();
  await fake?.stop();
  removeDir(dir);
});

// The id routes: those the server lists in its OpenAPI document, and those registered in src/web/ (a route
// only registered under some option would be missed by the document alone).
async function idRoutes() {
  const doc = await (await fetch(srv.url + '/api/v1/openapi.json')).json();
  const listed = Object.keys(doc.paths).filter((p) => p.includes('{'));
  const src = pjoin(HERE, '../../src/web');
  const registered = new Set();
  for (const f of readdirSync(src).filter((x) => x.endsWith('.cpp'))) {
    for (const m of readFileSync(pjoin(src, f), 'utf8').matchAll(/\.add\(\s*"[A-Z]+",\s*"([^"]*\{[^"]*)"/g)) registered.add(m[1]);
  }
  return { listed, registered: [...registered], all: [...new Set([...listed, ...registered])].sort(), paths: Object.keys(doc.paths).length };
}

test('the matrix knows every route that takes an id', async () => {
  const { listed, registered, all, paths } = await idRoutes();
  assert.ok(listed.length >= 4 && registered.length >= 4, `${listed} / ${registered}`);
  const unknown = all.filter((p) => !KNOWN[p]);
  assert.deepEqual(unknown, [], 'a route with an id that tests/security/authz_matrix.test.mjs does not cover: add it to KNOWN');
  const gone = Object.keys(KNOWN).filter((p) => !all.includes(p));
  assert.deepEqual(gone, [], 'a route of the matrix no longer exists');
  figure(`${paths} API paths served, ${all.length} with an id: ${all.join(', ')}`);
});

// A's rows, read from the database: per table the count of A's rows and a hash of them. Every table with a
// user_id column (its rows of A) or an account_id column (the rows of A's accounts), read from the schema,
// so a table added later (two-factor secrets, robots) is covered without a change here; and the totals of
// key tests, orders and accounts, so B's tries started nothing anywhere.
function aRows() {
  const db = join(dir, 'tradebridge.db');
  const uid = A.user.id;
  const acc = `(SELECT id FROM accounts WHERE user_id = ${uid})`;
  const columns = sqlite(db, "SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table' ORDER BY m.name, p.cid;")
    .trim().split('\n').map((l) => l.split('|'));
  const tables = {};
  for (const [t, c] of columns) (tables[t] ??= []).push(c);
  const queries = { users: `SELECT * FROM users WHERE id = ${uid}` };
  for (const [t, cols] of Object.entries(tables)) {
    const where = [cols.includes('user_id') && `user_id = ${uid}`, cols.includes('account_id') && `account_id IN ${acc}`].filter(Boolean);
    if (t === 'accounts') where.push(`id IN ${acc}`);
    if (where.length) queries[t] = `SELECT * FROM "${t}" WHERE ${where.join(' OR ')} ORDER BY 1, 2`;
  }
  assert.ok(['sessions', 'accounts', 'account_secrets', 'key_tests', 'orders', 'audit_log'].every((t) => queries[t]), Object.keys(queries).join(' '));
  Object.assign(queries, {
    'all key_tests': 'SELECT COUNT(*) FROM key_tests',
    'all orders': 'SELECT COUNT(*) FROM orders',
    'all accounts': 'SELECT COUNT(*) FROM accounts',
  });
  const out = {};
  for (const [t, q] of Object.entries(queries)) {
    const text = sqlite(db, `${q};`);
    out[t] = { rows: t.startsWith('all ') ? Number(text.trim()) : (text ? text.trimEnd().split('\n').length : 0), hash: createHash('sha256').update(text).digest('hex').slice(0, 16) };
  }
  return out;
}

// The parts of an answer that must not tell A's id from a missing one.
// (The id itself may be named in the message: both are replaced, longest first, and the length follows.)
const IGNORED_HEADERS = new Set(['date', 'x-request-id', 'request-id', 'content-length']);
function shape(r, ids) {
  let text = r.text;
  for (const id of [...ids].sort((x, y) => y.length - x.length)) text = text.split(String(id)).join('<id>');
  const headers = [...r.headers].filter(([k]) => !IGNORED_HEADERS.has(k)).map(([k, v]) => `${k}: ${v}`).sort();
  return { status: r.status, text, headers };
}

function bodyFor(method, route) {
  if (method === 'GET' || method === 'DELETE') return undefined;
  if (route.endsWith('/keys')) return { key: bKey.key, secret: bKey.secret };
  if (method === 'PATCH') return { name: 'stolen by B' };
  return {};
}

const pct = (s) => [...String(s)].map((c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`).join('');

test('the robots\' shared routes: any user reads them, no method writes them, no credentials is 401', async () => {
  const { all } = await idRoutes();
  const id = (await B.get('/api/v1/robots')).body.robots[0].id;
  const anon = new Client(srv.url);
  for (const route of all.filter((r) => KNOWN[r].kind === 'shared')) {
    const path = route.replace('{id}', String(id));
    assert.equal((await A.get(path)).status, 200, path);
    assert.equal((await B.get(path)).status, 200, path);
    assert.equal((await anon.get(path)).status, 401, path);
    for (const method of METHODS.filter((m) => m !== 'GET')) {
      const r = await bCookie.req(method, path, bodyFor(method, route));
      const webhook = WEBHOOK[`${method} ${route}`];
      if (webhook) assert.equal(r.status, webhook, `${method} ${path}: ${r.status} ${r.text}`);
      else assert.ok([403, 405].includes(r.status), `${method} ${path}: ${r.status}`);
    }
  }
});

test('every id route × every method × B\'s bearer, cookie + CSRF and no credentials: A\'s id answers as a missing id; nothing of A changed',
  { skip: !haveSqlite3() && 'the sqlite3 command-line tool is not installed' }, async () => {
    const { all } = await idRoutes();
    const beforeRows = aRows();
    const aBefore = await Promise.all(aAccounts.map(async (a) => (await A.get(`/api/v1/exchange-accounts/${a.id}`)).text));
    const rowsAgain = aRows();  // A's own reads change nothing but the session's last use, which is not A's data
    assert.deepEqual({ ...rowsAgain, sessions: null }, { ...beforeRows, sessions: null });
    const anon = new Client(srv.url);
    const creds = { bearer: B, 'cookie+csrf': bCookie, none: anon };
    const ids = {
      account: aAccounts.map((a) => ({ theirs: String(a.id), missing: String(987654000 + a.id) })),
      session: aSessions.map((s) => ({ theirs: s.id, missing: s.id.slice(0, -1) + (s.id.endsWith('A') ? 'B' : 'A') })),
      user_robot: aUserRobots.map((u) => ({ theirs: String(u.id), missing: String(987654000 + u.id) })),
    };
    let requests = 0;
    const statuses = {};
    for (const route of all) {
      if (KNOWN[route].kind === 'shared') continue;
      for (const method of METHODS) {
        for (const [cname, c] of Object.entries(creds)) {
          for (const { theirs, missing } of ids[KNOWN[route].kind]) {
            for (const enc of [(x) => x, pct]) {
              const path = (id) => route.replace('{id}', enc(id));
              const body = bodyFor(method, route);
              const t = await c.req(method, path(theirs), body);
              const m = await c.req(method, path(missing), body);
              requests += 2;
              const what = `${cname} ${method} ${path(theirs)}`;
              assert.deepEqual(shape(t, [theirs, missing]), shape(m, [theirs, missing]), what);
              assert.ok([401, 403, 404, 405].includes(t.status), `${what}: ${t.status} ${t.text}`);
              if (cname === 'bearer' && t.status !== 405) assert.equal(t.status, 404, `${what}: ${t.text}`);
              if (cname === 'bearer' && t.status === 404) assert.equal(t.body?.error?.code, 'not_found', t.text);
              statuses[`${cname} ${t.status}`] = (statuses[`${cname} ${t.status}`] ?? 0) + 1;
            }
          }
        }
      }
    }
    // The comparison tells an id that is served from one that is not: B's own account, through the same code.
    const own = (await B.get('/api/v1/exchange-accounts')).body.accounts[0];
    const ownAnswer = await B.get(`/api/v1/exchange-accounts/${own.id}`);
    assert.notDeepEqual(shape(ownAnswer, [String(own.id), '987654321']), shape(await B.get('/api/v1/exchange-accounts/987654321'), [String(own.id), '987654321']));
    // A cookie write with the CSRF token is past the CSRF check: it too must have reached the 404.
    assert.ok(statuses['cookie+csrf 404'] > 0, JSON.stringify(statuses));
    const afterRows = aRows();
    assert.deepEqual(afterRows, rowsAgain, 'A\'s rows changed');
    const aAfter = await Promise.all(aAccounts.map(async (a) => (await A.get(`/api/v1/exchange-accounts/${a.id}`)).text));
    assert.deepEqual(aAfter, aBefore);
    assert.equal((await A.get('/api/v1/sessions')).body.sessions.length, 2, 'A\'s sessions are both alive');
    assert.equal((await sim.orders(bKey.key)).length, 0, 'B\'s key pair was never tested on A\'s account');
    figure(`${requests} requests (${all.length} id routes × ${METHODS.length} methods × 3 credentials × A's ids plain and %-encoded, each against a missing id): `
      + `answers identical; statuses ${JSON.stringify(statuses)}; A's rows unchanged (${Object.entries(afterRows).map(([t, v]) => `${t} ${v.rows}`).join(', ')})`);
  });
