// clang-tidy with the checks of .clang-tidy over every .cpp of src/ (and through them the headers of src/;
// tests/, bench/ and the system's libraries are left out), each compiled as the build's
// compile_commands.json says, JOBS (2) at a time. Prints each finding once (a header's is met in every file
// that includes it) and fails on any. Run by `make tidy`, and by ctest (style_tidy) when configured with
// -DTB_TIDY_CHECK=ON.
// Usage: node scripts/tidy.mjs [build directory] [file...]   (files default to every src/*.cpp)
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const build = resolve(process.argv[2] ?? resolve(root, 'build'));
const jobs = Math.max(1, Number(process.env.JOBS ?? 2));
const files = process.argv.length > 3
  ? process.argv.slice(3).map((f) => resolve(f))
  : execFileSync('git', ['ls-files', 'src/*.cpp'], { cwd: root, encoding: 'utf8' }).split('\n').filter(Boolean).map((f) => resolve(root, f));

if (!existsSync(resolve(build, 'compile_commands.json'))) {
  console.log(`${build}/compile_commands.json is missing: configure first (make build)`);
  process.exit(1);
}

// Boost 1.74 turns on Asio's coroutines (net::Task) for GCC, but for clang only with the Coroutines TS: tell
// it that clang's C++20 coroutines are there, as GCC's are in the real build.
const ARGS = ['--quiet', `-p=${build}`, '--extra-arg=-DBOOST_ASIO_HAS_CO_AWAIT=1'];
const DIAGNOSTIC = /^\S+:\d+:\d+: (warning|error): /;
const NOISE = /^(\d+ warnings? (and \d+ errors? )?generated\.|Suppressed \d+ warnings|Use -header-filter|Error while processing|Found compiler errors?)/;

function tidy(file) {
  return new Promise((done) => {
    const child = spawn('clang-tidy', [...ARGS, file], { cwd: root });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    child.on('error', (e) => done({ file, status: -1, out: `clang-tidy did not run (${e.message}): run scripts/setup.sh\n` }));
    child.on('close', (status) => done({ file, status, out }));
  });
}

const start = Date.now();
const findings = new Map(); // first line of a diagnostic -> the whole diagnostic
const failed = [];
let next = 0;
async function worker() {
  while (next < files.length) {
    const r = await tidy(files[next++]);
    let block = null;
    for (const line of r.out.split('\n')) {
      if (DIAGNOSTIC.test(line)) {
        block = [line];
        r.reported = true;
        if (!findings.has(line)) findings.set(line, block);
      } else if (block && line && !NOISE.test(line)) {
        block.push(line);
      }
    }
    if (r.status !== 0) failed.push(r);
  }
}
await Promise.all(Array.from({ length: jobs }, worker));
for (const block of findings.values()) console.log(block.join('\n'));
for (const r of failed) if (!r.reported) console.log(`${r.file}: clang-tidy failed\n${r.out}`);
const seconds = Math.round((Date.now() - start) / 1000);
const ok = findings.size === 0 && failed.length === 0;
console.log(`clang-tidy over ${files.length} files of src/ in ${seconds} s: ${ok ? 'no finding' : `${findings.size} findings; FAILED`}`);
process.exit(ok ? 0 : 1);
