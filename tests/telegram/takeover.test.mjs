// The bot over two `serve` processes and one PostgreSQL, both configured with the same token (issue 14): only
// the process holding the "telegram" role polls. kill -9 it and the other takes the role and polls within
// 10 s; every update people sent gets exactly one answer: those answered before, those the killed process
// had taken from Telegram but not confirmed (it was frozen with them in hand: Telegram hands them out again,
// from the offset stored after the last batch), those sent while no one polled, those sent after. A
// notification for a linked web account goes out once, from the owner, not once per process. The killed
// process, started again, stands by; killing the new owner while a chat's answers are still queued (paced)
// hands the role back, and those updates too are answered once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { havePostgres } from '../support/postgres.mjs';
import { api, startClusterWorld, Person, sleep, waitFor, webUser } from './lib.mjs';

const skip = !havePostgres() && 'no PostgreSQL server';
let w, owner, other;
before(async () => {
  if (skip) return;
  w = await startClusterWorld('takeover');
  owner = await theOwner();
  other = 1 - owner;
});
after(async () => { await w?.close(); });

const HELP = /tradebridge trades for you/;
const WELCOME = /Welcome to tradebridge/;
const NOTICE = /A test order is still open/;
const via = (i) => `p${i}`;
const callsOf = (method, i, since = 0) => w.fake.calls.filter((c) => c.method === method && c.via === via(i) && c.at >= since);
const replies = (p, re) => p.fake.botMessages(p.id).filter((m) => re.test(m.text));

// The one live process whose /healthz names the "telegram" role.
async function theOwner({ ms = 15000 } = {}) {
  const found = await waitFor(async () => {
    const held = [];
    for (let i = 0; i < w.servers.length; i++) if (!w.servers[i].proc.exited && (await w.roles(i)).includes('telegram')) held.push(i);
    return held.length === 1 && { i: held[0] };
  }, { ms, what: 'one process holding the telegram role' });
  return found.i;
}

// The owner waits in a long poll that has confirmed every update so far (its offset is stored).
const idlePolling = () => w.fake.waitFor(() => w.fake.pollers.length === 1 && w.fake.pending().length === 0, { ms: 30000, what: 'an idle long poll' });

// People chatting: each /help gets one answer; `sent` counts them per chat.
const people = [];
const sent = new Map();
function help(p) {
  sent.set(p.id, (sent.get(p.id) || 0) + 1);
  return w.fake.sendText(p.id, '/help').update.update_id;
}
async function round() {
  await Promise.all(people.map(async (p) => {
    const since = p.mark();
    help(p);
    await p.expect(HELP, { since, ms: 30000 });
  }));
}
// Every chat has as many answers as it sent /help, no fewer and no more, and stays so for a while.
async function allAnsweredOnce() {
  await waitFor(() => people.every((p) => replies(p, HELP).length >= sent.get(p.id)), { ms: 30000, what: 'every /help answered' });
  await idlePolling();
  await sleep(1000);
  for (const p of people) {
    assert.equal(replies(p, HELP).length, sent.get(p.id), `chat ${p.id}: one answer per /help`);
    assert.equal(replies(p, WELCOME).length, 1, `chat ${p.id}: /start answered once`);
  }
}

// A key added through the web API of process i by a linked user whose test order cannot be cancelled.
async function stuckOrderNotice(p, user, i, name) {
  const k = await w.key('kraken');
  const since = p.mark();
  const t0 = Date.now();
  const added = await api(w.servers[i].url, 'POST', '/api/v1/exchange-accounts', { token: user.token, body: { exchange: 'kraken', key: k.key, secret: k.secret, name } });
  assert.equal(added.status, 202, added.text);
  const notice = await p.expect(NOTICE, { since, ms: 30000 });
  assert.match(notice.text, new RegExp(name));
  await sleep(2000);  // a second copy from another process would be out by now
  const notices = replies(p, NOTICE).filter((m) => m.changed > since);
  assert.equal(notices.length, 1, `one notice, not one per process: ${notices.map((m) => m.text.slice(0, 60)).join(' | ')}`);
  return t0;
}

test('one process holds the telegram role and polls; the other has the same bot but never polls', { skip }, async () => {
  assert.ok(!(await w.roles(other)).includes('telegram'), 'the other process does not hold the role');
  await w.fake.waitFor(() => callsOf('getUpdates', owner).length > 0, { what: 'the owner polling' });
  await sleep(4000);  // longer than a long poll (3 s): the other would have asked by now
  assert.ok(callsOf('getUpdates', owner).length >= 2, 'the owner polls on');
  assert.equal(callsOf('getUpdates', other).length, 0, 'the other process does not poll');
  assert.equal(callsOf('setMyCommands', other).length, 0, 'nor set the commands');
  for (let i = 0; i < 12; i++) people.push(new Person(w.fake, 8101 + i, `Chatter${i}`));
  await Promise.all(people.map((p) => p.say('/start', WELCOME, { ms: 30000 })));
  for (let r = 0; r < 3; r++) await round();
  await allAnsweredOnce();
});

test('a notification for a linked web account goes out once, from the owner, whichever process ran the test', { skip }, async () => {
  const ann = await webUser(w.servers[other].url);
  const p = new Person(w.fake, 8201, 'Ann');
  const code = await ann.browser('POST', '/api/v1/telegram/link-code');
  assert.equal(code.status, 201, code.text);
  await p.say(`/start ${code.body.code}`, /Linked to your web account/);
  await w.sim.addFault({ venue: 'kraken', endpoint: 'CancelOrder', kind: 'http_500', count: 1000 });
  try {
    const t0 = await stuckOrderNotice(p, ann, other, 'Stuck on the other');  // the key test runs in the other process
    assert.equal(callsOf('sendMessage', other).length, 0, 'the other process sends nothing');
    assert.ok(callsOf('sendMessage', owner, t0).some((c) => Number(c.params.chat_id) === p.id));
  } finally {
    await w.sim.clearFaults();
  }
  w.ann = { user: ann, person: p };
});

test('kill -9 the poller: the other takes the role and polls within 10 s; every update answered exactly once', { skip }, async () => {
  await idlePolling();
  const killed = w.servers[owner];
  // Frozen while its long poll waits: the next batch reaches it and is never handled nor confirmed.
  killed.proc.child.kill('SIGSTOP');
  const inHand = w.fake.together(() => people.map((p) => help(p)));
  await w.fake.waitFor(() => inHand.every((id) => w.fake.deliveries.get(id) === 1), { what: 'the batch delivered to the frozen owner' });
  const stopped = await killed.stop('SIGKILL');
  const tKill = Date.now();
  assert.equal(stopped.signal, 'SIGKILL');
  // While no one polls.
  const meanwhile = people.map((p) => help(p));

  const first = await w.fake.waitFor(() => callsOf('getUpdates', other, tKill)[0], { ms: 15000, what: 'the other process polling' });
  const took = first.at - tKill;
  assert.ok(took < 10000, `the other polled ${took} ms after the kill`);
  assert.equal(await theOwner({ ms: 10000 - took }), other, 'its /healthz names the telegram role');
  assert.equal(Number(first.params.offset), inHand[0], 'it polls from the offset stored before the batch in hand');
  await allAnsweredOnce();
  for (const id of inHand) assert.equal(w.fake.deliveries.get(id), 2, `update ${id}: handed out again after the kill`);
  for (const id of meanwhile) assert.equal(w.fake.deliveries.get(id), 1, `update ${id}: handed out once`);
  // And after: the chats go on.
  for (let r = 0; r < 2; r++) await round();
  await allAnsweredOnce();
  console.log(`takeover: first poll ${took} ms after the kill`);
});

test('the killed process back as a standby; kill -9 the owner with replies still queued: the standby takes over, each answered once', { skip }, async () => {
  const back = owner;
  const t0 = Date.now();
  await w.startProcess(back);
  await sleep(2500);  // a few beats: the role stays where it is
  assert.equal(await theOwner(), other, 'the owner keeps the role');
  assert.equal(callsOf('getUpdates', back, t0).length, 0, 'the process back does not poll');
  await round();
  await idlePolling();
  await sleep(1200);  // the burst allowance refills
  // One chat sends eight at once: three answers go out at once, the rest one per interval (200 ms).
  const busy = people[0];
  const since = busy.mark();
  const burst = w.fake.together(() => Array.from({ length: 8 }, () => help(busy)));
  await w.fake.waitFor(() => replies(busy, HELP).filter((m) => m.changed > since).length >= 3, { what: 'the first answers' });
  await sleep(100);  // halfway to the fourth: not in the moment between an answer going out and its update being stored
  const stopped = await w.servers[other].stop('SIGKILL');
  const tKill = Date.now();
  assert.equal(stopped.signal, 'SIGKILL');
  const outAtKill = replies(busy, HELP).filter((m) => m.changed > since).length;
  assert.ok(outAtKill < 8, `${outAtKill} answers out before the kill`);
  const first = await w.fake.waitFor(() => callsOf('getUpdates', back, tKill)[0], { ms: 15000, what: 'the standby polling' });
  assert.ok(first.at - tKill < 10000, `the standby polled ${first.at - tKill} ms after the kill`);
  assert.equal(await theOwner(), back);
  await allAnsweredOnce();
  for (const id of burst) assert.equal(w.fake.deliveries.get(id), 2, `update ${id}: not confirmed before the kill, handed out again`);
  await round();
  await allAnsweredOnce();
  owner = back;  // `other` stays the one just killed
  console.log(`takeover with ${8 - outAtKill} answers queued: first poll ${first.at - tKill} ms after the kill`);
});

test('after the takeovers, notifications come from the new owner, once', { skip }, async () => {
  const { user, person } = w.ann;
  await w.sim.addFault({ venue: 'kraken', endpoint: 'CancelOrder', kind: 'http_500', count: 1000 });
  try {
    const t0 = await stuckOrderNotice(person, user, owner, 'Stuck after takeover');
    assert.ok(callsOf('sendMessage', owner, t0).some((c) => Number(c.params.chat_id) === person.id), 'sent by the new owner');
  } finally {
    await w.sim.clearFaults();
  }
  const calls = JSON.stringify(w.fake.calls);
  for (const s of w.secrets) assert.ok(!calls.includes(s) && !w.allLogs().includes(s), 'no secret in a bot call or a log');
});
