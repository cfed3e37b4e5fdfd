// @ts-check
// Every path of the REST API the web app calls, in one place (the server's side: src/web/routes_*.cpp and
// GET /api/openapi.json). No other file of web/js spells an /api/ path: scripts/check_web.mjs fails on one.

const V1 = '/api/v1';

/** @param {number} id an exchange account's id */
const account = (id) => `${V1}/exchange-accounts/${encodeURIComponent(id)}`;
/** @param {number} id a robot's id */
const robot = (id) => `${V1}/robots/${encodeURIComponent(id)}`;
/** @param {number} id a user robot's id */
const userRobot = (id) => `${V1}/user-robots/${encodeURIComponent(id)}`;

/**
 * The query of the filters that are set, with a leading "?" (or nothing).
 * @param {Record<string, string | undefined>} [query]
 */
function queryOf(query = {}) {
  const q = new URLSearchParams(Object.entries(query).filter(([, v]) => v).map(([k, v]) => [k, String(v)])).toString();
  return q ? `?${q}` : '';
}

export const paths = Object.freeze({
  /** Links under it are the API's, never a page of the app. */
  apiPrefix: '/api/',
  /** Answers 401 there mean a wrong password or code, not an ended session. */
  authPrefix: `${V1}/auth/`,
  openapi: '/api/openapi.json',

  me: `${V1}/me`,
  login: `${V1}/auth/login`,
  logout: `${V1}/auth/logout`,
  register: `${V1}/auth/register`,
  password: `${V1}/auth/password`,
  twoFactor: `${V1}/auth/2fa`,
  twoFactorSetup: `${V1}/auth/2fa/setup`,
  twoFactorEnable: `${V1}/auth/2fa/enable`,
  twoFactorDisable: `${V1}/auth/2fa/disable`,
  recoveryCodes: `${V1}/auth/2fa/recovery-codes`,
  sessions: `${V1}/sessions`,

  exchanges: `${V1}/exchanges`,
  accounts: `${V1}/exchange-accounts`,
  account,
  /** @param {number} id */
  accountKeys: (id) => `${account(id)}/keys`,
  /** @param {number} id */
  accountCheck: (id) => `${account(id)}/check`,
  /** @param {number} id */
  accountOrders: (id) => `${account(id)}/orders`,
  events: `${V1}/events`,

  portfolio: `${V1}/portfolio`,
  /** @param {number} days */
  portfolioHistory: (days) => `${V1}/portfolio/history?days=${encodeURIComponent(days)}`,
  /** @param {number} limit */
  audit: (limit) => `${V1}/audit?limit=${encodeURIComponent(limit)}`,
  telegramLinkCode: `${V1}/telegram/link-code`,

  strategies: `${V1}/strategies`,
  /** @param {{ exchange?: string, symbol?: string, timeframe?: string, strategy?: string }} [filter] */
  robots: (filter) => `${V1}/robots${queryOf(filter)}`,
  robot,
  /**
   * @param {number} id
   * @param {{ from?: string, to?: string }} [range] ISO-8601 UTC times
   */
  robotCandles: (id, range) => `${robot(id)}/candles${queryOf(range)}`,
  /** POST {kind: "signal", name, exchange, symbol} creates a signal robot. */
  robotsCreate: `${V1}/robots`,
  signalRobots: `${V1}/signal-robots`,
  userRobots: `${V1}/user-robots`,
  userRobot,
  /** @param {number} id */
  userRobotStart: (id) => `${userRobot(id)}/start`,
  /** @param {number} id */
  userRobotStop: (id) => `${userRobot(id)}/stop`,
  /** @param {number} id */
  userRobotResume: (id) => `${userRobot(id)}/resume`,
  /** @param {number} id */
  userRobotPositions: (id) => `${userRobot(id)}/positions`,
  /** @param {number} id */
  userRobotOrders: (id) => `${userRobot(id)}/orders`,
});
