// A throwaway PostgreSQL for node tests, as tests/support/postgres_server.cpp makes one for the C++ tests:
// initdb and pg_ctl from Debian's postgresql package in a temporary directory, on a free loopback port, run as
// `nobody` when the tests run as root (PostgreSQL refuses root), trust authentication (loopback only, test
// data), and removed with its directory at the end — by stop(), or by a watcher once this process is gone.
import { spawn, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Debian keeps the server's programs out of PATH, per major version; the newest wins.
function binDir() {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))) : [];
  if (!versions.length) throw new Error('no PostgreSQL server under /usr/lib/postgresql: run scripts/setup.sh');
  versions.sort((a, b) => Number(a) - Number(b));
  return join(root, versions.at(-1), 'bin');
}

export const havePostgres = () => { try { return !!binDir(); } catch { return false; } };

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

// {url(db, password), createDatabase(name), stop()}; databases are made empty, owned by the user tb.
// {durable: true} keeps PostgreSQL's own defaults (fsync, full_page_writes, synchronous_commit on) for the
// benchmarks that compare it with SQLite; the tests' default turns them off.
export async function startPostgres({ durable = false } = {}) {
  const asRoot = process.getuid() === 0;
  const dir = mkdtempSync(join(asRoot ? '/tmp' : tmpdir(), 'tb_pg_'));
  if (asRoot) chownSync(dir, 65534, 65534);
  const user = asRoot ? ['setpriv', '--reuid=nobody', '--regid=nogroup', '--clear-groups'] : [];
  const bin = binDir();
  const data = join(dir, 'data');
  const log = join(dir, 'server.log');
  const port = await freePort();
  const run = (program, args) => {
    const cmd = [...user, join(bin, program), ...args];
    const r = spawnSync(cmd[0], cmd.slice(1), { encoding: 'utf8' });
    if (r.status !== 0) {
      const serverLog = existsSync(log) ? readFileSync(log, 'utf8') : '';
      throw new Error(`${program} failed (${r.status}): ${r.stdout}${r.stderr}${serverLog}`);
    }
  };
  try {
    run('initdb', ['-D', data, '-U', 'tb', '-A', 'trust', '-E', 'UTF8', '--no-sync', '--locale=C']);
    const fast = durable ? '' : ' -c fsync=off -c synchronous_commit=off -c full_page_writes=off';
    run('pg_ctl', ['-D', data, '-l', log, '-w', '-t', '60', '-o',
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=200${fast}`, 'start']);
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  const stopCommand = `${user.join(' ')} ${join(bin, 'pg_ctl')} -D ${data} -m immediate stop; rm -rf ${dir}`;
  spawn('sh', ['-c', `while kill -0 ${process.pid} 2>/dev/null; do sleep 1; done; ${stopCommand}`],
    { detached: true, stdio: 'ignore' }).unref();
  let stopped = false;
  return {
    port,
    // The postmaster's pid (benchmarks add up the CPU of it and its children, the backends).
    pid: () => Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]),
    log,  // the server's log file
    url: (db, password) => `postgresql://tb${password ? `:${password}` : ''}@127.0.0.1:${port}/${db}`,
    createDatabase(name) {
      run('createdb', ['-h', '127.0.0.1', '-p', String(port), '-U', 'tb', name]);
    },
    stop() {
      if (stopped) return;
      stopped = true;
      spawnSync('sh', ['-c', stopCommand], { stdio: 'ignore' });
    },
  };
}
