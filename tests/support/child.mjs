// A `tradebridge` subcommand as a child process whose first stdout line is its JSON announcement
// ({"listening": ...}); everything it prints is kept. Children still running when the test process ends
// (a failed before(), an interrupted run) are killed with it. Shared by tests/e2e and tests/telegram.
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
