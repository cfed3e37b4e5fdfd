// `tradebridge exsim` as a process: the listening line, the page, the admin API, a clean stop on SIGTERM,
// keys that survive a restart with --state, keys from the CSPRNG without --seed, and the faults API. Uses the
// same helpers as the ccxt and e2e tests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { startExsim } from '../../compat/exsim.mjs';
import { startExsim as startExsimChild } from '../../support/child.mjs';

test('serves the page, the admin API and every venue on one port, and stops cleanly', async () => {
  const sim = await startExsim();
  try {
    assert.match(sim.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const page = await fetch(sim.url + '/');
    assert.equal(page.status, 200);
    assert.match(await page.text(), /Create API key/);
    const k = await sim.createKey({ venue: 'kraken', label: 'cli', permissions: { read: true, trade: true }, balances: { USD: '100' } });
    assert.equal(typeof k.key, 'string');
    assert.equal(typeof k.secret, 'string');
    assert.deepEqual(await sim.orders(k.key), []);
    for (const path of ['/fapi/v1/time', '/0/public/Time', '/v2/platform/status']) {
      const r = await fetch(sim.url + path);
      assert.equal(r.status, 200, path);
    }
    const missing = await fetch(sim.url + '/nowhere');
    assert.equal(missing.status, 404);
    const bad = await fetch(sim.url + '/exsim/v1/keys', { method: 'POST', body: '{"venue":"nasdaq"}' });
    assert.equal(bad.status, 400);
    assert.equal((await bad.json()).field, 'venue');
  } finally {
    assert.equal(await sim.stop(), 0);
  }
});

test('--state keeps keys across a restart', async () => {
  const state = join(mkdtempSync(join(tmpdir(), 'exsim-cli-')), 'state.json');
  const first = await startExsim(['--state', state]);
  const k = await first.createKey({ venue: 'binance_futures', label: 'kept', permissions: { trade: true, futures: true }, balances: { USDT: '5' } });
  assert.equal(await first.stop(), 0);
  assert.ok(existsSync(state));
  const second = await startExsim(['--state', state]);
  try {
    const { keys } = await (await fetch(second.url + '/exsim/v1/keys')).json();
    assert.deepEqual(keys.map((x) => [x.key, x.label]), [[k.key, 'kept']]);
  } finally {
    await second.stop();
  }
});

test('an unreadable state file stops the start with exit code 1', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'exsim-cli-'));
  const state = join(dir, 'state.json');
  (await import('node:fs')).writeFileSync(state, 'not json');
  const child = spawn(process.env.TB_BIN, ['exsim', '--port', '0', '--state', state], { stdio: ['ignore', 'pipe', 'pipe'] });
  const code = await new Promise((resolve) => child.once('exit', resolve));
  assert.equal(code, 1);
  assert.equal(readFileSync(state, 'utf8'), 'not json');
});

test('--candles replays a CSV as a market\'s prices', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'exsim-csv-'));
  const csv = join(dir, 'btc.csv');
  const rows = [];
  for (let i = 0; i < 5; i++) rows.push(`${1700000000000 + i * 60000},12345.6,12345.6,12345.6,12345.6,1`);
  writeFileSync(csv, rows.join('\n') + '\n');
  const sim = await startExsim(['--candles', `binance_futures:BTCUSDT=${csv}`]);
  try {
    const r = await (await fetch(sim.url + '/fapi/v1/ticker/price?symbol=BTCUSDT')).json();
    assert.equal(Number(r.price), 12345.6);
  } finally {
    await sim.stop();
  }
  const bad = spawn(process.env.TB_BIN, ['exsim', '--port', '0', '--candles', 'binance_futures:BTCUSDT'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  bad.stderr.on('data', (d) => { err += d; });
  const code = await new Promise((resolve) => bad.once('exit', resolve));
  assert.equal(code, 1);
  assert.match(err, /VENUE:SYMBOL=FILE/);
});

test('without --seed two simulators never hand out the same key; with the same --seed they do', async () => {
  const spec = { venue: 'binance_futures', permissions: { read: true } };
  const sims = await Promise.all([null, null, 3, 3].map((seed) => startExsimChild(process.env.TB_BIN, { seed })));
  try {
    const [a, b, s1, s2] = await Promise.all(sims.map((s) => s.createKey(spec)));
    assert.match(a.key, /^[A-Za-z0-9]{64}$/);
    assert.notEqual(a.key, b.key);
    assert.notEqual(a.secret, b.secret);
    assert.equal(s1.key, s2.key);
    assert.equal(s1.secret, s2.secret);
  } finally {
    await Promise.all(sims.map((s) => s.stop()));
  }
});

test('faults: an unknown endpoint is refused with the venue\'s names; the list says how often each fired', async () => {
  const sim = await startExsimChild(process.env.TB_BIN);
  try {
    const bad = await fetch(sim.url + '/exsim/v1/faults', {
      method: 'POST', body: JSON.stringify({ venue: 'kraken', endpoint: 'Addorder', kind: 'http_500' }),
    });
    assert.equal(bad.status, 400);
    const refusal = await bad.json();
    assert.equal(refusal.field, 'endpoint');
    for (const name of ['AddOrder', 'CancelOrder', 'OpenOrders', 'QueryOrders', 'ClosedOrders']) assert.ok(refusal.known_endpoints.includes(name), name);
    await sim.addFault({ venue: 'kraken', endpoint: 'Time', kind: 'http_500', count: 2 });
    const r = await fetch(sim.url + '/0/public/Time');
    assert.equal(r.status, 500);
    assert.deepEqual(await r.json(), { error: ['EGeneral:Internal error'] });
    assert.deepEqual(await sim.faults(), [{ id: 1, venue: 'kraken', endpoint: 'Time', kind: 'http_500', count: 2, remaining: 1, fired: 1, active: true }]);
  } finally {
    await sim.stop();
  }
});
