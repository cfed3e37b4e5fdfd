// Issue 13 benchmark: one signal fanned out to N started user robots on N Binance USD-M accounts of U
// users; every order a market order on its own account at the simulator.
//
// Starts `tradebridge exsim`, creates N funded futures keys there, seeds a data directory with them
// (build/bench/fanout_seed: the operator's signal robot, the accounts sealed under the master key, a
// started quote_fixed user robot per account), starts `serve` on it and lets it settle (its first
// reconciliation), measures serve's idle CPU, then posts one `long` signal and waits until every user
// robot's order is recorded as filled. Reports: signal accepted -> last order answered (the orders table's
// times, serve's clock) and -> first intent written (what the pass's reads took), serve's CPU per order
// (over the fan-out minus an idle stretch as long), RSS before, peak and after, exact counts; then the
// closing signal the same way. bench/ccxt_fanout.mjs then sends the same N orders with ccxt to the same
// simulator.
//
// Usage: node bench/robots_fanout.mjs [--build build] [--accounts 10000] [--users 1000] [--volume 150]
//                                     [--timeout 300] [--settle 65] [--ccxt 1] [--rounds 1] [--perf PREFIX]
//                                     [--syscalls 0] [--history 0] [--ws 0]
// --rounds N sends N long/close pairs; the summary gives each measure's median over the rounds.
// --perf PREFIX records serve with `perf record` during each fan-out into PREFIX-<action>-<seq>.data. The
// samples copy serve's stacks, which may hold the keys it signs with: the simulator's throwaway keys here.
// --syscalls 1 counts serve's system calls during each fan-out (`perf stat` on the syscall tracepoints) and
// reports them per order; the counting costs serve some CPU, so its CPU figures are not the plain ones.
// --ws 1 starts serve with --orders-over-websocket: the orders go over the venue's WebSocket API.
// --history N gives every user robot N past round trips before serve starts (a closed position, its entry and
// exit orders, filled and their fees settled), as months of trading leave them: N = 50 is 500,000 positions
// and 1,000,000 orders for 10,000 user robots. What a fan-out costs should not grow with them.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import {
  cpuOf, cpuSince, createKeys, loadAverage, machine, memoryOf, parseArgs, request, sleep, startExsim, startServe, stop, tempDir,
  tradebridgeBinary,
} from './lib.mjs';

const opt = parseArgs(process.argv.slice(2), { build: 'build', accounts: 10000, users: 1000, volume: '150', timeout: 300, settle: 65, ccxt: 1, rounds: 1, perf: '', syscalls: 0, history: 0, ws: 0 });
if (!(Number.isInteger(Number(opt.rounds)) && Number(opt.rounds) >= 1)) throw new Error(`--rounds: a whole number from 1, not '${opt.rounds}'`);
const bin = tradebridgeBinary(opt.build);
const tmp = tempDir('tb-bench-fanout-');
const db = path.join(tmp.dir, 'tradebridge.db');
let exsim, serve;

// Orders of the signal `seq` in serve's ledger, those after the order `after`: how many, how many filled, the
// first creation and last settle. (Read by id range: a scan of a long history would take the machine's CPU.)
function ledger(seq, after) {
  const sql = `SELECT count(*), sum(state = 'filled'), min(created_at), max(settled_at) FROM orders WHERE id > ${after} AND purpose = 'robot' AND signal_seq = ${seq};`;
  const r = spawnSync('sqlite3', ['-readonly', db, sql], { encoding: 'utf8' });
  const [n, filled, first, last] = r.stdout.trim().split('|').map(Number);
  return { n, filled: filled || 0, first, last };
}

const kSyscalls = ['sendmsg', 'recvmsg', 'epoll_wait', 'poll', 'futex', 'pwrite64', 'pread64', 'fdatasync'];

// serve's system calls until the returned function is called, which returns them: all, and those above.
async function countSyscalls() {
  const file = path.join(tmp.dir, 'syscalls.csv');
  const events = ['raw_syscalls:sys_enter', ...kSyscalls.map((x) => `syscalls:sys_enter_${x}`)];
  const p = spawn('perf', ['stat', '-x', ',', '-e', events.join(','), '-p', String(serve.proc.pid), '-o', file], { stdio: 'ignore' });
  await sleep(500);  // attached
  return async () => {
    await new Promise((resolve) => { p.once('exit', resolve); p.kill('SIGINT'); });
    const counts = {};
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      const [count, , event] = line.split(',');
      if (event) counts[event === 'raw_syscalls:sys_enter' ? 'all' : event.replace('syscalls:sys_enter_', '')] = Number(count);
    }
    return counts;
  };
}

// `perf record` of serve until the returned function is called.
async function profile(action) {
  if (!opt.perf) return async () => {};
  const p = spawn('perf', ['record', '-F', '999', '--call-graph', 'dwarf,16384', '-p', String(serve.proc.pid), '-o', `${opt.perf}-${action}.data`], { stdio: 'ignore' });
  await sleep(500);  // attached
  return () => new Promise((resolve) => { p.once('exit', resolve); p.kill('SIGINT'); });
}

function lastOrderId() {
  return Number(execFileSync('sqlite3', ['-readonly', db, 'SELECT coalesce(max(id), 0) FROM orders;'], { encoding: 'utf8' }).trim());
}

// --history: the past round trips, in the order they happened (each a fan-out over the user robots). Signal
// sequence numbers below zero: the signal robot's own start at 1.
function seedHistory(n) {
  const day = 86_400_000;
  const t0 = Date.now() - (n + 1) * day;
  execFileSync('sqlite3', [db, `
BEGIN;
WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < ${n})
INSERT INTO robot_positions (user_robot_id, side, entered, entry_price, exited, exit_price, fees, profit, opened_at, closed_at)
  SELECT ur.id, 'long', '0.003', '50000', '0.003', '50100', '0.12', '0.18', ${t0} + i * ${day}, ${t0} + i * ${day} + 3600000
  FROM k CROSS JOIN user_robots ur ORDER BY i, ur.id;
INSERT INTO orders (account_id, purpose, venue, symbol, client_order_id, venue_order_id, side, type, price, amount, state, created_at,
                    updated_at, settled_at, user_robot_id, signal_seq, leg, attempt, reduce_only, filled, average_price, fee, applied,
                    fee_pending, position_id)
  SELECT ur.account_id, 'robot', 'binance_futures', 'BTCUSDT', 'hist-' || p.id || '-' || leg.name, 'h' || p.id || leg.name, leg.side,
         'market', '0', '0.003', 'filled', p.opened_at + leg.at, p.opened_at + leg.at, p.opened_at + leg.at, ur.id, -(2 * p.id + leg.exit), leg.name, 0, leg.exit, '0.003',
         leg.price, '0.06', '0.003', 0, p.id
  FROM robot_positions p JOIN user_robots ur ON ur.id = p.user_robot_id
  CROSS JOIN (SELECT 'entry' AS name, 'buy' AS side, 0 AS exit, '50000' AS price, 0 AS at UNION ALL
              SELECT 'exit', 'sell', 1, '50100', 3600000) leg
  ORDER BY p.id, leg.exit;
COMMIT;`]);
}

async function fanOut(robot, action, seq) {
  const after = lastOrderId();
  const stopProfile = await profile(`${action}-${seq}`);
  const stopCounting = Number(opt.syscalls) ? await countSyscalls() : null;
  const cpu0 = cpuOf(serve.proc.pid);
  const exsimCpu0 = cpuOf(exsim.proc.pid);  // the simulator shares the machine: its part of the wait
  const accepted = Date.now();
  const r = await request('POST', `${serve.url}/api/v1/robots/${robot.robot_id}/signals`, {
    body: { id: `bench-${action}-${seq}`, action }, headers: { Authorization: `Bearer ${robot.signal_token}` },
  });
  if (r.status !== 202) throw new Error(`signal: ${r.status} ${r.text}`);
  let peak = memoryOf(serve.proc.pid).rss_mib;
  let l;
  for (const end = Date.now() + opt.timeout * 1000; Date.now() < end; await sleep(100)) {
    peak = Math.max(peak, memoryOf(serve.proc.pid).rss_mib);
    l = ledger(seq, after);
    if (l.n === opt.accounts && l.filled + 0 === opt.accounts) break;
  }
  const wall = (Date.now() - accepted) / 1000;
  const cpu = cpuSince(serve.proc.pid, cpu0);
  const exsim_cpu = cpuSince(exsim.proc.pid, exsimCpu0);
  await stopProfile();
  const syscalls = stopCounting ? await stopCounting() : null;
  const per_order = syscalls && Object.fromEntries(Object.entries(syscalls).map(([k, v]) => [k, Math.round((100 * v) / Math.max(1, l.n)) / 100]));
  return { ...(per_order ? { syscalls_per_order: per_order } : {}), action, orders: l.n, filled: l.filled, accepted_to_first_intent_s: (l.first - accepted) / 1000, accepted_to_last_answer_s: (l.last - accepted) / 1000, waited_s: wall, cpu, exsim_cpu, peak_rss_mib: peak };
}

try {
  const load_before = loadAverage();
  exsim = await startExsim(bin);
  const keys = await createKeys(exsim.url, Array(opt.accounts).fill('binance_futures'), 64);
  writeFileSync(path.join(tmp.dir, 'keys.txt'), keys.map((k) => `${k.key} ${k.secret}`).join('\n') + '\n');
  const seed = path.join(path.dirname(bin), '..', '..', 'bench', 'fanout_seed');
  const robot = JSON.parse(execFileSync(seed, [tmp.dir, path.join(tmp.dir, 'keys.txt'), String(opt.users), String(opt.volume)], { encoding: 'utf8' }));
  if (Number(opt.history)) seedHistory(Number(opt.history));
  serve = await startServe(bin, exsim.url, tmp.dir, { extra: Number(opt.ws) ? ['--orders-over-websocket'] : [] });
  await sleep(opt.settle * 1000);  // the first reconciliation and the venue's weight window behind us
  const idleFrom = cpuOf(serve.proc.pid);
  await sleep(2000);
  const idle = cpuSince(serve.proc.pid, idleFrom);
  const rss_before = memoryOf(serve.proc.pid).rss_mib;
  const results = [];
  const signals = [];
  for (let round = 0; round < Number(opt.rounds); ++round) signals.push(['long', 2 * round + 1], ['close', 2 * round + 2]);
  for (const [action, seq] of signals) {
    const r = await fanOut(robot, action, seq);
    const idleShare = { user_s: (idle.user_s * r.waited_s) / 2, system_s: (idle.system_s * r.waited_s) / 2 };
    r.cpu_per_order_us = Math.round(((r.cpu.user_s + r.cpu.system_s - idleShare.user_s - idleShare.system_s) * 1e6) / Math.max(1, r.orders));
    results.push(r);
    await sleep(2000);
  }
  const rss_after = memoryOf(serve.proc.pid).rss_mib;
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
  const summary = {};
  for (const action of ['long', 'close']) {
    const of = results.filter((r) => r.action === action);
    summary[action] = { accepted_to_last_answer_s: median(of.map((r) => r.accepted_to_last_answer_s)), cpu_per_order_us: median(of.map((r) => r.cpu_per_order_us)) };
  }
  const report = { accounts: opt.accounts, users: opt.users, history: Number(opt.history), machine: machine(), load_before, idle_cpu_2s: idle, rss_before_mib: rss_before, rss_after_mib: rss_after, summary, results };
  await stop(serve);
  serve = null;
  if (Number(opt.ccxt)) {
    const c = spawnSync('node', ['--max-old-space-size=16384', path.join(path.dirname(new URL(import.meta.url).pathname), 'ccxt_fanout.mjs'), '--exsim', exsim.url, '--keys', path.join(tmp.dir, 'keys.txt'), '--volume', String(opt.volume), '--sockets', '256'], { encoding: 'utf8', timeout: opt.timeout * 1000 });
    report.ccxt = c.status === 0 ? JSON.parse(c.stdout.trim().split('\n').pop()) : { error: c.stderr.slice(-2000) };
  }
  console.log(JSON.stringify(report));
} finally {
  if (serve) await stop(serve);
  if (exsim) await stop(exsim);
  tmp.remove();
}
