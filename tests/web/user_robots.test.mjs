// My Robots in Chromium, against `tradebridge serve` and its simulator: a signal robot is created (its URL
// and token shown once, its name shown as text), followed before any key exists (the start dialog offers ADD
// NEW KEY +), a key is added and tested, the start dialog refuses without the risk confirmation and shows the
// API's market-minimum error, then starts; a signal fired at the webhook opens a position that appears live,
// the user robot's page shows its position and order, stop with close flattens it, and delete removes it.
// On futures the start dialog asks a leverage, set on the exchange at the start and shown on the user robot's
// page; the account's card lists its open orders on the exchange, a stop-limit placed by hand in its real type.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startPlatform, launchBrowser, openPage, register, nav, submitKey, waitForResult, until, shot } from './browser.mjs';
import { leverageOnVenue, placeStopLimitByHand } from '../support/by_hand.mjs';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

const NAME = 'Alerts <b>1</b> & "co"';
const myRow = (page) => page.locator('table.my-robots tbody tr');
const cell = (page, key) => myRow(page).first().locator(`[data-key="${key}"]`);

async function fire(platform, made, body) {
  const path = new URL(made.url, platform.url).pathname;
  const r = await fetch(new URL(path, platform.url), {
    method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${made.token}` }, body: JSON.stringify(body),
  });
  return r.status;
}

// The signal robot form: the URL and token shown once, the form emptied.
async function createSignalRobot(page) {
  await nav(page, 'Robots').click();
  await page.getByRole('heading', { name: 'My Robots' }).waitFor();
  const form = page.getByRole('region', { name: 'Create a signal robot' });
  await form.getByLabel('Robot name').fill(NAME);
  await form.getByLabel('Exchange to trade on').selectOption('binance_futures');
  await form.getByLabel('Market symbol').fill('BTCUSDT');
  await form.getByRole('button', { name: 'Create signal robot' }).click();
  const url = await form.locator('[data-secret="url"]').innerText();
  const token = await form.locator('[data-secret="token"]').innerText();
  assert.match(url, /\/api\/v1\/robots\/\d+\/signals$/);
  assert.match(token, /^[A-Za-z0-9_-]{43}$/);
  assert.equal(await form.getByLabel('Robot name').inputValue(), '');
  return { url, token };
}

test('follow a signal robot, start it with confirmation, a signal opens a position live, stop with close, delete', async (t) => {
  const platform = await startPlatform({ extraArgs: ['--trade-interval', '200'] });
  const { context, page, rec } = await openPage(browser, platform.url);
  t.after(async () => {
    await context.close();
    await platform.stop();
  });
  await register(page);
  const made = await createSignalRobot(page);

  // No key yet: the start dialog sends the user to add one.
  const option = page.locator('select[name="follow"] option', { hasText: NAME });
  await until(async () => (await option.count()) === 1, 'the signal robot among the robots to follow');
  assert.match(await option.innerText(), /^Signal: Alerts <b>1<\/b> & "co" — Binance USD-M Futures BTCUSDT$/);
  await page.locator('select[name="follow"]').selectOption(await option.getAttribute('value'));
  await page.getByRole('button', { name: 'Follow…' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('link', { name: 'ADD NEW KEY +' }).click();
  await page.waitForURL('**/profile/keys/new');
  assert.equal(await page.getByRole('dialog').count(), 0, 'the dialog closes with the link');
  const key = await platform.createKey('binance_futures', { balances: { USDT: '100000' } });
  await submitKey(page, { exchange: 'binance_futures', key: key.key, secret: key.secret, name: 'Main futures' });
  assert.equal(await waitForResult(page), 'enabled');

  // The start dialog: the account, no start without the risk confirmation, the market minimum from the API.
  await nav(page, 'Robots').click();
  await until(async () => (await option.count()) === 1, 'the robots to follow');
  await page.locator('select[name="follow"]').selectOption(await option.getAttribute('value'));
  await page.getByRole('button', { name: 'Follow…' }).click();
  assert.match(await dialog.getByLabel('Account').locator('option:checked').innerText(), /^Main futures/);
  const leverage = dialog.getByLabel('Leverage');
  await until(async () => leverage.isVisible(), 'the leverage asked on futures');
  assert.equal(await leverage.inputValue(), '', 'not known before the first start');
  await dialog.getByLabel('Volume type').selectOption('quote_fixed');
  await dialog.getByLabel('Volume', { exact: true }).fill('0.01');
  await dialog.getByRole('button', { name: 'Start robot' }).click();
  await dialog.getByText('Tick the risk confirmation to start the robot.').waitFor();
  await dialog.getByRole('checkbox').check();
  await dialog.getByRole('button', { name: 'Start robot' }).click();
  await dialog.locator('.field__error', { hasText: /minimum/ }).waitFor();
  assert.equal((await (await context.request.get('/api/v1/user-robots')).json()).user_robots.length, 0, 'nothing written');
  await dialog.getByLabel('Volume', { exact: true }).fill('200');
  await leverage.fill('5');
  await dialog.getByRole('button', { name: 'Start robot' }).click();
  await dialog.waitFor({ state: 'detached' });
  await until(async () => (await cell(page, 'status').innerText()).startsWith('started'), 'the user robot started');
  assert.equal(await leverageOnVenue(platform.exsim, key), 5, 'set on the exchange');
  assert.equal(await cell(page, 'robot').innerText(), NAME);
  assert.equal(await cell(page, 'account').innerText(), 'Main futures');
  assert.equal(await cell(page, 'volume').innerText(), '200 quote');
  assert.equal(await cell(page, 'position').innerText(), 'none');

  // A signal at the webhook: the position appears without a reload (the events stream).
  assert.equal(await fire(platform, made, { id: 'w-1', action: 'long' }), 202);
  await until(async () => (await cell(page, 'position').innerText()).startsWith('long '), 'the long position on the page', 20000);
  await shot(page, 'my-robots-started');

  // The user robot's page: statistics, the open position and its order.
  await cell(page, 'robot').getByRole('link').click();
  await page.waitForURL(/\/user-robots\/\d+$/);
  await page.getByRole('heading', { name: NAME, level: 1 }).waitFor();
  await until(async () => (await page.locator('table.user-positions tbody tr').count()) === 1, 'one position');
  assert.equal(await page.locator('table.user-orders tbody tr').count(), 1);
  assert.equal(await page.locator('dd[data-key="Status"]').innerText(), 'started');
  assert.equal(await page.locator('dd[data-key="Leverage"]').innerText(), '5×');
  await page.goBack();

  // Stop with close: flat and stopped, an exit order; then delete.
  await myRow(page).first().getByRole('button', { name: /^Stop / }).click();
  await dialog.getByRole('button', { name: 'Close the position' }).click();
  await until(async () => (await cell(page, 'status').innerText()).startsWith('stopped') && (await cell(page, 'position').innerText()) === 'none', 'stopped and flat', 20000);
  const id = Number(await myRow(page).first().getAttribute('data-user-robot-id'));
  const orders = (await (await context.request.get(`/api/v1/user-robots/${id}/orders`)).json()).orders;
  assert.equal(orders.length, 2);
  assert.equal(orders[0].side, 'sell');
  await myRow(page).first().getByRole('button', { name: /^Delete / }).click();
  await dialog.getByRole('button', { name: 'Delete' }).click();
  await page.getByText('You follow no robot yet.').waitFor();

  // The account's open orders on the exchange: a stop-limit placed there by hand, in its real type, foreign.
  await placeStopLimitByHand(platform.exsim, key, { trigger: '55', limit: '54' });
  await nav(page, 'Profile').click();
  const card = page.locator('li.account', { hasText: 'Main futures' });
  await card.getByText('Open orders on the exchange').click();
  const order = card.locator('table.open-orders tbody tr');
  await until(async () => (await order.count()) === 1, 'the hand-placed order listed');
  assert.equal(await order.locator('[data-key="type"]').innerText(), 'Stop limit · trigger 55 · limit 54');
  assert.equal(await order.locator('[data-key="whose"]').innerText(), 'placed outside tradebridge');
  await shot(page, 'account-open-orders');
  assert.deepEqual(rec.pageErrors, []);
  assert.deepEqual(rec.csp, []);
});

test('a catalogue robot is followed from its page; a user robot paused by a revoked key says why and offers Resume', async (t) => {
  const platform = await startPlatform({ extraArgs: ['--trade-interval', '200'] });
  const { context, page, rec } = await openPage(browser, platform.url);
  t.after(async () => {
    await context.close();
    await platform.stop();
  });
  await register(page);
  const key = await platform.createKey('binance_futures', { balances: { USDT: '100000' } });
  await submitKey(page, { exchange: 'binance_futures', key: key.key, secret: key.secret, name: 'Futures' });
  assert.equal(await waitForResult(page), 'enabled');

  // From a catalogue robot's page: Follow this robot, the same dialog, then My Robots shows it.
  const { robots } = await (await context.request.get('/api/v1/robots?exchange=binance_futures')).json();
  const robot = robots[0];
  await page.goto(`/robots/${robot.id}`);
  await page.getByRole('button', { name: 'Follow this robot' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Volume', { exact: true }).fill('150');
  await dialog.getByRole('checkbox').check();
  await dialog.getByRole('button', { name: 'Start robot' }).click();
  await page.waitForURL('**/robots');
  const row = page.locator('table.my-robots tbody tr', { has: page.getByRole('link', { name: robot.name, exact: true }) });
  await until(async () => (await row.count()) === 1 && (await row.locator('[data-key="status"] .status').innerText()) === 'started', 'the catalogue robot started');

  // A signal robot on the same account; its key revoked on the exchange: the signal pauses it with the reason.
  const made = await createSignalRobot(page);
  const option = page.locator('select[name="follow"] option', { hasText: NAME });
  await until(async () => (await option.count()) === 1, 'the signal robot to follow');
  await page.locator('select[name="follow"]').selectOption(await option.getAttribute('value'));
  await page.getByRole('button', { name: 'Follow…' }).click();
  await dialog.getByLabel('Volume', { exact: true }).fill('200');
  await dialog.getByRole('checkbox').check();
  await dialog.getByRole('button', { name: 'Start robot' }).click();
  await dialog.waitFor({ state: 'detached' });
  const sig = page.locator('table.my-robots tbody tr', { has: page.getByRole('link', { name: NAME, exact: true }) });
  await until(async () => (await sig.count()) === 1 && (await sig.locator('[data-key="status"] .status').innerText()) === 'started', 'the signal robot started');
  await platform.deleteKey(key.key);
  assert.equal(await fire(platform, made, { id: 'after-revoke', action: 'long' }), 202);
  await until(async () => (await sig.locator('[data-key="status"] .status').innerText()) === 'paused', 'paused live', 20000);
  const id = Number(await sig.getAttribute('data-user-robot-id'));
  const { message } = await (await context.request.get(`/api/v1/user-robots/${id}`)).json();
  assert.ok(message.length > 0);
  await until(async () => (await sig.locator('[data-key="message"]').innerText()) === message, 'the reason on the page');
  await sig.getByRole('button', { name: /^Resume / }).waitFor();
  await sig.getByRole('button', { name: /^Stop / }).waitFor();
  await shot(page, 'my-robots-paused');
  assert.deepEqual(rec.pageErrors, []);
  assert.deepEqual(rec.csp, []);
});
