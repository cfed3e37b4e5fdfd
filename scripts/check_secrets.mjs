// A Secret's bytes leave it only where they must leave as bytes (docs/ARCHITECTURE.md, "a secret is a type"):
// prints every reveal() in src/ outside the files below, each named with its reason, and fails on one; an
// allowed file that no longer calls reveal() fails too, so the list stays exact. Run by ctest
// (style_secrets): node scripts/check_secrets.mjs [repository root].
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

const ALLOWED = {
  'src/crypto/signer.cpp': 'LocalSigner keys the HMAC with the secret\'s bytes',
  'src/vault/vault.cpp': 'seal: the plaintext goes into the AEAD',
  'src/vault/vault_signer.cpp': 'VaultSigner: the opened key pair keys the HMAC, the API key goes in a header',
  'src/auth/tokens.cpp': 'the server\'s CSRF key keys the HMAC of CSRF tokens',
  'src/auth/totp.cpp': 'match_totp: the opened TOTP secret keys the HOTP MAC',
  'src/store/pg/pg_conninfo.cpp': 'a postgresql:// URL\'s password goes into libpq\'s connection string',
  'src/telegram/bot_api.cpp': 'the bot token goes in the Bot API\'s request URL (its public bot id is read from it, and it is cut out of transport errors)',
};

// A call or a member pointer (".reveal(", "->reveal(", "Secret::reveal"), not the declaration.
const USE = /(?:\.|->|::)\s*reveal\b/;

const root = resolve(process.argv[2] ?? '.');
const files = execFileSync('git', ['ls-files', 'src/*.cpp', 'src/*.hpp'], { cwd: root, encoding: 'utf8' }).split('\n').filter(Boolean);
const seen = new Set();
let failed = false;
for (const f of files) {
  const lines = readFileSync(resolve(root, f), 'utf8').split('\n');
  lines.forEach((line, i) => {
    const code = line.replace(/\/\/.*$/, '');
    if (!USE.test(code)) return;
    seen.add(f);
    const reason = ALLOWED[f];
    console.log(`${reason ? 'allowed' : 'NEW    '} ${f}:${i + 1}: ${line.trim()}${reason ? ` — ${reason}` : ''}`);
    if (!reason) failed = true;
  });
}
for (const f of Object.keys(ALLOWED)) {
  if (!seen.has(f)) {
    console.log(`GONE    ${f}: no reveal() left; take it off the list in scripts/check_secrets.mjs`);
    failed = true;
  }
}
console.log(`reveal() in ${seen.size} files of src/; ${failed ? 'FAILED: a Secret is revealed only where its bytes must leave as bytes; pass the Secret on, or ask it (size, trimmed, all_in, ...)' : 'ok'}`);
process.exit(failed ? 1 : 0);
