// Starts `tradebridge exsim` on a free loopback port for one test file and drives its admin API.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

export async function startExsim(extraArgs = []) {
  const bin = process.env.TB_BIN;
  if (!bin) throw new Error('TB_BIN must point at the tradebridge binary');
  const child = spawn(bin, ['exsim', '--port', '0', '--seed', '1', ...extraArgs], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  // The first line on stdout is {"listening":"http://127.0.0.1:PORT"}.
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('exsim did not start within 20 s')), 20000);
    child.once('exit', (code) => reject(new Error(`exsim exited with ${code}`)));
    lines.once('line', (line) => { clearTimeout(timer); resolve(JSON.parse(line).listening); });
  });
  async function admin(method, path, body) {
    const r = await fetch(url + path, {
      method, headers: body ? { 'Content-Type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined,
    });
    const text = await r.text();
    if (!r.ok) throw new Error(`${method} ${path}: HTTP ${r.status} ${text}`);
    return text ? JSON.parse(text) : null;
  }
  return {
    url,
    // {venue, label, permissions:{read,trade,futures,withdraw}, ip_whitelist:[], balances:{USDT:"1000"}} -> {key, secret}
    createKey: (spec) => admin('POST', '/exsim/v1/keys', spec),
    // The simulated walk takes one step a minute (on the shared wall clock): a price set in the last 10 s of
    // a minute could move under the test's next calls, so wait for the next minute first.
    setPrice: async (venue, symbol, price) => {
      const intoMinute = Date.now() % 60000;
      if (intoMinute > 50000) await new Promise((r) => setTimeout(r, 60000 - intoMinute + 50));
      return admin('POST', '/exsim/v1/prices', { venue, symbol, price: String(price) });
    },
    addFault: (fault) => admin('POST', '/exsim/v1/faults', fault),
    // {venue, order_id|client_order_id, key?, amount} -> the order after part of it filled at its limit price.
    fill: (spec) => admin('POST', '/exsim/v1/fills', spec),
    orders: async (key) => (await admin('GET', '/exsim/v1/orders?key=' + encodeURIComponent(key))).orders,
    stop: () => new Promise((resolve) => { child.once('exit', resolve); child.kill('SIGTERM'); }),
  };
}
