// A `tradebridge` subcommand as a child process whose first stdout line is its JSON announcement
// ({"listening": ...}); everything it prints is kept. Children still running when the test process ends
// (a failed before(), an interrupted run) are killed with it. Shared by tests/e2e and tests/telegram, with the simulator below.
import { spawn } from 'node:child_process';

const children = new Set();
process.on('exit', () => {
  for (const c of children) c.kill('SIGKILL');
});

export function startChild(bin, args, { env = {}, label }) {
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  children.add(child);
  child.once('exit', () => children.delete(child));
  const out = { stdout: '', stderr: '' };
  let exited = null;
  const exitPromise = new Promise((resolve) => child.once('exit', (code, signal) => { exited = { code, signal }; resolve(exited); }));
  const first = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${label} did not start within 20 s: ${out.stderr}`)), 20000);
    child.stdout.on('data', (d) => {
      const before = out.stdout;
      out.stdout += d.toString();
      if (!before.includes('\n') && out.stdout.includes('\n')) {
        clearTimeout(timer);
        try { resolve(JSON.parse(out.stdout.slice(0, out.stdout.indexOf('\n')))); } catch (e) { reject(e); }
      }
    });
    child.stderr.on('data', (d) => { out.stderr += d.toString(); });
    exitPromise.then(({ code, signal }) => { clearTimeout(timer); reject(new Error(`${label} exited (${code ?? signal}) before it listened: ${out.stderr}`)); });
  });
  return {
    child, out, first, exitPromise,
    get exited() { return exited; },
    output: () => out.stdout + out.stderr,
    async stop(signal = 'SIGTERM') {
      if (exited) return exited;
      child.kill(signal);
      return exitPromise;
    },
  };
}

// `tradebridge exsim --port 0` with its admin API as methods (src/exsim/server/admin_api.cpp). seed: null
// starts it without --seed (keys from the system CSPRNG).
export async function startExsim(bin, { seed = 1, args = [] } = {}) {
  const seedArgs = seed === null ? [] : ['--seed', String(seed)];
  const p = startChild(bin, ['exsim', '--port', '0', ...seedArgs, ...args], { label: 'exsim' });
  const url = (await p.first).listening;
  async function admin(method, path, body) {
    const r = await fetch(url + path, {
      method, headers: body ? { 'Content-Type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined,
    });
    const text = await r.text();
    if (!r.ok) throw new Error(`${method} ${path}: HTTP ${r.status} ${text}`);
    return text ? JSON.parse(text) : null;
  }
  return {
    url, proc: p,
    // {venue, label, permissions:{read,trade,futures,withdraw}, ip_whitelist:[], balances:{USDT:"1000"}} -> {key, secret}
    createKey: (spec) => admin('POST', '/exsim/v1/keys', spec),
    deleteKey: (key) => admin('DELETE', '/exsim/v1/keys/' + encodeURIComponent(key)),
    addFault: (fault) => admin('POST', '/exsim/v1/faults', fault),
    clearFaults: () => admin('DELETE', '/exsim/v1/faults'),
    // [{id, venue, endpoint, kind, count, remaining | probability, hold_ms, fired, active}]
    faults: async () => (await admin('GET', '/exsim/v1/faults')).faults,
    orders: async (key) => (await admin('GET', '/exsim/v1/orders?key=' + encodeURIComponent(key))).orders,
    stop: () => p.stop(),
  };
}
