// My Exchange API Keys in Chromium: adding keys of the three exchanges with the key test shown live, refused
// keys with their reason, rename, re-test, replace keys, delete, and the form under a slow or failing server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startPlatform, launchBrowser, nav, openPage, register, submitKey, waitForResult, stepStates, card, shot, until, VENUES,
} from './browser.mjs';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

async function setup(t, options = {}) {
  const platform = await startPlatform(options);
  const { context, page, rec } = await openPage(browser, platform.url, options);
  t.after(async () => {
    await context.close();
    await platform.stop();
  });
  return { platform, context, page, rec };
}

function assertClean(rec) {
  assert.deepEqual(rec.csp, [], 'no Content-Security-Policy violation');
  assert.deepEqual(rec.pageErrors, [], 'no uncaught error in the page');
}

// Records in the page every picture of the progress panel the app renders (a MutationObserver sees each
// render, however fast the test runs or however loaded the machine is): [{status, states}].
function recordProgress(page) {
  return page.evaluate(() => {
    window.__pictures = [];
    let last = '';
    const observer = new MutationObserver(() => {
      const panel = document.querySelector('section.progress');
      if (!panel) return;
      const states = Object.fromEntries([...panel.querySelectorAll('.step')].map((e) => [e.dataset.step, e.dataset.state]));
      const picture = JSON.stringify({ status: panel.dataset.status, states });
      if (picture !== last) window.__pictures.push(JSON.parse(picture));
      last = picture;
    });
    window.__observer?.disconnect();
    window.__observer = observer;
    observer.observe(document.body, { subtree: true, childList: true, attributes: true });
  });
}

test('a good key of each exchange becomes ready, its steps shown live as they happen', async (t) => {
  // Every simulated venue answer takes 120 ms, so the test lasts long enough to watch.
  const { platform, page, rec } = await setup(t, { latencyMs: 120 });
  await register(page);
  let first = true;
  for (const venue of ['binance_futures', 'kraken', 'bitfinex']) {
    const key = await platform.createKey(venue);
    await recordProgress(page);
    await submitKey(page, { exchange: venue, key: key.key, secret: key.secret });
    if (first) {
      await page.locator('section.progress[data-status="testing"] .step[data-state="running"]').waitFor();
      await shot(page, 'key-test-live');
      first = false;
    }
    await waitForResult(page);
    const pictures = await page.evaluate(() => window.__pictures);
    const final = pictures[pictures.length - 1];
    assert.equal(final.status, 'enabled', `${venue}: ready`);
    assert.deepEqual(final.states, { permissions: 'ok', balances: 'ok', test_order: 'ok', cancel: 'ok' });
    // Seen under way: a step running while later ones still waited, then steps done one by one.
    const during = pictures.filter((p) => p.status === 'testing');
    assert.ok(during.some((p) => Object.values(p.states).includes('running') && Object.values(p.states).includes('waiting')),
      `${venue}: a running step with others waiting was shown (${JSON.stringify(during)})`);
    assert.ok(during.some((p) => p.states.permissions === 'ok' && p.states.cancel !== 'ok'),
      `${venue}: a finished step was shown before the test ended`);
    const result = page.locator('.result--ok');
    assert.match(await result.innerText(), /Ready for automated trading/);
    assert.match(await page.locator('.progress__title').innerText(), new RegExp(`“${VENUES[venue].name}” is ready`));
    await page.getByRole('button', { name: 'Add another key' }).click();
  }
  await nav(page, 'Profile').click();
  for (const venue of Object.keys(VENUES)) {
    const c = card(page, VENUES[venue].name);
    await c.locator('.badge--enabled').waitFor();
    const text = await c.innerText();
    assert.match(text, /Ready/);
    assert.match(text, /\$[\d,]+\.\d\d/, 'balance in USD');
    assert.match(text, /API KEY\s+\S{4}…\S{4}/i, 'the key masked');
    assert.match(text, /just now|s ago/, 'last checked');
  }
  await shot(page, 'keys-list');
  assertClean(rec);
});

test('a key that may withdraw is refused with the reason and what to do', async (t) => {
  const { platform, page, rec } = await setup(t);
  await register(page);
  const expected = {
    binance_futures: /untick "Enable Withdrawals"/,
    kraken: /remove the "Withdraw Funds" permission/,
    bitfinex: /without the "Withdraw" permission/,
  };
  for (const venue of Object.keys(expected)) {
    const key = await platform.createKey(venue, { permissions: { withdraw: true } });
    await submitKey(page, { exchange: venue, key: key.key, secret: key.secret });
    assert.equal(await waitForResult(page), 'invalid', venue);
    const result = await page.locator('.result--bad').innerText();
    assert.match(result, /Refused/);
    assert.match(result, /may withdraw funds; we never accept such keys/, venue);
    assert.match(result, expected[venue], venue);
    assert.match(result, /What to do/);
    // One advice for the reason, and the one rule for the refused pair, both in the server's words.
    assert.equal(result.match(/What to do/g).length, 1, `${venue}: one advice`);
    const view = (await (await page.request.get('/api/v1/exchange-accounts')).json()).accounts.at(-1);
    assert.equal(view.reason_code, 'withdrawal_permission');
    assert.ok(result.includes(view.advice), `${venue}: the advice the API sends`);
    assert.equal(view.key_kept, false);
    assert.ok(result.includes(view.key_note), `${venue}: what became of the pair`);
    if (venue === 'bitfinex') {
      // Its keys cannot be edited: the only advice is a new key, never "turn off withdrawals".
      assert.match(view.advice, /create a new key/);
      assert.doesNotMatch(result, /turn off withdrawals|edit this key/i);
    }
    const states = await stepStates(page.locator('section.progress'));
    assert.equal(states.permissions, 'failed', `${venue}: the permissions step failed`);
    assert.equal(states.test_order, 'not_reached', `${venue}: no order was placed`);
    if (venue === 'binance_futures') await shot(page, 'key-refused-withdrawals');
    await page.getByRole('button', { name: 'Add another key' }).click();
  }
  // The list says the same, with the reason beside the status.
  await nav(page, 'Profile').click();
  const c = card(page, 'Kraken');
  await c.locator('.badge--invalid').waitFor();
  assert.match(await c.innerText(), /Invalid[\s\S]*may withdraw funds/);
  // The refused key was not kept: no Re-test, Replace keys instead.
  assert.equal(await c.getByRole('button', { name: 'Re-test' }).count(), 0);
  assert.ok(await c.getByRole('button', { name: 'Replace keys' }).isVisible());
  // The card states the same rule as the progress panel (and the bot: tests/telegram/dialogs.test.mjs).
  assert.match(await c.innerText(), /The refused key pair was erased; the account stays in your list, marked invalid/);
  assertClean(rec);
});

test('the key guide links to the key page of the simulator when the venues point at it; steps and labels come from the server', async (t) => {
  const { platform, page, rec } = await setup(t);
  await register(page);
  const guides = (await (await page.request.get('/api/v1/exchanges')).json());
  await nav(page, 'Profile').click();
  await page.getByRole('link', { name: 'ADD NEW KEY +' }).click();
  for (const venue of Object.keys(VENUES)) {
    await page.getByLabel('Exchange', { exact: true }).selectOption(venue);
    const link = page.getByRole('link', { name: `Open ${VENUES[venue].name} API management` });
    assert.equal(await link.getAttribute('href'), `${platform.exsim}/?venue=${venue}`, venue);
    const guide = guides.exchanges.find((e) => e.id === venue);
    assert.deepEqual(await page.locator('.guide__steps li').allInnerTexts(), guide.steps, `${venue}: the steps the API sends`);
  }
  // The link opens the simulator's page with that venue chosen, ready to make a key.
  const [sim] = await Promise.all([page.context().waitForEvent('page'), page.getByRole('link', { name: 'Open Bitfinex API management' }).click()]);
  await sim.waitForLoadState();
  await until(async () => (await sim.locator('#venue option').count()) === Object.keys(VENUES).length, 'the venues listed');
  assert.equal(await sim.locator('#venue').inputValue(), 'bitfinex');
  assert.equal(await sim.locator('#balances').inputValue(), 'USD=10000, BTC=1');
  assert.equal(await sim.locator('#p-futures').isVisible(), false, 'no futures right on a spot venue');
  await sim.close();
  // Step labels: the server's, in the page and in the API alike.
  const key = await platform.createKey('kraken');
  await submitKey(page, { exchange: 'kraken', key: key.key, secret: key.secret });
  assert.equal(await waitForResult(page), 'enabled');
  assert.deepEqual(await page.locator('section.progress .step__label').allInnerTexts(), guides.key_test_steps.map((s) => s.label));
  assertClean(rec);
});

test('a wrong secret is refused as such', async (t) => {
  const { platform, page, rec } = await setup(t);
  await register(page);
  const key = await platform.createKey('binance_futures');
  // Same length and alphabet, one character changed: passes the input check, fails the signature.
  const wrong = key.secret.slice(0, -1) + (key.secret.endsWith('A') ? 'B' : 'A');
  await submitKey(page, { exchange: 'binance_futures', key: key.key, secret: wrong });
  assert.equal(await waitForResult(page), 'invalid');
  const result = await page.locator('.result--bad').innerText();
  assert.match(result, /secret does not match this key|refused this API key/i);
  assert.match(result, /What to do/);
  await shot(page, 'key-wrong-secret');

  // A secret of the wrong length never reaches the exchange: the field says what is wrong.
  await page.getByRole('button', { name: 'Add another key' }).click();
  await page.getByLabel('Exchange', { exact: true }).selectOption('kraken');
  const kraken = await platform.createKey('kraken');
  await page.getByLabel('API Key (Public Key)').fill(kraken.key);
  await page.getByLabel('API Secret (Private Key)').fill(kraken.secret.slice(0, 40));
  await page.getByRole('button', { name: 'Add and test key' }).click();
  const secretField = page.getByLabel('API Secret (Private Key)');
  await until(async () => (await secretField.getAttribute('aria-invalid')) === 'true', 'the secret field marked invalid');
  const error = await page.locator('.field--invalid .field__error').first().innerText();
  assert.match(error, /should be 88 characters, got 40/);
  assert.equal(await secretField.inputValue(), '', 'the secret input is cleared after submitting');
  assertClean(rec);
});

test('rename, re-test, replace keys and delete with confirmation', async (t) => {
  const { platform, page, context, rec } = await setup(t);
  await register(page);
  const first = await platform.createKey('kraken');
  await submitKey(page, { exchange: 'kraken', key: first.key, secret: first.secret });
  assert.equal(await waitForResult(page), 'enabled');
  await page.getByRole('button', { name: 'Add another key' }).click();
  const other = await platform.createKey('bitfinex');
  await submitKey(page, { exchange: 'bitfinex', key: other.key, secret: other.secret, name: 'Savings' });
  assert.equal(await waitForResult(page), 'enabled');
  await page.getByRole('link', { name: 'Back to My Exchange API Keys' }).click();

  // Rename, by keyboard: the form opens with the name selected; Enter saves.
  let kraken = card(page, 'Kraken');
  await kraken.getByRole('button', { name: 'Rename' }).click();
  await page.keyboard.type('Main Kraken');
  await page.keyboard.press('Enter');
  kraken = card(page, 'Main Kraken');
  await kraken.waitFor();
  assert.match(await kraken.locator('.msg--ok').innerText(), /Renamed to “Main Kraken”/);
  // A name already taken is refused beside the field.
  const savings = card(page, 'Savings');
  await savings.getByRole('button', { name: 'Rename' }).click();
  await savings.getByLabel('New name').fill('main kraken');
  await savings.getByRole('button', { name: 'Save name' }).click();
  await savings.locator('.field__error').waitFor();
  assert.match(await savings.locator('.field__error').innerText(), /already have an account named/);
  await savings.getByLabel('New name').press('Escape');
  assert.equal(await savings.locator('form').count(), 0, 'Escape closes the form');
  await page.reload();
  await card(page, 'Main Kraken').waitFor();

  // Re-test: the card shows the test again and comes back ready, with a new test.
  const before = (await (await context.request.get('/api/v1/exchange-accounts')).json()).accounts.find((a) => a.name === 'Main Kraken');
  kraken = card(page, 'Main Kraken');
  await kraken.getByRole('button', { name: 'Re-test' }).click();
  await until(async () => {
    const a = (await (await context.request.get(`/api/v1/exchange-accounts/${before.id}`)).json());
    return a.status === 'enabled' && a.test.id > before.test.id;
  }, 'a second key test');
  await kraken.locator('.badge--enabled').waitFor();
  await kraken.getByText('Steps of the last key test').click();
  assert.deepEqual(await stepStates(kraken), { permissions: 'ok', balances: 'ok', test_order: 'ok', cancel: 'ok' });

  // Replace keys: a new pair for the same account, tested at once; the masked key changes.
  const next = await platform.createKey('kraken', { balances: { USD: '777' } });
  await kraken.getByRole('button', { name: 'Replace keys' }).click();
  await kraken.getByLabel('API Key (Public Key)').fill(next.key);
  await kraken.getByLabel('API Secret (Private Key)').fill(next.secret);
  await kraken.getByRole('button', { name: 'Replace and test' }).click();
  const masked = `${next.key.slice(0, 4)}…${next.key.slice(-4)}`;
  await until(async () => (await kraken.innerText()).includes(masked) && (await kraken.getAttribute('data-status')) === 'enabled',
    'the new key, ready');
  assert.match(await kraken.innerText(), /\$777\.00/);
  await shot(page, 'keys-manage');

  // Delete asks first: Cancel (or Escape) keeps the key, Delete key removes it.
  await savings.getByRole('button', { name: 'Delete' }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete “Savings”?' });
  await dialog.waitFor();
  assert.match(await dialog.innerText(), /erased from tradebridge/);
  await shot(page, 'key-delete-confirm', { fullPage: false });
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  assert.equal(await savings.count(), 1, 'still there after Escape');
  await savings.getByRole('button', { name: 'Delete' }).click();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  assert.equal(await savings.count(), 1, 'still there after Cancel');
  // While robots run, the server refuses (409): the card says why and keeps the key.
  await page.route('**/api/v1/exchange-accounts/*', (route) => (route.request().method() === 'DELETE'
    ? route.fulfill({ status: 409, json: { error: { code: 'conflict', message: 'robots are running on this account: stop them before deleting it' } } })
    : route.continue()));
  await savings.getByRole('button', { name: 'Delete' }).click();
  await dialog.getByRole('button', { name: 'Delete key' }).click();
  await savings.getByText('Not deleted: robots are running on this account: stop them before deleting it').waitFor();
  await page.unroute('**/api/v1/exchange-accounts/*');
  await savings.getByRole('button', { name: 'Delete' }).click();
  await dialog.getByRole('button', { name: 'Delete key' }).click();
  await savings.waitFor({ state: 'detached' });
  const left = (await (await context.request.get('/api/v1/exchange-accounts')).json()).accounts.map((a) => a.name);
  assert.deepEqual(left, ['Main Kraken']);
  assertClean(rec);
});

test('the form survives a slow or failing server: one submission, clear messages', async (t) => {
  const { platform, page, rec } = await setup(t);
  await register(page);
  const key = await platform.createKey('kraken');
  await page.getByRole('link', { name: 'ADD NEW KEY +' }).click();
  await page.getByLabel('Exchange', { exact: true }).selectOption('kraken');

  // The server answers with an error page of a proxy: the message says so, the form stays usable.
  await page.route('**/api/v1/exchange-accounts', (route) => (route.request().method() === 'POST'
    ? route.fulfill({ status: 503, contentType: 'text/html', body: '<html>Service Unavailable</html>' })
    : route.continue()));
  await page.getByLabel('API Key (Public Key)').fill(key.key);
  await page.getByLabel('API Secret (Private Key)').fill(key.secret);
  await page.getByRole('button', { name: 'Add and test key' }).click();
  const alert = page.locator('form .msg--error');
  await alert.waitFor();
  assert.match(await alert.innerText(), /unavailable right now \(HTTP 503\)/);
  assert.equal(await page.getByLabel('API Secret (Private Key)').inputValue(), '', 'the secret is cleared');
  assert.match(await page.locator('.field--invalid .field__error').innerText(), /paste it again/);

  // The connection fails: "Cannot reach".
  await page.unroute('**/api/v1/exchange-accounts');
  await page.route('**/api/v1/exchange-accounts', (route) => (route.request().method() === 'POST' ? route.abort('connectionreset') : route.continue()));
  await page.getByLabel('API Secret (Private Key)').fill(key.secret);
  await page.getByRole('button', { name: 'Add and test key' }).click();
  await until(async () => /Cannot reach tradebridge/.test(await alert.innerText()), 'the network message');

  // A slow answer: the button is disabled at once, a second click or Enter sends nothing more, and after a
  // few seconds the page says it is still waiting.
  await page.unroute('**/api/v1/exchange-accounts');
  let posts = 0;
  await page.route('**/api/v1/exchange-accounts', async (route) => {
    if (route.request().method() !== 'POST') return route.continue();
    posts += 1;
    await new Promise((r) => setTimeout(r, 4500));
    return route.continue();
  });
  await page.getByLabel('API Secret (Private Key)').fill(key.secret);
  const button = page.locator('form button[type="submit"]');
  await button.click();
  await button.click({ force: true }).catch(() => {});
  await page.getByLabel('API Key (Public Key)').press('Enter');
  assert.equal(await button.isDisabled(), true);
  assert.equal(await button.innerText(), 'Adding…');
  await page.getByText('The server is slow to answer; still waiting…').waitFor({ timeout: 6000 });
  await shot(page, 'key-slow-server');
  assert.equal(await waitForResult(page), 'enabled');
  assert.equal(posts, 1, 'exactly one POST went out');
  assertClean(rec);
});

test('without the events stream the key test still shows its result, by polling', async (t) => {
  const { platform, page, rec } = await setup(t, { latencyMs: 30 });
  // The stream is refused before the app starts: EventSource fails, the page polls instead.
  await page.route('**/api/v1/events', (route) => route.fulfill({ status: 503, contentType: 'text/plain', body: 'down' }));
  await register(page);
  await page.locator('.live[data-state="down"]').waitFor();
  assert.match(await page.locator('.live').innerText(), /interrupted: refreshing every few seconds/);
  const key = await platform.createKey('bitfinex');
  await submitKey(page, { exchange: 'bitfinex', key: key.key, secret: key.secret });
  assert.equal(await waitForResult(page, 15000), 'enabled');
  assert.deepEqual(await stepStates(page.locator('section.progress')), { permissions: 'ok', balances: 'ok', test_order: 'ok', cancel: 'ok' });
  await shot(page, 'key-ready-by-polling');
  assertClean(rec);
});
