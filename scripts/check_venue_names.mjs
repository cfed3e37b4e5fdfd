// The venue rule of docs/ARCHITECTURE.md: a venue's id or name appears in src/ only inside its own folders
// (src/venues/<venue>/, src/exsim/<venue>/) and in the registries that list them. Everything else reads the
// venues' descriptions. Prints every offending line and fails on any. Run by ctest (style_venue_names):
// node scripts/check_venue_names.mjs [repository root].
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { resolve, join } from 'node:path';

// The places that may name every venue.
const REGISTRIES = new Set([
  'src/venues/registry.cpp',
  'src/venues/connectors.cpp',
  'src/venues/CMakeLists.txt',
  'src/exsim/venues.hpp',
  'src/exsim/venues.cpp',
  'src/exsim/CMakeLists.txt',
]);

const root = resolve(process.argv[2] ?? '.');

// A venue is a folder of src/venues with a description; its words are its id, the id's first part, its
// display name and that name's first word ("binance_futures", "binance", "Binance USD-M Futures", "Binance").
const venues = readdirSync(join(root, 'src/venues'), { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(root, 'src/venues', d.name, 'description.cpp')))
  .map((d) => d.name);
if (venues.length === 0) {
  console.error('check_venue_names: no venue folder with a description.cpp under src/venues');
  process.exit(1);
}
const words = new Set();
for (const id of venues) {
  words.add(id.split('_')[0].toLowerCase());
  const endpoints = join(root, 'src/venues', id, 'endpoints.hpp');
  const name = existsSync(endpoints) ? /kDisplayName = "([^"]+)"/.exec(readFileSync(endpoints, 'utf8'))?.[1] : undefined;
  if (name) words.add(name.split(/\s+/)[0].toLowerCase());
}
const pattern = new RegExp([...words].map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'i');

const own = (file) => venues.some((id) => file.startsWith(`src/venues/${id}/`) || file.startsWith(`src/exsim/${id}/`));
const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', 'src'], { cwd: root, encoding: 'utf8' })
  .split('\n').filter((f) => f && existsSync(resolve(root, f)) && !own(f) && !REGISTRIES.has(f));

let offences = 0;
for (const f of files) {
  readFileSync(resolve(root, f), 'utf8').split('\n').forEach((line, i) => {
    if (!pattern.test(line)) return;
    offences += 1;
    console.log(`${f}:${i + 1}: ${line.trim()}`);
  });
}
console.log(`${offences} line(s) name a venue outside its folders and the registries (venues: ${venues.join(', ')}; words: ${[...words].join(', ')})`);
process.exit(offences ? 1 : 0);
