// Portfolio in Chromium: the balances the simulator holds, per account and in total, the chart of the total;
// phone-sized screens; the Robots page; and the Link Telegram box when the server offers it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startPlatform, launchBrowser, openPage, register, nav, shot, until, PHONE, VENUES, submitKey, waitForResult,
} from './browser.mjs';

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

// Adds a key through the API with the page's own session (the form is tested in keys.test.mjs) and waits
// until it is ready.
async function addReadyKey(context, platform, venue, options) {
  const me = await (await context.request.get('/api/v1/me')).json();
  const key = await platform.createKey(venue, options);
  const r = await context.request.post('/api/v1/exchange-accounts', {
    data: { exchange: venue, key: key.key, secret: key.secret },
    headers: { 'X-CSRF-Token': me.csrf_token },
  });
  assert.equal(r.status(), 202);
  const { id } = await r.json();
  await until(async () => (await (await context.request.get(`/api/v1/exchange-accounts/${id}`)).json()).status === 'enabled', `${venue} ready`);
  return { id, key: key.key };
}

// The simulator's names of assets, as tradebridge reports them.
const UNIFIED = { XBT: 'BTC', XXBT: 'BTC', ZUSD: 'USD', UST: 'USDT' };

test('portfolio shows the balances the simulator holds, per account and in total, with a chart', async (t) => {
  const { platform, context, page, rec } = await setup(t);
  await register(page);
  const added = {};
  for (const venue of Object.keys(VENUES)) added[venue] = await addReadyKey(context, platform, venue);
  await nav(page, 'Portfolio').click();
  await page.locator('article.holding').nth(2).waitFor();

  const held = await platform.simKeys();
  const api = await (await context.request.get('/api/v1/portfolio')).json();
  for (const [venue, { id, key }] of Object.entries(added)) {
    const sim = held.find((k) => k.key === key);
    const article = page.locator(`article.holding[data-account-id="${id}"]`);
    assert.match(await article.innerText(), new RegExp(VENUES[venue].name.replace(/[.]/g, '\\.')));
    for (const [asset, total] of Object.entries(sim.balances)) {
      const name = UNIFIED[asset] ?? asset;
      const row = article.locator(`tr[data-asset="${name}"]`);
      assert.equal(await row.count(), 1, `${venue}: a row for ${name}`);
      const cells = await row.locator('td').allInnerTexts();
      assert.equal(Number(cells[0]), Number(total), `${venue} ${name}: total as the simulator holds it`);
      assert.equal(Number(cells[1]), Number(total), `${venue} ${name}: all free (the test order was cancelled)`);
      assert.equal(Number(cells[2]), 0, `${venue} ${name}: nothing in orders`);
    }
    const account = api.accounts.find((a) => a.id === id);
    const shown = await article.locator('.holding__total').innerText();
    assert.equal(Number(shown.replace(/[$,]/g, '')), Math.round(Number(account.usd_total) * 100) / 100, `${venue}: USD total`);
  }
  const total = await page.locator('#portfolio-total').innerText();
  assert.equal(Number(total.replace(/[$,]/g, '')), Math.round(Number(api.usd_total) * 100) / 100, 'the total in USD');
  const sum = api.accounts.reduce((s, a) => s + Number(a.usd_total), 0);
  assert.ok(Math.abs(sum - Number(api.usd_total)) < 0.01, 'the total is the sum of the accounts');

  // The chart: uPlot draws the history of the total; the same numbers are there as a table.
  await page.locator('.chart canvas').waitFor();
  assert.match(await page.locator('.chart').getAttribute('aria-label'), /^Total in USD over the last 7 days/);
  await page.getByText('Show as a table').click();
  const last = await page.locator('.chart__table tbody tr').last().locator('td').nth(1).innerText();
  assert.equal(Number(last.replace(/[$,]/g, '')), Math.round(Number(api.usd_total) * 100) / 100);
  await page.getByText('Show as a table').click();
  await page.getByRole('button', { name: '30 days' }).click();
  await until(async () => /over the last 30 days/.test(await page.locator('.chart').getAttribute('aria-label') ?? ''), 'the 30-day chart');
  await page.getByRole('button', { name: '7 days' }).click();
  await until(async () => /over the last 7 days/.test(await page.locator('.chart').getAttribute('aria-label') ?? ''), 'the 7-day chart');
  await page.locator('.chart canvas').waitFor();
  await shot(page, 'portfolio');

  // Robots lists the accounts ready for it.
  await nav(page, 'Robots').click();
  await page.getByText('Ready for automated trading:').waitFor();
  for (const v of Object.values(VENUES)) assert.match(await page.locator('.ready').innerText(), new RegExp(v.name.replace(/[.]/g, '\\.')));
  await shot(page, 'robots');
  assert.deepEqual(rec.csp, []);
  assert.deepEqual(rec.pageErrors, []);
});

test('phone-sized screen: every page fits, navigation and forms stay usable', async (t) => {
  const { platform, context, page, rec } = await setup(t, { viewport: PHONE, isMobile: true });
  await page.goto('/signin');
  await page.getByRole('heading', { name: 'Sign in', level: 1 }).waitFor();
  await shot(page, 'phone-sign-in');
  await register(page);
  await addReadyKey(context, platform, 'binance_futures');
  const fits = () => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1);
  const smallTargets = () => page.evaluate(() => [...document.querySelectorAll('main button, main a.btn, nav a, nav button, main input, main select')]
    .filter((e) => e.offsetParent !== null)
    .filter((e) => e.getBoundingClientRect().height < 36)
    .map((e) => e.textContent.trim() || e.name));

  await page.reload();
  await page.locator('li.account[data-status="enabled"]').waitFor();
  assert.ok(await fits(), 'Profile fits the width');
  assert.deepEqual(await smallTargets(), [], 'Profile: touch targets are large enough');
  await shot(page, 'phone-profile');

  await page.getByRole('link', { name: 'ADD NEW KEY +' }).click();
  await page.getByLabel('API Key (Public Key)').waitFor();
  assert.ok(await fits(), 'the form fits the width');
  assert.deepEqual(await smallTargets(), []);
  const kraken = await platform.createKey('kraken');
  await submitKey(page, { exchange: 'kraken', key: kraken.key, secret: kraken.secret });
  assert.equal(await waitForResult(page), 'enabled');
  assert.ok(await fits(), 'the key test fits the width');
  await shot(page, 'phone-key-ready');

  await nav(page, 'Portfolio').click();
  await page.locator('.chart canvas').waitFor();
  assert.ok(await fits(), 'Portfolio fits the width');
  const canvasWidth = await page.locator('.chart canvas').evaluate((c) => c.getBoundingClientRect().width);
  assert.ok(canvasWidth <= PHONE.width, `the chart fits (${canvasWidth}px)`);
  await shot(page, 'phone-portfolio');
  for (const name of ['Portfolio', 'Robots', 'Profile']) assert.ok(await nav(page, name).isVisible(), `${name} in the navigation`);
  assert.deepEqual(rec.csp, []);
  assert.deepEqual(rec.pageErrors, []);
});

test('Link Telegram: hidden while the server has no such route, a code when it has', async (t) => {
  const { page, rec } = await setup(t);
  await register(page);
  await page.getByRole('heading', { name: 'Recent activity' }).waitFor();
  const box = page.locator('#telegram');
  const openapi = await (await page.request.get('/api/openapi.json')).json();
  if (!openapi.paths['/api/v1/telegram/link-code']) {
    await page.waitForLoadState('networkidle');
    assert.equal(await box.isVisible(), false, 'no box without the route');
  }
  // The server of the Telegram work, as the page will meet it: the route listed, a code answered.
  await page.route('**/api/openapi.json', async (route) => {
    const doc = await (await route.fetch()).json();
    doc.paths['/api/v1/telegram/link-code'] = { post: { summary: 'a linking code' } };
    await route.fulfill({ json: doc });
  });
  let csrf = null;
  await page.route('**/api/v1/telegram/link-code', (route) => {
    csrf = route.request().headers()['x-csrf-token'];
    return route.fulfill({ status: 201, json: { code: 'K7Q2-9XWD', expires_at: new Date(Date.now() + 600000).toISOString(), bot_username: 'tradebridge_bot' } });
  });
  await page.reload();
  await box.waitFor();
  await box.getByRole('button', { name: 'Get a linking code' }).click();
  await box.getByText('K7Q2-9XWD', { exact: true }).waitFor();
  assert.ok(csrf && csrf.length > 10, 'the request carried the CSRF token');
  const link = box.getByRole('link', { name: '@tradebridge_bot' });
  assert.equal(await link.getAttribute('href'), 'https://t.me/tradebridge_bot?start=K7Q2-9XWD');
  assert.match(await box.innerText(), /expires in/);
  await shot(page, 'profile-telegram');
  // A server that answers 404 after all: the box goes away.
  await page.unroute('**/api/v1/telegram/link-code');
  await page.route('**/api/v1/telegram/link-code', (route) => route.fulfill({ status: 404, json: { error: { code: 'not_found', message: 'no route' } } }));
  await box.getByRole('button', { name: 'Get a linking code' }).click();
  await box.waitFor({ state: 'hidden' });
  assert.deepEqual(rec.csp, []);
  assert.deepEqual(rec.pageErrors, []);
});
