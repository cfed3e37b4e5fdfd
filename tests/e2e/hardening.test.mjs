// Hardening of `tradebridge serve` seen from outside: plain HTTP beyond loopback is refused at start,
// X-Forwarded-For is believed from the named proxy only, /metrics is guarded and takes no label value from
// a client, and the process keeps its secrets to itself (no core dumps, the master key gone from its
// environment, a warning when the key file sits beside the database).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';

import { keySpec, newUser, removeDir, runTb, startExsim, startServe, tempDir } from './lib.mjs';

const MASTER_KEY = randomBytes(32).toString('hex');
const METRICS_TOKEN = 'metrics-' + randomBytes(12).toString('hex');
let sim;
let srv;
let dir;

before(async () => {
  sim = await startExsim();
  dir = tempDir('hardening');
  srv = await startServe({
    dataDir: dir, exsimUrl: sim.url,
    extraArgs: ['--behind-proxy', '127.0.0.1', '--metrics-token', METRICS_TOKEN],
    env: { TRADEBRIDGE_MASTER_KEY: MASTER_KEY },
  });
});

after(async () => {
  await srv?.stop();
  await sim?.proc.stop();
  removeDir(dir);
});

// One request from a chosen loopback source address (127.0.0.2 is a client that is not our proxy).
function requestFrom(localAddress, url, { method = 'GET', headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers, localAddress, agent: false }, (res) => {
      let text = '';
      res.on('data', (d) => { text += d; });
      res.on('end', () => resolve({ status: res.statusCode, text, body: text ? JSON.parse(text) : null }));
    });
    req.on('error', reject);
    if (body !== undefined) req.end(JSON.stringify(body)); else req.end();
  });
}

// A kept-alive connection that has had one answer; null when the server closed it without one.
function heldConnection(url) {
  return new Promise((resolve) => {
    const u = new URL(url);
    let head = '';
    const s = net.connect(Number(u.port), u.hostname, () => s.write('GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n'));
    s.on('data', (d) => { head += d; if (head.includes('\r\n\r\n')) resolve(s); });
    s.on('close', () => resolve(null));
    s.on('error', () => {});
  });
}

test('plain HTTP beyond loopback is refused at start with one line naming the way out', () => {
  const d = tempDir('hardening-refused');
  const r = runTb(['serve', '--listen', '0.0.0.0:0', '--data-dir', d], {}, { timeout: 20000 });
  removeDir(d);
  assert.notEqual(r.code, 0, r.stdout + r.stderr);
  assert.equal(r.code !== null, true, 'it served instead of refusing');
  assert.equal(r.stdout, '');
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0], /plain HTTP.*--tls-cert.*--behind-proxy/);
});

test('X-Forwarded-For is believed from the proxy only: the audit log records the real client', async () => {
  const user = await newUser(srv.url);
  const auth = { Authorization: `Bearer ${user.token}`, 'Content-Type': 'application/json' };
  const key = await sim.createKey(keySpec('kraken'));
  // A client that is not the proxy claims to be someone else.
  const added = await requestFrom('127.0.0.2', srv.url + '/api/v1/exchange-accounts', {
    method: 'POST', headers: { ...auth, 'X-Forwarded-For': '203.0.113.50' }, body: { exchange: 'kraken', key: key.key, secret: key.secret },
  });
  assert.equal(added.status, 202, added.text);
  // Through the proxy: the right-most address it did not add itself is the client.
  const renamed = await requestFrom('127.0.0.1', srv.url + `/api/v1/exchange-accounts/${added.body.id}`, {
    method: 'PATCH', headers: { ...auth, 'X-Forwarded-For': '6.6.6.6, 198.51.100.23' }, body: { name: 'Renamed' },
  });
  assert.equal(renamed.status, 200, renamed.text);
  const entries = (await user.get('/api/v1/audit')).body.entries;
  const ipOf = (action) => entries.find((e) => e.action === action && e.account_id === added.body.id)?.ip;
  assert.equal(ipOf('key.added'), '127.0.0.2', JSON.stringify(entries));
  assert.equal(ipOf('key.renamed'), '198.51.100.23', JSON.stringify(entries));
});

test('/metrics needs the metrics token and takes no label value from the client', async () => {
  assert.equal((await fetch(srv.url + '/metrics')).status, 401);
  assert.equal((await fetch(srv.url + '/metrics', { headers: { Authorization: 'Bearer wrong' } })).status, 401);
  await fetch(srv.url + '/zq7x-' + randomBytes(4).toString('hex'), { method: 'FOOBAR' }).catch(() => {});
  const r = await fetch(srv.url + '/metrics', { headers: { Authorization: `Bearer ${METRICS_TOKEN}` } });
  assert.equal(r.status, 200);
  const text = await r.text();
  assert.match(text, /tradebridge_http_requests_total\{method="other",route="unmatched"/);
  assert.doesNotMatch(text, /FOOBAR|zq7x/);
});

test('the server cannot dump core and its environment no longer holds the master key', () => {
  const pid = srv.proc.child.pid;
  const limits = readFileSync(`/proc/${pid}/limits`, 'utf8');
  assert.match(limits, /^Max core file size\s+0\s+0\s/m, limits);
  const environ = readFileSync(`/proc/${pid}/environ`, 'latin1');
  assert.ok(!environ.includes('TRADEBRIDGE_MASTER_KEY'), 'the variable is still in /proc/PID/environ');
  assert.ok(!environ.includes(MASTER_KEY), 'the key is still in /proc/PID/environ');
  assert.ok(!srv.output().includes('warning: the master key file'), 'no key file is used: no warning');
});

test('--max-connections-per-ip closes the connection over the cap; --metrics-listen serves /metrics alone and --listen answers 404 for it; a key file in the data dir is warned about', async () => {
  const d = tempDir('hardening-metrics');
  const s = await startServe({ dataDir: d, extraArgs: ['--metrics-listen', '127.0.0.1:0', '--max-connections-per-ip', '8'] });
  try {
    // The cap first, before fetch keeps connections of its own: 8 from 127.0.0.1 are served, the 9th is closed.
    const held = [];
    for (let i = 0; i < 8; i++) held.push(await heldConnection(s.url));
    assert.ok(held.every(Boolean), 'a connection under the cap was refused');
    assert.equal(await heldConnection(s.url), null, 'a 9th connection from one address was served');
    for (const c of held) c.destroy();
    assert.match(s.first.metrics, /^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    assert.equal((await fetch(s.first.metrics)).status, 200);
    assert.equal((await fetch(s.first.metrics.replace('/metrics', '/healthz'))).status, 404);
    assert.equal((await fetch(s.url + '/metrics')).status, 404);
    assert.equal((await fetch(s.url + '/healthz')).status, 200);
    assert.match(s.output(), /warning: the master key file .*master\.key is inside the data directory.*--master-key-file/);
  } finally {
    await s.stop();
    removeDir(d);
  }
});
