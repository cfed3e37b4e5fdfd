// The type check of the web app (docs/ARCHITECTURE.md, "Habits"): every file of web/js starts with
// `// @ts-check`, spells no /api/ path of its own (they all live in web/js/api-paths.js), and TypeScript's
// `tsc --noEmit` (from npm, tsconfig.json at the root) finds no error in its JSDoc types. Run by ctest
// (style_web_types): node scripts/check_web.mjs [repository root].
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join, relative, resolve } from 'node:path';

const root = resolve(process.argv[2] ?? '.');
const PATHS_MODULE = 'web/js/api-paths.js';
// A string or template literal that starts with an API path; comments may name paths freely.
const API_LITERAL = /['"`]\/api\//;

function jsFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return jsFiles(p);
    return e.name.endsWith('.js') ? [p] : [];
  });
}

const problems = [];
const files = jsFiles(join(root, 'web/js'));
for (const file of files) {
  const rel = relative(root, file);
  const lines = readFileSync(file, 'utf8').split('\n');
  if (lines[0] !== '// @ts-check') problems.push(`${rel}:1: the first line must be "// @ts-check"`);
  if (rel === PATHS_MODULE) continue;
  lines.forEach((line, i) => {
    if (API_LITERAL.test(line)) problems.push(`${rel}:${i + 1}: an API path outside ${PATHS_MODULE}: ${line.trim()}`);
  });
}
for (const p of problems) console.log(p);

const tsc = join(root, 'node_modules/typescript/bin/tsc');
let typesOk = false;
if (!existsSync(tsc)) {
  console.log('TypeScript is missing from node_modules: run scripts/setup.sh (npm ci installs it from package-lock.json)');
} else {
  const run = spawnSync(process.execPath, [tsc, '--noEmit', '-p', join(root, 'tsconfig.json')], { cwd: root, encoding: 'utf8' });
  process.stdout.write(run.stdout ?? '');
  process.stderr.write(run.stderr ?? '');
  if (run.error) console.log(`tsc did not run: ${run.error.message}`);
  typesOk = run.status === 0;
}
const failed = problems.length > 0 || !typesOk;
console.log(`${files.length} files of web/js; ${problems.length} rule problems; tsc ${typesOk ? 'found no type error' : 'FAILED'}; ${failed ? 'FAILED' : 'ok'}`);
process.exit(failed ? 1 : 0);
