// Where serve's time goes on PostgreSQL (issue 14): how many statements and transactions it sends the
// database per authenticated GET /api/v1/exchange-accounts and per key test. Starts exsim, one serve over a
// throwaway PostgreSQL (tests/support/postgres.mjs), signs a user in and adds --accounts accounts, then turns
// on `log_statement = all`, measures serve's background statements while idle, and counts the statements the server logs
// over --requests list requests (one at a time) and over --tests key tests (added at once); transactions are
// the COMMITs.
// Prints one JSON line, and the statements of one list request to stderr.
//
// Usage: node bench/pg_statements.mjs [--build build] [--accounts 3] [--requests 100] [--tests 20]
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

import { agent, createKeys, ok, parseArgs, signIn, sleep, startExsim, startServes, stop, tradebridgeBinary } from './lib.mjs';

const opt = parseArgs(process.argv.slice(2), { build: 'build', accounts: 3, requests: 100, tests: 20 });
const bin = tradebridgeBinary(opt.build);
let exsim, cluster;

function psql(pg, sql) {
  return execFileSync('psql', ['-h', '127.0.0.1', '-p', String(pg.port), '-U', 'tb', '-d', 'bench', '-At', '-c', sql], { encoding: 'utf8' }).trim();
}

// The statements logged since `from` (a byte offset of the log) by serve's connections.
function statementsSince(pg, from) {
  const text = readFileSync(pg.log, 'utf8').slice(from);
  return text.split('\n').filter((l) => /LOG:\s+(statement|execute [^:]*):/.test(l)).map((l) => l.replace(/^.*LOG:\s+/, ''));
}

const logSize = (pg) => readFileSync(pg.log).length;

// "VERB table" of a logged statement: where a key test's statements go.
function classify(line) {
  const sql = line.replace(/^(statement|execute [^:]*):\s*/, '');
  const verb = (sql.match(/^\w+/) || ['?'])[0].toUpperCase();
  const table = (sql.match(/\b(?:INTO|FROM|UPDATE)\s+(\w+)/i) || [])[1];
  return table ? `${verb} ${table}` : verb;
}

// serve's background work never stops (the job loop's claims, the robots' runner reading its robots' states,
// the desk's passes): its rate per kind of statement is measured over an idle window first, and what that rate
// predicts for a measured window is taken out of it.
// The runner's catching up on candles after start (thousands of writes a second, in bursts) is let finish
// first: three seconds in a row without a candle or a robot state written.
let background = {};
async function measureBackground(pg, ms = 5000) {
  for (let i = 0, quiet = 0; i < 180 && quiet < 3; i++) {
    const from = logSize(pg);
    await sleep(1000);
    quiet = statementsSince(pg, from).some((l) => /INTO (candles|robot_states)/.test(l)) ? 0 : quiet + 1;
  }
  const at = logSize(pg);
  await sleep(ms);
  background = {};
  for (const l of statementsSince(pg, at)) background[classify(l)] = (background[classify(l)] || 0) + 1 / ms;
}

function foreground(lines, ms) {
  const counts = {};
  for (const l of lines) counts[classify(l)] = (counts[classify(l)] || 0) + 1;
  for (const [k, rate] of Object.entries(background)) if (counts[k] !== undefined) counts[k] = Math.max(0, counts[k] - rate * ms);
  return counts;
}
const total = (counts) => Object.values(counts).reduce((a, b) => a + b, 0);

let polls = 0;
async function waitTested(url, token, n) {
  for (let i = 0; i < 600; i++) {
    polls++;
    const l = await ok('GET', `${url}/api/v1/exchange-accounts`, { token });
    if (l.accounts.length >= n && l.accounts.every((a) => a.status !== 'testing')) return;
    await sleep(100);
  }
  throw new Error('key tests did not finish');
}

async function measureList(pg, url, token) {
  await ok('GET', `${url}/api/v1/exchange-accounts`, { token });  // the session cache (2 s) is warm, as under load
  let at = logSize(pg);
  await ok('GET', `${url}/api/v1/exchange-accounts`, { token });
  const one = statementsSince(pg, at);
  at = logSize(pg);
  const t0 = performance.now();
  for (let i = 0; i < opt.requests; i++) await ok('GET', `${url}/api/v1/exchange-accounts`, { token });
  const counts = foreground(statementsSince(pg, at), performance.now() - t0);
  process.stderr.write(`one list request (with whatever ran in the background meanwhile):\n${one.join('\n')}\n`);
  return { statements: +(total(counts) / opt.requests).toFixed(2) };
}

async function measureKeyTests(pg, url, token, list) {
  const keys = await createKeys(exsim.url, Array.from({ length: opt.tests }, () => 'kraken'));
  const at = logSize(pg);
  const t0 = performance.now();
  polls = 0;
  await Promise.all(keys.map((k) => ok('POST', `${url}/api/v1/exchange-accounts`, { token, body: k })));
  await waitTested(url, token, opt.accounts + opt.tests);
  const counts = foreground(statementsSince(pg, at), performance.now() - t0);
  const per = (x) => +(x / opt.tests).toFixed(1);
  return {
    tests: opt.tests,
    // The bench's own list requests while it waited (polls × statements per list) are taken out too.
    statements: per(total(counts) - polls * list.statements),
    transactions: per(counts.COMMIT || 0),
    by_statement: Object.fromEntries(Object.entries(counts).filter(([, v]) => v >= 0.5).sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, per(v)])),
    list_polls: polls,
    window_ms: Math.round(performance.now() - t0),
  };
}

try {
  exsim = await startExsim(bin);
  cluster = await startServes(bin, exsim.url, { database: 'postgres' });
  const { pg } = cluster;
  const url = cluster.serves[0].url;
  const token = await signIn(url, 'bench-statements@example.com');
  const venues = ['kraken', 'binance_futures', 'bitfinex'];
  for (const k of await createKeys(exsim.url, Array.from({ length: opt.accounts }, (_, i) => venues[i % venues.length])))
    await ok('POST', `${url}/api/v1/exchange-accounts`, { token, body: k });
  await waitTested(url, token, opt.accounts);
  psql(pg, "ALTER SYSTEM SET log_statement = 'all'");
  psql(pg, 'SELECT pg_reload_conf()');
  await measureBackground(pg);
  const list = await measureList(pg, url, token);
  const keyTest = await measureKeyTests(pg, url, token, list);
  const idle = Object.fromEntries(Object.entries(background).map(([k, v]) => [k, +(v * 1000).toFixed(1)]));
  console.log(JSON.stringify({
    benchmark: 'pg_statements', date: new Date().toISOString(), accounts: opt.accounts, list_request: list, key_test: keyTest,
    idle_statements_per_s: +(total(background) * 1000).toFixed(1), idle_by_statement_per_s: idle,
  }));
} catch (e) {
  console.error(`pg_statements: ${e.stack || e}`);
  process.exitCode = 1;
} finally {
  agent.destroy();
  await cluster?.stop();
  await stop(exsim);
}
