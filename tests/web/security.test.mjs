// What a bank's web app promises: after a secret is submitted it never comes back — not in the page, not in
// any network answer or event, not in the browser's storage or cookies — and the page runs under the strict
// Content-Security-Policy without a single violation.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startPlatform, launchBrowser, openPage, register, submitKey, waitForResult, card, nav, responses, watchEvents, until, shot,
} from './browser.mjs';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

// Looks for the whole secret and for any 16-character piece of it.
function leaks(haystack, secret) {
  if (!haystack) return false;
  if (haystack.includes(secret)) return true;
  for (let i = 0; i + 16 <= secret.length; i += 8) if (haystack.includes(secret.slice(i, i + 16))) return true;
  return false;
}

async function assertNoSecretIn(page, context, rec, secrets, where) {
  const html = await page.content();
  const inputs = await page.evaluate(() => [...document.querySelectorAll('input, textarea')].map((i) => i.value).join('\n'));
  const storage = await page.evaluate(() => JSON.stringify({ local: { ...localStorage }, session: { ...sessionStorage } }));
  const cookies = JSON.stringify(await context.cookies());
  for (const secret of secrets) {
    assert.ok(!leaks(html, secret), `${where}: the page source holds no secret`);
    assert.ok(!leaks(inputs, secret), `${where}: no input still holds a secret`);
    assert.ok(!leaks(storage, secret), `${where}: localStorage and sessionStorage hold no secret`);
    assert.ok(!leaks(cookies, secret), `${where}: no cookie holds a secret`);
  }
}

test('secrets never come back: page, answers, events, storage, cookies', async (t) => {
  const platform = await startPlatform();
  const { context, page, rec } = await openPage(browser, platform.url);
  t.after(async () => {
    await context.close();
    await platform.stop();
  });
  await register(page);
  const events = await watchEvents(platform.url, context);
  const secrets = [];

  // A good key (Kraken's base64 secret), a refused one, and a replacement pair.
  const good = await platform.createKey('kraken');
  secrets.push(good.secret);
  await submitKey(page, { exchange: 'kraken', key: good.key, secret: good.secret });
  assert.equal(await waitForResult(page), 'enabled');
  await assertNoSecretIn(page, context, rec, secrets, 'after adding a good key');
  await page.getByRole('button', { name: 'Add another key' }).click();

  const refused = await platform.createKey('binance_futures', { permissions: { withdraw: true } });
  secrets.push(refused.secret);
  await submitKey(page, { exchange: 'binance_futures', key: refused.key, secret: refused.secret });
  assert.equal(await waitForResult(page), 'invalid');
  await assertNoSecretIn(page, context, rec, secrets, 'after a refused key');

  await page.getByRole('link', { name: 'Back to My Exchange API Keys' }).click();
  const replacement = await platform.createKey('binance_futures');
  secrets.push(replacement.secret);
  const binance = card(page, 'Binance USD-M Futures');
  await binance.getByRole('button', { name: 'Replace keys' }).click();
  await binance.getByLabel('API Key (Public Key)').fill(replacement.key);
  // The secret field is a password input that can be revealed, and hides again once sent.
  const secretInput = binance.getByLabel('API Secret (Private Key)');
  assert.equal(await secretInput.getAttribute('type'), 'password');
  await secretInput.fill(replacement.secret);
  await binance.getByRole('button', { name: 'Show the secret' }).click();
  assert.equal(await secretInput.getAttribute('type'), 'text');
  assert.equal(await binance.getByRole('button', { name: 'Hide the secret' }).getAttribute('aria-pressed'), 'true');
  await binance.getByRole('button', { name: 'Replace and test' }).click();
  await until(async () => (await binance.getAttribute('data-status')) === 'enabled', 'the replaced key ready');
  await assertNoSecretIn(page, context, rec, secrets, 'after replacing keys');
  await shot(page, 'keys-after-replace');

  // Every page of the app, and a reload of each.
  for (const name of ['Portfolio', 'Robots', 'Profile']) {
    await nav(page, name).click();
    await page.waitForLoadState('networkidle');
    await assertNoSecretIn(page, context, rec, secrets, name);
    await page.reload();
    await page.waitForLoadState('networkidle');
    await assertNoSecretIn(page, context, rec, secrets, `${name} reloaded`);
  }

  // Every network answer the page received, and everything the events stream carried.
  const answers = await responses(rec);
  assert.ok(answers.length > 20, `answers were recorded (${answers.length})`);
  for (const r of answers) {
    for (const s of secrets) {
      assert.ok(!leaks(r.body, s), `answer of ${r.url} holds no secret`);
      assert.ok(!leaks(JSON.stringify(r.headers), s), `headers of ${r.url} hold no secret`);
    }
  }
  const stream = await events.stop();
  assert.match(stream, /event: key_test\.step/, 'the events stream was read');
  for (const s of secrets) assert.ok(!leaks(stream, s), 'the events stream holds no secret');

  // The secret went out exactly once each, in the request that submitted it.
  for (const s of secrets) {
    const carriers = rec.requests.filter((r) => leaks(r.postData ?? '', s) || leaks(r.url, s));
    assert.equal(carriers.length, 1, 'one request carried each secret');
    assert.match(carriers[0].method, /POST|PUT/);
  }
  assert.deepEqual(rec.csp, []);
  assert.deepEqual(rec.pageErrors, []);
});

test('the pages carry a strict Content-Security-Policy and load under it without violations', async (t) => {
  const platform = await startPlatform();
  const { context, page, rec } = await openPage(browser, platform.url);
  t.after(async () => {
    await context.close();
    await platform.stop();
  });
  const first = await page.goto('/profile');
  const csp = first.headers()['content-security-policy'];
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /script-src 'self'(;|$)/);
  assert.match(csp, /style-src 'self'(;|$)/);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
  // Nothing inline that the policy would have to allow.
  const inline = await page.evaluate(() => ({
    scripts: [...document.querySelectorAll('script:not([src])')].length,
    styles: [...document.querySelectorAll('style, [style]')].length,
    handlers: [...document.querySelectorAll('*')].filter((e) => [...e.attributes].some((a) => a.name.startsWith('on'))).length,
  }));
  assert.deepEqual(inline, { scripts: 0, styles: 0, handlers: 0 });
  await register(page);
  const key = await platform.createKey('bitfinex');
  await submitKey(page, { exchange: 'bitfinex', key: key.key, secret: key.secret });
  assert.equal(await waitForResult(page), 'enabled');
  await nav(page, 'Portfolio').click();
  await page.locator('.chart canvas').waitFor(); // uPlot, from this origin
  await shot(page, 'portfolio-one-account');
  // The cookie is HttpOnly and SameSite=Strict; no token is kept in web storage.
  const cookies = await context.cookies();
  const session = cookies.find((c) => c.name === 'tb_session');
  assert.ok(session, 'the session cookie');
  assert.equal(session.httpOnly, true);
  assert.equal(session.sameSite, 'Strict');
  assert.equal(await page.evaluate(() => localStorage.length + sessionStorage.length), 0);
  assert.equal(await page.evaluate(() => document.cookie), '', 'scripts cannot read the session cookie');
  assert.deepEqual(rec.csp, [], 'no CSP violation');
  assert.deepEqual(rec.pageErrors, []);
});
