// Robots in Chromium, against `tradebridge serve` whose simulator feeds the seeded catalogue its candles: the
// catalogue fills with statistics, filters by exchange and timeframe (the API's filters), sorts by a column
// (checked against the numbers shown), and a robot's page draws its candles with every trade marked, the
// statistics of all, long and short trades as the API computed them, the equity curve and the trades.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startPlatform, launchBrowser, openPage, register, nav, shot, until, PHONE } from './browser.mjs';

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

const apiGet = async (context, path) => {
  const r = await context.request.get(path);
  assert.equal(r.status(), 200, `${path}: ${await r.text()}`);
  return r.json();
};

// Statistics as the page should show them, computed here from the API's values: money and ratios to 2
// decimals, percentages with "%", counts whole, bars to 1 decimal, "—" for none.
function expected(kind, value) {
  if (value === null || value === undefined) return '—';
  const f = (digits) => {
    const s = Number(value).toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
    return /^-0(\.0*)?$/.test(s) ? s.slice(1) : s;
  };
  if (kind === 'pct') return `${f(2)}%`;
  if (kind === 'count') return f(0);
  if (kind === 'bars') return f(1);
  return f(2);
}
const KINDS = {
  net_profit: 'money', net_profit_pct: 'pct', trades: 'count', wins: 'count', losses: 'count', win_rate: 'pct',
  gross_profit: 'money', gross_loss: 'money', profit_factor: 'ratio', avg_win: 'money', avg_loss: 'money',
  payoff_ratio: 'ratio', max_drawdown: 'money', max_drawdown_pct: 'pct', recovery_factor: 'ratio', sharpe: 'ratio',
  avg_bars_held: 'bars',
};
// A cell's text back to a number for the order checks; "—" is null.
const num = (text) => (text.trim() === '—' ? null : Number(text.replace(/[%,]/g, '')));

// Waits until most of the seeded robots have candles and some have closed trades.
async function waitForStatistics(context) {
  return until(async () => {
    const { robots } = await apiGet(context, '/api/v1/robots');
    const ready = robots.filter((r) => r.candles > 0);
    return robots.length >= 60 && ready.length >= 40 && robots.filter((r) => r.stats.all.trades > 0).length >= 10 ? robots : null;
  }, 'the robots to get candles and statistics', 120000);
}

// The rows of the catalogue as the page shows them: {id, key: text} per row.
function tableRows(page) {
  return page.locator('table.robots-table tbody tr').evaluateAll((rows) => rows.map((tr) => ({
    id: Number(tr.dataset.robotId),
    ...Object.fromEntries([...tr.querySelectorAll('[data-key]')].map((c) => [c.dataset.key, c.innerText.trim()])),
  })));
}

// Runs the checks until they pass, reloading the page after a failed round; the last failure if none passes.
async function settled(page, checks, rounds = 3) {
  for (let i = 1; ; i += 1) {
    try {
      return await checks();
    } catch (e) {
      if (i >= rounds) throw e;
      await page.reload();
      await page.locator('svg.candles').waitFor();
    }
  }
}

function assertOrdered(values, dir, what) {
  const present = values.filter((v) => v !== null);
  assert.deepEqual(values.slice(0, present.length), present, `${what}: robots without a value come last`);
  for (let i = 1; i < present.length; i += 1) {
    assert.ok(dir === 'desc' ? present[i - 1] >= present[i] : present[i - 1] <= present[i], `${what} ${dir}: ${present[i - 1]} then ${present[i]}`);
  }
}

test('the catalogue fills with statistics, filters by exchange and timeframe, and sorts by a column', async (t) => {
  const { context, page, rec } = await setup(t, { viewport: { width: 1400, height: 900 } });
  await register(page);
  await nav(page, 'Robots').click();
  await page.getByRole('heading', { name: 'Robots', level: 1 }).waitFor();
  const all = await waitForStatistics(context);
  await page.reload();
  await until(async () => (await tableRows(page)).length === all.length, 'every robot in the table');
  assert.match(await page.locator('.robots-count').innerText(), new RegExp(`^${all.length} robots\\.`));

  // Every robot's net profit and trades as the API has them (read again if a candle closed in between).
  await until(async () => {
    const api = (await apiGet(context, '/api/v1/robots')).robots;
    const rows = await tableRows(page);
    return api.every((r) => {
      const row = rows.find((x) => x.id === r.id);
      return row && row.net_profit === expected('money', r.stats.all.net_profit) && row.trades === expected('count', r.stats.all.trades)
        && row.sharpe === expected('ratio', r.stats.all.sharpe) && row.timeframe === r.timeframe && row.symbol === r.symbol;
    });
  }, 'the table to show the API\'s statistics', 40000);

  // The robots holding a position say so.
  await until(async () => {
    const api = (await apiGet(context, '/api/v1/robots')).robots;
    const badges = await page.locator('table.robots-table tbody tr').evaluateAll((rows) => rows.map((tr) => [Number(tr.dataset.robotId), tr.querySelector('.pos-badge')?.textContent ?? null]));
    return api.some((r) => r.open_position) && api.every((r) => {
      const b = badges.find(([id]) => id === r.id);
      return b && b[1] === (r.open_position ? `${r.open_position.side} open` : null);
    });
  }, 'a badge on each robot with an open position', 40000);

  // Each row links to its robot; the seeded robots go by their strategy (the other columns say the rest).
  const links = await page.locator('table.robots-table tbody tr').evaluateAll((rows) => rows.map((tr) => {
    const a = tr.querySelector('a.robot-link');
    return { id: Number(tr.dataset.robotId), href: a.getAttribute('href'), text: a.textContent, title: a.title };
  }));
  for (const l of links) {
    const r = all.find((x) => x.id === l.id);
    assert.deepEqual([l.href, l.text, l.title], [`/robots/${r.id}`, r.strategy, r.name]);
  }

  // The choices of each filter come from the robots and the strategies.
  const exchangeIds = await page.locator('select[data-filter="exchange"] option').evaluateAll((os) => os.map((o) => o.value));
  assert.deepEqual(exchangeIds.slice(1).sort(), [...new Set(all.map((r) => r.exchange))].sort());
  const strategies = (await apiGet(context, '/api/v1/strategies')).strategies.map((s) => s.id);
  const strategyIds = await page.locator('select[data-filter="strategy"] option').evaluateAll((os) => os.map((o) => o.value));
  assert.deepEqual(strategyIds.slice(1).sort(), [...strategies].sort());

  // Filter: one exchange, then the 4h timeframe; the page asks the API with both.
  const exchange = exchangeIds.includes('kraken') ? 'kraken' : exchangeIds[1];
  await page.getByLabel('Exchange', { exact: true }).selectOption(exchange);
  await page.getByLabel('Timeframe', { exact: true }).selectOption('4h');
  const wanted = all.filter((r) => r.exchange === exchange && r.timeframe === '4h');
  assert.ok(wanted.length >= 5, `${wanted.length} robots on ${exchange} 4h`);
  await until(async () => (await tableRows(page)).length === wanted.length, `${wanted.length} rows for ${exchange} 4h`);
  const filtered = await tableRows(page);
  assert.deepEqual(filtered.map((r) => r.id).sort((a, b) => a - b), wanted.map((r) => r.id).sort((a, b) => a - b));
  for (const row of filtered) assert.equal(row.timeframe, '4h');
  assert.equal(new Set(filtered.map((r) => r.exchange)).size, 1, 'one exchange shown');
  assert.ok(rec.requests.some((r) => /\/api\/v1\/robots\?/.test(r.url) && new URL(r.url).searchParams.get('exchange') === exchange
    && new URL(r.url).searchParams.get('timeframe') === '4h'), 'the API was asked with both filters');
  assert.match(page.url(), new RegExp(`exchange=${exchange}.*timeframe=4h`));
  assert.match(await page.locator('.robots-count').innerText(), new RegExp(`^${wanted.length} robots match these filters`));
  // The markets offered are the chosen exchange's.
  const markets = await page.locator('select[data-filter="symbol"] option').evaluateAll((os) => os.map((o) => o.value));
  assert.deepEqual(markets.slice(1).sort(), [...new Set(all.filter((r) => r.exchange === exchange).map((r) => r.symbol))].sort());

  // Sort by Sharpe (largest first, then reversed), then by Trades; robots without a value stay last.
  const sharpe = page.locator('th button[data-sort="sharpe"]');
  await sharpe.click();
  assert.equal(await page.locator('th:has(button[data-sort="sharpe"])').getAttribute('aria-sort'), 'descending');
  assertOrdered((await tableRows(page)).map((r) => num(r.sharpe)), 'desc', 'Sharpe');
  // The focus stays on the header, so the keyboard reverses the order.
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.sort), 'sharpe');
  await page.keyboard.press('Enter');
  assert.equal(await page.locator('th:has(button[data-sort="sharpe"])').getAttribute('aria-sort'), 'ascending');
  assertOrdered((await tableRows(page)).map((r) => num(r.sharpe)), 'asc', 'Sharpe');
  assert.match(page.url(), /sort=sharpe&dir=asc/);
  await page.locator('th button[data-sort="trades"]').click();
  assert.equal(await page.locator('th:has(button[data-sort="sharpe"])').getAttribute('aria-sort'), 'none');
  assertOrdered((await tableRows(page)).map((r) => num(r.trades)), 'desc', 'Trades');
  await page.locator('th button[data-sort="net_profit"]').click();
  const byProfit = (await tableRows(page)).map((r) => num(r.net_profit));
  assertOrdered(byProfit, 'desc', 'Net profit');
  assert.ok(new Set(byProfit).size > 1, 'the robots differ in net profit');
  await shot(page, 'robots-catalogue');

  // The filters and the order survive a reload (they are in the address); Clear filters shows all again.
  await page.reload();
  await until(async () => (await tableRows(page)).length === wanted.length, 'the filtered rows after a reload');
  assert.equal(await page.getByLabel('Timeframe', { exact: true }).inputValue(), '4h');
  assert.equal(await page.locator('th:has(button[data-sort="net_profit"])').getAttribute('aria-sort'), 'descending');
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await until(async () => (await tableRows(page)).length === all.length, 'every robot again');

  // A market, then another exchange: the market of the first one goes, since it would match nothing.
  const market = all.find((r) => r.exchange === exchange).symbol;
  const other = exchangeIds.find((x) => x && x !== exchange && !all.some((r) => r.exchange === x && r.symbol === market));
  await page.getByLabel('Exchange', { exact: true }).selectOption(exchange);
  await page.getByLabel('Market', { exact: true }).selectOption(market);
  await until(async () => (await tableRows(page)).length === all.filter((r) => r.symbol === market && r.exchange === exchange).length, `the ${market} robots`);
  await page.getByLabel('Exchange', { exact: true }).selectOption(other);
  await until(async () => (await tableRows(page)).length === all.filter((r) => r.exchange === other).length, `every robot of ${other}`);
  assert.equal(await page.getByLabel('Market', { exact: true }).inputValue(), '');
  assert.ok(!new URL(page.url()).searchParams.has('symbol'), 'the market left the address');
  assert.deepEqual(rec.csp, []);
  assert.deepEqual(rec.pageErrors, []);
});

test('a robot\'s page: candles with its trades marked, statistics all/long/short, equity curve, trades', async (t) => {
  const { context, page, rec } = await setup(t);
  await register(page);
  const all = await waitForStatistics(context);
  // The robot with the most trades, preferably one with both sides.
  const chosen = [...all].sort((a, b) => (Math.min(b.stats.long.trades, b.stats.short.trades) > 0) - (Math.min(a.stats.long.trades, a.stats.short.trades) > 0)
    || b.stats.all.trades - a.stats.all.trades)[0];
  await page.goto(`/robots?exchange=${chosen.exchange}&timeframe=${chosen.timeframe}`);
  await page.locator(`tr[data-robot-id="${chosen.id}"] a`).click();
  await page.waitForURL(`**/robots/${chosen.id}`);
  await page.getByRole('heading', { name: chosen.name, level: 1 }).waitFor();
  await page.locator('svg.candles').waitFor();

  // Compared with the API's report of the same moment: if a candle closed in between, the page is read again.
  await settled(page, async () => {
    const report = await apiGet(context, `/api/v1/robots/${chosen.id}`);
    const { candles } = await apiGet(context, `/api/v1/robots/${chosen.id}/candles`);
    const svg = page.locator('svg.candles');
    assert.equal(Number(await svg.getAttribute('data-candles')), candles.length, 'a candle per candle of the API');
    // Every closed trade: an entry and an exit marker; the open position its own marker.
    assert.ok(report.trades.length > 0, 'the robot has trades');
    assert.equal(await svg.locator('g.trade').count(), report.trades.length, 'a mark per trade');
    assert.equal(await svg.locator('.marker--entry').count(), report.trades.length);
    assert.equal(await svg.locator('.marker--exit').count(), report.trades.length);
    assert.equal(await svg.locator('g.trade[data-side="long"]').count(), report.trades.filter((x) => x.side === 'long').length);
    assert.equal(await svg.locator('.marker--open').count(), report.open_position ? 1 : 0);
    const box = await svg.boundingBox();
    assert.ok(box.width > 600 && box.height > 200, `the chart has a size (${box.width}x${box.height})`);
    const bodies = await svg.locator('path.candle-body').evaluateAll((ps) => ps.map((p) => (p.getAttribute('d').match(/Z/g) ?? []).length));
    assert.equal(bodies.reduce((a, b) => a + b, 0), candles.length, 'a body per candle');
    const title = await svg.locator('.marker--entry title').first().textContent();
    assert.match(title, new RegExp(`^(Long|Short) entry .* at ${Number(report.trades[0].entry_price)}`));

    // The statistics table: each statistic of all, long and short trades as the API computed it.
    for (const [key, kind] of Object.entries(KINDS)) {
      for (const side of ['all', 'long', 'short']) {
        const cell = page.locator(`.stats-table tr[data-stat="${key}"] td[data-side="${side}"]`);
        assert.equal(await cell.innerText(), expected(kind, report.stats[side][key]), `${key} (${side})`);
      }
    }
    // The equity curve and the trades.
    const equity = page.locator('svg.equity');
    if (report.equity.length >= 2) assert.equal(Number(await equity.getAttribute('data-points')), report.equity.length);
    assert.equal(await page.locator('.trades-table tbody tr').count(), report.trades.length);
    if (report.open_position) {
      const note = await page.locator('.open-note').innerText();
      assert.match(note, new RegExp(`^Open ${report.open_position.side} position since .* at ${Number(report.open_position.entry_price)}, amount ${Number(report.open_position.amount)} `));
    } else {
      assert.equal(await page.locator('.open-note').count(), 0, 'no open position, no note');
    }
    for (const [name, value] of Object.entries(report.params)) {
      assert.equal(await page.locator(`.params__item[data-param="${name}"] dd .mono`).innerText(), String(value));
    }
  });

  // The last 120 candles only, with the trades among them; then all again.
  const svg = page.locator('svg.candles');
  const total = Number(await svg.getAttribute('data-candles'));
  const marked = await svg.locator('g.trade').count();
  await page.getByRole('button', { name: 'Last 120' }).click();
  await until(async () => Number(await page.locator('svg.candles').getAttribute('data-candles')) === Math.min(120, total), 'the last 120 candles');
  const { candles } = await apiGet(context, `/api/v1/robots/${chosen.id}/candles`);
  const { trades } = await apiGet(context, `/api/v1/robots/${chosen.id}/trades`);
  const first = Date.parse(candles[candles.length - Math.min(120, total)][0]);
  const inWindow = trades.filter((x) => Date.parse(x.entry_time) >= first).length;
  assert.ok(total <= 120 || inWindow < trades.length, 'the chosen robot traded before its last 120 candles');
  assert.equal(await page.locator('svg.candles g.trade').count(), inWindow, 'the trades within the last 120 candles');
  assert.equal(await page.getByRole('button', { name: 'Last 120' }).getAttribute('aria-pressed'), 'true');
  await page.getByRole('button', { name: 'All', exact: true }).click();
  await until(async () => Number(await page.locator('svg.candles').getAttribute('data-candles')) === total, 'every candle again');
  assert.equal(await page.locator('svg.candles g.trade').count(), marked);

  // Pointing at the chart reads the candle out.
  const box = await page.locator('svg.candles').boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  assert.match(await page.locator('.chart-readout').innerText(), /open .* high .* low .* close /);
  await shot(page, 'robot-page');

  await page.getByRole('link', { name: '← All robots' }).click();
  await page.locator('table.robots-table tbody tr').first().waitFor();
  await page.goto('/robots/987654');
  await page.getByRole('heading', { name: 'No such robot' }).waitFor();
  assert.deepEqual(rec.csp, []);
  assert.deepEqual(rec.pageErrors, []);
});

test('phone-sized screen: the catalogue and a robot\'s page fit the width', async (t) => {
  const { context, page, rec } = await setup(t, { viewport: PHONE, isMobile: true });
  await register(page);
  const all = await waitForStatistics(context);
  const fits = () => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1);
  await page.goto('/robots');
  await page.locator('table.robots-table tbody tr').first().waitFor();
  assert.ok(await fits(), 'the catalogue fits the width (its table scrolls inside)');
  await shot(page, 'phone-robots');
  const robot = all.find((r) => r.stats.all.trades > 0);
  await page.goto(`/robots/${robot.id}`);
  await page.locator('svg.candles').waitFor();
  assert.ok(await fits(), 'the robot page fits the width');
  const width = await page.locator('svg.candles').evaluate((s) => s.getBoundingClientRect().width);
  assert.ok(width <= PHONE.width, `the chart fits (${width}px)`);
  await shot(page, 'phone-robot');
  assert.deepEqual(rec.csp, []);
  assert.deepEqual(rec.pageErrors, []);
});

// The pages' helpers, loaded as the app loads them (same origin, under its CSP), on hand-made values.
test('helpers: sorting with missing values last, numbers for show, round ticks, the candle at a time', async (t) => {
  const { page, rec } = await setup(t);
  await page.goto('/signin');
  await page.getByRole('heading', { name: 'Sign in', level: 1 }).waitFor();
  const got = await page.evaluate(async () => {
    const table = await import('/js/components/robot-table.js');
    const format = await import('/js/format.js');
    const svg = await import('/js/components/svg.js');
    const chart = await import('/js/components/candle-chart.js');
    const robot = (id, sharpe, timeframe = '1h') => ({ id, name: `r${id}`, timeframe, stats: { all: { sharpe } } });
    const robots = [robot(1, 0.5), robot(2, null), robot(3, -1.25), robot(4, 2), robot(5, 0.5, '4h'), robot(6, null, '15m')];
    const columns = table.robotColumns((id) => id);
    const sharpe = columns.find((c) => c.key === 'sharpe');
    const timeframe = columns.find((c) => c.key === 'timeframe');
    const candles = [0, 3600, 7200, 10800].map((s) => ({ time: s * 1000, open: 1, high: 2, low: 0.5, close: 1.5 }));
    return {
      desc: table.sortRobots(robots, sharpe, 'desc').map((r) => r.id),
      asc: table.sortRobots(robots, sharpe, 'asc').map((r) => r.id),
      timeframes: table.sortRobots(robots, timeframe, 'asc').map((r) => r.timeframe),
      fixed: [format.fixed('1234.5'), format.fixed('-0.001'), format.fixed(null), format.fixed('x'), format.fixed(2.345, 1), format.fixed('-98765.4321', 0)],
      percent: [format.percent(12.3456), format.percent(null)],
      ticks: [svg.niceTicks(0, 97, 5), svg.niceTicks(59012.5, 60011.2, 4), svg.niceTicks(0.00123, 0.00187, 3)],
      at: [-1, 0, 3599999, 3600000, 99999999].map((ms) => chart.candleAt(candles, ms)),
    };
  });
  assert.deepEqual(got.desc, [4, 1, 5, 3, 2, 6], 'largest first, ties by id, none last');
  assert.deepEqual(got.asc, [3, 1, 5, 4, 2, 6], 'smallest first, none still last');
  assert.deepEqual(got.timeframes, ['15m', '1h', '1h', '1h', '1h', '4h'], 'timeframes by their length');
  assert.deepEqual(got.fixed, ['1,234.50', '0.00', '—', '—', '2.3', '-98,765']);
  assert.deepEqual(got.percent, ['12.35%', '—']);
  assert.deepEqual(got.ticks[0], { values: [0, 20, 40, 60, 80], digits: 0 });
  assert.deepEqual(got.ticks[1], { values: [59250, 59500, 59750, 60000], digits: 0 });
  assert.deepEqual(got.ticks[2], { values: [0.00125, 0.0015, 0.00175], digits: 5 });
  assert.deepEqual(got.at, [-1, 0, 0, 1, 3]);
  assert.deepEqual(rec.pageErrors, []);
});
