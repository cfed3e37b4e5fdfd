// @ts-check
// Whether the signed-in user has two-factor authentication on, and the code field the actions it guards
// show (adding or replacing keys, linking Telegram, turning it off). Known from GET /api/v1/auth/2fa after
// sign-in; a 403 totp_required on an action says it changed meanwhile.
import { h } from './dom.js';
import { get } from './api.js';
import { paths } from './api-paths.js';
import { field } from './ui.js';

/** GET /auth/2fa. @typedef {{ enabled: boolean, recovery_codes_left?: number }} TwoFactorStatus */
/**
 * A code field that shows itself when the server asks for a code.
 * @typedef {import('./ui.js').Field & { read(): string | null | undefined, take(err: import('./api.js').ApiError): boolean }} GateField
 */

const state = { enabled: false, recoveryCodesLeft: 0 };

export function twoFactorOn() {
  return state.enabled;
}

export async function loadTwoFactor() {
  try {
    /** @type {TwoFactorStatus} */
    const s = await get(paths.twoFactor);
    state.enabled = Boolean(s.enabled);
    state.recoveryCodesLeft = s.recovery_codes_left ?? 0;
  } catch {
    // an older server, or a network hiccup: the actions ask when the server says so (403 totp_required)
  }
  return state;
}

/** @param {boolean} enabled */
export function setTwoFactor(enabled) {
  state.enabled = enabled;
}

// "The 6-digit code from your authenticator app" — a recovery code works in its place.
/** @param {{ label?: string, hint?: string }} [options] */
export function codeField({ label = 'Authenticator code', hint = 'The 6 digits your authenticator app shows now, or one of your recovery codes.' } = {}) {
  const input = h('input', {
    type: 'text', name: 'totp_code', inputmode: 'numeric', autocomplete: 'one-time-code', maxlength: '20',
    spellcheck: 'false', autocapitalize: 'off', class: 'totp-input',
  });
  return field({ label, input, hint });
}

// The typed code, or null with the field's error set.
/** @param {import('./ui.js').Field} f */
export function readCode(f) {
  const v = f.input.value.replace(/[\s-]/g, '');
  if (/^\d{6}$/.test(v) || /^[a-z2-7]{12}$/i.test(v)) return f.input.value.trim();
  f.setError('Type the 6 digits your authenticator app shows now.');
  f.input.focus();
  return null;
}

// The code field of an action two-factor authentication guards: shown while it is on, or once the server
// says so. read(): undefined while hidden, null (with the error shown) when the typed text cannot be a code.
/** @returns {GateField} */
export function gateField() {
  const f = codeField();
  f.wrap.hidden = !state.enabled;
  return {
    ...f,
    read() {
      f.clearError();
      return f.wrap.hidden ? undefined : readCode(f);
    },
    // A 403 totp_required: show the field with the server's words (two-factor may have been turned on
    // meanwhile). True when it took the error.
    take(err) {
      f.input.value = '';
      if (err.code !== 'totp_required') return false;
      state.enabled = true;
      f.wrap.hidden = false;
      f.setError(err.plain);
      f.input.focus();
      return true;
    },
  };
}
