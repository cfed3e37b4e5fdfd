// Helpers of the standing security suite (tests/security/): recognisable canary secrets and a scan for them
// in every form a careless encoder would leave them, a record of every HTTP answer of one server, a
// deterministic PRNG, a bounded worker pool, and /proc readings of a child. The servers, users and key specs
// come from ../e2e/lib.mjs.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

import { keySpec } from '../e2e/lib.mjs';

// ---- deterministic randomness ----

// mulberry32: a small seeded PRNG, so a failing run can be repeated with the seed it printed.
export function prng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n) => Math.floor(next() * n);
  return { next, int, pick: (xs) => xs[int(xs.length)], chance: (p) => next() < p };
}

export const seedFromEnv = (name, fallback) => {
  const v = process.env[name];
  return v ? Number(v) >>> 0 : fallback;
};

// Runs fn(item, index) over items with at most `width` at once; resolves to the results in order.
export async function pool(items, width, fn) {
  const out = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
  return out;
}

// ---- canary secrets ----

// Every canary starts with MARKER, so a piece of one is recognisable anywhere, and carries its number.
export const MARKER = 'TBcanary7';
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

// A canary secret in the venue's format (src/accounts/key_input.cpp): Binance 64 and Bitfinex 43 letters and
// digits; Kraken the base64 of 64 bytes (88 characters), whose first 84 characters are ours.
export function canarySecret(venue, n, rnd) {
  const head = `${MARKER}${venue[0]}${String(n).padStart(5, '0')}x`;
  const fill = (len) => {
    let s = head;
    while (s.length < len) s += ALNUM[rnd.int(ALNUM.length)];
    return s;
  };
  if (venue === 'binance_futures') return fill(64);
  if (venue === 'bitfinex') return fill(43);
  const bytes = Buffer.concat([Buffer.from(fill(84), 'base64'), Buffer.from([rnd.int(256)])]);
  const s = bytes.toString('base64');
  if (bytes.length !== 64 || s.length !== 88 || !s.startsWith(head)) throw new Error(`kraken canary ${s}`);
  return s;
}

// Hands out simulator keys whose secrets are canaries; `all` keeps every secret handed out.
export class Canaries {
  constructor(sim, seed) {
    this.sim = sim;
    this.rnd = prng(seed);
    this.all = [];
  }

  async key(venue, opts = {}) {
    const secret = canarySecret(venue, this.all.length + 1, this.rnd);
    this.all.push(secret);
    const k = await this.sim.createKey({ ...keySpec(venue, { label: 'canary', ...opts }), secret });
    if (k.secret !== secret) throw new Error(`the simulator did not keep the canary secret: ${k.secret}`);
    return k;
  }
}

// ---- the scan ----

export const WINDOW = 12;  // a piece of this many bytes of any form of any canary counts as a leak

// Every WINDOW-byte piece of every form of the secrets: raw, base64 (at the three byte alignments it may
// sit at inside a longer encoded blob), hex in both cases, percent-encoded, and for a base64 secret
// (Kraken's) the bytes it decodes to, raw and hex. Keys are latin1 strings; values name the form.
export function needles(secrets) {
  const out = new Map();
  const add = (s, form) => {
    for (let i = 0; i + WINDOW <= s.length; ++i) if (!out.has(s.slice(i, i + WINDOW))) out.set(s.slice(i, i + WINDOW), form);
  };
  for (const secret of secrets) {
    const raw = Buffer.from(secret, 'latin1');
    add(secret, 'raw');
    for (let shift = 0; shift < 3; ++shift) {
      const b64 = Buffer.concat([Buffer.alloc(shift), raw]).toString('base64');
      const inner = b64.slice(Math.ceil((shift * 4) / 3) + 1, -4);  // the characters that depend on the secret alone
      add(inner, 'base64');
      add(inner.replace(/\+/g, '-').replace(/\//g, '_'), 'base64url');
    }
    const hex = raw.toString('hex');
    add(hex, 'hex');
    add(hex.toUpperCase(), 'HEX');
    const pct = encodeURIComponent(secret);
    if (pct !== secret) add(pct, 'percent-encoded');
    if (/^[A-Za-z0-9+/]+=*$/.test(secret) && secret.length === 88) {
      const bytes = Buffer.from(secret, 'base64');
      add(bytes.toString('latin1'), 'decoded bytes');
      add(bytes.toString('hex'), 'decoded hex');
    }
  }
  return out;
}

// The canary pieces found in `text` (a string, or a Buffer read as latin1): [{at, form, piece}], at most 5.
export function findLeaks(text, table) {
  const s = Buffer.isBuffer(text) ? text.toString('latin1') : String(text);
  const hits = [];
  for (let i = 0; i + WINDOW <= s.length; ++i) {
    const piece = s.slice(i, i + WINDOW);
    const form = table.get(piece);
    if (form) {
      hits.push({ at: i, form, piece, context: s.slice(Math.max(0, i - 30), i + 40) });
      if (hits.length >= 5) break;
      i += WINDOW - 1;
    }
  }
  if (s.includes(MARKER) && !hits.length) hits.push({ at: s.indexOf(MARKER), form: 'marker', piece: MARKER });
  return hits;
}

// Every file under dir (recursively), as {name, bytes}.
export function filesUnder(dir, prefix = '') {
  const out = [];
  for (const f of readdirSync(dir)) {
    const p = join(dir, f);
    const st = statSync(p);
    if (st.isDirectory()) out.push(...filesUnder(p, `${prefix}${f}/`));
    else if (st.isFile()) out.push({ name: prefix + f, bytes: readFileSync(p) });
  }
  return out;
}

// ---- a record of one server's HTTP answers ----

// Wraps global fetch: every answer from a URL starting with `base()` is kept as its status line, headers
// and body text (an event stream: its headers; the stream is read by subscribe()).
export function recordAnswers(base) {
  const answers = [];
  const original = globalThis.fetch;
  globalThis.fetch = async (url, init) => {
    const r = await original(url, init);
    const b = base();
    if (b && String(url).startsWith(b)) {
      const head = `${r.status} ${String(url)}\n${[...r.headers].map(([k, v]) => `${k}: ${v}`).join('\n')}`;
      const entry = { head, body: '' };
      answers.push(entry);
      if (!(r.headers.get('content-type') || '').includes('text/event-stream')) entry.body = await r.clone().text();
    }
    return r;
  };
  return { answers, text: () => answers.map((a) => `${a.head}\n\n${a.body}`).join('\n'), restore: () => { globalThis.fetch = original; } };
}

// ---- /proc ----

export function vmRssKiB(pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : null;
}

// The soft and hard core size limits of a process ("unlimited" or a number of bytes).
export function coreLimit(pid) {
  const line = readFileSync(`/proc/${pid}/limits`, 'utf8').split('\n').find((l) => l.startsWith('Max core file size'));
  const [soft, hard] = line.replace('Max core file size', '').trim().split(/\s+/);
  return { soft, hard };
}

export const figure = (...parts) => console.log(`figure: ${parts.join(' ')}`);
