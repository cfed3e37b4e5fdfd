// Leak canaries: TB_SEC_KEYS (default 100) simulator keys whose secrets are recognisable canaries (./lib.mjs)
// go through every path a secret takes (added, tested, refused, replaced, renamed, re-checked, deleted; by
// bearer and by cookie + CSRF; and through the Telegram bot on the fake Bot API). No 12-byte piece of any
// canary, raw or base64 / hex / percent-encoded, may then be found in an HTTP answer (body or headers), an
// event stream, the server's output, /metrics, a message the bot sent, or any file of the data directory
// (the SQLite database, its -wal and free pages, while running and after the server stopped). And `serve`
// leaves no core file to find one in: killed by SIGSEGV with a core limit raised from outside, it leaves
// none, where a control process in the same place does.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';

import {
  VENUES, bin, startExsim, startServe, newUser, Client, waitTested, subscribe, tempDir, removeDir, sleep, sqlite, haveSqlite3, join,
  EGRESS_IP, waitFor, FINAL,
} from '../e2e/lib.mjs';
import { startChild } from '../support/child.mjs';
import { FakeBotApi } from '../telegram/fake_bot_api.mjs';
import { Person, LABEL, DISPLAY, addKeyInChat, firstText, TOKEN } from '../telegram/lib.mjs';
import {
  Canaries, needles, findLeaks, filesUnder, recordAnswers, pool, prng, seedFromEnv, coreLimit, figure, WINDOW,
} from './lib.mjs';

const KEYS = Number(process.env.TB_SEC_KEYS || 100);
const SEED = seedFromEnv('TB_SEC_SEED', 10_2024);
const BOT_ADDS = 6;  // 2 per venue, 2 of them replaced and 2 deleted through the bot

let sim, srv, dir, fake, canaries;
const record = recordAnswers(() => srv?.url);
const streams = [];
const logs = [];

before(async () => {
  console.log(`# seed ${SEED} (TB_SEC_SEED), ${KEYS} canary keys (TB_SEC_KEYS)`);
  dir = tempDir('sec-canary');
  fake = new FakeBotApi({ token: TOKEN });
  const apiUrl = await fake.start();
  sim = await startExsim();
  canaries = new Canaries(sim, SEED);
  srv = await startServe({
    dataDir: dir, exsimUrl: sim.url, env: { TRADEBRIDGE_TELEGRAM_TOKEN: TOKEN },
    extraArgs: ['--telegram-api-url', apiUrl, '--telegram-poll-timeout', '3', '--telegram-chat-interval-ms', '200'],
  });
  await fake.waitFor(() => fake.calls.some((c) => c.method === 'setMyCommands'), { what: 'the bot to start' });
});

after(async () => {
  for (const s of streams) await s.close();
  if (srv && !srv.proc.exited) await srv.stop();
  await sim?.stop();
  await fake?.stop();
  record.restore();
  removeDir(dir);
});

// The web side: users by bearer and by cookie + CSRF, each with an event stream open throughout.
async function webFlows(count) {
  const rnd = prng(SEED ^ 0x5eed);
  const users = [];
  for (let u = 0; u < 4; ++u) {
    const x = await newUser(srv.url);
    streams.push(await subscribe(srv.url, x.token));
    users.push(u % 2 ? new Client(srv.url, { cookie: x.cookie, csrf: x.csrf }) : x);
  }
  const facts = { added: 0, enabled: 0, refused: 0, malformed: 0, replaced: 0, renamed: 0, rechecked: 0, deleted: 0 };
  const good = [];  // [{user, id, venue}]
  const plan = Array.from({ length: count }, (_, i) => i % 10);
  await pool(plan, 6, async (role, i) => {
    const user = users[i % users.length];
    const venue = VENUES[i % VENUES.length];
    if (role <= 5 || (role === 6 && !good.length)) {
      const k = await canaries.key(venue);
      const r = await user.post('/api/v1/exchange-accounts', { exchange: venue, key: k.key, secret: k.secret, name: `canary ${i}` });
      assert.equal(r.status, 202, r.text);
      facts.added++;
      const a = await waitTested(user, r.body.id);
      assert.equal(a.status, 'enabled', JSON.stringify(a));
      facts.enabled++;
      if (rnd.chance(0.3)) {
        const n = await user.patch(`/api/v1/exchange-accounts/${a.id}`, { name: `renamed ${i}` });
        assert.equal(n.status, 200, n.text);
        facts.renamed++;
      }
      if (rnd.chance(0.2)) {
        const c = await user.post(`/api/v1/exchange-accounts/${a.id}/check`);
        assert.equal(c.status, 202, c.text);
        await waitTested(user, a.id);
        facts.rechecked++;
      }
      good.push({ user, id: a.id, venue });  // now settled: a replacement may take it
    } else if (role === 6) {
      const target = good[rnd.int(good.length)];
      const k = await canaries.key(target.venue);
      const r = await target.user.put(`/api/v1/exchange-accounts/${target.id}/keys`, { key: k.key, secret: k.secret });
      if (r.status === 409) return;  // a test of that account still running: another canary goes elsewhere
      assert.equal(r.status, 202, r.text);
      const a = await waitTested(target.user, target.id);
      assert.equal(a.status, 'enabled', JSON.stringify(a));
      facts.replaced++;
    } else if (role === 7) {
      // A key with another key's secret: both canaries, the test ends invalid.
      const k1 = await canaries.key(venue);
      const k2 = await canaries.key(venue);
      const r = await user.post('/api/v1/exchange-accounts', { exchange: venue, key: k1.key, secret: k2.secret });
      assert.equal(r.status, 202, r.text);
      const a = await waitTested(user, r.body.id);
      assert.equal(a.status, 'invalid', JSON.stringify(a));
      facts.refused++;
    } else if (role === 8) {
      const k = await canaries.key(venue, { withdraw: true });
      const r = await user.post('/api/v1/exchange-accounts', { exchange: venue, key: k.key, secret: k.secret });
      assert.equal(r.status, 202, r.text);
      const a = await waitTested(user, r.body.id);
      assert.notEqual(a.status, 'enabled', JSON.stringify(a));
      facts.refused++;
    } else {
      // Refused before any test: a secret cut short, a secret in the key field, a secret as the name.
      const k = await canaries.key(venue);
      // (Kraken's secret cannot pass as a key; Binance's and Bitfinex's have the key's format.)
      const asKey = venue === 'kraken' ? [{ exchange: venue, key: k.secret, secret: k.secret }] : [];
      for (const body of [...asKey, { exchange: venue, key: k.key, secret: k.secret.slice(0, -1) },
        { exchange: venue, key: k.key, secret: k.secret, name: k.secret }, { exchange: 'mtgox', key: k.key, secret: k.secret },
        { exchange: venue, key: k.key, secret: { s: k.secret } }]) {
        const r = await user.post('/api/v1/exchange-accounts', body);
        assert.equal(r.status, 400, `${r.status} ${r.text}`);
        facts.malformed++;
      }
      if (good.length) {
        const target = good[rnd.int(good.length)];
        const r = await target.user.patch(`/api/v1/exchange-accounts/${target.id}`, { name: k.secret.slice(0, 40) });
        assert.equal(r.status, 400, `a secret as a name: ${r.status} ${r.text}`);
        facts.malformed++;
      }
    }
  });
  // Half of the accounts deleted, of every user.
  const lists = await Promise.all(users.map(async (u) => ({ u, accounts: (await u.get('/api/v1/exchange-accounts')).body.accounts })));
  for (const { u, accounts } of lists) {
    for (const a of accounts.filter((_, j) => j % 2 === 0)) {
      const r = await u.del(`/api/v1/exchange-accounts/${a.id}`);
      assert.equal(r.status, 204, r.text);
      facts.deleted++;
    }
    for (const path of ['/api/v1/exchange-accounts', '/api/v1/portfolio', '/api/v1/audit?limit=1000', '/api/v1/me', '/api/v1/sessions'])
      assert.equal((await u.get(path)).status, 200, path);
  }
  return facts;
}

// The bot side: keys added in chats, two replaced and two deleted through the account screens.
async function botFlows() {
  const facts = { added: 0, replaced: 0, deleted: 0 };
  const people = [new Person(fake, 91001, 'Cana'), new Person(fake, 91002, 'Ry')];
  for (const p of people) await p.say('/start', /Main Menu/);
  await Promise.all(people.map(async (p, j) => {
    for (let i = 0; i < BOT_ADDS / people.length; ++i) {
      const venue = VENUES[(i + j) % VENUES.length];
      const run = await addKeyInChat(p, venue, await canaries.key(venue));
      assert.match(run.result.text, /Your key is ready/, run.result.text);
      facts.added++;
    }
    // Replace the first account's keys.
    const list = await p.say('/keys', /My Exchange API Keys/);
    const screen = await p.press(list, list.buttons[0], /Status/);
    const venue = VENUES.find((v) => screen.text.includes(DISPLAY[v]));
    assert.ok(venue, screen.text);
    await p.press(screen, LABEL.replace, /new keys for/);
    const k = await canaries.key(venue);
    await p.say(k.key, /API Key received/);
    const since = p.mark();
    await p.say(k.secret);
    await fake.waitFor(() => fake.botMessages(p.id).find((m) => m.changed > since && /Checking your key/.test(firstText(m)) && /Your key is ready/.test(m.text)),
      { ms: 30000, what: 'the replaced key to be ready' });
    facts.replaced++;
    // Delete the last account.
    const again = await p.say('/keys', /My Exchange API Keys/);
    const last = again.buttons.filter((b) => ![LABEL.add, LABEL.back, LABEL.main].includes(b)).at(-1);
    const screen2 = await p.press(again, last, /Status/);
    const confirm = await p.press(screen2, LABEL.del, /Delete .*\?/);
    await p.press(confirm, LABEL.yes, /Deleted/);
    facts.deleted++;
  }));
  return facts;
}

function assertNoLeak(where, text, table) {
  const hits = findLeaks(text, table);
  assert.deepEqual(hits, [], `canary pieces in ${where}: ${JSON.stringify(hits)}`);
}

test(`${KEYS} canary secrets through the web API and the bot leave no trace in answers, events, logs, metrics, bot messages or the data files`, async () => {
  const t0 = Date.now();
  const [bot, web] = await Promise.all([botFlows(), webFlows(KEYS - BOT_ADDS - 2)]);
  figure(`web ${JSON.stringify(web)}; bot ${JSON.stringify(bot)}; ${canaries.all.length} canaries in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  assert.ok(canaries.all.length >= KEYS, `${canaries.all.length} canaries`);
  assert.ok(web.deleted > 0 && web.replaced > 0 && web.refused > 0 && web.malformed > 0 && bot.replaced === 2 && bot.deleted === 2);
  // The events of the deletes have arrived.
  await waitFor(() => streams.every((s) => s.events.some((e) => e.event === 'account.deleted')), { ms: 10000, what: 'the delete events' });
  const metrics = await fetch(srv.url + '/metrics');
  assert.equal(metrics.status, 200);
  const metricsText = await metrics.text();
  assert.match(metricsText, /^# (HELP|TYPE) /m);

  const table = needles(canaries.all);
  // A scan that can fail: a canary piece planted in a string is found, in each form.
  const probe = canaries.all[canaries.all.length - 1];
  for (const planted of [`x${probe.slice(20, 20 + WINDOW)}y`, Buffer.from(`..${probe}`).toString('base64'), Buffer.from(probe).toString('hex')])
    assert.ok(findLeaks(planted, table).length > 0, `the scan misses ${planted}`);

  const haystacks = {
    'HTTP answers (status, headers, bodies)': record.text(),
    'event streams': streams.map((s) => s.raw.text).join('\n'),
    'server output': srv.output(),
    '/metrics': metricsText,
    'messages the bot sent': JSON.stringify(fake.calls.map((c) => ({ method: c.method, params: c.params }))),
  };
  let scanned = 0;
  for (const [where, text] of Object.entries(haystacks)) {
    assert.ok(text.length > 0, where);
    scanned += text.length;
    assertNoLeak(where, text, table);
  }
  assert.ok(record.answers.length > 3 * KEYS, `${record.answers.length} answers recorded`);
  assert.ok(fake.calls.filter((c) => /^(sendMessage|editMessageText)$/.test(c.method)).length > 20);
  // Every file of the data directory while the server runs (the WAL holds the recent writes), then at
  // rest after its last checkpoint.
  const running = filesUnder(dir);
  assert.ok(running.some((f) => f.name === 'tradebridge.db-wal'), running.map((f) => f.name).join(' '));
  for (const f of running) assertNoLeak(`${f.name} (running)`, f.bytes, table);
  const stopped = await srv.stop();
  assert.equal(stopped.code, 0, srv.output().slice(-2000));
  assertNoLeak('server output', srv.output(), table);
  const atRest = filesUnder(dir);
  for (const f of atRest) assertNoLeak(`${f.name} (at rest)`, f.bytes, table);
  let free = 'n/a';
  if (haveSqlite3()) free = sqlite(join(dir, 'tradebridge.db'), 'PRAGMA freelist_count;').trim();
  const bytes = [...running, ...atRest].reduce((n, f) => n + f.bytes.length, 0);
  figure(`0 canary pieces (${WINDOW}-byte windows of raw/base64/hex/percent forms, ${table.size} pieces) in ${record.answers.length} HTTP answers, `
    + `${streams.length} event streams, ${fake.calls.length} Bot API calls, ${(scanned / 1024).toFixed(0)} KiB of text, `
    + `${(bytes / 1024).toFixed(0)} KiB of data files (${running.map((f) => f.name).join(', ')}; ${free} free pages at rest)`);
});

// --log-format json (issue 14 part 4): serve's stderr is one JSON object per line, {ts, level, msg, fields},
// and the canaries that pass through it — keys added, tested, refused, malformed, deleted, and a database
// URL's password — are in none of them, nor in anything else serve printed.
test('--log-format json: every stderr line is one JSON object (ts, level, msg, fields), with no canary piece', async () => {
  const jdir = tempDir('sec-json');
  const jcanaries = new Canaries(sim, SEED ^ 0x150);
  const jsrv = await startServe({ dataDir: jdir, exsimUrl: sim.url, extraArgs: ['--log-format', 'json'] });
  let stopped;
  try {
    const user = await newUser(jsrv.url);
    for (const venue of VENUES) {
      const k = await jcanaries.key(venue);
      const r = await user.post('/api/v1/exchange-accounts', { exchange: venue, key: k.key, secret: k.secret });
      assert.equal(r.status, 202, r.text);
      assert.equal((await waitTested(user, r.body.id)).status, 'enabled');
      const k1 = await jcanaries.key(venue);
      const k2 = await jcanaries.key(venue);
      const bad = await user.post('/api/v1/exchange-accounts', { exchange: venue, key: k1.key, secret: k2.secret });
      assert.equal(bad.status, 202, bad.text);
      assert.equal((await waitTested(user, bad.body.id)).status, 'invalid');
      const cut = await user.post('/api/v1/exchange-accounts', { exchange: venue, key: k.key, secret: k.secret.slice(0, -1) });
      assert.equal(cut.status, 400, cut.text);
      assert.equal((await user.del(`/api/v1/exchange-accounts/${r.body.id}`)).status, 204);
    }
  } finally {
    stopped = await jsrv.stop();
  }
  assert.equal(stopped.code, 0, jsrv.output().slice(-2000));
  // A database URL whose password is a canary: refused (no PostgreSQL backend here), the refusal a JSON line.
  const pw = jcanaries.all[0].replace(/[^A-Za-z0-9]/g, 'x');
  jcanaries.all.push(pw);
  const refused = spawnSync(bin(), ['serve', '--listen', '127.0.0.1:0', '--data-dir', jdir, '--log-format', 'json', '--password-cost', 'fast',
    '--database', `postgresql://tb:${pw}@db.internal:5432/tradebridge`], { encoding: 'utf8' });
  assert.equal(refused.status, 1, refused.stderr);
  const stderr = jsrv.proc.out.stderr + refused.stderr;
  const lines = stderr.split('\n').filter((l) => l.length);
  assert.ok(lines.length >= 3, stderr);
  const levels = new Set();
  for (const line of lines) {
    let j;
    assert.doesNotThrow(() => { j = JSON.parse(line); }, `not one JSON object: ${line}`);
    assert.deepEqual(Object.keys(j), ['ts', 'level', 'msg', 'fields'], line);
    assert.match(j.ts, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.ok(['debug', 'info', 'warn', 'error'].includes(j.level), line);
    assert.equal(typeof j.msg, 'string');
    assert.equal(typeof j.fields, 'object');
    levels.add(j.level);
  }
  const started = lines.map((l) => JSON.parse(l)).find((j) => j.msg === 'serve started');
  assert.ok(started && started.fields.database.startsWith('sqlite:'), stderr);
  assert.ok(levels.has('info') && levels.has('warn') && levels.has('error'), [...levels].join());
  assert.match(refused.stderr, /postgresql:\/\/tb:\*\*\*\*@db\.internal/);
  const table = needles(jcanaries.all);
  assertNoLeak('serve output as JSON logs', jsrv.output() + refused.stdout + refused.stderr, table);
  assert.ok(findLeaks(`{"msg":"${pw.slice(3, 3 + WINDOW)}"}`, table).length > 0, 'the scan misses a planted piece');
  figure(`--log-format json: ${lines.length} lines, levels ${[...levels].join('/')}, ${jcanaries.all.length} canaries: 0 pieces`);
  removeDir(jdir);
});

// A process that is not dumpable leaves no core even when its core limit is raised after it started; a
// control process (sleep) killed the same way in the same directory shows that a core would be written.
test('serve leaves no core file: not dumpable, core limit 0; a control process in the same place dumps one', async () => {
  const cwd = tempDir('sec-core');
  const data = tempDir('sec-core-data');
  const wrap = (argv) => ['-c', `cd "${cwd}" && ulimit -c unlimited && exec "$@"`, 'sh', ...argv];
  const cores = () => readdirSync(cwd).filter((f) => f.startsWith('core'));
  const corePattern = spawnSync('cat', ['/proc/sys/kernel/core_pattern'], { encoding: 'utf8' }).stdout.trim();
  try {
    // The control: a core limit raised the same way, SIGSEGV, a core file in cwd (when the kernel writes
    // cores to files at all; a piped core_pattern hands them to a collector instead).
    const control = startChild('/bin/sh', wrap(['/bin/sh', '-c', 'echo "{\\"listening\\":1}"; exec sleep 60']), { label: 'control' });
    await control.first;
    await sleep(100);
    const controlLimit = coreLimit(control.child.pid);
    const controlExit = await control.stop('SIGSEGV');
    await sleep(300);
    const controlCores = cores();
    figure(`core_pattern '${corePattern}'; control process: limit ${controlLimit.soft}, ${controlExit.signal}, core files ${JSON.stringify(controlCores)}`);
    const canDump = !corePattern.startsWith('|');
    if (canDump) assert.ok(controlCores.length > 0, 'the control process left no core: this check could not fail here');
    for (const f of controlCores) removeDir(join(cwd, f));

    const p = startChild('/bin/sh', wrap([bin(), 'serve', '--listen', '127.0.0.1:0', '--data-dir', data, '--password-cost', 'fast', '--egress-ip', EGRESS_IP]),
      { label: 'serve', env: { TRADEBRIDGE_REGISTER_LIMIT: '0' } });
    const url = (await p.first).listening;
    const pid = p.child.pid;
    const u = await newUser(url);
    assert.equal((await u.get('/api/v1/me')).status, 200);
    const limit = coreLimit(pid);
    assert.equal(limit.soft, '0', `serve's core limit: ${JSON.stringify(limit)}`);
    // Raise it from outside (root, or the same user with the hard limit): only dumpability stops a core now.
    const raised = spawnSync('prlimit', ['--pid', String(pid), '--core=unlimited:unlimited'], { encoding: 'utf8' });
    if (raised.status !== 0) console.log(`# prlimit: ${raised.stderr.trim()} (no CAP_SYS_RESOURCE here: the core limit alone is shown)`);
    const after = coreLimit(pid);
    const exit = await p.stop('SIGSEGV');
    await sleep(300);
    assert.equal(exit.signal, 'SIGSEGV');
    assert.deepEqual(cores(), [], 'serve left a core file');
    assert.deepEqual(readdirSync(data).filter((f) => f.startsWith('core')), []);
    figure(`serve: core limit ${limit.soft}/${limit.hard} as started; raised from outside to ${after.soft} (prlimit ${raised.status === 0 ? 'ok' : 'refused'}); SIGSEGV: 0 core files`);
  } finally {
    removeDir(cwd);
    removeDir(data);
  }
});
