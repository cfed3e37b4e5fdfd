// Moving an installation (issue 14 part 3): a SQLite install populated through the API (a user, accounts on
// the simulator with their key tests, two-factor on) is copied by `tradebridge db copy` into a throwaway
// PostgreSQL; `keys verify` passes on the copy with the same master key, and `serve --database postgresql://`
// answers exactly as the SQLite serve did — to the same session token, which was copied too. A second copy
// into the now full database is refused, naming its tables; the URL's password is never printed.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';

import { startExsim, startServe, newUser, keySpec, addAndTest, tempDir, removeDir, runTb } from './lib.mjs';
import { startPostgres, havePostgres } from '../support/postgres.mjs';

const PASSWORD = 'Pg-copy-canary-91c2';  // trust authentication ignores it: here only to be never shown
const cleanups = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

// What a user sees of their installation, by the API.
async function answers(client, accountIds) {
  const paths = ['/api/v1/me', '/api/v1/exchange-accounts', '/api/v1/robots', '/api/v1/audit', '/api/v1/portfolio/history',
    ...accountIds.map((id) => `/api/v1/exchange-accounts/${id}`)];
  const out = {};
  for (const p of paths) {
    const r = await client.get(p);
    assert.equal(r.status, 200, `${p}: ${r.text}`);
    out[p] = r.body;
  }
  // The history's points are placed back from the time of the request: their totals are what was copied.
  const history = out['/api/v1/portfolio/history'];
  out['/api/v1/portfolio/history'] = { bucket: history.bucket, totals: history.points.map((x) => x.usd_total) };
  return out;
}

test('db copy from SQLite to PostgreSQL: keys verify passes and serve answers alike', { skip: !havePostgres() && 'no PostgreSQL server' }, async () => {
  const sim = await startExsim();
  cleanups.push(() => sim.stop());
  const dir = tempDir('copy');
  cleanups.push(() => removeDir(dir));
  const sqliteServe = await startServe({ dataDir: dir, exsimUrl: sim.url });
  const user = await newUser(sqliteServe.url);
  const ids = [];
  for (const venue of ['binance_futures', 'kraken']) {
    const { account } = await addAndTest(user, venue, await sim.createKey(keySpec(venue)));
    assert.equal(account.status, 'enabled', account.reason);
    ids.push(account.id);
  }
  const refused = (await addAndTest(user, 'bitfinex', await sim.createKey(keySpec('bitfinex', { withdraw: true })))).account;
  assert.equal(refused.status, 'invalid');
  ids.push(refused.id);
  const before = await answers(user, ids);
  assert.deepEqual(before['/api/v1/exchange-accounts'].accounts.map((a) => a.status).sort(), ['enabled', 'enabled', 'invalid']);
  assert.ok(before[`/api/v1/exchange-accounts/${ids[0]}`].test.steps.length >= 4, 'the key test\'s steps are compared');
  assert.ok(JSON.stringify(before['/api/v1/robots']).length > 10, 'the robots catalogue is seeded');
  assert.equal((await sqliteServe.stop()).code, 0);

  const pg = await startPostgres();
  cleanups.push(() => pg.stop());
  pg.createDatabase('moved');
  const url = pg.url('moved', PASSWORD);
  const copy = runTb(['db', 'copy', '--data-dir', dir, '--to', url]);
  assert.equal(copy.code, 0, copy.stderr);
  for (const out of [copy.stdout, copy.stderr]) assert.ok(!out.includes(PASSWORD), `the password was shown: ${out}`);
  assert.equal(copy.json.to, pg.url('moved', '****'));
  const count = (t) => copy.json.tables.find((x) => x.table === t);
  for (const t of copy.json.tables) assert.equal(t.source, t.target, t.table);
  assert.equal(count('users').target, 1);
  assert.equal(count('accounts').target, 3);
  assert.equal(count('account_secrets').target, 4, 'the two enabled accounts\' sealed key and secret; the refused key keeps none');
  assert.ok(count('key_tests').target >= 3);
  assert.ok(count('robots').target > 0);
  assert.match(copy.stderr, /db copy: accounts: 3 rows/);

  const again = runTb(['db', 'copy', '--data-dir', dir, '--to', url]);
  assert.equal(again.code, 2, again.stdout);
  assert.match(again.errJson.error.message, /the target is not empty: .*users \(1 row\).*--force/);
  assert.ok(!again.stderr.includes(PASSWORD));

  const verify = runTb(['keys', 'verify', '--data-dir', dir, '--database', url]);
  assert.equal(verify.code, 0, verify.stdout + verify.stderr);
  assert.equal(verify.json.ok, true);
  assert.equal(verify.json.checked, 2);
  assert.deepEqual(verify.json.problems, []);

  const pgServe = await startServe({ dataDir: dir, exsimUrl: sim.url, extraArgs: ['--database', url] });
  cleanups.push(() => pgServe.stop());
  user.base = pgServe.url;
  const afterCopy = await answers(user, ids);
  for (const p of Object.keys(before)) assert.deepEqual(afterCopy[p], before[p], p);
  assert.ok(!pgServe.output().includes(PASSWORD), 'serve printed the password');
});
