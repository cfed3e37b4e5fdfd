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
//                                     [--syscalls 0]
// --rounds N sends N long/close pairs; the summary gives each measure's median over the rounds.
// --perf PREFIX records serve with `perf record` during each fan-out into PREFIX-<action>-<seq>.data. The
// samples copy serve's stacks, which may hold the keys it signs with: the simulator's throwaway keys here.
// --syscalls 1 counts serve's system calls during each fan-out (`perf stat` on the syscall tracepoints) and
// reports them per order; the counting costs serve some CPU, so its CPU figures are not the plain ones.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import {
  cpuOf, cpuSince, createKeys, loadAverage, machine, memoryOf, parseArgs, request, sleep, startExsim, startServe, stop, tempDir,
  tradebridgeBinary,
} from './lib.mjs';

const opt = parseArgs(process.argv.slice(2), { build: 'build', accounts: 10000, users: 1000, volume: '150', timeout: 300, settle: 65, ccxt: 1, rounds: 1, perf: '', syscalls: 0 });
if (!(Number.isInteger(Number(opt.rounds)) && Number(opt.rounds) >= 1)) throw new Error(`--rounds: a whole number from 1, not '${opt.rounds}'`);
const bin = tradebridgeBinary(opt.build);
const tmp = tempDir('tb-bench-fanout-');
const db = path.join(tmp.dir, 'tradebridge.db');
let exsim, serve;

// Orders of the signal `seq` in serve's ledger: how many, how many filled, the first creation and last settle.
function ledger(seq) {
  const sql = `SELECT count(*), sum(state = 'filled'), min(created_at), max(settled_at) FROM orders WHERE purpose = 'robot' AND signal_seq = ${seq};`;
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

async function fanOut(robot, action, seq) {
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
    l = ledger(seq);
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
  serve = await startServe(bin, exsim.url, tmp.dir);
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
  const report = { accounts: opt.accounts, users: opt.users, machine: machine(), load_before, idle_cpu_2s: idle, rss_before_mib: rss_before, rss_after_mib: rss_after, summary, results };
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
