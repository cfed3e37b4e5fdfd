// @ts-check
// Display formats. Amounts stay the decimal strings the API sends; only totals in USD are rounded for show.
import { h } from './dom.js';

const usdFormat = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });

/** @param {string | number | null | undefined} decimal */
export function usd(decimal) {
  const n = Number(decimal);
  return Number.isFinite(n) ? usdFormat.format(n) : '—';
}

// "1000.00000000" -> "1000", "0.25000" -> "0.25"; exact, never through a float.
/** @param {string | number | null | undefined} decimal */
export function amount(decimal) {
  if (typeof decimal !== 'string') return decimal === undefined || decimal === null ? '—' : String(decimal);
  if (!decimal.includes('.')) return decimal;
  const trimmed = decimal.replace(/0+$/, '').replace(/\.$/, '');
  return trimmed === '' || trimmed === '-' ? '0' : trimmed;
}

/**
 * @param {string} iso
 * @param {number} [now]
 */
export function relative(iso, now = Date.now()) {
  const t = Date.parse(iso);
  if (!Number.isFinite(t)) return '—';
  const s = Math.round((now - t) / 1000);
  if (s < 0) {
    const ahead = -s;
    if (ahead < 90) return 'in a minute';
    if (ahead < 5400) return `in ${Math.round(ahead / 60)} min`;
    return new Date(t).toLocaleString();
  }
  if (s < 10) return 'just now';
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86400) return `${Math.round(s / 3600)} h ago`;
  return new Date(t).toLocaleDateString();
}

/**
 * @param {string | null | undefined} iso
 * @param {string} [fallback]
 */
export function timeEl(iso, fallback = 'never') {
  if (!iso) return h('span', { class: 'muted' }, fallback);
  return h('time', { datetime: iso, title: new Date(iso).toLocaleString() }, relative(iso));
}

/** @param {string} iso */
export function date(iso) {
  const t = Date.parse(iso);
  return Number.isFinite(t) ? new Date(t).toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' }) : '—';
}

/** @type {Map<number, Intl.NumberFormat>} */
const fixedFormats = new Map();

// A statistic for show, rounded to `digits` with thousands separators: 1234.5 -> "1,234.50". Decimal strings are
// rounded for display only; null and undefined are "—".
/**
 * @param {string | number | null | undefined} value
 * @param {number} [digits]
 */
export function fixed(value, digits = 2) {
  if (value === null || value === undefined || value === '') return '—';
  const n = Number(value);
  if (!Number.isFinite(n)) return '—';
  let f = fixedFormats.get(digits);
  if (!f) {
    f = new Intl.NumberFormat('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
    fixedFormats.set(digits, f);
  }
  const text = f.format(n);
  return /^-0(\.0*)?$/.test(text) ? text.slice(1) : text;
}

/**
 * @param {string | number | null | undefined} value a percentage: 12.5 for 12.5 %
 * @param {number} [digits]
 */
export function percent(value, digits = 2) {
  const text = fixed(value, digits);
  return text === '—' ? text : `${text}%`;
}

/** @param {string} iso */
export function dateTime(iso) {
  const t = Date.parse(iso);
  return Number.isFinite(t)
    ? new Date(t).toLocaleString(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' })
    : '—';
}
