// The size rule of docs/ARCHITECTURE.md: no file in src/ over 500 lines, no function over 60. Prints every
// offender; fails on one that is not among the known ones below (each with its reason and the issue that
// removes it), and on a known one that no longer offends (so the list only shrinks). Run by ctest
// (style_sizes): node scripts/check_sizes.mjs [repository root].
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

const MAX_FILE = 500;
const MAX_FUNCTION = 60;

// 'path' for a file, 'path:function' for a function.
const KNOWN = {
  'src/exsim/engine/persistence.cpp:Exchange::load': 'one block per table of the simulator\'s state',
  'src/web/openapi.cpp:openapi_document': 'the OpenAPI document\'s fixed parts, one statement each',
  'src/web/routes_accounts.cpp:Api::add_account_routes': 'a route table: one registration and its documentation per route',
};

// A definition starts at column 0 with a signature (on up to 6 lines, its last ending in '{') and ends at the
// first line that is a '}' at column 0.
const START = /^(?!namespace|struct|class|enum|union|extern|typedef|using|template|#|\/\/|\s|\}|\*)[^;=]*\(/;

const root = resolve(process.argv[2] ?? '.');
const files = execFileSync('git', ['ls-files', 'src/*.cpp', 'src/*.hpp'], { cwd: root, encoding: 'utf8' }).split('\n').filter(Boolean);
const found = new Map();
for (const f of files) {
  const lines = readFileSync(resolve(root, f), 'utf8').split('\n');
  if (lines.length - 1 > MAX_FILE) found.set(f, `${lines.length - 1} lines`);
  for (let i = 0; i < lines.length; i += 1) {
    if (!START.test(lines[i])) continue;
    let open = i;
    while (open < i + 6 && open < lines.length && !/[{};]\s*$/.test(lines[open])) open += 1;
    if (open >= lines.length || !/\{\s*$/.test(lines[open])) continue;
    let j = open + 1;
    while (j < lines.length && !lines[j].startsWith('}')) j += 1;
    const name = lines[i].slice(0, lines[i].indexOf('(')).trim().split(/\s+/).pop().replace(/^[*&]+/, '');
    if (j - i + 1 > MAX_FUNCTION) found.set(`${f}:${name}`, `${j - i + 1} lines, from line ${i + 1}`);
    i = j;
  }
}
let failed = false;
for (const [what, size] of found) {
  const known = KNOWN[what];
  console.log(`${known ? 'known' : 'NEW  '} ${what}: ${size}${known ? ` — ${known}` : ''}`);
  if (!known) failed = true;
}
for (const what of Object.keys(KNOWN)) {
  if (!found.has(what)) {
    console.log(`GONE  ${what}: within the limits now; take it off the list in scripts/check_sizes.mjs`);
    failed = true;
  }
}
console.log(`${found.size} over the limits (files ${MAX_FILE} lines, functions ${MAX_FUNCTION}); ${failed ? 'FAILED' : 'ok'}`);
process.exit(failed ? 1 : 0);
