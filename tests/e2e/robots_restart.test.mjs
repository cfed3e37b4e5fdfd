// A robot's signals are stored exactly once across kill -9: `serve` runs a robot that starts 7 days back on
// 1m candles (10080 candles to catch up, each candle's signals and state in one transaction) and is
// killed 20 times at random moments while the runner works through them. A twin robot with the same
// strategy, market and start, added afterwards and run once without interruption, gives the reference:
// the killed robot's signals must be the same list (no signal twice, none skipped), numbered 1..N.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { startExsim, startServe, runTb, tempDir, removeDir, sleep, waitFor } from './lib.mjs';

const ROUNDS = Number(process.env.TB_ROBOT_KILL_ROUNDS ?? 20);
const sim = await startExsim();
const dir = tempDir('robots');
after(() => { sim.proc.stop(); removeDir(dir); });

const since = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 7 * 86_400_000).toISOString().replace('.000Z', 'Z');
const spec = ['--strategy', 'ma_cross', '--params', '{"fast":3,"slow":8}', '--venue', 'binance_futures', '--symbol', 'BTCUSDT',
  '--timeframe', '1m', '--since', since, '--data-dir', dir];

function robots(args) {
  const r = runTb(['robots', ...args, '--data-dir', dir]);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout;
}
const signals = (name) => JSON.parse(robots(['signals', name]));

test('kill -9 while the runner catches up: every signal once, none skipped', async () => {
  const added = runTb(['robots', 'add', '--name', 'killed', ...spec]);
  assert.equal(added.code, 0, added.stderr);
  // Only these robots run: the seeded catalogue is paused.
  for (const r of JSON.parse(robots(['list', '--json']))) if (r.name !== 'killed') robots(['pause', String(r.id)]);

  const counts = [];
  // A loaded machine may not get past the runner's first fetch within the first rounds' lives: it gets up to
  // as many rounds again, each longer, until the count has grown over several of them.
  for (let round = 0; round < ROUNDS || (new Set(counts).size <= 2 && round < 2 * ROUNDS); round++) {
    const srv = await startServe({ dataDir: dir, exsimUrl: sim.url, extraArgs: ['--robot-price-interval', '1'] });
    // Killed sooner in the first rounds: a fast machine catches up within a few of the later ones.
    await sleep(10 + round * 15 + Math.floor(Math.random() * 50));
    await srv.kill();
    counts.push(signals('killed').length);
  }
  // The kills came while the work was under way: the count grew over several rounds, not at once.
  assert.ok(new Set(counts).size > 2, `signal counts per round: ${counts}`);

  const twinAdded = runTb(['robots', 'add', '--name', 'twin', ...spec]);
  assert.equal(twinAdded.code, 0, twinAdded.stderr);
  const srv = await startServe({ dataDir: dir, exsimUrl: sim.url, extraArgs: ['--robot-price-interval', '1'] });
  try {
    let killed = [];
    let twin = [];
    await waitFor(() => {
      killed = signals('killed');
      twin = signals('twin');
      return twin.length > 0 && killed.length === twin.length && killed.at(-1).candle_time === twin.at(-1).candle_time;
    }, { ms: 120_000, every: 500, what: 'both robots caught up' });
    assert.ok(killed.length >= 20, `${killed.length} signals`);
    killed.forEach((s, i) => assert.equal(s.seq, i + 1));
    assert.deepEqual(killed.map(({ seq, ...s }) => s), twin.map(({ seq, ...s }) => s));
  } finally {
    await srv.stop();
  }
});
