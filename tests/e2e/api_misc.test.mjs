// The system routes and the exchanges guide: /healthz, /metrics (requests, key tests and venue calls by
// outcome), /api/openapi.json (OpenAPI 3, every route the server answers and none it does not), and
// /api/v1/exchanges (fields, formats, steps, withdrawals off) checked against the simulator's real key formats.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  VENUES, DISPLAY, EGRESS_IP, startExsim, startServe, newUser, keySpec, addAndTest, tempDir, removeDir, Client,
} from './lib.mjs';

let sim, srv, dir, user;
const undocumented = [];  // statuses the server answered that the OpenAPI document does not list

before(async () => {
  dir = tempDir('misc');
  sim = await startExsim();
  srv = await startServe({ dataDir: dir, exsimUrl: sim.url });
  user = await newUser(srv.url);
});

after(async () => {
  await srv?.stop();
  await sim?.stop();
  removeDir(dir);
});

async function metrics() {
  const r = await fetch(srv.url + '/metrics');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^text\/plain; version=0\.0\.4/);
  return r.text();
}

// The sum of the series whose labels include `labels`, or undefined when there is none.
function sample(text, name, labels) {
  let total;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name + '{')) continue;
    const body = line.slice(name.length + 1, line.lastIndexOf('}'));
    const got = Object.fromEntries([...body.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => got[k] === v)) total = (total ?? 0) + Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}

test('/healthz answers ok, with the hardening headers every answer carries', async () => {
  const r = await fetch(srv.url + '/healthz');
  assert.equal(r.status, 200);
  const body = await r.json();
  assert.equal(body.status, 'ok');
  assert.equal(typeof body.version, 'string');
  // The database: its backend and the schema's version (issue 14 part 4).
  assert.deepEqual(Object.keys(body.database).sort(), ['backend', 'ok', 'schema_version']);
  assert.equal(body.database.backend, 'sqlite');
  assert.equal(body.database.ok, true);
  assert.ok(Number.isInteger(body.database.schema_version) && body.database.schema_version >= 10, JSON.stringify(body));
  for (const res of [r, await fetch(srv.url + '/api/v1/nothing'), await fetch(srv.url + '/api/v1/me')]) {
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(res.headers.get('x-frame-options'), 'DENY');
    assert.equal(res.headers.get('referrer-policy'), 'no-referrer');
  }
});

test('/metrics: requests by route and status, latencies, key tests by outcome, venue calls by outcome', async () => {
  const before = await metrics();
  const healthBefore = sample(before, 'tradebridge_http_requests_total', { method: 'GET', route: '/healthz', status: '200' }) ?? 0;
  for (let i = 0; i < 5; i++) await fetch(srv.url + '/healthz');
  await fetch(srv.url + '/api/v1/me');  // 401
  await fetch(srv.url + '/no/such/path');
  const enabled = await Promise.all(VENUES.map(async (v) => (await addAndTest(user, v, await sim.createKey(keySpec(v)))).account));
  const refused = (await addAndTest(user, 'kraken', await sim.createKey(keySpec('kraken', { withdraw: true })))).account;
  assert.ok(enabled.every((a) => a.status === 'enabled'));
  assert.equal(refused.reason_code, 'withdrawal_permission');

  const text = await metrics();
  for (const family of ['tradebridge_http_requests_total', 'tradebridge_key_tests_total', 'tradebridge_venue_calls_total'])
    assert.match(text, new RegExp(`^# TYPE ${family} counter$`, 'm'));
  assert.match(text, /^# TYPE tradebridge_http_request_duration_seconds histogram$/m);
  assert.equal(sample(text, 'tradebridge_http_requests_total', { method: 'GET', route: '/healthz', status: '200' }), healthBefore + 5);
  assert.ok(sample(text, 'tradebridge_http_requests_total', { method: 'GET', route: '/api/v1/me', status: '401' }) >= 1);
  assert.ok(sample(text, 'tradebridge_http_requests_total', { method: 'GET', route: 'unmatched', status: '404' }) >= 1);
  assert.equal(sample(text, 'tradebridge_http_requests_total', { method: 'POST', route: '/api/v1/exchange-accounts', status: '202' }), 4);
  assert.ok(!text.includes('route="/no/such/path"'), 'unmatched paths do not become labels');
  // The route label is the pattern, not the id.
  assert.ok(sample(text, 'tradebridge_http_requests_total', { method: 'GET', route: '/api/v1/exchange-accounts/{id}', status: '200' }) >= 4);
  assert.ok(sample(text, 'tradebridge_http_request_duration_seconds_count', { route: '/healthz' }) >= 5);
  assert.ok(sample(text, 'tradebridge_http_request_duration_seconds_bucket', { route: '/healthz', le: '+Inf' }) >= 5);
  for (const v of VENUES) {
    assert.equal(sample(text, 'tradebridge_key_tests_total', { venue: v, outcome: 'enabled' }), 1, `${v}: ${text}`);
    assert.ok(sample(text, 'tradebridge_venue_calls_total', { venue: v, outcome: 'ok' }) >= 4, `${v} venue calls`);
    for (const action of ['permissions', 'balances', 'create-order', 'cancel-order'])
      assert.ok(sample(text, 'tradebridge_venue_calls_total', { venue: v, action }) >= 1, `${v} ${action}: ${text}`);
  }
  assert.equal(sample(text, 'tradebridge_key_tests_total', { venue: 'kraken', outcome: 'withdrawal_permission' }), 1);
  // A histogram's buckets never decrease.
  const buckets = text.split('\n').filter((l) => l.startsWith('tradebridge_http_request_duration_seconds_bucket{route="/healthz"')).map((l) => Number(l.split(' ').pop()));
  for (let i = 1; i < buckets.length; i++) assert.ok(buckets[i] >= buckets[i - 1]);
});

test('/api/openapi.json is OpenAPI 3 and lists exactly the routes the server answers', async () => {
  const r = await fetch(srv.url + '/api/openapi.json');
  assert.equal(r.status, 200);
  const doc = await r.json();
  assert.match(doc.openapi, /^3\.\d+\.\d+$/);
  assert.equal(typeof doc.info.title, 'string');
  assert.equal(typeof doc.info.version, 'string');
  const expected = {
    '/api/v1/auth/register': ['post'], '/api/v1/auth/login': ['post'], '/api/v1/auth/logout': ['post'], '/api/v1/me': ['get'],
    '/api/v1/exchanges': ['get'], '/api/v1/exchange-accounts': ['get', 'post'],
    '/api/v1/exchange-accounts/{id}': ['delete', 'get', 'patch'], '/api/v1/exchange-accounts/{id}/keys': ['put'],
    '/api/v1/exchange-accounts/{id}/check': ['post'], '/api/v1/portfolio': ['get'], '/api/v1/audit': ['get'],
    '/api/v1/events': ['get'], '/api/openapi.json': ['get'], '/healthz': ['get'], '/metrics': ['get'],
  };
  for (const [path, methods] of Object.entries(expected)) {
    assert.ok(doc.paths[path], `${path} is documented`);
    for (const m of methods) assert.ok(doc.paths[path][m], `${m.toUpperCase()} ${path} is documented`);
  }
  // Every documented operation is answered by the server (never "no such API path" nor 405), and each
  // declares its responses; refs resolve.
  const resolve = (ref) => ref.slice(2).split('/').reduce((o, k) => o?.[k], doc);
  const ids = new Set();
  const anon = new Client(srv.url);
  const walker = await newUser(srv.url);  // it signs itself out on the way
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      assert.ok(op.responses && Object.keys(op.responses).length > 0, `${method} ${path}: responses`);
      assert.ok(!ids.has(op.operationId), `duplicate operationId ${op.operationId}`);
      ids.add(op.operationId);
      for (const res of Object.values(op.responses)) if (res.$ref) assert.ok(resolve(res.$ref), `${res.$ref} resolves`);
      for (const p of op.parameters || []) if (p.in === 'path') assert.ok(path.includes(`{${p.name}}`));
      const url = path.replace('{id}', '987654321');
      const res = method === 'get' && path === '/api/v1/events'
        ? await fetch(srv.url + url, { headers: { Authorization: `Bearer ${walker.token}` } }).then(async (x) => { await x.body.cancel(); return { status: x.status, body: null }; })
        : await (op.security && path !== '/api/v1/auth/logout' ? walker : anon).req(method.toUpperCase(), url, op.requestBody ? {} : undefined);
      assert.notEqual(res.status, 405, `${method} ${path}`);
      if (res.status === 404) assert.notEqual(res.body?.error?.message, 'no such API path', `${method} ${path} is documented but not served`);
      // Whether the documented statuses include the one answered: judged by the next test.
      if (!op.responses[String(res.status)] && !op.responses.default)
        undocumented.push(`${method.toUpperCase()} ${path}: answered ${res.status}, documented ${Object.keys(op.responses)}`);
    }
  }
  // The document's schema references resolve too.
  const refs = JSON.stringify(doc).match(/"\$ref":"[^"]+"/g) || [];
  for (const ref of refs) assert.ok(resolve(JSON.parse(`{${ref}}`).$ref), ref);
  // State-changing routes document the CSRF header; the protected ones their security.
  const csrf = (op) => (op.parameters || []).some((p) => p.in === 'header' && p.name === 'X-CSRF-Token');
  assert.ok(csrf(doc.paths['/api/v1/exchange-accounts'].post));
  assert.ok(!csrf(doc.paths['/api/v1/exchange-accounts'].get));
  assert.ok(doc.paths['/api/v1/portfolio'].get.security);
  assert.ok(!doc.paths['/api/v1/auth/login'].post.security?.length);
  // A path the document does not list is not served.
  for (const [m, p] of [['GET', '/api/v1/users'], ['GET', '/api/v1/exchange-accounts/1/secret'], ['POST', '/api/v1/exchanges']]) {
    const res = await user.req(m, p, m === 'POST' ? {} : undefined);
    assert.ok([404, 405].includes(res.status), `${m} ${p}: ${res.status}`);
  }
});

// The web app calls the API only through web/js/api-paths.js: each of its paths, with the query parameters it
// sends, is one the server documents (and so answers, by the test above).
test('every API path of the web app (web/js/api-paths.js) is documented in /api/openapi.json', async () => {
  // Loaded from its text: web/js has no package.json to say it is an ES module, and the module imports nothing.
  const source = readFileSync(new URL('../../web/js/api-paths.js', import.meta.url), 'utf8');
  const { paths } = await import(`data:text/javascript,${encodeURIComponent(source)}`);
  const doc = await (await fetch(srv.url + '/api/openapi.json')).json();
  const ID = 987654321;
  const documented = new Map(Object.entries(doc.paths).map(([p, ops]) => [p.replace('{id}', String(ID)), ops]));
  // Served only with the Telegram bot on (this server has none): the profile page asks the document first.
  const optional = new Set(['telegramLinkCode']);
  assert.ok(!documented.has(paths.telegramLinkCode));
  const called = Object.entries(paths).filter(([name]) => !name.endsWith('Prefix') && !optional.has(name));
  assert.ok(called.length >= 20, `${called.length} paths`);
  for (const [name, value] of called) {
    const url = new URL(typeof value === 'function' ? value(ID) : value, srv.url);
    const ops = documented.get(url.pathname);
    assert.ok(ops, `paths.${name}: ${url.pathname} is not documented`);
    const query = new Set(Object.values(ops).flatMap((op) => (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name)));
    for (const key of url.searchParams.keys()) assert.ok(query.has(key), `paths.${name}: query parameter ${key} is not documented`);
  }
  for (const name of ['apiPrefix', 'authPrefix']) {
    assert.ok(Object.keys(doc.paths).some((p) => p.startsWith(paths[name])), `paths.${name}: no documented path under ${paths[name]}`);
  }
});

// The document lists, for every operation, the success status, 400, 401, 403, 404, 413, 415 and 500 only:
// a route has no way to declare its other answers (409 for a taken name, a test already running or running
// robots, 429 on sign-in, 503 when the Telegram bot is off).
test('/api/openapi.json documents every status the routes answer', async () => {
  const doc = await (await fetch(srv.url + '/api/openapi.json')).json();
  const has = (path, method, status) => !!doc.paths[path]?.[method]?.responses?.[status];
  const missing = [...undocumented];
  for (const [path, method, status] of [['/api/v1/auth/register', 'post', '409'], ['/api/v1/auth/login', 'post', '429'],
    ['/api/v1/exchange-accounts', 'post', '409'], ['/api/v1/exchange-accounts/{id}', 'patch', '409'],
    ['/api/v1/exchange-accounts/{id}/check', 'post', '409'], ['/api/v1/exchange-accounts/{id}', 'delete', '409']])
    if (!has(path, method, status)) missing.push(`${method.toUpperCase()} ${path}: ${status} not documented`);
  // The statuses above are real answers (key_flow and security see the 409s and the 429): a taken email here.
  const dup = await new Client(srv.url).post('/api/v1/auth/register', { email: user.email, password: 'another good password' });
  assert.equal(dup.status, 409);
  assert.deepEqual(missing, []);
});

test('/api/v1/exchanges: the three venues, key and secret fields with formats that fit real keys, steps, withdrawals off', async () => {
  const r = await new Client(srv.url).get('/api/v1/exchanges');  // no sign-in needed
  assert.equal(r.status, 200, r.text);
  const list = r.body.exchanges;
  assert.deepEqual(list.map((e) => e.id), VENUES);
  for (const e of list) {
    assert.equal(e.name, DISPLAY[e.id]);
    assert.deepEqual(e.fields.map((f) => f.name), ['key', 'secret']);
    const [keyField, secretField] = e.fields;
    assert.equal(keyField.secret, false);
    assert.equal(secretField.secret, true);
    // The formats the guide states are those of keys the venue (here: the simulator) issues.
    const k = await sim.createKey(keySpec(e.id));
    assert.equal(keyField.length, k.key.length, `${e.id} key length`);
    assert.equal(secretField.length, k.secret.length, `${e.id} secret length`);
    for (const f of e.fields) {
      assert.ok(f.format.startsWith(String(f.length)), f.format);
      assert.ok(f.label.length > 0);
    }
    assert.ok(Array.isArray(e.steps) && e.steps.length >= 3, `${e.id} steps`);
    assert.ok(e.steps.some((s) => /withdraw/i.test(s)), `${e.id}: a step says to leave withdrawals off`);
    assert.ok(e.steps.some((s) => /IP/.test(s)), `${e.id}: a step about the IP whitelist`);
    assert.equal(e.permissions.withdrawals, false);
    assert.equal(e.permissions.trading, true);
    assert.equal(e.permissions.futures, e.id === 'binance_futures');
    assert.ok(e.permissions.required.length > 0);
    assert.match(e.withdrawals_off, /withdraw/i);
    assert.ok(e.trading_on.length > 0);
    assert.match(e.key_page, /^https:\/\//);
    assert.equal(e.ip_whitelist.server_ip, EGRESS_IP);
    assert.ok(e.ip_whitelist.advice.includes(EGRESS_IP));
  }
});

test('/api/v1/me: the user and the CSRF token', async () => {
  const r = await user.get('/api/v1/me');
  assert.equal(r.status, 200);
  assert.equal(r.body.user.email, user.email);
  assert.equal(r.body.user.id, user.user.id);
  assert.equal(r.body.csrf_token, user.csrf);
  assert.ok(!('password_hash' in r.body.user));
  assert.ok(!Number.isNaN(Date.parse(r.body.user.created_at)));
  assert.ok(!Number.isNaN(Date.parse(user.login.body.expires_at)));
  assert.ok(Date.parse(user.login.body.expires_at) > Date.now());
});
