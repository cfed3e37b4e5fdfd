// TOTP codes (RFC 6238: HMAC-SHA-1, 30 s, 6 digits) computed by node's own crypto, independently of the
// server's implementation, for tests that sign in or act with two-factor authentication on.
import { createHmac } from 'node:crypto';

export function fromBase32(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const out = [];
  for (const c of text.replace(/[\s=]/g, '').toUpperCase()) {
    value = (value << 5) | alphabet.indexOf(c);
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

export function totp(secretBase32, step) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', fromBase32(secretBase32)).update(counter).digest();
  const o = mac[mac.length - 1] & 0x0f;
  return String((mac.readUInt32BE(o) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

export const stepNow = () => Math.floor(Date.now() / 30_000);

// A code of a time step no code was used in yet (each opens once; `used` remembers the last step per
// secret): waits for the next step when needed.
export async function freshCode(secretBase32, used) {
  while (stepNow() <= used.step) await new Promise((r) => setTimeout(r, 500));
  used.step = stepNow();
  return totp(secretBase32, used.step);
}
