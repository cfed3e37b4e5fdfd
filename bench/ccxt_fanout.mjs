// The peer of bench/robots_fanout.mjs: the same orders sent with ccxt's binanceusdm (npm), an instance per
// key with the markets loaded once and shared, over one keep-alive agent with a connection cap, to the same
// simulator. One market buy per key at --volume quote (amount rounded down to the market's step), all at
// once; reports wall time, this process's CPU per order and its RSS.
//
// Usage: node bench/ccxt_fanout.mjs --exsim URL --keys FILE [--volume 150] [--sockets 64]
//   FILE: one "key secret" pair a line (as robots_fanout.mjs writes it).
import { readFileSync } from 'node:fs';
import http from 'node:http';

import ccxt from 'ccxt';

import { parseArgs, pool } from './lib.mjs';

const opt = parseArgs(process.argv.slice(2), { exsim: '', keys: '', volume: '150', sockets: 64 });
const SYMBOL = 'BTC/USDT:USDT';
const agent = new http.Agent({ keepAlive: true, maxSockets: Number(opt.sockets) });

// ccxt unchanged but for its base URLs (as tests/compat/binance_futures.test.mjs points it at the simulator)
// and its recvWindow.
function client(key, secret, markets) {
  // recvWindow at the venue's maximum: ccxt signs each request when it is made and then waits for a socket,
  // and on a slow machine the last of 10,000 waited longer than its default 10 s (-1021 from the simulator).
  const ex = new ccxt.binanceusdm({ apiKey: key, secret, enableRateLimit: false, httpAgent: agent, options: { recvWindow: 60000 } });
  for (const [name, value] of Object.entries(ex.urls.api)) {
    if (typeof value === 'string' && value.startsWith('https://')) ex.urls.api[name] = opt.exsim + new URL(value).pathname;
  }
  if (markets) ex.setMarkets(markets);
  return ex;
}

const pairs = readFileSync(opt.keys, 'utf8').trim().split('\n').map((l) => l.split(' '));
const first = client(pairs[0][0], pairs[0][1]);
const markets = await first.loadMarkets();
const ticker = await first.fetchTicker(SYMBOL);
const amount = Number(first.amountToPrecision(SYMBOL, Number(opt.volume) / ticker.last));
const rssBefore = process.memoryUsage().rss;
const clients = pairs.map(([k, s]) => client(k, s, markets));
const cpu0 = process.cpuUsage();
const t0 = performance.now();
let errors = 0;
let firstError;  // what the first failure said: a run with errors names its cause
let peak = process.memoryUsage().rss;
await pool(clients, clients.length, async (ex) => {
  try {
    await ex.createOrder(SYMBOL, 'market', 'buy', amount);
  } catch (e) {
    errors += 1;
    firstError ??= `${e.constructor.name}: ${String(e.message).slice(0, 300)}`;
  }
  peak = Math.max(peak, process.memoryUsage().rss);
});
const wall = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
console.log(JSON.stringify({
  peer: `ccxt ${ccxt.version} binanceusdm`, orders: clients.length, errors, amount, wall_s: +wall.toFixed(2),
  cpu_per_order_us: Math.round((cpu.user + cpu.system) / clients.length), rss_before_mib: +(rssBefore / 2 ** 20).toFixed(1),
  peak_rss_mib: +(peak / 2 ** 20).toFixed(1), ...(firstError ? { first_error: firstError } : {}),
}));
agent.destroy();
