// Shared pieces of the server benchmarks (key_tests.mjs, accounts_list.mjs, memory.mjs): start
// `tradebridge exsim` and `tradebridge serve` on loopback (one serve or several over SQLite or PostgreSQL),
// talk HTTP over keep-alive sockets, create simulator keys, sign a user in, follow the events stream, read a
// process's memory and CPU from /proc.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';

import { startPostgres } from '../tests/support/postgres.mjs';

// node's global fetch pools connections per origin (undici, 10 by default in some versions): a plain
// http.Agent with many sockets lets a thousand requests really leave at once.
export const agent = new http.Agent({ keepAlive: true, maxSockets: 2000, maxFreeSockets: 2000 });

export function request(method, url, { body, token, headers = {}, timeoutMs = 60_000, via = agent } = {}) {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const h = { ...headers };
    if (data) { h['Content-Type'] = 'application/json'; h['Content-Length'] = data.length; }
    if (token) h.Authorization = `Bearer ${token}`;
    const req = http.request(url, { method, headers: h, agent: via }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json = null;
        try { json = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
        resolve({ status: res.statusCode, json, text, headers: res.headers });
      });
      res.on('error', reject);
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`${method} ${url}: no answer in ${timeoutMs} ms`)));
    req.on('error', reject);
    if (data) req.write(data);
    req.end();
  });
}

export async function ok(method, url, opts) {
  const r = await request(method, url, opts);
  if (r.status < 200 || r.status > 299) throw new Error(`${method} ${url}: HTTP ${r.status} ${r.text.slice(0, 300)}`);
  return r.json;
}

// Runs fn over items with at most `limit` in flight.
export async function pool(items, limit, fn) {
  const out = new Array(items.length);
  let next = 0;
  async function worker() {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export function tradebridgeBinary(buildDir) {
  return path.resolve(buildDir, 'src/app/tradebridge');
}

// Starts a command whose first stdout line is JSON with "listening"; cpu pins it with taskset.
// Returns { proc, pid, first }. stderr is kept (the last 64 KiB) for error reports.
export function startServer(cmd, args, { cpu, env } = {}) {
  const argv = cpu === undefined ? [cmd, ...args] : ['taskset', '-c', String(cpu), cmd, ...args];
  const proc = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let stderr = '';
  proc.stderr.on('data', (c) => { stderr = (stderr + c.toString()).slice(-65536); });
  const lines = readline.createInterface({ input: proc.stdout });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${path.basename(cmd)} did not start in 30 s: ${stderr}`)), 30_000);
    proc.on('exit', (code) => reject(new Error(`${path.basename(cmd)} ${args[0]} exited with ${code}: ${stderr}`)));
    lines.once('line', (line) => {
      clearTimeout(timer);
      resolve({ proc, pid: proc.pid, first: JSON.parse(line), stderr: () => stderr });
    });
  });
}

export function stop(server) {
  if (!server || server.proc.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const t = setTimeout(() => { server.proc.kill('SIGKILL'); }, 10_000);
    server.proc.once('exit', () => { clearTimeout(t); resolve(); });
    server.proc.kill('SIGTERM');
  });
}

export function tempDir(prefix) {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function startExsim(bin, { latencyMs = 0, cpu } = {}) {
  const s = await startServer(bin, ['exsim', '--port', '0', '--latency-ms', String(latencyMs)], { cpu });
  s.url = s.first.listening;
  return s;
}

export async function startServe(bin, exsimUrl, dataDir, { cpu, extra = [], env } = {}) {
  const args = ['serve', '--listen', '127.0.0.1:0', '--data-dir', dataDir, '--password-cost', 'fast',
    // One user adds up to hundreds of keys here; the per-user caps have tests of their own.
    '--max-accounts-per-user', '0', '--key-tests-per-hour', '0',
    // The load comes from one address (loopback) over up to 2000 sockets: no per-address cap.
    '--max-connections-per-ip', '0', '--register-limit', '0'];
  for (const v of ['binance_futures', 'kraken', 'bitfinex']) args.push('--venue-url', `${v}=${exsimUrl}`);
  const s = await startServer(bin, [...args, ...extra], { cpu, env });
  s.url = s.first.listening;
  return s;
}

// Issue 14: `processes` serve processes over one database, each with its own port and data directory and the
// same master key. database 'sqlite': one file all of them open (WAL); 'postgres': a throwaway server from
// tests/support/postgres.mjs (durable: PostgreSQL's own fsync and commit settings). cpus: one taskset list per
// process, or undefined. Returns { serves, pg, databaseUrl, stop() }.
export async function startServes(bin, exsimUrl, { processes = 1, database = 'sqlite', durable = false, cpus = [], extra = [] } = {}) {
  const tmp = tempDir('tb-bench-serves-');
  const env = { TRADEBRIDGE_MASTER_KEY: randomBytes(32).toString('hex') };
  let pg = null;
  let databaseUrl = `sqlite:${path.join(tmp.dir, 'shared.db')}`;
  if (database === 'postgres') {
    pg = await startPostgres({ durable });
    pg.createDatabase('bench');
    databaseUrl = pg.url('bench');
  } else if (database !== 'sqlite') {
    throw new Error(`--database is sqlite or postgres, not ${database}`);
  }
  const serves = [];
  const stopAll = async () => {
    await Promise.all(serves.map(stop));
    pg?.stop();
    tmp.remove();
  };
  try {
    for (let i = 0; i < processes; i++) {
      const dataDir = path.join(tmp.dir, `p${i}`);
      mkdirSync(dataDir);
      // One at a time: the first creates the schema, the others find it.
      serves.push(await startServe(bin, exsimUrl, dataDir, { cpu: cpus[i], env, extra: ['--database', databaseUrl, ...extra] }));
    }
  } catch (e) {
    await stopAll();
    throw e;
  }
  return { serves, pg, databaseUrl: databaseUrl.replace(/:\d+\//, ':PORT/'), stop: stopAll };
}

// CPU seconds of a PostgreSQL server so far: the postmaster and its children (a backend per connection).
export function pgCpuOf(pg) {
  if (!pg) return null;
  const root = pg.pid();
  let user = 0, system = 0;
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let f;
    try { f = readFileSync(`/proc/${name}/stat`, 'utf8').split(') ')[1].split(' '); } catch { continue; }
    if (Number(name) !== root && Number(f[1]) !== root) continue;
    user += Number(f[11]) / 100;
    system += Number(f[12]) / 100;
  }
  return { user_s: user, system_s: system };
}

export function pgCpuSince(pg, before) {
  if (!pg) return null;
  const now = pgCpuOf(pg);
  return { user_s: +(now.user_s - before.user_s).toFixed(2), system_s: +(now.system_s - before.system_s).toFixed(2) };
}

// A simulator key that passes the key test: read and trade (and futures on Binance), no withdrawals, funds in
// the venue's quote currency.
export function keySpec(venue) {
  const usd = venue === 'binance_futures' ? 'USDT' : 'USD';
  return { venue, permissions: { read: true, trade: true, futures: true, withdraw: false }, balances: { [usd]: '10000' } };
}

// Its own sockets, closed afterwards: idle admin connections would count against exsim's connection limit
// while serve's key tests need one each.
export async function createKeys(exsimUrl, venues, concurrency = 32) {
  const via = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  try {
    return await pool(venues, concurrency, async (venue) => {
      const k = await ok('POST', `${exsimUrl}/exsim/v1/keys`, { body: keySpec(venue), via });
      return { exchange: venue, key: k.key, secret: k.secret };
    });
  } finally {
    via.destroy();
  }
}

export async function signIn(serveUrl, email, password = 'bench-password-Long-enough-42') {
  await ok('POST', `${serveUrl}/api/v1/auth/register`, { body: { email, password } });
  const r = await ok('POST', `${serveUrl}/api/v1/auth/login`, { body: { email, password } });
  return r.token;
}

// Follows GET /api/v1/events; calls onEvent(type, data) for each event and onEnd() if the server ends the
// stream (it does when more events wait than the client could be sent: the client is expected to reload).
// Resolves once the stream is live (its "ready" event). close() ends it.
export function followEvents(serveUrl, token, onEvent, onEnd = () => {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(`${serveUrl}/api/v1/events`, { headers: { Authorization: `Bearer ${token}`, Accept: 'text/event-stream' } }, (res) => {
      if (res.statusCode !== 200) { reject(new Error(`events: HTTP ${res.statusCode}`)); return; }
      let buf = '';
      let closing = false;
      res.setEncoding('utf8');
      res.on('end', () => { if (!closing) onEnd(); });
      res.on('aborted', () => { if (!closing) onEnd(); });
      res.on('data', (chunk) => {
        buf += chunk;
        let end;
        while ((end = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, end);
          buf = buf.slice(end + 2);
          let type = 'message';
          const data = [];
          for (const line of block.split('\n')) {
            if (line.startsWith('event: ')) type = line.slice(7);
            else if (line.startsWith('data: ')) data.push(line.slice(6));
          }
          if (!data.length) continue;
          let parsed = null;
          try { parsed = JSON.parse(data.join('\n')); } catch { /* keep null */ }
          if (type === 'ready') resolve({ close: () => { closing = true; req.destroy(); } });
          else onEvent(type, parsed);
        }
      });
    });
    req.on('error', (e) => { if (e.code !== 'ECONNRESET') reject(e); });
    req.end();
  });
}

// VmRSS, VmHWM (peak) and thread count of a process, in MiB.
export function memoryOf(pid) {
  const text = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (name) => Number((text.match(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm')) || [])[1] || NaN);
  return { rss_mib: +(kib('VmRSS') / 1024).toFixed(1), hwm_mib: +(kib('VmHWM') / 1024).toFixed(1) };
}

// User and system CPU seconds a process has used so far (/proc/PID/stat, ticks of 1/100 s).
export function cpuOf(pid) {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return { user_s: Number(f[11]) / 100, system_s: Number(f[12]) / 100 };
}

export function cpuSince(pid, before) {
  const now = cpuOf(pid);
  return { user_s: +(now.user_s - before.user_s).toFixed(2), system_s: +(now.system_s - before.system_s).toFixed(2) };
}

export function loadAverage() {
  return os.loadavg().map((x) => +x.toFixed(2));
}

export function machine() {
  const cpus = os.cpus();
  return { cpus: cpus.length, model: cpus[0]?.model, mhz: cpus[0]?.speed, kernel: os.release(), node: process.version };
}

// "--name value" and "--flag" arguments into an object of strings (flags are "true").
export function parseArgs(argv, defaults) {
  const out = { ...defaults };
  for (let i = 0; i < argv.length; i++) {
    if (!argv[i].startsWith('--')) throw new Error(`unexpected argument ${argv[i]}`);
    const name = argv[i].slice(2);
    if (!(name in defaults)) throw new Error(`unknown option --${name}; known: ${Object.keys(defaults).join(', ')}`);
    if (typeof defaults[name] === 'boolean') out[name] = true;
    else out[name] = typeof defaults[name] === 'number' ? Number(argv[++i]) : argv[++i];
  }
  return out;
}
