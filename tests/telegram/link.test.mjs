// A web account and Telegram, linked with a one-time code from POST /api/v1/telegram/link-code: the same
// exchange accounts on both sides, each way; codes are single use; a Telegram-only profile with keys of its
// own is not silently left behind; unlinking. Notifications to linked users: a key the exchange started
// rejecting (found by a re-check) and a test order that could not be cancelled.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { LABEL, startWorld, Person, webUser, addKeyInChat, keySpec, waitFor } from './lib.mjs';

let w, ann;
before(async () => {
  w = await startWorld('link', { serveArgs: ['--recheck-interval', '10'] });
  ann = await webUser(w.srv.url);
});
after(async () => { await w?.close(); });

const masked = (key) => `${key.slice(0, 4)}…${key.slice(-4)}`;

async function linkCode(user) {
  const r = await user.browser('POST', '/api/v1/telegram/link-code');
  assert.equal(r.status, 201, r.text);
  return r.body;
}

test('the link code: CSRF for browsers, 10 characters, 10 minutes, with the bot username and a deep link', async () => {
  const state = await ann.call('GET', '/api/v1/telegram');
  assert.equal(state.status, 200, state.text);
  assert.deepEqual(state.body, { enabled: true, bot_username: 'tradebridge_test_bot', bot_link: 'https://t.me/tradebridge_test_bot', linked: false, telegram: null });
  const noCsrf = await ann.call('POST', '/api/v1/telegram/link-code').catch(() => null);
  assert.equal(noCsrf.status, 201, 'a bearer token needs no CSRF token');
  const cookieOnly = await (await import('./lib.mjs')).api(w.srv.url, 'POST', '/api/v1/telegram/link-code', { cookie: ann.cookie });
  assert.equal(cookieOnly.status, 403, cookieOnly.text);
  const anonymous = await (await import('./lib.mjs')).api(w.srv.url, 'POST', '/api/v1/telegram/link-code');
  assert.equal(anonymous.status, 401);
  const c = await linkCode(ann);
  assert.match(c.code, /^[A-HJ-NP-Z2-9]{10}$/);
  const ttl = Date.parse(c.expires_at) - Date.now();
  assert.ok(ttl > 9 * 60 * 1000 && ttl <= 10 * 60 * 1000 + 2000, `expires in ${ttl} ms`);
  assert.equal(c.bot_username, 'tradebridge_test_bot');
  assert.equal(c.bot_link, `https://t.me/tradebridge_test_bot?start=${c.code}`);
  assert.equal(c.command, `/link ${c.code}`);
  // The code is never stored as such.
  assert.ok(!w.srv.output().includes(c.code));
});

test('/start CODE links the web account; the code works once; a wrong code is refused', async () => {
  const p = new Person(w.fake, 7001, 'Ann');
  const c = await linkCode(ann);
  const linked = await p.say(`/start ${c.code}`, /Linked to your web account/);
  assert.ok(linked.text.includes(ann.email));
  assert.deepEqual(linked.markup.keyboard, [[LABEL.robots, LABEL.portfolio], [LABEL.settings, LABEL.help]]);
  const state = (await ann.call('GET', '/api/v1/telegram')).body;
  assert.equal(state.linked, true);
  assert.equal(state.telegram.username, 'ann');
  const settings = await p.say(LABEL.settings, /Settings/);
  assert.ok(settings.text.includes(`Linked to the web account ${ann.email}`));

  const other = new Person(w.fake, 7002, 'Mallory');
  await other.say(`/link ${c.code}`, /unknown, already used or expired/);
  await other.say('/link not-a-code!', /That is not a link code/);
  await other.say('/link ABCDEFGH23', /unknown, already used or expired/);
  assert.equal((await ann.call('GET', '/api/v1/telegram')).body.telegram.username, 'ann', 'still linked to Ann');
});

test('a key added in Telegram is in the API of the linked web account, and one added through the API is in Telegram', async () => {
  const p = new Person(w.fake, 7001, 'Ann');
  const k = await w.key('kraken');
  const run = await addKeyInChat(p, 'kraken', k);
  assert.match(run.result.text, /Your key is ready/);
  const list = await ann.call('GET', '/api/v1/exchange-accounts');
  assert.equal(list.status, 200);
  const fromChat = list.body.accounts.find((a) => a.exchange === 'kraken');
  assert.ok(fromChat, JSON.stringify(list.body));
  assert.equal(fromChat.status, 'enabled');
  assert.equal(fromChat.key, masked(k.key));

  const k2 = await w.key('bitfinex');
  w.secrets.push(k2.secret);
  const added = await ann.call('POST', '/api/v1/exchange-accounts', { exchange: 'bitfinex', key: k2.key, secret: k2.secret, name: 'Web Bitfinex' });
  assert.equal(added.status, 202, added.text);
  await waitFor(async () => (await ann.call('GET', `/api/v1/exchange-accounts/${added.body.id}`)).body.status === 'enabled', { what: 'the web key enabled' });
  const keys = await p.say('/keys', /My Exchange API Keys/);
  assert.ok(keys.buttons.some((b) => b.startsWith('✅ Web Bitfinex · $')), keys.buttons.join(' | '));
  assert.ok(keys.buttons.some((b) => b.startsWith('✅ Kraken · $')), keys.buttons.join(' | '));
  const portfolio = await p.say('/balance', /Portfolio/);
  assert.match(portfolio.text, /Web Bitfinex/);
});

test('a test order that could not be cancelled is told in Telegram, also for a key added on the web', async () => {
  const p = new Person(w.fake, 7001, 'Ann');
  await w.sim.addFault({ venue: 'kraken', endpoint: 'CancelOrder', kind: 'http_500', count: 1000 });
  try {
    const k = await w.sim.createKey(keySpec('kraken'));
    w.secrets.push(k.secret);
    const since = p.mark();
    const added = await ann.call('POST', '/api/v1/exchange-accounts', { exchange: 'kraken', key: k.key, secret: k.secret, name: 'Stuck order' });
    assert.equal(added.status, 202, added.text);
    const notice = await p.expect(/A test order is still open/, { since, ms: 30000 });
    assert.match(notice.text, /Stuck order/);
    assert.match(notice.text, /could not be cancelled\. Cancel it by hand on the exchange/);
    const open = (await w.sim.orders(k.key)).filter((o) => o.status === 'open');
    assert.equal(open.length, 1);
    assert.ok(notice.text.includes(open[0].id) || /Kraken/.test(notice.text));
    assert.deepEqual(notice.buttons, ['Open Stuck order']);
  } finally {
    await w.sim.clearFaults();
  }
});

test('a key the exchange starts rejecting is told in Telegram, with Replace keys and Re-test', async () => {
  const p = new Person(w.fake, 7001, 'Ann');
  const k = await w.sim.createKey(keySpec('binance_futures'));
  w.secrets.push(k.secret);
  const added = await ann.call('POST', '/api/v1/exchange-accounts', { exchange: 'binance_futures', key: k.key, secret: k.secret, name: 'Soon revoked' });
  assert.equal(added.status, 202, added.text);
  await waitFor(async () => (await ann.call('GET', `/api/v1/exchange-accounts/${added.body.id}`)).body.status === 'enabled', { what: 'enabled' });
  const since = p.mark();
  await w.sim.deleteKey(k.key);  // revoked on the exchange: the next re-check (10 s) finds out
  const notice = await p.expect(/The exchange started rejecting a key/, { since, ms: 40000 });
  assert.match(notice.text, /Soon revoked/);
  assert.ok(notice.text.includes(masked(k.key)));
  assert.deepEqual(notice.buttons, [LABEL.replace, LABEL.retest, 'Open Soon revoked']);
  const screen = await p.press(notice, 'Open Soon revoked', /Status: not working/);
  assert.match(screen.text, /rejects this key/);
});

test('a Telegram-only profile with keys of its own is not linked over them', async () => {
  const solo = new Person(w.fake, 7100, 'Solo');
  await solo.say('/start', /Main Menu/);
  const k = await w.key('bitfinex');
  await addKeyInChat(solo, 'bitfinex', k);
  const bob = await webUser(w.srv.url);
  const c = await linkCode(bob);
  const refused = await solo.say(`/link ${c.code}`, /exchange account\(s\) of its own/);
  assert.ok(refused);
  assert.equal((await bob.call('GET', '/api/v1/telegram')).body.linked, false);
  // The code was not used up: a fresh Telegram user can still take it.
  const fresh = new Person(w.fake, 7101, 'Bob');
  await fresh.say(`/start ${c.code}`, /Linked to your web account/);
  assert.equal((await bob.call('GET', '/api/v1/telegram')).body.linked, true);
});

test('unlinking from the web tells the chat, and the chat no longer reaches the account', async () => {
  const p = new Person(w.fake, 7001, 'Ann');
  const since = p.mark();
  const r = await ann.browser('DELETE', '/api/v1/telegram/link');
  assert.equal(r.status, 204, r.text);
  await p.expect(/unlinked from your web account/, { since });
  assert.equal((await ann.call('GET', '/api/v1/telegram')).body.linked, false);
  await p.say('/keys', /Send \/start to begin/);
});

test('nothing of a secret in any bot message or log line', () => {
  const calls = JSON.stringify(w.fake.calls);
  const logs = w.allLogs();
  for (const s of w.secrets) {
    assert.ok(!calls.includes(s));
    assert.ok(!logs.includes(s));
  }
});
