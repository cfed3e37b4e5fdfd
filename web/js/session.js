// @ts-check
// Who is signed in, kept in memory only: a reload asks the server again (GET /api/v1/me).
import { api, ApiError, setCsrfToken } from './api.js';
import { paths } from './api-paths.js';

/** @typedef {{ id: number, email: string, created_at: string }} User */
/** The answer of GET /me and of signing in. @typedef {{ user: User, csrf_token: string }} SessionAnswer */

/** @type {{ user: User | null }} */
export const session = { user: null };

export function isSignedIn() {
  return session.user !== null;
}

/**
 * @param {User} user
 * @param {string} csrfToken
 */
export function setSession(user, csrfToken) {
  session.user = user;
  setCsrfToken(csrfToken);
}

export function clearSession() {
  session.user = null;
  setCsrfToken(null);
}

// True when the session cookie is valid; false when signed out; throws when the server cannot be asked.
export async function loadSession() {
  try {
    /** @type {SessionAnswer} */
    const me = await api('GET', paths.me);
    setSession(me.user, me.csrf_token);
    return true;
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      clearSession();
      return false;
    }
    throw e;
  }
}

// totpCode: with two-factor on, the second try after the server answered 403 totp_required.
/**
 * @param {string} email
 * @param {string} password
 * @param {string | null} [totpCode]
 * @returns {Promise<User>}
 */
export async function signIn(email, password, totpCode = null) {
  /** @type {{ email: string, password: string, totp_code?: string }} */
  const body = { email, password };
  if (totpCode) body.totp_code = totpCode;
  /** @type {SessionAnswer} */
  const r = await api('POST', paths.login, body);
  setSession(r.user, r.csrf_token);
  return r.user;
}

export async function signOut() {
  await api('POST', paths.logout);
  clearSession();
}
