// Register, sign in, sign out in Chromium: signing out closes the pages for good (back button, reload, a
// typed address), a wrong password and a throttled sign-in say so, and all of it works from the keyboard.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startPlatform, launchBrowser, openPage, register, signIn, nav, shot, uniqueEmail, PASSWORD, until } from './browser.mjs';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

async function setup(t, options) {
  const platform = await startPlatform();
  const { context, page, rec } = await openPage(browser, platform.url, options);
  t.after(async () => {
    await context.close();
    await platform.stop();
  });
  return { platform, context, page, rec };
}

async function onSignIn(page) {
  await page.getByRole('heading', { name: 'Sign in', level: 1 }).waitFor();
  assert.equal(new URL(page.url()).pathname, '/signin');
  assert.equal(await page.locator('#nav').isVisible(), false, 'no navigation while signed out');
  assert.equal(await page.getByText('My Exchange API Keys').count(), 0, 'nothing of the signed-in pages');
}

test('register, sign in, and sign out closes the pages', async (t) => {
  const { page, context, rec } = await setup(t);
  await page.goto('/');
  await onSignIn(page);
  await shot(page, 'sign-in');
  await page.getByRole('link', { name: 'Create an account' }).click();
  await page.getByRole('heading', { name: 'Create an account' }).waitFor();
  await shot(page, 'register');
  const { email } = await register(page);
  assert.match(await page.locator('.profile__email').innerText(), new RegExp(email.replace(/[.]/g, '\\.')));

  // Around the app and back: client routes on the history API, no hash.
  await nav(page, 'Portfolio').click();
  await page.waitForURL('**/portfolio');
  await nav(page, 'Robots').click();
  await page.getByRole('heading', { name: 'Robots', level: 1 }).waitFor();
  assert.match(await page.locator('main').innerText(), /Trading robots and how their strategies did/); // the catalogue, no longer a placeholder
  await page.goBack();
  await page.getByRole('heading', { name: 'Portfolio', level: 1 }).waitFor();
  await page.goForward();
  await page.getByRole('heading', { name: 'Robots', level: 1 }).waitFor();
  await page.reload(); // the server answers the route with the app
  await page.getByRole('heading', { name: 'Robots', level: 1 }).waitFor();
  assert.ok(!page.url().includes('#'));

  await nav(page, 'Profile').click();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await onSignIn(page);
  assert.match(await page.locator('main').innerText(), /You are signed out/);
  assert.equal((await context.cookies()).filter((c) => c.name === 'tb_session').length, 0, 'the cookie is gone');

  // Back: the pages stay closed.
  await page.goBack();
  await onSignIn(page);
  await page.goBack();
  await onSignIn(page);
  // Reload and typed addresses: closed too.
  await page.reload();
  await onSignIn(page);
  for (const path of ['/profile', '/portfolio', '/robots', '/profile/keys/new']) {
    await page.goto(path);
    await onSignIn(page);
    assert.equal(new URL(page.url()).searchParams.get('next'), path);
  }
  const me = await context.request.get('/api/v1/me');
  assert.equal(me.status(), 401, 'the API says signed out');

  // Wrong password, then the right one: back to the page asked for.
  await signIn(page, email, 'not the password at all');
  await page.getByText('Wrong email or password.').waitFor();
  assert.equal(await page.getByLabel('Password', { exact: true }).inputValue(), '', 'the password is cleared');
  await signIn(page, email);
  await page.waitForURL('**/profile/keys/new');
  await page.getByLabel('API Key (Public Key)').waitFor();
  assert.deepEqual(rec.csp, []);
  assert.deepEqual(rec.pageErrors, []);
});

test('a server that does not answer, and a session that ends elsewhere, are said plainly', async (t) => {
  const { page, context } = await setup(t);
  // The server is down when the app starts: it says so and offers to try again.
  await page.route('**/api/v1/me', (route) => route.abort('connectionrefused'));
  await page.goto('/portfolio');
  await page.getByRole('heading', { name: 'tradebridge is not answering' }).waitFor();
  assert.match(await page.locator('main').innerText(), /Cannot reach tradebridge/);
  await page.unroute('**/api/v1/me');
  await page.getByRole('button', { name: 'Try again' }).click();
  await page.getByRole('heading', { name: 'Sign in', level: 1 }).waitFor();

  await register(page);
  // The session ends elsewhere (expired, signed out on another device): the next call brings the sign-in page.
  await context.clearCookies();
  // The next call brings it: a click, or the event stream reconnecting first (then the link is gone).
  await nav(page, 'Portfolio').click({ timeout: 3000 }).catch(() => {});
  await page.getByText('Your session has ended. Sign in again.').waitFor();
  assert.equal(new URL(page.url()).pathname, '/signin');
  assert.equal(await page.locator('#nav').isVisible(), false);
});

test('register says what is wrong: short password, taken email; sign-in throttling says when to retry', async (t) => {
  const { page, context } = await setup(t);
  const email = uniqueEmail('taken');
  await page.goto('/register');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill('short');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByText('The password needs at least 10 characters.').waitFor();
  assert.equal(await page.getByLabel('Password', { exact: true }).getAttribute('aria-invalid'), 'true');
  // The password can be shown to check it.
  await page.getByRole('button', { name: 'Show the secret' }).click();
  assert.equal(await page.getByLabel('Password', { exact: true }).getAttribute('type'), 'text');

  await register(page, email);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('link', { name: 'Create an account' }).click();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByText('An account with this email already exists.').waitFor();
  await page.getByRole('link', { name: 'Sign in instead' }).click();

  // Five failures lock the account for a while: the page says how long.
  for (let i = 0; i < 5; i += 1) {
    const r = await context.request.post('/api/v1/auth/login', { data: { email, password: `wrong password ${i}` } });
    assert.equal(r.status(), 401);
  }
  await signIn(page, email);
  const alert = page.getByRole('alert');
  await until(async () => /too many failed sign-in attempts: try again in/i.test(await alert.innerText().catch(() => '')), 'the throttling message');
  await shot(page, 'sign-in-throttled');
});

test('keyboard only: sign in and add a key without a mouse', async (t) => {
  const { page, platform } = await setup(t);
  const { email } = await register(page);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { name: 'Sign in', level: 1 }).waitFor();

  await page.getByLabel('Email').focus();
  await page.keyboard.type(email);
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.name), 'password');
  await page.keyboard.type(PASSWORD);
  await page.keyboard.press('Enter');
  await page.waitForURL('**/portfolio');

  // The form in tab order: exchange, name, key, secret, its Show button, submit.
  await page.goto('/profile/keys/new');
  await page.getByLabel('Exchange', { exact: true }).waitFor();
  const order = [];
  await page.getByLabel('Exchange', { exact: true }).focus();
  for (let i = 0; i < 6; i += 1) {
    order.push(await page.evaluate(() => document.activeElement.name || document.activeElement.textContent.trim()));
    await page.keyboard.press('Tab');
  }
  assert.deepEqual(order, ['exchange', 'name', 'key', 'secret', 'Show', 'Add and test key']);
  // Every field has a label.
  const unlabelled = await page.evaluate(() => [...document.querySelectorAll('input, select')].filter((i) => !i.labels?.length).map((i) => i.name));
  assert.deepEqual(unlabelled, []);

  const key = await platform.createKey('kraken');
  await page.getByLabel('Exchange', { exact: true }).focus();
  await page.keyboard.press('ArrowDown'); // Binance -> Kraken
  assert.equal(await page.getByLabel('Exchange', { exact: true }).inputValue(), 'kraken');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await page.keyboard.insertText(key.key);
  await page.keyboard.press('Tab');
  await page.keyboard.insertText(key.secret);
  await page.keyboard.press('Enter');
  await page.locator('section.progress[data-status="enabled"]').waitFor();
  // Focus moved to the result's heading, for screen readers.
  assert.equal(await page.evaluate(() => document.activeElement.className), 'progress__title');
  await shot(page, 'key-ready');
});
