// `tradebridge exsim` as a process: the listening line, the page, the admin API, a clean stop on SIGTERM,
// and keys that survive a restart with --state. Uses the same helper as the ccxt tests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { startExsim } from '../../compat/exsim.mjs';

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
