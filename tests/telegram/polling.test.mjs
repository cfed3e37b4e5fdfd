// Long polling against the fake Bot API: a restart in the middle of polling (a clean stop, a kill, a kill
// with replies still queued, and a stop while a batch is in hand) neither loses nor repeats an update; an update delivered again is handled
// once; a 429 from the Bot API is waited out for as long as retry_after says; one chat gets a short burst,
// then one message per interval.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startWorld, Person, sleep } from './lib.mjs';

let w;
before(async () => { w = await startWorld('polling'); });
after(async () => { await w?.close(); });

const replies = (p, since, re) => p.fake.botMessages(p.id).filter((m) => m.changed > since && re.test(m.text));
const HELP = /tradebridge trades for you/;
const MENU = /🤖 Robots: automated trading/;
const getUpdates = () => w.fake.calls.filter((c) => c.method === 'getUpdates');

// The bot is waiting in a long poll that has confirmed everything before it.
async function idlePolling() {
  await w.fake.waitFor(() => w.fake.pollers.length === 1 && w.fake.pending().length === 0, { what: 'an idle long poll' });
}

test('a clean stop while polling, updates sent meanwhile: after the restart each is handled exactly once', async () => {
  const p = new Person(w.fake, 9001, 'Pat');
  const q = new Person(w.fake, 9002, 'Quinn');
  await p.say('/start', /Main Menu/);
  await q.say('/start', /Main Menu/);
  await idlePolling();
  const before = p.mark();
  const stopped = await w.stopServe('SIGTERM');
  assert.equal(stopped.code, 0, JSON.stringify(stopped));
  const sent = [p.say('/help'), p.say('/menu'), q.say('/help')].map((x) => x);
  const ids = (await Promise.all(sent)).map((s) => s.update.update_id);
  await w.startServe();
  const firstPoll = await w.fake.waitFor(() => getUpdates().find((c) => c.params.offset !== undefined && c.at >= Date.now() - 20000 && Number(c.params.offset) === ids[0]), { what: 'a poll from the first new update' });
  assert.ok(firstPoll, 'the restarted bot asked from the stored offset');
  await p.expect(HELP, { since: before });
  await p.expect(MENU, { since: before });
  await q.expect(HELP, { since: before });
  await idlePolling();
  await sleep(300);
  assert.equal(replies(p, before, HELP).length, 1);
  assert.equal(replies(p, before, MENU).length, 1);
  assert.equal(replies(q, before, HELP).length, 1);
  for (const id of ids) assert.equal(w.fake.deliveries.get(id), 1, `update ${id} delivered once`);
  assert.equal(replies(p, 0, /Welcome to tradebridge/).length, 1, 'the /start before the restart was not handled again');
});

test('a kill while polling: the restarted bot goes on from the stored offset', async () => {
  const p = new Person(w.fake, 9001, 'Pat');
  await idlePolling();
  const before = p.mark();
  const killed = await w.stopServe('SIGKILL');
  assert.equal(killed.signal, 'SIGKILL');
  await w.fake.waitFor(() => w.fake.pollers.length === 0, { what: 'the fake to see the connection gone' });
  const { update } = await p.say('/keys');
  await w.startServe();
  await p.expect(/My Exchange API Keys/, { since: before });
  await idlePolling();
  await sleep(300);
  assert.equal(replies(p, before, /My Exchange API Keys/).length, 1, JSON.stringify(replies(p, before, /My Exchange API Keys/).map((m) => [m.message_id, m.text.slice(0, 40)])));
  assert.equal(w.fake.deliveries.get(update.update_id), 1);
  assert.equal(replies(p, 0, /Welcome to tradebridge/).length, 1);
});

test('a kill while replies are still queued (paced): the updates not yet answered are handed out again and answered once', async () => {
  const p = new Person(w.fake, 9007, 'Kim');
  await p.say('/start', /Main Menu/);
  await idlePolling();
  await sleep(1200);  // the burst allowance refills
  const before = p.mark();
  const ids = [];
  w.fake.together(() => { for (let i = 0; i < 8; i++) ids.push(w.fake.sendText(p.id, '/help').update.update_id); });
  // Three go out at once, the rest one per interval (200 ms): kill halfway to the fourth, with five queued.
  // (Not at once: between a reply going out and the chat storing its update there is a moment where a kill
  // repeats that one reply — sending and storing are not one act.)
  await w.fake.waitFor(() => replies(p, before, HELP).length >= 3, { what: 'the first replies' });
  await sleep(100);
  const killed = await w.stopServe('SIGKILL');
  assert.equal(killed.signal, 'SIGKILL');
  const atKill = replies(p, before, HELP).length;
  assert.ok(atKill < 8, `${atKill} replies out before the kill`);
  await w.startServe();
  await w.fake.waitFor(() => replies(p, before, HELP).length >= 8, { what: 'every /help answered' });
  await idlePolling();
  await sleep(500);
  assert.equal(replies(p, before, HELP).length, 8, 'one answer each: none lost, none repeated');
  for (const id of ids) assert.equal(w.fake.deliveries.get(id), 2, `update ${id} was not confirmed before the kill`);
});

test('a stop while a batch is in hand finishes the batch and its replies, and nothing is handled twice', async () => {
  const p = new Person(w.fake, 9001, 'Pat');
  await idlePolling();
  const before = p.mark();
  const ids = [];
  w.fake.together(() => { for (let i = 0; i < 6; i++) ids.push(w.fake.sendText(p.id, '/help').update.update_id); });
  await w.fake.waitFor(() => ids.every((id) => w.fake.deliveries.get(id) >= 1), { what: 'the batch delivered' });
  await p.expect(HELP, { since: before });  // the batch is in hand: its first reply is out, the rest are paced
  const stopped = await w.stopServe('SIGTERM');
  assert.equal(stopped.code, 0);
  const afterStop = replies(p, before, HELP).length;
  await w.startServe();
  await idlePolling();
  await sleep(500);
  assert.equal(afterStop, 6, 'every reply of the batch went out before the process ended');
  assert.equal(replies(p, before, HELP).length, 6, 'and none was repeated after the restart');
});

test('an update delivered again (as Telegram does when a poller never confirmed it) is handled once', async () => {
  const p = new Person(w.fake, 9001, 'Pat');
  await idlePolling();
  const before = p.mark();
  const { update } = (await p.say('/balance', /Portfolio/)).sent;
  await idlePolling();
  w.fake.redeliver(update);
  await w.fake.waitFor(() => w.fake.deliveries.get(update.update_id) === 2, { what: 'the second delivery' });
  await idlePolling();
  await sleep(300);
  assert.equal(replies(p, before, /Portfolio/).length, 1);
  assert.match(w.srv.output(), new RegExp(`update ${update.update_id} in chat 9001 was handled before; skipped`));
});

test('a 429 from the Bot API is waited out for retry_after seconds, then the same message is sent', async () => {
  const p = new Person(w.fake, 9003, 'Rita');
  await p.say('/start', /Main Menu/);
  await idlePolling();
  w.fake.flood('sendMessage', 1, 2);
  const t0 = Date.now();
  const before = p.mark();
  await p.say('/help', HELP, { ms: 10000 });
  const sends = w.fake.calls.filter((c) => c.method === 'sendMessage' && Number(c.params.chat_id) === p.id && c.at >= t0);
  assert.deepEqual(sends.map((c) => c.status), [429, 200]);
  assert.equal(sends[0].params.text, sends[1].params.text, 'the same message again');
  const waited = sends[1].at - sends[0].at;
  assert.ok(waited >= 1950 && waited < 5000, `waited ${waited} ms for retry_after 2`);
  assert.equal(replies(p, before, HELP).length, 1);
  assert.match(w.srv.output(), /429 on sendMessage in chat 9003: waiting 2000 ms as Telegram asked/);

  // A 429 on getUpdates itself: polling pauses, then goes on.
  w.fake.flood('getUpdates', 1, 1);
  await sleep(3500);  // the current long poll (3 s) ends, the next one gets the 429
  const later = p.mark();
  await p.say('/menu', MENU, { ms: 10000 });
  assert.ok(getUpdates().some((c) => c.status === 429));
  assert.equal(replies(p, later, MENU).length, 1);
});

test('one chat gets a short burst, then one message per interval (200 ms here); other chats are not held up', async () => {
  const p = new Person(w.fake, 9004, 'Sid');
  const o = new Person(w.fake, 9005, 'Oli');
  await p.say('/start', /Main Menu/);
  await o.say('/start', /Main Menu/);
  await idlePolling();
  await sleep(1200);  // the burst allowance refills
  const t0 = Date.now();
  for (let i = 0; i < 8; i++) w.fake.sendText(p.id, '/help');
  w.fake.sendText(o.id, '/help');
  await w.fake.waitFor(() => w.fake.calls.filter((c) => c.method === 'sendMessage' && Number(c.params.chat_id) === p.id && c.at >= t0).length === 8, { what: 'eight replies' });
  const times = w.fake.calls.filter((c) => c.method === 'sendMessage' && Number(c.params.chat_id) === p.id && c.at >= t0).map((c) => c.at);
  const at = times.map((t) => t - times[0]);
  // Three at once, then each one interval after the one three before it (a generic cell rate).
  for (let i = 3; i < times.length; i++) assert.ok(at[i] >= (i - 2) * 200 - 15, `message ${i} at ${at[i]} ms: ${at}`);
  for (let i = 4; i < times.length; i++) assert.ok(at[i] - at[i - 1] >= 180, `gap before message ${i}: ${at}`);
  assert.ok(at[2] < 400, `the first three at once: ${at}`);
  const other = w.fake.calls.find((c) => c.method === 'sendMessage' && Number(c.params.chat_id) === o.id && c.at >= t0);
  assert.ok(other.at < times[5], `the other chat's reply (${other.at - times[0]} ms) did not wait behind this chat's (${at})`);
});

test('without a webhook configured the webhook route is not there', async () => {
  const r = await fetch(`${w.srv.url}/api/v1/telegram/webhook`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
  assert.equal(r.status, 404);
});

test('a second poller (another instance) gets our poll a 409: the bot says so, waits, and polls again', async () => {
  const p = new Person(w.fake, 9006, 'Tess');
  await p.say('/start', /Main Menu/);
  await idlePolling();
  // Another process polling with the same token: Telegram ends our pending poll with 409.
  const other = fetch(`${w.apiUrl}/bot${w.fake.token}/getUpdates`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ timeout: 1 }) });
  await w.fake.waitFor(() => /Conflict: terminated by other getUpdates request/.test(w.srv.output()), { what: 'the conflict logged' });
  await other;
  const since = p.mark();
  await p.say('/help', HELP, { ms: 15000 });  // polling resumed
  assert.equal(replies(p, since, HELP).length, 1);
});
