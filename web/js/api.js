// @ts-check
// The one door to the REST API: JSON in and out, the CSRF token on every state change, a time limit on
// every call, and errors turned into messages a user can act on. The session itself is the HttpOnly
// cookie; the CSRF token lives in memory only (never in web storage).
import { paths } from './api-paths.js';

export const TIMEOUT_MS = 15000;

/** @typedef {{ timeout?: number }} RequestOptions */

/** @type {string | null} */
let csrfToken = null;
/** @type {(error: ApiError) => void} */
let unauthorizedHandler = () => {};

/** @param {string | null | undefined} token */
export function setCsrfToken(token) {
  csrfToken = token || null;
}

// Called when a signed-in call answers 401: the session ended elsewhere or expired.
/** @param {(error: ApiError) => void} fn */
export function onUnauthorized(fn) {
  unauthorizedHandler = fn;
}

export class ApiError extends Error {
  /**
   * @param {{ status?: number, code?: string, message: string, field?: string | null, retryAfter?: number | null }} init
   */
  constructor({ status = 0, code = 'error', message, field = null, retryAfter = null }) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field;
    this.retryAfter = retryAfter;
  }

  // The message without the leading "field: " the server puts before it.
  get plain() {
    if (this.field && this.message.startsWith(`${this.field}: `)) {
      const rest = this.message.slice(this.field.length + 2);
      return rest.charAt(0).toUpperCase() + rest.slice(1);
    }
    return this.message;
  }
}

/** @type {Record<number, string>} */
const STATUS_MESSAGES = {
  500: 'The server had an internal problem. Try again in a moment.',
  502: 'The server is unreachable behind its gateway (HTTP 502). Try again in a moment.',
  503: 'The server is unavailable right now (HTTP 503). Try again in a moment.',
  504: 'The server took too long to answer (HTTP 504). Try again in a moment.',
};

/** @param {Response} response */
function retryAfterSeconds(response) {
  const v = response.headers.get('Retry-After');
  if (!v) return null;
  const n = Number(v);
  if (Number.isFinite(n)) return Math.max(0, Math.ceil(n));
  const t = Date.parse(v);
  return Number.isFinite(t) ? Math.max(0, Math.ceil((t - Date.now()) / 1000)) : null;
}

// The answer's JSON is typed by the caller (T), as the server's route table promises it.
/**
 * @template [T=unknown]
 * @param {'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'} method
 * @param {string} path one of ./api-paths.js
 * @param {unknown} [body]
 * @param {RequestOptions} [options]
 * @returns {Promise<T>}
 */
export async function api(method, path, body, { timeout = TIMEOUT_MS } = {}) {
  /** @type {Record<string, string>} */
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeout);
  /** @type {Response} */
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store',
      redirect: 'error',
      signal: controller.signal,
    });
  } catch {
    clearTimeout(timer);
    if (timedOut) {
      throw new ApiError({
        code: 'timeout',
        message: `The server did not answer within ${Math.round(timeout / 1000)} seconds. It may be overloaded; try again in a moment.`,
      });
    }
    throw new ApiError({ code: 'network', message: 'Cannot reach tradebridge. Check your connection, then try again.' });
  }
  /** @type {any} */
  let data = null;
  try {
    const text = await response.text();
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  } finally {
    clearTimeout(timer);
  }
  if (response.ok) return data;

  const e = data && typeof data === 'object' && data.error ? data.error : null;
  const error = new ApiError({
    status: response.status,
    code: e?.code ?? `http_${response.status}`,
    message: e?.message ?? STATUS_MESSAGES[response.status] ?? `The server answered with an error (HTTP ${response.status}). Try again in a moment.`,
    field: e?.field ?? null,
    retryAfter: retryAfterSeconds(response),
  });
  if (response.status === 401 && !path.startsWith(paths.authPrefix)) unauthorizedHandler(error);
  return Promise.reject(error);
}

/**
 * @template [T=unknown]
 * @param {string} path
 * @param {RequestOptions} [options]
 * @returns {Promise<T>}
 */
export const get = (path, options) => api('GET', path, undefined, options);
/**
 * @template [T=unknown]
 * @param {string} path
 * @param {unknown} [body]
 * @param {RequestOptions} [options]
 * @returns {Promise<T>}
 */
export const post = (path, body, options) => api('POST', path, body, options);
