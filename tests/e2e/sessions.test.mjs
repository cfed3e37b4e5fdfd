// Sessions and event streams against a real `tradebridge serve`: a stream ends with `session.ended` within
// 2 s of its session being signed out, signed out from elsewhere, outdated by a password change or idle
// for --session-idle; at most --max-streams-per-user (TRADEBRIDGE_MAX_STREAMS_PER_USER) streams per user;
// GET/DELETE /api/v1/sessions.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';

import { Client, PASSWORD, newUser, removeDir, sleep, startServe, subscribe, tempDir, waitFor } from './lib.mjs';

let srv, dir, idleSrv, idleDir;
const IDLE_S = 2;

before(async () => {
  dir = tempDir('sessions');
  srv = await startServe({ dataDir: dir });
  idleDir = tempDir('sessions-idle');
  idleSrv = await startServe({ dataDir: idleDir, extraArgs: ['--session-idle', String(IDLE_S)], env: { TRADEBRIDGE_MAX_STREAMS_PER_USER: '2' } });
});

after(async () => {
  await srv?.stop();
  await idleSrv?.stop();
  removeDir(dir);
  removeDir(idleDir);
});

// Another session of the same user (another browser).
async function signInAgain(base, user) {
  const r = await new Client(base).post('/api/v1/auth/login', { email: user.email, password: PASSWORD });
  assert.equal(r.status, 200, r.text);
  return Object.assign(new Client(base, { token: r.body.token }), { email: user.email });
}

// Resolves with how many ms after `since` the stream ended, and checks its last event is session.ended.
async function endsWithin(stream, since, ms, reason) {
  const ended = await Promise.race([stream.ended.then(() => true), sleep(ms + 1000).then(() => false)]);
  const took = Date.now() - since;
  await stream.close();
  assert.ok(ended, `the stream still runs ${ms + 1000} ms later; it said: ${stream.raw.text}`);
  const last = stream.events.at(-1);
  assert.equal(last?.event, 'session.ended', stream.raw.text);
  if (reason) assert.equal(last.data.reason, reason);
  assert.ok(took <= ms, `ended after ${took} ms`);
  return took;
}

test('logout: the open stream says session.ended and closes within 2 s', async () => {
  const user = await newUser(srv.url);
  const stream = await subscribe(srv.url, user.token);
  await stream.waitFor((e) => e.event === 'ready', 5000);
  const t0 = Date.now();
  assert.equal((await user.post('/api/v1/auth/logout')).status, 204);
  await endsWithin(stream, t0, 2000, 'signed_out');
  assert.equal((await user.get('/api/v1/me')).status, 401);
});

test('sign out everywhere else: other sessions and their streams end, this one stays', async () => {
  const user = await newUser(srv.url);
  const other = await signInAgain(srv.url, user);
  assert.equal((await other.get('/api/v1/me')).status, 200);  // cached by the server as a confirmed session
  const stream = await subscribe(srv.url, other.token);
  const mine = await subscribe(srv.url, user.token);

  const list = await user.get('/api/v1/sessions');
  assert.equal(list.status, 200, list.text);
  assert.equal(list.body.sessions.length, 2);
  assert.deepEqual(list.body.sessions.map((s) => s.current).sort(), [false, true]);
  for (const token of [user.token, other.token]) {
    assert.ok(!list.text.includes(token), 'a token is listed');
    assert.ok(!list.text.includes(createHash('sha256').update(token).digest('hex')), 'a token hash is listed');
  }
  for (const s of list.body.sessions) {
    assert.match(s.id, /^[0-9a-f]{32}$/);
    assert.equal(s.ip, '127.0.0.1');
    for (const f of ['created_at', 'last_seen_at', 'expires_at']) assert.ok(!Number.isNaN(Date.parse(s[f])), f);
  }

  const t0 = Date.now();
  const r = await user.del('/api/v1/sessions');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.ended, 1);
  await endsWithin(stream, t0, 2000);
  assert.equal((await other.get('/api/v1/me')).status, 401);
  assert.equal((await user.get('/api/v1/me')).status, 200);
  assert.equal(mine.events.filter((e) => e.event === 'session.ended').length, 0);
  await mine.close();
  const after = await user.get('/api/v1/sessions');
  assert.deepEqual(after.body.sessions.map((s) => s.current), [true]);
});

test('DELETE /api/v1/sessions/{id}: one session ends; an unknown id is 404', async () => {
  const user = await newUser(srv.url);
  const other = await signInAgain(srv.url, user);
  const stream = await subscribe(srv.url, other.token);
  const { sessions } = (await user.get('/api/v1/sessions')).body;
  const id = sessions.find((s) => !s.current).id;
  assert.equal((await user.del('/api/v1/sessions/0123456789abcdef0123456789abcdef')).status, 404);
  const stranger = await newUser(srv.url);
  assert.equal((await stranger.del(`/api/v1/sessions/${id}`)).status, 404);
  const t0 = Date.now();
  assert.equal((await user.del(`/api/v1/sessions/${id}`)).status, 204);
  await endsWithin(stream, t0, 2000);
  assert.equal((await other.get('/api/v1/me')).status, 401);
});

test('a password change ends every other session and its streams; wrong or weak passwords name the field', async () => {
  const user = await newUser(srv.url);
  const other = await signInAgain(srv.url, user);
  const stream = await subscribe(srv.url, other.token);
  const wrong = await user.post('/api/v1/auth/password', { current_password: 'not the password', new_password: 'another good passphrase' });
  assert.equal(wrong.status, 400);
  assert.equal(wrong.body.error.field, 'current_password');
  const weak = await user.post('/api/v1/auth/password', { current_password: PASSWORD, new_password: 'short' });
  assert.equal(weak.status, 400);
  assert.equal(weak.body.error.field, 'new_password');
  assert.ok(!weak.text.includes('"short"'));
  assert.equal((await other.get('/api/v1/me')).status, 200);

  const t0 = Date.now();
  const ok = await user.post('/api/v1/auth/password', { current_password: PASSWORD, new_password: 'another good passphrase' });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.body.sessions_ended, 1);
  await endsWithin(stream, t0, 2000);
  assert.equal((await other.get('/api/v1/me')).status, 401);
  assert.equal((await user.get('/api/v1/me')).status, 200);
  const anon = new Client(srv.url);
  assert.equal((await anon.post('/api/v1/auth/login', { email: user.email, password: PASSWORD })).status, 401);
  assert.equal((await anon.post('/api/v1/auth/login', { email: user.email, password: 'another good passphrase' })).status, 200);
});

test('at most 5 open streams per user: the 6th is 429 with Retry-After; a closed one frees its slot', async () => {
  const user = await newUser(srv.url);
  const open = [];
  for (let i = 0; i < 5; i++) open.push(await subscribe(srv.url, user.token));
  const sixth = await fetch(srv.url + '/api/v1/events', { headers: { Authorization: `Bearer ${user.token}` } });
  assert.equal(sixth.status, 429);
  assert.ok(Number(sixth.headers.get('retry-after')) >= 1);
  const body = await sixth.json();
  assert.equal(body.error.code, 'rate_limited');
  assert.match(body.error.message, /at most 5 event streams/);
  const someoneElse = await subscribe(srv.url, (await newUser(srv.url)).token);  // per user, not overall
  await someoneElse.close();
  await open.pop().close();
  // The server notices the hang-up when it next writes or reads: soon, not instantly.
  await waitFor(async () => {
    const r = await fetch(srv.url + '/api/v1/events', { headers: { Authorization: `Bearer ${user.token}` } });
    if (r.status === 200) { open.push({ close: () => r.body.cancel() }); return true; }
    await r.body?.cancel();
    return false;
  }, { ms: 20000, every: 200, what: 'a free stream slot' });
  for (const s of open) await s.close();
});

test('--session-idle: an idle session ends, its stream with it; TRADEBRIDGE_MAX_STREAMS_PER_USER caps streams', async () => {
  const user = await newUser(idleSrv.url);
  const stream = await subscribe(idleSrv.url, user.token);
  const second = await subscribe(idleSrv.url, user.token);
  const third = await fetch(idleSrv.url + '/api/v1/events', { headers: { Authorization: `Bearer ${user.token}` } });
  assert.equal(third.status, 429);
  const lastUse = Date.now();  // no request of this session after this one
  await third.body.cancel();
  await second.close();
  // Idle since its last request: it ends IDLE_S later, and the stream at most 2 s after that.
  await endsWithin(stream, lastUse, IDLE_S * 1000 + 2000, 'expired');
  assert.equal((await user.get('/api/v1/me')).status, 401);
});
