// Browser-test helpers: `tradebridge serve` with its in-process exchange simulator on loopback (one data dir
// per test), Debian's chromium driven by playwright-core, a recorder of every network answer and CSP report,
// and the user's steps (register, sign in, add a key) in the words the page shows.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { mkdtemp, rm, mkdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
export const WEB_DIR = process.env.TB_WEB_DIR ?? resolve(here, '../../web');
export const SCREENSHOTS = join(here, 'screenshots');
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
export const PASSWORD = 'correct horse battery staple';

// Keys the simulator makes: the permissions a good key has on each venue, and starting balances.
export const VENUES = {
  binance_futures: {
    name: 'Binance USD-M Futures',
    permissions: { read: true, trade: true, futures: true, withdraw: false },
    balances: { USDT: '12500' },
  },
  kraken: {
    name: 'Kraken',
    permissions: { read: true, trade: true, futures: false, withdraw: false },
    balances: { USD: '5000', XBT: '0.5' },
  },
  bitfinex: {
    name: 'Bitfinex',
    permissions: { read: true, trade: true, futures: false, withdraw: false },
    balances: { USD: '8000', ETH: '2' },
  },
};

// Starts serve + exsim. options.latencyMs slows every simulated venue answer (to watch a key test live).
export async function startPlatform({ latencyMs = 0, extraArgs = [] } = {}) {
  const bin = process.env.TB_BIN;
  if (!bin) throw new Error('TB_BIN must point at the tradebridge binary');
  if (!existsSync(join(WEB_DIR, 'index.html'))) throw new Error(`no web app at ${WEB_DIR}`);
  const dataDir = await mkdtemp(join(tmpdir(), 'tb-web-'));
  const args = ['serve', '--listen', '127.0.0.1:0', '--data-dir', dataDir, '--web-dir', WEB_DIR, '--with-exsim=0',
    '--password-cost', 'fast', '--register-limit', '0', ...(latencyMs ? ['--exsim-latency-ms', String(latencyMs)] : []), ...extraArgs];
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  const lines = createInterface({ input: child.stdout });
  const first = await new Promise((resolveFirst, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start within 20 s\n${stderr}`)), 20000);
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}\n${stderr}`)));
    lines.once('line', (line) => {
      clearTimeout(timer);
      resolveFirst(JSON.parse(line));
    });
  });
  async function admin(method, path, body) {
    const r = await fetch(first.exsim + path, {
      method, headers: body ? { 'Content-Type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined,
    });
    const text = await r.text();
    if (!r.ok) throw new Error(`${method} ${path}: HTTP ${r.status} ${text}`);
    return text ? JSON.parse(text) : null;
  }
  return {
    url: first.listening,
    exsim: first.exsim,
    dataDir,
    // A key of the simulator: good by default; override permissions, balances or the IP whitelist.
    createKey: (venue, { permissions, balances, ip_whitelist = [] } = {}) => admin('POST', '/exsim/v1/keys', {
      venue,
      label: 'web test',
      permissions: { ...VENUES[venue].permissions, ...permissions },
      balances: balances ?? VENUES[venue].balances,
      ip_whitelist,
    }),
    simKeys: async () => (await admin('GET', '/exsim/v1/keys')).keys,
    /** Deletes a key on the simulator, as a user revoking it on the exchange would. */
    deleteKey: (key) => admin('DELETE', `/exsim/v1/keys/${encodeURIComponent(key)}`),
    addFault: (fault) => admin('POST', '/exsim/v1/faults', fault),
    clearFaults: () => admin('DELETE', '/exsim/v1/faults'),
    async stop() {
      if (child.exitCode === null) {
        await new Promise((r) => {
          child.once('exit', r);
          child.kill('SIGTERM');
        });
      }
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser() {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run scripts/setup.sh (it installs Debian's chromium)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
  });
}

export const DESKTOP = { width: 1280, height: 860 };
export const PHONE = { width: 390, height: 844 };

// A fresh browser context (its own cookies and storage) with a recorder of what the page received.
export async function openPage(browser, baseURL, { viewport = DESKTOP, isMobile = false } = {}) {
  const context = await browser.newContext({ baseURL, viewport, isMobile, hasTouch: isMobile, deviceScaleFactor: 1 });
  const page = await context.newPage();
  page.setDefaultTimeout(15000);
  const rec = { responses: [], pending: [], csp: [], pageErrors: [], requests: [] };
  page.on('request', (r) => rec.requests.push({ method: r.method(), url: r.url(), postData: r.postData() }));
  page.on('response', (r) => {
    const type = r.headers()['content-type'] ?? '';
    if (type.includes('text/event-stream')) return; // read from its own connection by watchEvents()
    rec.pending.push(r.text().then((body) => rec.responses.push({ url: r.url(), status: r.status(), headers: r.headers(), body }), () => {}));
  });
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to (load|execute|apply)/i.test(m.text())) rec.csp.push(m.text());
  });
  page.on('pageerror', (e) => rec.pageErrors.push(String(e)));
  return { context, page, rec };
}

// Every answer recorded so far, bodies read in full.
export async function responses(rec) {
  await Promise.all(rec.pending);
  return rec.responses;
}

export async function shot(page, name, { fullPage = true } = {}) {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage });
}

let counter = 0;
export function uniqueEmail(tag = 'user') {
  counter += 1;
  return `${tag}-${process.pid}-${counter}@example.com`;
}

export async function register(page, email = uniqueEmail(), password = PASSWORD) {
  await page.goto('/register');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL('**/profile');
  await page.getByRole('heading', { name: 'My Exchange API Keys' }).waitFor();
  return { email, password };
}

export async function signIn(page, email, password = PASSWORD) {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

// A link of the main navigation: Portfolio, Robots, Profile.
export function nav(page, name) {
  return page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true });
}

// From Profile: ADD NEW KEY +, fill the form, submit. The progress panel then follows the key test.
export async function submitKey(page, { exchange, key, secret, name }) {
  if (!page.url().endsWith('/profile/keys/new')) {
    if (!page.url().endsWith('/profile')) await nav(page, 'Profile').click();
    await page.getByRole('link', { name: 'ADD NEW KEY +' }).click();
  }
  await page.getByLabel('Exchange', { exact: true }).selectOption(exchange);
  if (name !== undefined) await page.getByLabel('Name (optional)').fill(name);
  await page.getByLabel('API Key (Public Key)').fill(key);
  await page.getByLabel('API Secret (Private Key)').fill(secret);
  await page.getByRole('button', { name: 'Add and test key' }).click();
  await page.locator('section.progress').waitFor();
}

// The key test's outcome in the progress panel: "enabled" or "invalid".
export async function waitForResult(page, timeout = 20000) {
  const done = page.locator('section.progress[data-status="enabled"], section.progress[data-status="invalid"]');
  await done.waitFor({ timeout });
  return done.getAttribute('data-status');
}

// The step states the page shows now: {permissions: "ok", balances: "running", ...}.
export async function stepStates(scope) {
  const items = await scope.locator('.step').evaluateAll((els) => els.map((e) => [e.dataset.step, e.dataset.state]));
  return Object.fromEntries(items);
}

// The card of one account in My Exchange API Keys.
export function card(page, name) {
  return page.locator('li.account').filter({ has: page.getByRole('heading', { name, exact: true }) });
}

// Waits until fn() is truthy (polling), or fails with `what`.
export async function until(fn, what, timeout = 15000) {
  const end = Date.now() + timeout;
  let last;
  while (Date.now() < end) {
    last = await fn();
    if (last) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

// Reads GET /api/v1/events with the page's session cookie, from node: everything the stream carried.
export async function watchEvents(baseURL, context) {
  const cookies = await context.cookies(baseURL);
  const cookie = cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  const controller = new AbortController();
  const res = await fetch(`${baseURL}/api/v1/events`, { headers: { Cookie: cookie }, signal: controller.signal });
  let text = '';
  const reading = (async () => {
    const decoder = new TextDecoder();
    try {
      for await (const chunk of res.body) text += decoder.decode(chunk, { stream: true });
    } catch {
      // aborted
    }
  })();
  return {
    text: () => text,
    async stop() {
      controller.abort();
      await reading;
      return text;
    },
  };
}
