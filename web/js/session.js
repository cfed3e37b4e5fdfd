// Who is signed in, kept in memory only: a reload asks the server again (GET /api/v1/me).
import { api, setCsrfToken } from './api.js';

export const session = { user: null };

export function isSignedIn() {
  return session.user !== null;
}

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
    const me = await api('GET', '/api/v1/me');
    setSession(me.user, me.csrf_token);
    return true;
  } catch (e) {
    if (e.status === 401) {
      clearSession();
      return false;
    }
    throw e;
  }
}

// totpCode: with two-factor on, the second try after the server answered 403 totp_required.
export async function signIn(email, password, totpCode = null) {
  const body = { email, password };
  if (totpCode) body.totp_code = totpCode;
  const r = await api('POST', '/api/v1/auth/login', body);
  setSession(r.user, r.csrf_token);
  return r.user;
}

export async function signOut() {
  await api('POST', '/api/v1/auth/logout');
  clearSession();
}
