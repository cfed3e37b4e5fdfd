// Webhook mode: serve sets the webhook with a random secret token at start and takes Telegram's deliveries
// at POST /api/v1/telegram/webhook only with that token in X-Telegram-Bot-Api-Secret-Token (compared in
// constant time); a delivery repeated by Telegram is handled once; no long polling happens meanwhile.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startWorld, Person, bin, TOKEN, tempDir, removeDir, sleep } from './lib.mjs';

const HOOK = 'https://bot.example.test/api/v1/telegram/webhook';
let w, secret;
before(async () => {
  w = await startWorld('webhook', { serveArgs: ['--telegram-webhook-url', HOOK] });
  const set = await w.fake.waitFor(() => w.fake.calls.find((c) => c.method === 'setWebhook' && c.status === 200), { what: 'setWebhook' });
  secret = set.params.secret_token;
});
after(async () => { await w?.close(); });

const deliver = (update, token) => fetch(`${w.srv.url}/api/v1/telegram/webhook`, {
  method: 'POST',
  headers: { 'Content-Type': 'application/json', ...(token === undefined ? {} : { 'X-Telegram-Bot-Api-Secret-Token': token }) },
  body: typeof update === 'string' ? update : JSON.stringify(update),
});

test('at start the webhook is set with a random secret token and the allowed updates; nobody polls', async () => {
  const set = w.fake.calls.find((c) => c.method === 'setWebhook');
  assert.equal(set.params.url, HOOK);
  assert.match(secret, /^[A-Za-z0-9_-]{32,256}$/);
  assert.deepEqual(set.params.allowed_updates, ['message', 'edited_message', 'callback_query', 'my_chat_member']);
  assert.ok(!w.srv.output().includes(secret), 'the secret token is not logged');
  await sleep(500);
  assert.equal(w.fake.calls.filter((c) => c.method === 'getUpdates').length, 0);
});

test('a delivery without the secret token, or with a wrong one, is refused; with it, the bot answers', async () => {
  const p = new Person(w.fake, 6001, 'Hook');
  const { update } = w.fake.sendText(p.id, '/start');
  assert.equal((await deliver(update)).status, 401);
  assert.equal((await deliver(update, secret.slice(0, -1) + (secret.endsWith('A') ? 'B' : 'A'))).status, 401);
  assert.equal((await deliver(update, '')).status, 401);
  const since = p.mark();
  const ok = await deliver(update, secret);
  assert.equal(ok.status, 200, await ok.text());
  await p.expect(/Welcome to tradebridge/, { since });
  // Telegram repeats a delivery it thinks failed: handled once.
  assert.equal((await deliver(update, secret)).status, 200);
  await sleep(300);
  assert.equal(p.fake.botMessages(p.id).filter((m) => /Welcome to tradebridge/.test(m.text)).length, 1);
  // A button press arrives the same way.
  const menu = p.last();
  const help = w.fake.sendText(p.id, '/help').update;
  const since2 = p.mark();
  assert.equal((await deliver(help, secret)).status, 200);
  const shown = await p.expect(/tradebridge trades for you/, { since: since2 });
  const press = w.fake.press(p.id, shown.message_id, '🏠 Main Menu');
  assert.equal((await deliver(press.update, secret)).status, 200);
  await w.fake.waitFor(() => w.fake.callbacks.get(press.id).answered, { what: 'the answer' });
  assert.ok(menu);
});

test('a body that is no update is a 400', async () => {
  assert.equal((await deliver('{"nope":1}', secret)).status, 400);
  assert.equal((await deliver('not json', secret)).status, 400);
});

test('serve refuses a webhook URL that is not https', () => {
  const dir = tempDir('badhook');
  try {
    const r = spawnSync(bin(), ['serve', '--listen', '127.0.0.1:0', '--data-dir', dir, '--telegram-api-url', w.apiUrl,
      '--telegram-webhook-url', 'http://insecure.example/hook'], { env: { ...process.env, TRADEBRIDGE_TELEGRAM_TOKEN: TOKEN }, encoding: 'utf8', timeout: 20000 });
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /https/);
    const bad = spawnSync(bin(), ['serve', '--listen', '127.0.0.1:0', '--data-dir', dir], { env: { ...process.env, TRADEBRIDGE_TELEGRAM_TOKEN: 'not-a-token' }, encoding: 'utf8', timeout: 20000 });
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /telegram token: not a bot token/);
    assert.ok(!bad.stderr.includes('not-a-token'));
  } finally {
    removeDir(dir);
  }
});

test('a server without a bot has no Telegram routes, so the web app hides Link Telegram', async () => {
  const { startServe } = await import('./lib.mjs');
  const dir = tempDir('nobot');
  const srv = await startServe({ dataDir: dir, exsimUrl: w.sim.url, apiUrl: w.apiUrl, env: { TRADEBRIDGE_TELEGRAM_TOKEN: '' } });
  try {
    const doc = await (await fetch(`${srv.url}/api/openapi.json`)).json();
    assert.ok(!doc.paths['/api/v1/telegram/link-code']);
    assert.equal((await fetch(`${srv.url}/api/v1/telegram`)).status, 404);
    const withBot = await (await fetch(`${w.srv.url}/api/openapi.json`)).json();
    assert.ok(withBot.paths['/api/v1/telegram/link-code'].post);
    assert.ok(!srv.output().includes('telegram:'));
  } finally {
    await srv.stop();
    removeDir(dir);
  }
});
