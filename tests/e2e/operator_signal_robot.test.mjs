// The operator's signal robot (issue 13): `robots add --strategy signal` prints its token once; any user's
// user robot may follow it (a user's own signal robot stays private), and one signal trades on every
// follower's account at once.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';

import { startExsim, startServe, newUser, keySpec, addAndTest, tempDir, removeDir, waitFor, runTb } from './lib.mjs';

const sim = await startExsim();
const dir = tempDir('operator-signal');
after(() => { sim.proc.stop(); removeDir(dir); });

test('an operator signal robot is followed by two users and one signal trades on both accounts', async () => {
  const made = runTb(['robots', 'add', '--strategy', 'signal', '--name', 'desk calls', '--venue', 'binance_futures', '--symbol', 'BTCUSDT',
    '--data-dir', dir, '--json']);
  assert.equal(made.code, 0, made.stderr);
  const robot = JSON.parse(made.stdout);
  assert.match(robot.signal_token, /^\S{32,}$/);
  assert.equal(robot.signal_path, `/api/v1/robots/${robot.id}/signals`);
  assert.ok(!runTb(['robots', 'list', '--data-dir', dir]).stdout.includes(robot.signal_token), 'the token is shown once');
  const nameless = runTb(['robots', 'add', '--strategy', 'signal', '--venue', 'binance_futures', '--symbol', 'BTCUSDT', '--data-dir', dir]);
  assert.equal(nameless.code, 2);
  assert.match(nameless.stderr, /name/);

  const srv = await startServe({ dataDir: dir, exsimUrl: sim.url, extraArgs: ['--trade-interval', '60000', '--robot-price-interval', '3600'] });
  try {
    const followers = [];
    for (let i = 0; i < 2; i++) {
      const user = await newUser(srv.url);
      const key = await sim.createKey(keySpec('binance_futures', { quote: '10000' }));
      const { account } = await addAndTest(user, 'binance_futures', key);
      const ur = await user.post('/api/v1/user-robots', { robot_id: robot.id, account_id: account.id, volume: { type: 'quote_fixed', value: '150' } });
      assert.equal(ur.status, 201, ur.text);
      assert.equal((await user.post(`/api/v1/user-robots/${ur.body.id}/start`, { confirm: true })).status, 200);
      followers.push({ user, key, id: ur.body.id });
    }
    const fire = (token) => fetch(`${srv.url}${robot.signal_path}`, {
      method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` }, body: JSON.stringify({ id: 'ops-1', action: 'long' }),
    });
    assert.equal((await fire('wrong')).status, 401);
    const sent = Date.now();
    assert.equal((await fire(robot.signal_token)).status, 202);
    // The desk wakes on the signal: both orders well before the 60 s pass interval (the bound is loose, so a
    // loaded machine does not fail it; a desk that waited for its interval would).
    await waitFor(async () => {
      for (const f of followers) if ((await sim.orders(f.key.key)).filter((o) => o.client_order_id.startsWith('tb-r-')).length !== 1) return false;
      return true;
    }, { ms: 30_000, every: 50, what: 'an order on each follower account' });
    assert.ok(Date.now() - sent < 30_000, `the fan-out took ${Date.now() - sent} ms`);
    for (const f of followers) {
      const ur = (await f.user.get(`/api/v1/user-robots/${f.id}`)).body;
      await waitFor(async () => (await f.user.get(`/api/v1/user-robots/${f.id}`)).body.position?.side === 'long', { ms: 10_000, what: 'long' });
      assert.equal(ur.status, 'started');
    }
  } finally {
    await srv.stop();
  }
});
