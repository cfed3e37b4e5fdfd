// Profile → Two-factor authentication in Chromium: turn it on from the QR code's secret, save the recovery
// codes, add a key with a code, sign in elsewhere with the password and then the code, turn it off. The
// codes are computed here by node's own HMAC-SHA-1 (RFC 6238), independently of the server's.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startPlatform, launchBrowser, openPage, register, signIn, shot, nav } from './browser.mjs';
import { freshCode } from '../support/totp.mjs';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

test('two-factor: on from the QR secret, keys need a code, sign-in asks for it, off with a recovery code', { timeout: 150_000 }, async (t) => {
  const platform = await startPlatform();
  const a = await openPage(browser, platform.url);
  const b = await openPage(browser, platform.url);
  t.after(async () => {
    await a.context.close();
    await b.context.close();
    await platform.stop();
  });
  const { email } = await register(a.page);
  const panel = a.page.locator('#two-factor');
  await panel.locator('[data-tfa="off"]').waitFor();
  await panel.getByRole('button', { name: 'Turn on' }).click();
  const qr = panel.locator('canvas.qr');
  await qr.waitFor();
  // The QR code is drawn: dark and light modules, not a blank canvas.
  const darkShare = await qr.evaluate((c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let dark = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i] < 128) dark += 1;
    return dark / (d.length / 4);
  });
  assert.ok(darkShare > 0.2 && darkShare < 0.6, `QR dark share ${darkShare}`);
  const secret = (await panel.locator('.tfa-secret').innerText()).replace(/\s/g, '');
  assert.match(secret, /^[A-Z2-7]{32}$/);
  await shot(a.page, 'profile-2fa-setup');

  await panel.getByLabel('Code from the app').fill('000000');
  await panel.getByRole('button', { name: 'Confirm and turn on' }).click();
  await panel.getByText('not the current code of the new secret').waitFor();
  const used = { step: 0 };
  await panel.getByLabel('Code from the app').fill(await freshCode(secret, used));
  await panel.getByRole('button', { name: 'Confirm and turn on' }).click();
  await panel.locator('[data-tfa="on"]').waitFor();
  const codes = await panel.locator('.recovery__codes li').allInnerTexts();
  assert.equal(codes.length, 10);
  assert.equal(new Set(codes).size, 10);
  await panel.getByText('10 recovery codes left').waitFor();
  await shot(a.page, 'profile-2fa-on');

  // Adding a key: the form has the code field; a wrong code adds nothing and says so on the field.
  const key = await platform.createKey('kraken');
  await a.page.getByRole('link', { name: 'ADD NEW KEY +' }).click();
  const form = a.page.locator('form[aria-label="New exchange API key"]');
  await form.getByLabel('Exchange', { exact: true }).selectOption('kraken');
  await form.getByLabel('API Key (Public Key)').fill(key.key);
  await form.getByLabel('API Secret (Private Key)').fill(key.secret);
  await form.getByLabel('Authenticator code').fill('123456');
  await form.getByRole('button', { name: 'Add and test key' }).click();
  await form.getByText('that code is wrong or was used already', { exact: false }).waitFor();
  await form.getByLabel('API Secret (Private Key)').fill(key.secret);
  await form.getByLabel('Authenticator code').fill(codes[0]);  // a recovery code works in its place
  await form.getByRole('button', { name: 'Add and test key' }).click();
  await a.page.locator('section.progress[data-status="enabled"]').waitFor({ timeout: 20_000 });

  // Another browser: the right password, then the code.
  await b.page.goto('/signin');
  await signIn(b.page, email);
  const code = b.page.getByLabel('Authenticator code');
  await code.waitFor();
  assert.equal(new URL(b.page.url()).pathname, '/signin');
  await code.fill('111111');
  await b.page.getByRole('button', { name: 'Sign in' }).click();
  await b.page.getByText('that code is wrong or was used already', { exact: false }).waitFor();
  await code.fill(await freshCode(secret, used));
  await b.page.getByRole('button', { name: 'Sign in' }).click();
  await b.page.waitForURL('**/portfolio');
  await shot(b.page, 'signin-2fa');

  // Off with a recovery code; the page says so, and the audit names it.
  await a.page.goto('/profile');
  await panel.locator('[data-tfa="on"]').waitFor();
  await panel.getByText('9 recovery codes left').waitFor();
  await panel.getByLabel('Authenticator code').fill(codes[1]);
  await panel.getByRole('button', { name: 'Turn off' }).click();
  await panel.locator('[data-tfa="off"]').waitFor();
  await a.page.getByText('Two-factor turned off').waitFor();
  await nav(a.page, 'Portfolio').click();
});
