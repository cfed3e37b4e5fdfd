// Generated malformed requests over raw TCP: TB_SEC_REQUESTS (default 10,000) requests from a seeded
// generator (TB_SEC_SEED; the seed is printed, so a failure repeats): bad and deeply nested JSON, huge
// sizes, wrong types, invalid UTF-8, odd numbers, bad and duplicate headers, framing (Content-Length and
// Transfer-Encoding variants, no Host), odd methods, targets and versions; with a valid bearer token, a
// valid cookie + CSRF token, a bad one or none. Each request is written (in one piece or several) and the
// sending side then half-closed, or for a well-framed request left open until the answer.
// Asserted: no answer is a 5xx; every request gets its answer or the connection closed within 10 s;
// /healthz answers afterwards; and serve's resident memory (VmRSS) ends within 10 MiB of what it was after
// a warm-up batch of the same generator.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';

import { VENUES, startExsim, startServe, newUser, keySpec, addAndTest, tempDir, removeDir, sleep } from '../e2e/lib.mjs';
import { prng, seedFromEnv, pool, vmRssKiB, figure } from './lib.mjs';

const COUNT = Number(process.env.TB_SEC_REQUESTS || 10000);
const WARMUP = Math.min(1000, Math.max(100, Math.floor(COUNT / 10)));
const SEED = seedFromEnv('TB_SEC_SEED', 20260510);
const WIDTH = Number(process.env.TB_SEC_WIDTH || 24);
const HANG_MS = 10000;

let sim, srv, dir, host, port, user, accountId;

before(async () => {
  console.log(`# seed ${SEED} (TB_SEC_SEED), ${COUNT} requests (TB_SEC_REQUESTS), ${WIDTH} at once`);
  dir = tempDir('sec-malformed');
  sim = await startExsim();
  srv = await startServe({ dataDir: dir, exsimUrl: sim.url });
  ({ hostname: host, port } = new URL(srv.url));
  port = Number(port);
  user = await newUser(srv.url);
  accountId = (await addAndTest(user, 'bitfinex', await sim.createKey(keySpec('bitfinex')))).account.id;
});

after(async () => {
  await srv?.stop();
  await sim?.stop();
  removeDir(dir);
});

// ---- the generator ----

const ROUTES = () => [
  ['POST', '/api/v1/exchange-accounts'], ['POST', '/api/v1/auth/login'], ['POST', '/api/v1/auth/register'],
  ['PATCH', `/api/v1/exchange-accounts/${accountId}`], ['PUT', `/api/v1/exchange-accounts/${accountId}/keys`],
  ['POST', `/api/v1/exchange-accounts/${accountId}/check`], ['POST', '/api/v1/auth/password'], ['POST', '/api/v1/telegram/link-code'],
  ['POST', '/api/v1/telegram/webhook'], ['GET', '/api/v1/me'], ['GET', '/api/v1/exchange-accounts'], ['GET', '/api/v1/portfolio'],
  ['GET', '/api/v1/audit?limit=5'], ['GET', '/api/v1/portfolio/history?days=7'], ['GET', '/api/v1/events'], ['GET', '/api/v1/sessions'],
  ['GET', '/healthz'], ['GET', '/metrics'], ['GET', '/api/v1/openapi.json'], ['GET', '/'], ['GET', '/api/v1/exchanges'],
  ['DELETE', '/api/v1/exchange-accounts/987654321'], ['DELETE', '/api/v1/sessions/nope'],
];

const ODD_NUMBERS = ['1e999999', '-1e999999', '1e-999999', '-0', '0x10', 'NaN', 'Infinity', '-Infinity', '01', '+1', '.5', '5.', '1e',
  '123456789012345678901234567890123456789', '9223372036854775808', '-9223372036854775809', '1.7976931348623157e309', '4.9e-325', '1_000',
  '0.' + '0'.repeat(5000) + '1', '1' + '0'.repeat(5000)];
const BAD_UTF8 = [[0xff], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82], [0x80], [0xf0, 0x9f, 0x98], [0xfe, 0xfe], [0x00]];
const BAD_ESCAPES = ['\\ud800', '\\udfff\\ud800', '\\u0000', '\\uZZZZ', '\\x41', '\\', '\\u12', '\\/'];
const FIELDS = ['exchange', 'key', 'secret', 'name', 'email', 'password', 'current_password', 'new_password', 'update_id', 'message'];
const VALUES = () => ['"kraken"', '"binance_futures"', '"x"', '""', 'null', 'true', '[]', '{}', '[1,2,3]', '{"a":{"b":{}}}', '12', '-1', '1.5',
  `"${'A'.repeat(64)}"`, `"${'a'.repeat(100000)}"`, '"\\u00e9\\ud83d\\ude00"', '"a@example.com"', '"correct horse battery staple"'];

function jsonBody(r) {
  const kind = r.int(14);
  const field = () => `"${r.pick(FIELDS)}"`;
  const obj = (n) => `{${Array.from({ length: n }, () => `${field()}:${r.pick(VALUES())}`).join(',')}}`;
  switch (kind) {
    case 0: { const s = obj(1 + r.int(4)); return Buffer.from(s.slice(0, r.int(s.length))); }  // truncated
    case 1: { const d = r.pick([10, 64, 65, 100, 1000, 50000, 200000]); const o = r.chance(0.5); return Buffer.from(`{"name":${(o ? '{"a":' : '[').repeat(d)}1${(o ? '}' : ']').repeat(r.chance(0.8) ? d : r.int(d))}}`); }
    case 2: return Buffer.from(`{"name":${r.pick(ODD_NUMBERS)},"exchange":${r.pick(ODD_NUMBERS)}}`);
    case 3: { const b = Buffer.from(obj(2)); const at = 1 + r.int(b.length - 1); return Buffer.concat([b.subarray(0, at), Buffer.from(r.pick(BAD_UTF8)), b.subarray(at)]); }
    case 4: return Buffer.from(`{"name":"a${r.pick(BAD_ESCAPES)}b","exchange":"kraken"}`);
    case 5: return Buffer.from(`{${field()}:1,"name":"x","name":"y"}`);  // duplicate keys
    case 6: return Buffer.from(r.pick(['', ' ', 'null', 'true', '[]', '"str"', '123', '{}', '{"":""}', '\ufeff{}', '{}{}', '{} x', '{"a":1,}', '{a:1}', "{'a':1}", '[{}]', '{"a":1}\u0000']));
    case 7: return Buffer.from(`{"exchange":${r.pick(VALUES())},"key":${r.pick(VALUES())},"secret":${r.pick(VALUES())},"name":${r.pick(VALUES())}}`);  // wrong types
    case 8: { const n = r.pick([65537, 262145, 1048577, 2100000]); return Buffer.from(`{"name":"${'x'.repeat(n)}"}`); }  // huge
    case 9: return Buffer.from(`{${Array.from({ length: r.pick([100, 5000, 20000]) }, (_, i) => `"k${i}":${i}`).join(',')}}`);  // many fields
    case 10: { const b = Buffer.alloc(1 + r.int(512)); for (let i = 0; i < b.length; ++i) b[i] = r.int(256); return b; }  // noise
    case 11: return Buffer.from(`{"update_id":${r.pick(ODD_NUMBERS)},"message":{"chat":{"id":${r.pick(ODD_NUMBERS)}},"from":{"id":-1},"text":${r.pick(VALUES())}}}`);
    case 12: { const s = obj(3); const b = Buffer.from(s); for (let i = 0; i < 3; ++i) b[r.int(b.length)] = r.int(256); return b; }  // flipped bytes
    default: return Buffer.from(obj(1 + r.int(6)));
  }
}

const AUTHS = ['bearer', 'cookie', 'bad-bearer', 'bad-cookie', 'none', 'odd'];

function authHeaders(r, kind, method, path) {
  // A valid session never logs itself out, ends the others or changes the password here (a generated body
  // may hold the right current password), so that later requests still carry a valid one.
  if ((kind === 'bearer' || kind === 'cookie') && (/logout|sessions$|password/.test(path) && method !== 'GET')) kind = 'none';
  switch (kind) {
    case 'bearer': return [`Authorization: Bearer ${user.token}`];
    case 'cookie': return [`Cookie: ${user.cookie}`, `X-CSRF-Token: ${r.chance(0.8) ? user.csrf : 'wrong'}`];
    case 'bad-bearer': return [`Authorization: Bearer ${r.pick(['', 'x', 'tb_' + 'A'.repeat(43), user.token.slice(0, -1), 'A'.repeat(20000)])}`];
    case 'bad-cookie': return [`Cookie: ${r.pick(['tb_session=', 'tb_session', ';;;', 'tb_session=a; tb_session=b', `tb_session=${user.token}x`, '=\u00ff'])}`];
    case 'odd': return r.pick([[`Authorization: Basic ${Buffer.from('a:b').toString('base64')}`], ['Authorization: Bearer'], ['Authorization:'],
      [`Authorization: Bearer ${user.token}`, 'Authorization: Bearer other'], [`Authorization: bearer ${user.token}`], [`Authorization: Bearer  ${user.token}`]]);
    default: return [];
  }
}

// One request: {bytes, complete (well framed: an answer is due without a half-close), kind, note}.
function generate(r) {
  const [method0, path0] = r.pick(ROUTES());
  let method = method0;
  let target = path0;
  let version = 'HTTP/1.1';
  const auth = r.pick(AUTHS);
  let headers = [`Host: ${host}:${port}`];
  let body = Buffer.alloc(0);
  let complete = true;
  let kind;
  const k = r.int(100);
  if (k < 40) {
    kind = 'json';
    if (method === 'GET' || method === 'DELETE') method = r.pick(['POST', 'PATCH', 'PUT']);
    body = jsonBody(r);
    headers.push(`Content-Type: ${r.pick(['application/json', 'application/json', 'application/json; charset=utf-8', 'text/plain', 'application/json; charset=latin1', 'application/json, text/plain'])}`);
  } else if (k < 55) {
    kind = 'target';
    method = r.pick(['GET', 'GET', 'POST', 'DELETE', 'HEAD', 'OPTIONS', 'TRACE', 'CONNECT', 'PROPFIND', 'get', 'G-ET', 'X'.repeat(r.pick([1, 100, 5000])), '']);
    target = r.pick(['*', '//', '/api/v1/../../etc/passwd', '/api/v1/%2e%2e/%2e%2e/', '/%zz', '/%', '/api/v1/exchange-accounts/%00', '/api/v1/exchange-accounts/%ff%fe',
      `/api/v1/exchange-accounts/${'9'.repeat(40)}`, '/api/v1/exchange-accounts/-1', '/api/v1/exchange-accounts/1.0', `/${'a/'.repeat(3000)}`, `/${'x'.repeat(20000)}`,
      `http://${host}:${port}/api/v1/me`, 'api/v1/me', '/api/v1/me?', '/api/v1/audit?limit=-1', '/api/v1/audit?limit=99999999999999999999',
      '/api/v1/audit?limit=%', '/api/v1/audit?limit=a&limit=b', '/api/v1/portfolio/history?days=abc', '/api/v1/portfolio/history?days=1e9',
      '/api/v1/me#frag', '/api/v1/me?%00=%00', '/\u00e9', '/api/v1/sessions/' + 'z'.repeat(300), path0]);
    if (r.chance(0.2)) version = r.pick(['HTTP/1.0', 'HTTP/2.0', 'HTTP/9.9', 'HTTP/1.1x', 'http/1.1', 'HTTP/1', '']);
    if (version === 'HTTP/1.0' && r.chance(0.5)) headers = [];
    if (!['HTTP/1.1', 'HTTP/1.0'].includes(version) || method === '' || /[^A-Za-z-]/.test(method)) complete = false;
  } else if (k < 75) {
    kind = 'headers';
    const v = r.int(14);
    if (v === 0) headers = [];  // no Host
    if (v === 1) headers.push(`Host: other.example`);  // two Hosts
    if (v === 2) headers.push(`X-Long: ${'h'.repeat(r.pick([8000, 17000, 70000]))}`);
    if (v === 3) for (let i = 0; i < r.pick([100, 1000, 3000]); ++i) headers.push(`X-H${i}: ${i}`);
    if (v === 4) headers.push('NoColonHere');
    if (v === 5) headers.push('Bad Name: x');
    if (v === 6) headers.push('X-Fold: a', ' folded continuation');
    if (v === 7) headers.push('X-Nul: a\u0000b');
    if (v === 8) headers.push('X-Bytes: \u00ff\u00fe');
    if (v === 9) headers.push('Content-Type: application/json', 'Content-Type: text/plain');
    if (v === 10) headers.push(`X-Peer-Addr: 10.0.0.1:1`, 'X-Forwarded-For: 10.0.0.2', 'Forwarded: for=10.0.0.3');
    if (v === 11) headers.push(': empty-name');
    if (v === 12) headers.push(`Cookie: ${'c=1; '.repeat(2000)}`);
    if (v === 13) headers.push('Expect: 100-continue');
    if (v <= 8 || v === 11) complete = false;
    if (r.chance(0.5)) { body = jsonBody(r); headers.push('Content-Type: application/json'); }
  } else if (k < 92) {
    kind = 'framing';
    if (method === 'GET') method = 'POST';
    body = jsonBody(r);
    headers.push('Content-Type: application/json');
    const v = r.int(13);
    const cl = (x) => `Content-Length: ${x}`;
    complete = false;
    if (v === 0) headers.push(cl(body.length + 1 + r.int(1000)));  // body short
    if (v === 1) headers.push(cl(Math.max(0, body.length - 1 - r.int(body.length))));  // body longer: the rest as a next request
    if (v === 2) headers.push(cl(body.length), cl(body.length));
    if (v === 3) headers.push(cl(body.length), cl(body.length + 1));
    if (v === 4) headers.push(cl(r.pick(['-1', '+5', '0x10', '1e3', ' ', 'abc', '99999999999999999999999', '18446744073709551616', `${body.length}, ${body.length}`])));
    if (v === 5) headers.push('Transfer-Encoding: chunked', cl(body.length));
    if (v === 6) headers.push(`Transfer-Encoding: ${r.pick(['gzip', 'chunked, chunked', 'gzip, chunked', 'Chunked', ' chunked', 'chunked ', 'identity', 'xchunked'])}`);
    if (v === 7) headers.push('Transfer-Encoding: chunked', 'Transfer-Encoding: chunked');
    if (v === 8) {  // well-formed chunked
      headers.push('Transfer-Encoding: chunked');
      body = Buffer.concat([Buffer.from(`${body.length.toString(16)}\r\n`), body, Buffer.from('\r\n0\r\n\r\n')]);
      complete = true;
    }
    if (v >= 9) {  // chunked, with bad sizes, extensions, endings
      headers.push('Transfer-Encoding: chunked');
      const size = r.pick([body.length.toString(16), 'zz', '-1', 'ffffffffffffffffff', `${body.length.toString(16)};ext=1`, ' ' + body.length.toString(16), '']);
      const tail = r.pick(['\r\n0\r\n\r\n', '\r\n0\r\n', '\r\n', '0\r\n\r\n', '\r\n0\r\nX-Trailer: 1\r\n\r\n', '\r\n1\r\n']);
      body = Buffer.concat([Buffer.from(`${size}\r\n`), body, Buffer.from(tail)]);
    }
  } else {
    kind = 'valid';
    if (method !== 'GET' && method !== 'DELETE') {
      body = Buffer.from(JSON.stringify(r.pick([{ name: 'ok' }, { email: 'x@example.com', password: 'correct horse battery staple' }, {}])));
      headers.push('Content-Type: application/json');
    }
  }
  headers.push(...authHeaders(r, auth, method, target));
  if (kind !== 'framing' && (body.length || r.chance(0.3))) headers.push(`Content-Length: ${body.length}`);
  if (r.chance(0.1)) headers.push('Connection: close');
  if (r.chance(0.05)) headers = headers.map((h) => h.replace(/^([^:]+):/, (_, n) => `${n.toUpperCase()}:`));
  const eol = r.chance(0.03) ? '\n' : '\r\n';
  if (eol !== '\r\n') complete = false;
  const head = `${method} ${target}${version ? ' ' + version : ''}${eol}${headers.join(eol)}${headers.length ? eol : ''}${eol}`;
  return { bytes: Buffer.concat([Buffer.from(head, 'latin1'), body]), complete, kind, auth };
}

// ---- the sender ----

// Sends one request; resolves to {statuses, closed, hung, ms, bytes}. The sending side is half-closed
// after the write unless the request is well framed and `keepOpen`; then the first status line is enough.
function send(req, keepOpen, r) {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const s = net.connect({ host, port });
    let data = '';
    let done = false;
    const finish = (how) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      s.destroy();
      const statuses = [...data.matchAll(/^HTTP\/1\.[01] (\d{3})/gm)].map((m) => Number(m[1]));
      resolve({ statuses, how, hung: how === 'timeout', ms: Date.now() - t0, received: data.length });
    };
    const timer = setTimeout(() => finish('timeout'), HANG_MS);
    s.setNoDelay(true);
    s.on('data', (d) => {
      data += d.toString('latin1');
      if (keepOpen && /^HTTP\/1\.[01] \d{3}/.test(data) && data.includes('\r\n\r\n')) finish('answered');
    });
    s.on('error', () => finish('error'));
    s.on('close', () => finish('closed'));
    s.on('connect', async () => {
      const pieces = r.chance(0.1) ? 2 + r.int(4) : 1;
      let at = 0;
      for (let i = 0; i < pieces && !done; ++i) {
        const end = i === pieces - 1 ? req.bytes.length : Math.min(req.bytes.length, at + 1 + r.int(Math.max(1, Math.floor(req.bytes.length / pieces))));
        const ok = s.write(req.bytes.subarray(at, end));
        at = end;
        if (!ok) await new Promise((res) => { s.once('drain', res); s.once('close', res); });
        if (pieces > 1) await sleep(r.int(20));
      }
      if (!done && !keepOpen) s.end();
    });
  });
}

async function batch(n, seed) {
  const gen = prng(seed);
  // TB_SEC_ONLY=json|target|headers|framing|valid keeps one kind (to find what a failure or growth comes from).
  const only = process.env.TB_SEC_ONLY;
  const one = () => { for (;;) { const q = generate(gen); if (!only || q.kind === only) return q; } };
  const reqs = Array.from({ length: n }, one);
  const stats = { n, fivexx: [], hung: [], answered: 0, closedOnly: 0, statuses: {}, kinds: {}, maxMs: 0, bytes: 0 };
  await pool(reqs, WIDTH, async (req, i) => {
    const r = prng(seed ^ (i * 2654435761));
    const keepOpen = req.complete && r.chance(0.3);
    const res = await send(req, keepOpen, r);
    stats.bytes += req.bytes.length;
    stats.kinds[req.kind] = (stats.kinds[req.kind] ?? 0) + 1;
    stats.maxMs = Math.max(stats.maxMs, res.ms);
    if (res.statuses.length) stats.answered++; else stats.closedOnly++;
    for (const st of res.statuses) {
      stats.statuses[st] = (stats.statuses[st] ?? 0) + 1;
      if (st >= 500) stats.fivexx.push({ i, status: st, kind: req.kind, request: req.bytes.subarray(0, 300).toString('latin1') });
    }
    if (res.hung) stats.hung.push({ i, kind: req.kind, keepOpen, request: req.bytes.subarray(0, 300).toString('latin1') });
  });
  return stats;
}

test(`${COUNT} generated malformed requests: no 5xx, no hang over 10 s, /healthz after, memory back within 10 MiB`, async () => {
  const pid = srv.proc.child.pid;
  const rss0 = vmRssKiB(pid);
  const warm = await batch(WARMUP, SEED ^ 0xa5a5a5);
  assert.deepEqual(warm.fivexx, [], 'a 5xx in the warm-up');
  await sleep(2000);
  const base = vmRssKiB(pid);
  const t0 = Date.now();
  const stats = await batch(COUNT, SEED);
  const seconds = (Date.now() - t0) / 1000;
  console.log(`# statuses ${JSON.stringify(stats.statuses)}; kinds ${JSON.stringify(stats.kinds)}`);
  assert.deepEqual(stats.fivexx.slice(0, 5), [], `${stats.fivexx.length} answers ≥ 500 (seed ${SEED})`);
  assert.deepEqual(stats.hung.slice(0, 5), [], `${stats.hung.length} requests with neither an answer nor a close within 10 s (seed ${SEED})`);
  assert.ok(stats.answered > COUNT / 2, `${stats.answered} answered`);
  const health = await fetch(srv.url + '/healthz');
  assert.equal(health.status, 200);
  assert.equal((await fetch(srv.url + '/api/v1/me', { headers: { Authorization: `Bearer ${user.token}` } })).status, 200);
  // Memory: allowed to settle (idle connections time out, buffers are returned).
  let rss = vmRssKiB(pid);
  for (let i = 0; i < 20 && rss > base + 10 * 1024; ++i) {
    await sleep(500);
    rss = vmRssKiB(pid);
  }
  const grew = (rss - base) / 1024;
  figure(`seed ${SEED}: ${COUNT} requests (${(stats.bytes / 1048576).toFixed(1)} MiB) in ${seconds.toFixed(1)} s, ${WIDTH} at once; `
    + `${stats.answered} answered, ${stats.closedOnly} closed without an answer, 0 answers >= 500, 0 hangs (slowest ${(stats.maxMs / 1000).toFixed(2)} s); `
    + `VmRSS ${(rss0 / 1024).toFixed(1)} MiB at start, ${(base / 1024).toFixed(1)} MiB after ${WARMUP} warm-up requests, ${(rss / 1024).toFixed(1)} MiB after (${grew >= 0 ? '+' : ''}${grew.toFixed(1)} MiB)`);
  assert.ok(rss <= base + 10 * 1024, `VmRSS grew by ${grew.toFixed(1)} MiB (from ${base} to ${rss} KiB)`);
  assert.equal(srv.proc.exited, null, 'serve is still running');
  assert.ok(!/terminate called|Segmentation|AddressSanitizer|fatal/i.test(srv.output()), srv.output().slice(-2000));
});
