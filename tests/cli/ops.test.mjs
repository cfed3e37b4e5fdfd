// The operator's tools on the database (issue 14 part 4): `db migrate|status`, `--database URL` (and
// TRADEBRIDGE_DATABASE_URL) for serve and the other commands, and `backup --to FILE`: an online copy taken
// while serve writes, verified, refusing to overwrite, restorable (a serve started on the copy signs the
// user in); a postgresql:// URL refused with the reason (no backend built in) or, for backup, the pg_dump
// command to run — and never the password.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, statSync, readdirSync, readFileSync, writeFileSync, chmodSync, existsSync } from 'node:fs';
import { join } from 'node:path';

import { runTb, tempDir, removeDir, startServe, newUser, Client, PASSWORD, haveSqlite3, sqlite } from '../e2e/lib.mjs';

const PG_PASSWORD = 'Pg-canary-5e1f0c';
const PG_URL = `postgresql://tb:${PG_PASSWORD}@db.internal:5432/tradebridge?sslmode=require`;
const dirs = [];
const dir = (label) => {
  const d = tempDir(label);
  dirs.push(d);
  return d;
};
after(() => dirs.forEach(removeDir));

const mode = (p) => (statSync(p).mode & 0o777).toString(8);

// A command run without blocking the event loop (serve answers requests meanwhile).
function runAsync(args) {
  return new Promise((resolve) => {
    const p = spawn(process.env.TB_BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => { stdout += d; });
    p.stderr.on('data', (d) => { stderr += d; });
    p.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

test('db migrate creates and migrates the database; db status reads it without changing it', () => {
  const data = join(dir('ops-db'), 'data');
  const missing = runTb(['db', 'status', '--data-dir', data]);
  assert.equal(missing.code, 2, missing.stderr);
  assert.match(missing.errJson.error.message, /no database at .*tradebridge\.db/);
  assert.equal(existsSync(join(data, 'tradebridge.db')), false, 'status created the database');

  const first = runTb(['db', 'migrate', '--data-dir', data]);
  assert.equal(first.code, 0, first.stderr);
  assert.equal(first.json.backend, 'sqlite');
  assert.equal(first.json.database, `sqlite:${join(data, 'tradebridge.db')}`);
  assert.ok(first.json.applied_now.length >= 10, JSON.stringify(first.json.applied_now));
  assert.deepEqual(first.json.applied_now.map((m) => m.version), first.json.applied.map((m) => m.version));
  assert.equal(first.json.up_to_date, true);
  assert.equal(first.json.version, first.json.latest);
  assert.equal(mode(data), '700');
  assert.equal(mode(join(data, 'tradebridge.db')), '600');

  const again = runTb(['db', 'migrate', '--data-dir', data]);
  assert.equal(again.code, 0, again.stderr);
  assert.deepEqual(again.json.applied_now, []);

  const status = runTb(['db', 'status', '--data-dir', data]);
  assert.equal(status.code, 0, status.stderr);
  assert.equal(status.json.version, first.json.version);
  assert.deepEqual(status.json.pending, []);
  assert.deepEqual(status.json.unknown, []);
  assert.match(status.json.applied[0].applied_at, /^\d{4}-\d\d-\d\dT/);
  assert.equal(status.json.applied[0].name.length > 0, true);

  const bad = runTb(['db', 'rollback', '--data-dir', data]);
  assert.equal(bad.code, 2);
  assert.match(bad.errJson.error.message, /none of status, migrate, copy/);
});

test('db status names a migration this binary does not know', { skip: !haveSqlite3() && 'no sqlite3' }, () => {
  const data = dir('ops-unknown');
  assert.equal(runTb(['db', 'migrate', '--data-dir', data]).code, 0);
  sqlite(join(data, 'tradebridge.db'), "INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'newer', 1);");
  const status = runTb(['db', 'status', '--data-dir', data]);
  assert.equal(status.code, 0, status.stderr);
  assert.deepEqual(status.json.unknown, [9999]);
  assert.equal(status.json.version, 9999);
  assert.ok(status.json.latest < 9999);
});

test('--database and TRADEBRIDGE_DATABASE_URL pick the database file of every command', async () => {
  const data = dir('ops-url');
  const elsewhere = join(dir('ops-url-db'), 'other.db');
  const migrated = runTb(['db', 'migrate', '--data-dir', data], { TRADEBRIDGE_DATABASE_URL: `sqlite:${elsewhere}` });
  assert.equal(migrated.code, 0, migrated.stderr);
  assert.equal(migrated.json.database, `sqlite:${elsewhere}`);
  assert.ok(existsSync(elsewhere));
  assert.equal(existsSync(join(data, 'tradebridge.db')), false);
  const srv = await startServe({ dataDir: data, extraArgs: ['--database', `sqlite:${elsewhere}`] });
  try {
    await newUser(srv.url, 'elsewhere@example.com');
    assert.match(srv.output(), new RegExp(`data: +sqlite:${elsewhere.replace(/[.]/g, '\\.')}`));
  } finally {
    assert.equal((await srv.stop()).code, 0);
  }
  assert.equal(existsSync(join(data, 'tradebridge.db')), false, 'serve opened the data directory\'s database instead');
  const robots = runTb(['robots', 'list', '--json', '--data-dir', data, '--database', `sqlite:${elsewhere}`]);
  assert.equal(robots.code, 0, robots.stderr);
});

test('a bad --database is refused naming the problem; a postgresql:// server that cannot be reached is named, never the password', () => {
  const data = dir('ops-bad');
  const cases = [
    [['--database', 'mysql://u@h/db'], /sqlite:PATH or postgresql:\/\//],
    [['--database', 'sqlite:'], /needs a file path/],
    [['--database', 'postgresql://tb@db:99999/tb'], /port/],
    [['--database', 'postgresql://tb@db/tb?sslmode=maybe'], /sslmode takes/],
    [['--database', PG_URL], /postgresql:\/\/tb:\*\*\*\*@db\.internal:5432\/tradebridge/],
    [['--database', `postgresql://tb:${PG_PASSWORD}/tradebridge`], /port/],  // the '@' forgotten: the password where the port goes
  ];
  for (const [args, expected] of cases) {
    for (const command of [['serve', '--listen', '127.0.0.1:0', '--password-cost', 'fast'], ['db', 'status'], ['keys', 'verify']]) {
      const r = runTb([...command, '--data-dir', data, ...args]);
      assert.notEqual(r.code, 0, `${command[0]} ${args.join(' ')}: ${r.stdout}`);
      assert.match(r.stderr, expected, `${command[0]} ${args.join(' ')}`);
      assert.ok(!r.stderr.includes(PG_PASSWORD) && !r.stdout.includes(PG_PASSWORD), `${command[0]}: the password shown: ${r.stderr}`);
    }
  }
  const env = runTb(['serve', '--listen', '127.0.0.1:0', '--data-dir', data], { TRADEBRIDGE_DATABASE_URL: PG_URL });
  assert.equal(env.code, 1);
  assert.match(env.stderr, /postgresql:\/\/tb:\*\*\*\*@db\.internal:5432\/tradebridge\?sslmode=require/);
  assert.ok(!env.stderr.includes(PG_PASSWORD));
});

test('backup --to FILE: an online copy while serve writes, verified, 0600, one file; refused over FILE unless --force; restorable', async () => {
  const data = dir('ops-backup');
  const out = dir('ops-backup-out');
  const file = join(out, 'tb-backup.db');
  const srv = await startServe({ dataDir: data });
  let anon;
  try {
    const ann = await newUser(srv.url, 'ann@example.com');
    assert.equal((await ann.get('/api/v1/me')).status, 200);
    // Writers keep going while the copy is taken.
    anon = new Client(srv.url);
    let stop = false;
    let registered = 0;
    const writers = (async () => {
      while (!stop) {
        const r = await anon.post('/api/v1/auth/register', { email: `w${registered}@example.com`, password: PASSWORD });
        assert.equal(r.status, 201, r.text);
        registered++;
      }
    })();
    const r = await runAsync(['backup', '--to', file, '--data-dir', data]);
    stop = true;
    await writers;
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout);
    assert.equal(report.backup, file);
    assert.equal(report.integrity, 'ok');
    assert.ok(report.schema_version >= 10);
    assert.equal(report.bytes, statSync(file).size);
    assert.ok(registered > 0, 'no write happened during the backup');
  } finally {
    assert.equal((await srv.stop()).code, 0);
  }
  assert.equal(mode(file), '600');
  assert.deepEqual(readdirSync(out), ['tb-backup.db'], 'a -wal, -journal or partial file was left');
  const header = readFileSync(file);
  assert.equal(header.subarray(0, 16).toString('latin1'), 'SQLite format 3\0');
  assert.deepEqual([header[18], header[19]], [1, 1], 'the copy is not a standalone (rollback journal) file');

  // Never over an existing FILE without --force; with it, replaced.
  writeFileSync(file + '.keep', 'x');
  const refused = runTb(['backup', '--to', file + '.keep', '--data-dir', data]);
  assert.equal(refused.code, 2, refused.stderr);
  assert.match(refused.errJson.error.message, /exists: pass --force/);
  assert.equal(readFileSync(file + '.keep', 'utf8'), 'x');
  const forced = runTb(['backup', '--to', file + '.keep', '--data-dir', data, '--force']);
  assert.equal(forced.code, 0, forced.stderr);
  assert.equal(forced.json.integrity, 'ok');
  const nowhere = runTb(['backup', '--to', join(out, 'no', 'such', 'dir.db'), '--data-dir', data]);
  assert.equal(nowhere.code, 2, nowhere.stderr);

  // Restore as the README says: the copy as the data directory's database, the master key beside it.
  const restored = dir('ops-restore');
  copyFileSync(file, join(restored, 'tradebridge.db'));
  copyFileSync(join(data, 'master.key'), join(restored, 'master.key'));
  chmodSync(join(restored, 'master.key'), 0o600);
  const status = runTb(['db', 'status', '--data-dir', restored]);
  assert.equal(status.code, 0, status.stderr);
  assert.equal(status.json.up_to_date, true);
  const again = await startServe({ dataDir: restored });
  try {
    const login = await new Client(again.url).post('/api/v1/auth/login', { email: 'ann@example.com', password: PASSWORD });
    assert.equal(login.status, 200, login.text);
  } finally {
    assert.equal((await again.stop()).code, 0);
  }
  assert.equal(runTb(['keys', 'verify', '--data-dir', restored]).code, 0);
});

test('backup of a postgresql:// database prints the pg_dump to run and refuses, without the password', () => {
  const r = runTb(['backup', '--to', '/tmp/tb.dump', '--database', PG_URL]);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /pg_dump --format=custom --file '\/tmp\/tb\.dump' 'postgresql:\/\/tb@db\.internal:5432\/tradebridge\?sslmode=require'/);
  assert.ok(!r.stderr.includes(PG_PASSWORD) && !r.stdout.includes(PG_PASSWORD));
  assert.equal(existsSync('/tmp/tb.dump'), false);
});

// deploy/tradebridge.service hands the master key over with LoadCredential: systemd puts it in
// $CREDENTIALS_DIRECTORY/master.key (mode 0400) and serve, given no --master-key-file, reads it there.
test('serve and keys read the master key from $CREDENTIALS_DIRECTORY and make none in the data directory', async () => {
  const data = dir('ops-cred-data');
  const creds = dir('ops-cred');
  const keyFile = join(creds, 'master.key');
  writeFileSync(keyFile, `1:${'c7'.repeat(32)}\n`);
  chmodSync(keyFile, 0o400);
  const env = { CREDENTIALS_DIRECTORY: creds };
  const srv = await startServe({ dataDir: data, env });
  try {
    await newUser(srv.url, 'cred@example.com');
    assert.match(srv.output(), new RegExp(`master key: ${keyFile.replace(/[.]/g, '\\.')}`));
    assert.doesNotMatch(srv.output(), /generated now/);
    assert.doesNotMatch(srv.output(), /inside the data directory/);
  } finally {
    assert.equal((await srv.stop()).code, 0);
  }
  assert.equal(existsSync(join(data, 'master.key')), false, 'a master key was generated in the data directory');
  const verified = runTb(['keys', 'verify', '--data-dir', data], env);
  assert.equal(verified.code, 0, verified.stderr);
  const without = runTb(['keys', 'verify', '--data-dir', data], { CREDENTIALS_DIRECTORY: '' });
  assert.notEqual(without.code, 0, 'keys verify found a master key without the credential');
  assert.match(without.stderr, /master key file/);
});
