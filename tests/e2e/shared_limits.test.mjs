// Two serve processes over one PostgreSQL database (issue 14 part 2), each with its own port and data directory
// and the same master key: the abuse limits live in the database, so a guesser alternating between the two is
// locked out after the same failures as on one (5 wrong passwords: the 6th attempt is refused on both), and
// registrations from one address count once for both.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';

import { startCluster, tempDir, removeDir, Client, PASSWORD } from './lib.mjs';
import { havePostgres } from '../support/postgres.mjs';

const cleanups = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

test('a guesser alternating between two processes is locked out as on one; registrations count once', { skip: !havePostgres() && 'no PostgreSQL server' }, async () => {
  const dir = tempDir('limits');
  cleanups.push(() => removeDir(dir));
  const cluster = await startCluster({ dataDir: dir, extraArgs: ['--register-limit', '3'] });
  cleanups.push(() => cluster.stop());
  const both = cluster.urls.map((url) => new Client(url));
  const [a, b] = both;

  // Registrations: 3 per address per hour, wherever they land.
  for (let i = 0; i < 3; ++i) {
    const r = await both[i % 2].post('/api/v1/auth/register', { email: `r${i}@example.com`, password: PASSWORD });
    assert.equal(r.status, 201, r.text);
  }
  const fourth = await b.post('/api/v1/auth/register', { email: 'r3@example.com', password: PASSWORD });
  assert.equal(fourth.status, 429, fourth.text);
  assert.ok(Number(fourth.headers.get('retry-after')) > 0);

  // Sign-in: five wrong passwords, alternating, are each answered 401; the sixth attempt is refused by both.
  for (let i = 0; i < 5; ++i) {
    const r = await both[i % 2].post('/api/v1/auth/login', { email: 'r0@example.com', password: `wrong password ${i}` });
    assert.equal(r.status, 401, `attempt ${i + 1}: ${r.text}`);
  }
  for (const srv of both) {
    const r = await srv.post('/api/v1/auth/login', { email: 'r0@example.com', password: PASSWORD });
    assert.equal(r.status, 429, r.text);
    assert.equal(r.body.error.code, 'rate_limited');
    const retry = Number(r.headers.get('retry-after'));
    assert.ok(retry >= 1 && retry <= 60, `Retry-After: ${r.headers.get('retry-after')}`);
  }
  // Another account is not locked, on either.
  assert.equal((await b.post('/api/v1/auth/login', { email: 'r1@example.com', password: PASSWORD })).status, 200);
});
