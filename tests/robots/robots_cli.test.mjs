// `tradebridge robots ...` from outside, on a data directory: the seeded catalogue, adding a robot (and the
// field named with exit 2 when the input is wrong, nothing written), show, pause, resume, remove.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN = process.env.TB_BIN;
assert.ok(BIN, 'TB_BIN must point at the tradebridge binary');

function robots(dir, args) {
  const r = spawnSync(BIN, ['robots', ...args, '--data-dir', dir], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
function json(dir, args) {
  const r = robots(dir, [...args, '--json']);
  assert.equal(r.code, 0, r.err);
  return JSON.parse(r.out);
}
function refused(dir, args, field) {
  const r = robots(dir, args);
  assert.equal(r.code, 2, r.out + r.err);
  assert.match(JSON.parse(r.err).error.message, new RegExp(`^${field}: `));
}

test('a new data directory starts with the seeded catalogue: each strategy on BTC and ETH of each venue, 1h and 4h', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tb-robots-'));
  const all = json(dir, ['list']);
  const strategies = new Set(all.map((r) => r.strategy));
  const venues = new Set(all.map((r) => r.exchange));
  assert.deepEqual([...strategies].sort(), ['breakout', 'ma_cross', 'parabolic', 'supertrend', 'trend_hold']);
  assert.equal(venues.size, 3);
  for (const r of all) {
    assert.ok(['1h', '4h'].includes(r.timeframe), r.name);
    assert.match(r.symbol, /BTC|XBT|ETH/, r.name);
    assert.equal(r.status, 'active');
    assert.equal(typeof r.params, 'object');
  }
  assert.equal(all.length, strategies.size * venues.size * 2 * 2);
  // Seeded once: removing one does not bring it back.
  assert.equal(robots(dir, ['remove', String(all[0].id)]).code, 0);
  assert.equal(json(dir, ['list']).length, all.length - 1);
});

test('add, show, pause, resume and remove a robot; bad input names the field and writes nothing', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tb-robots-'));
  const before = json(dir, ['list']).length;
  const add = ['add', '--strategy', 'ma_cross', '--params', '{"fast":3,"slow":8}', '--venue', 'kraken', '--symbol', 'XXBTZUSD',
    '--timeframe', '15m', '--name', 'my cross'];
  const r = json(dir, add);
  assert.equal(r.name, 'my cross');
  assert.deepEqual(r.params, { fast: 3, slow: 8 });
  assert.equal(r.timeframe, '15m');
  assert.equal(json(dir, ['show', 'my cross']).id, r.id);
  assert.equal(json(dir, ['pause', String(r.id)]).status, 'paused');
  assert.equal(json(dir, ['resume', 'my cross']).status, 'active');

  refused(dir, add, 'name');
  const other = (i, v) => add.map((a, j) => (j === i ? v : j === 12 ? `x${i}` : a));
  refused(dir, other(2, 'moon'), 'strategy');
  refused(dir, other(4, '{"fast":9,"slow":8}'), 'params.slow');
  refused(dir, other(6, 'nowhere'), 'venue');
  refused(dir, other(8, 'BTCUSDT'), 'symbol');
  refused(dir, other(10, '2h'), 'timeframe');
  refused(dir, ['show', 'nobody'], 'robot');
  refused(dir, ['pause'], 'robot');
  refused(dir, ['fly'], 'action');
  assert.equal(spawnSync(BIN, ['robots', '--data-dir', dir], { encoding: 'utf8' }).status, 2);  // no action at all
  assert.equal(json(dir, ['list']).length, before + 1);

  const gone = json(dir, ['remove', 'my cross']);
  assert.equal(gone.removed, r.id);
  refused(dir, ['show', String(r.id)], 'robot');
});

test('a data directory that does not exist is named', () => {
  const r = robots(join(tmpdir(), 'tb-robots-missing-dir-xyz'), ['list']);
  assert.equal(r.code, 2);
  assert.match(JSON.parse(r.err).error.message, /^data-dir: /);
});
