// `tradebridge keys verify` and `keys rotate-master-key` on a real data directory written by `serve`: the
// vault keeps working across rotations and restarts; a missing master key is a clear error; the master key
// may come from TRADEBRIDGE_MASTER_KEY instead of a file.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { statSync, renameSync, existsSync, readdirSync } from 'node:fs';
import {
  VENUES, startExsim, startServe, newUser, keySpec, addAndTest, waitTested, tempDir, removeDir, runTb, readFileSync, join,
  Client, PASSWORD,
} from './lib.mjs';
import { freshCode } from '../support/totp.mjs';

// Each test has its own simulator: the venues' per-IP limits (Kraken's public calls) are counted by the
// simulator across every server that calls it, while each server paces only its own calls.
const sims = [];
const dirs = [];
const servers = [];

after(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  await Promise.all(sims.map((s) => s.stop()));
  dirs.forEach(removeDir);
});

async function serve(dir, env, sim) {
  const s = await startServe({ dataDir: dir, exsimUrl: sim.url, env });
  servers.push(s);
  return s;
}

// A data directory with one enabled account per venue and one refused key (which keeps no secret).
async function populated(env = {}) {
  const sim = await startExsim();
  sims.push(sim);
  const dir = tempDir('keys');
  dirs.push(dir);
  const srv = await serve(dir, env, sim);
  const user = await newUser(srv.url);
  const accounts = await Promise.all(VENUES.map(async (v) => (await addAndTest(user, v, await sim.createKey(keySpec(v)))).account));
  for (const a of accounts) assert.equal(a.status, 'enabled', a.reason);
  const refused = (await addAndTest(user, 'kraken', await sim.createKey(keySpec('kraken', { withdraw: true })))).account;
  assert.equal(refused.status, 'invalid');
  // Two-factor on: its TOTP secret is sealed by the same vault, so verify and rotation cover it too.
  const setup = await user.post('/api/v1/auth/2fa/setup');
  assert.equal(setup.status, 200, setup.text);
  const totpSecret = setup.body.secret;
  const used = { step: 0 };
  const on = await user.post('/api/v1/auth/2fa/enable', { totp_code: await freshCode(totpSecret, used) });
  assert.equal(on.status, 200, on.text);
  await srv.stop();
  return { dir, user, accounts, srv, sim, totpSecret, used, recovery: on.body.recovery_codes };
}

const masterVersions = (file) => readFileSync(file, 'utf8').split('\n').filter((l) => /^\d+:/.test(l)).map((l) => Number(l.split(':')[0]));

test('keys verify, rotate-master-key, a restart on the rotated data, and verify again', async () => {
  const { dir, user, accounts, sim, totpSecret, used, recovery } = await populated();
  const keyFile = join(dir, 'master.key');
  assert.equal(statSync(keyFile).mode & 0o777, 0o600, 'the generated master key file is private');
  assert.deepEqual(masterVersions(keyFile), [1]);

  const v1 = runTb(['keys', 'verify', '--data-dir', dir]);
  assert.equal(v1.code, 0, v1.stdout + v1.stderr);
  assert.deepEqual(v1.json, { checked: 3, outdated: 0, two_factor_checked: 1, two_factor_outdated: 0, master_version: 1, problems: [], two_factor_problems: [], ok: true });

  const rot = runTb(['keys', 'rotate-master-key', '--data-dir', dir]);
  assert.equal(rot.code, 0, rot.stdout + rot.stderr);
  assert.deepEqual(rot.json, { master_version: 2, rewrapped: 3, already_current: 0, two_factor_rewrapped: 1, problems: [], two_factor_problems: [], ok: true });
  assert.match(rot.stderr, /version 2/);
  assert.deepEqual(masterVersions(keyFile), [1, 2]);
  assert.equal(statSync(keyFile).mode & 0o777, 0o600);

  const v2 = runTb(['keys', 'verify', '--data-dir', dir]);
  assert.equal(v2.code, 0, v2.stdout + v2.stderr);
  assert.deepEqual(v2.json, { checked: 3, outdated: 0, two_factor_checked: 1, two_factor_outdated: 0, master_version: 2, problems: [], two_factor_problems: [], ok: true });

  // The server restarts on the rotated data; each account's key still signs: a re-test enables it.
  const srv = await serve(dir, {}, sim);
  user.base = srv.url;
  // The re-wrapped TOTP secret still opens: signing in takes a code of it.
  const signIn = await new Client(srv.url).post('/api/v1/auth/login', { email: user.email, password: PASSWORD, totp_code: await freshCode(totpSecret, used) });
  assert.equal(signIn.status, 200, signIn.text);
  await Promise.all(accounts.map(async (a) => {
    const r = await user.post(`/api/v1/exchange-accounts/${a.id}/check`);
    assert.equal(r.status, 202, r.text);
    const again = await waitTested(user, a.id);
    assert.equal(again.status, 'enabled', `${a.exchange}: ${again.reason}`);
    assert.notEqual(again.test.id, a.test.id);
  }));
  // A key added now is sealed under version 2.
  const added = (await addAndTest(user, 'kraken', await sim.createKey(keySpec('kraken')), { totp_code: recovery[0] })).account;
  assert.equal(added.status, 'enabled');
  await srv.stop();

  const v3 = runTb(['keys', 'verify', '--data-dir', dir]);
  assert.equal(v3.code, 0, v3.stdout + v3.stderr);
  assert.deepEqual(v3.json, { checked: 4, outdated: 0, two_factor_checked: 1, two_factor_outdated: 0, master_version: 2, problems: [], two_factor_problems: [], ok: true });
  // Rotating again: version 3, every data key re-wrapped once.
  const rot3 = runTb(['keys', 'rotate-master-key', '--data-dir', dir]);
  assert.equal(rot3.code, 0, rot3.stdout + rot3.stderr);
  assert.equal(rot3.json.master_version, 3);
  assert.equal(rot3.json.rewrapped, 4);
  assert.equal(runTb(['keys', 'verify', '--data-dir', dir]).json.master_version, 3);
  // --master-key-file names the same file explicitly.
  const explicit = runTb(['keys', 'verify', '--data-dir', dir, '--master-key-file', keyFile]);
  assert.equal(explicit.code, 0, explicit.stderr);
});

test('a missing master key is a clear error, and nothing generates a new one behind the operator\'s back', async () => {
  const { dir } = await populated();
  const keyFile = join(dir, 'master.key');
  const moved = join(dir, 'master.key.away');
  renameSync(keyFile, moved);
  for (const action of ['verify', 'rotate-master-key']) {
    const r = runTb(['keys', action, '--data-dir', dir]);
    assert.notEqual(r.code, 0, `${action}: ${r.stdout}`);
    assert.ok(r.errJson?.error?.message, `${action}: a JSON error on stderr: ${r.stderr}`);
    assert.match(r.errJson.error.message, /master\.key/, r.stderr);
    assert.equal(r.stdout, '');
    assert.ok(!existsSync(keyFile), `${action} created a master key`);
  }
  const other = runTb(['keys', 'verify', '--data-dir', dir, '--master-key-file', join(dir, 'nope.key')]);
  assert.notEqual(other.code, 0);
  assert.match(other.errJson.error.message, /nope\.key/);
  // Unknown action.
  const bad = runTb(['keys', 'shred', '--data-dir', dir]);
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /verify or rotate-master-key/);
  renameSync(moved, keyFile);
  assert.equal(runTb(['keys', 'verify', '--data-dir', dir]).code, 0);
});

test('serve refuses to start on a database with stored secrets when its master key file is missing', async () => {
  const { dir } = await populated();
  const keyFile = join(dir, 'master.key');
  renameSync(keyFile, join(dir, 'master.key.away'));
  // A fresh key would silently make every stored secret unreadable (and seal new ones under a key the
  // operator does not know they must keep).
  const r = runTb(['serve', '--listen', '127.0.0.1:0', '--data-dir', dir, '--password-cost', 'fast'], {}, { timeout: 5000 });
  assert.equal(r.signal, null, `serve started and ran: ${r.stdout}${r.stderr}`);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /master key/i);
  assert.ok(!existsSync(keyFile), 'serve generated a new master key over existing secrets');
});

test('the master key from TRADEBRIDGE_MASTER_KEY: no key file, verify with it, a clear error without it, rotation by a second version', async () => {
  const hex = randomBytes(32).toString('hex');
  const env = { TRADEBRIDGE_MASTER_KEY: hex };
  const { dir, srv, sim, user, accounts } = await populated(env);
  assert.match(srv.output(), /master key: from TRADEBRIDGE_MASTER_KEY/);
  assert.ok(!readdirSync(dir).includes('master.key'), 'no key file is written when the key comes from the environment');
  for (const s of [hex]) assert.ok(!srv.output().includes(s), 'the master key in the server output');

  const ok = runTb(['keys', 'verify', '--data-dir', dir], env);
  assert.equal(ok.code, 0, ok.stdout + ok.stderr);
  assert.deepEqual(ok.json, { checked: 3, outdated: 0, two_factor_checked: 1, two_factor_outdated: 0, master_version: 1, problems: [], two_factor_problems: [], ok: true });
  // Base64 is the same key.
  const b64 = runTb(['keys', 'verify', '--data-dir', dir], { TRADEBRIDGE_MASTER_KEY: Buffer.from(hex, 'hex').toString('base64') });
  assert.equal(b64.code, 0, b64.stderr);
  // Another key: every secret fails, and verify says which.
  const wrong = runTb(['keys', 'verify', '--data-dir', dir], { TRADEBRIDGE_MASTER_KEY: randomBytes(32).toString('hex') });
  assert.equal(wrong.code, 1, wrong.stdout + wrong.stderr);
  assert.equal(wrong.json.ok, false);
  assert.equal(wrong.json.problems.length, 3);
  assert.equal(wrong.json.two_factor_problems.length, 1);
  assert.equal(wrong.json.two_factor_problems[0].field, 'totp_secret');
  // Without the variable and without a file: a clear error, no key generated.
  const none = runTb(['keys', 'verify', '--data-dir', dir], { TRADEBRIDGE_MASTER_KEY: '' });
  assert.notEqual(none.code, 0);
  assert.match(none.errJson.error.message, /master/i);
  assert.ok(!readdirSync(dir).includes('master.key'));
  // A malformed value names the variable, not its value.
  const bad = runTb(['keys', 'verify', '--data-dir', dir], { TRADEBRIDGE_MASTER_KEY: 'not-a-key' });
  assert.notEqual(bad.code, 0);
  assert.match(bad.errJson.error.message, /TRADEBRIDGE_MASTER_KEY/);
  assert.ok(!bad.stderr.includes('not-a-key'));

  // Rotation with the key in the environment: the command cannot append to a variable, so with one version
  // it refuses and says how; with a second version added there it re-wraps every data key under it.
  const rot = runTb(['keys', 'rotate-master-key', '--data-dir', dir], env);
  assert.equal(rot.code, 1);
  assert.match(rot.errJson.error.message, /TRADEBRIDGE_MASTER_KEY/);
  assert.match(rot.errJson.error.message, /1:<old key>,2:<new key>/);
  const hex2 = randomBytes(32).toString('hex');
  const ring = { TRADEBRIDGE_MASTER_KEY: `1:${hex},2:${hex2}` };
  const both = runTb(['keys', 'verify', '--data-dir', dir], ring);
  assert.equal(both.code, 0, both.stdout + both.stderr);
  assert.equal(both.json.master_version, 2);
  assert.equal(both.json.outdated, 3);
  assert.equal(both.json.two_factor_outdated, 1);
  const rewrap = runTb(['keys', 'rotate-master-key', '--data-dir', dir], ring);
  assert.equal(rewrap.code, 0, rewrap.stdout + rewrap.stderr);
  assert.deepEqual(rewrap.json, { master_version: 2, rewrapped: 3, already_current: 0, two_factor_rewrapped: 1, problems: [], two_factor_problems: [], ok: true });
  assert.ok(!readdirSync(dir).includes('master.key'), 'no key file is written');
  const after2 = runTb(['keys', 'verify', '--data-dir', dir], ring);
  assert.deepEqual(after2.json, { checked: 3, outdated: 0, two_factor_checked: 1, two_factor_outdated: 0, master_version: 2, problems: [], two_factor_problems: [], ok: true });
  // Only the new version is needed now.
  const onlyNew = runTb(['keys', 'verify', '--data-dir', dir], { TRADEBRIDGE_MASTER_KEY: `2:${hex2}` });
  assert.equal(onlyNew.code, 0, onlyNew.stdout + onlyNew.stderr);
  // The server runs on it: a re-test enables the accounts.
  const srv2 = await serve(dir, { TRADEBRIDGE_MASTER_KEY: `2:${hex2}` }, sim);
  user.base = srv2.url;
  for (const a of accounts) {
    assert.equal((await user.post(`/api/v1/exchange-accounts/${a.id}/check`)).status, 202);
    assert.equal((await waitTested(user, a.id)).status, 'enabled');
  }
  for (const s of [hex, hex2]) assert.ok(!srv2.output().includes(s), 'a master key in the server output');
});
