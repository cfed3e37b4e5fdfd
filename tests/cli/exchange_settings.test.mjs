// `tradebridge exchange binance_futures position-mode|leverage|margin-type` against a started `tradebridge
// exsim` on loopback: each reads, or sets and answers the settings in effect (issue 16 part 4).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startExsim } from '../compat/exsim.mjs';

const BIN = process.env.TB_BIN;
let sim;
let key;

function exchange(action, params = {}) {
  const args = ['exchange', 'binance_futures', action, '--key', key.key, '--secret', key.secret, '--base-url', sim.url];
  for (const [k, v] of Object.entries(params)) args.push('--param', `${k}=${v}`);
  const r = spawnSync(BIN, args, { encoding: 'utf8' });
  return { status: r.status, out: r.stdout ? JSON.parse(r.stdout) : null, err: r.stderr ? JSON.parse(r.stderr) : null };
}

before(async () => {
  sim = await startExsim();
  key = await sim.createKey({
    venue: 'binance_futures', label: 'settings', permissions: { read: true, trade: true, futures: true, withdraw: false },
    ip_whitelist: [], balances: { USDT: '10000' },
  });
});
after(async () => { await sim.stop(); });

test('position-mode reads one_way on a new account', () => {
  const r = exchange('position-mode');
  assert.equal(r.status, 0, JSON.stringify(r.err));
  assert.deepEqual(r.out, { position_mode: 'one_way' });
});

test('leverage reads, sets, and refuses what the venue refuses', () => {
  let r = exchange('leverage', { symbol: 'BTCUSDT' });
  assert.equal(r.status, 0, JSON.stringify(r.err));
  assert.equal(r.out.leverage, 10);
  assert.equal(r.out.margin_type, 'cross');
  r = exchange('leverage', { symbol: 'BTCUSDT', leverage: '25' });
  assert.equal(r.status, 0, JSON.stringify(r.err));
  assert.equal(r.out.leverage, 25);
  assert.equal(exchange('leverage', { symbol: 'BTCUSDT' }).out.leverage, 25);
  r = exchange('leverage', { symbol: 'BTCUSDT', leverage: 'ten' });
  assert.equal(r.status, 2);
});

test('margin-type sets isolated, and asking again is no error', () => {
  let r = exchange('margin-type', { symbol: 'ETHUSDT', margin_type: 'isolated' });
  assert.equal(r.status, 0, JSON.stringify(r.err));
  assert.equal(r.out.margin_type, 'isolated');
  r = exchange('margin-type', { symbol: 'ETHUSDT', margin_type: 'isolated' });  // the venue answers -4046
  assert.equal(r.status, 0, JSON.stringify(r.err));
  assert.equal(r.out.margin_type, 'isolated');
});
