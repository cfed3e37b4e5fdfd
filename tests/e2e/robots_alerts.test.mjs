// A robot's stop alert is a signal the moment the venue's price crosses it, not when its candle closes:
// `serve` runs a breakout robot on 1m candles (entry stops at the channel's edges while flat, a trailing
// stop while in a position); the simulator's price is steered through the waiting stops, and the signal
// must be stored within a few passes of --robot-price-interval, in the candle that is still open, and the
// candle's close must not store it again.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { startExsim, startServe, runTb, tempDir, removeDir, sleep, waitFor } from './lib.mjs';

const sim = await startExsim();
const dir = tempDir('robot-alerts');
after(() => { sim.proc.stop(); removeDir(dir); });

const MINUTE = 60_000;
const since = new Date(Math.floor(Date.now() / MINUTE) * MINUTE - 2 * 3_600_000).toISOString().replace('.000Z', 'Z');

function robots(args) {
  const r = runTb(['robots', ...args, '--data-dir', dir]);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout;
}
const signals = () => JSON.parse(robots(['signals', 'watcher']));
const key = (s) => `${s.action} ${s.order_type} ${s.price} ${s.candle_time}`;

async function lastPrice() {
  const r = await fetch(`${sim.url}/fapi/v1/ticker/price?symbol=BTCUSDT`);
  return Number((await r.json()).price);
}
async function steer(price) {
  const r = await fetch(`${sim.url}/exsim/v1/prices`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ venue: 'binance_futures', symbol: 'BTCUSDT', price: price.toFixed(1) }),
  });
  assert.equal(r.status, 200, await r.text());
}

// Steers the price to `price` and waits a few passes for a new stop signal; null when none came.
async function crossWith(price, before) {
  await steer(price);
  const until = Date.now() + 4_000;
  while (Date.now() < until) {
    const now = signals();
    if (now.length > before) return { fresh: now.slice(before), seenAt: Date.now() };
    await sleep(250);
  }
  return null;
}

test('a stop the ticker crosses is stored at once, in its open candle, and once', async () => {
  const added = runTb(['robots', 'add', '--name', 'watcher', '--strategy', 'breakout', '--params',
    '{"channel":2,"adx_period":2,"atr_period":2,"adx_min":0,"trail_atr":0.5}', '--venue', 'binance_futures',
    '--symbol', 'BTCUSDT', '--timeframe', '1m', '--since', since, '--data-dir', dir]);
  assert.equal(added.code, 0, added.stderr);
  for (const r of JSON.parse(robots(['list', '--json']))) if (r.name !== 'watcher') robots(['pause', String(r.id)]);

  const srv = await startServe({ dataDir: dir, exsimUrl: sim.url, extraArgs: ['--robot-price-interval', '1'] });
  try {
    await sleep(3_000);  // 120 candles caught up
    // Enough of the minute left that the crossing and its check happen in the same candle.
    if (Date.now() % MINUTE > 40_000) await sleep(MINUTE - (Date.now() % MINUTE) + 3_000);
    const before = signals().length;
    const price = await lastPrice();
    // Flat: the entry stops wait at the channel's edges; long: the trailing stop below; short: above.
    const got = (await crossWith(price * 1.5, before)) ?? (await crossWith(price * 0.5, before));
    assert.ok(got, `no signal within 4 s of the price crossing (${before} before)`);
    const minute = Math.floor(got.seenAt / MINUTE) * MINUTE;
    for (const s of got.fresh) {
      assert.equal(s.order_type, 'stop', JSON.stringify(s));
      assert.equal(Date.parse(s.candle_time), minute, `stored in its open candle: ${JSON.stringify(s)}`);
    }
    // The candle closes with the crossing inside its range: nothing of it stored twice.
    await waitFor(() => Date.now() > minute + MINUTE + 3_000, { ms: 70_000, every: 500, what: 'the candle closed' });
    const all = signals();
    all.forEach((s, i) => assert.equal(s.seq, i + 1));
    for (const s of got.fresh) assert.equal(all.filter((t) => key(t) === key(s)).length, 1, key(s));
    const ofCandle = all.filter((s) => Date.parse(s.candle_time) === minute);
    assert.equal(ofCandle.length, new Set(ofCandle.map(key)).size, `no signal twice: ${JSON.stringify(ofCandle)}`);
  } finally {
    await srv.stop();
  }
});
