// @ts-check
// User robots (an exchange account following a robot at a chosen volume) and the user's signal robots, as the
// API shows them (src/web/user_robot_json.cpp, routes_user_robots.cpp, routes_signal_robots.cpp). Pages
// subscribe to `onRobotsChanged`, which the events stream fires on user_robot.updated, order.updated and
// position.opened/closed, and read again.
import { api, get, post } from './api.js';
import { paths } from './api-paths.js';
import { listRobots } from './robots.js';

/** @typedef {'asset_fixed' | 'quote_fixed' | 'balance_percent'} VolumeType */
/** @typedef {{ type: VolumeType, value: string }} Volume */
/**
 * @typedef {{ id: number, side: 'long' | 'short', amount: string, entered: string, entry_price: string,
 *   exited: string, exit_price: string, fees: string, profit: string | null, opened_at: string,
 *   closed_at: string | null }} UserPosition
 */
/**
 * @typedef {{ id: number, client_order_id: string, venue_order_id: string, signal_seq: number, leg: string,
 *   side: string, type: string, amount: string, reduce_only: boolean, state: string, filled: string,
 *   average_price: string, fee: string, fee_pending?: boolean, note: string, created_at: string, settled_at: string | null }} UserOrder
 */
/** @typedef {{ positions: number, wins: number, win_rate: number | null, net_profit: string, fees: string }} UserStats */
/**
 * @typedef {{ id: number, robot_id: number, account_id: number, status: string, message: string, volume: Volume,
 *   leverage: number | null, position: UserPosition | null, statistics: UserStats, created_at: string,
 *   updated_at: string }} UserRobot
 */
/** @typedef {{ id: number, kind: string, name: string, exchange: string, symbol: string, signal_path: string }} SignalRobot */
/** A robot a user robot can follow: a catalogue robot or one of the user's signal robots. @typedef {{ id: number, name: string, exchange: string, symbol: string, signal: boolean }} Followable */

/** The volume types in the words of the page. @type {[VolumeType, string][]} */
export const VOLUME_TYPES = [
  ['quote_fixed', 'Fixed amount of the quote currency (e.g. USDT)'],
  ['asset_fixed', 'Fixed amount of the asset (e.g. BTC)'],
  ['balance_percent', 'Percent of the free balance (1–100)'],
];

/** @returns {Promise<UserRobot[]>} */
export async function listUserRobots() {
  /** @type {{ user_robots: UserRobot[] }} */
  const r = await get(paths.userRobots);
  return r.user_robots;
}

/** @param {number} id @returns {Promise<UserRobot>} */
export const userRobot = (id) => get(paths.userRobot(id));

/** @param {number} id @returns {Promise<UserPosition[]>} */
export async function userPositions(id) {
  /** @type {{ positions: UserPosition[] }} */
  const r = await get(paths.userRobotPositions(id));
  return r.positions;
}

/** @param {number} id @returns {Promise<UserOrder[]>} */
export async function userOrders(id) {
  /** @type {{ orders: UserOrder[] }} */
  const r = await get(paths.userRobotOrders(id));
  return r.orders;
}

/** @returns {Promise<SignalRobot[]>} */
export async function listSignalRobots() {
  /** @type {{ robots: SignalRobot[] }} */
  const r = await get(paths.signalRobots);
  return r.robots;
}

/** Every robot the user may follow, signal robots first. @returns {Promise<Followable[]>} */
export async function followable() {
  const [signal, catalogue] = await Promise.all([listSignalRobots(), listRobots()]);
  return [
    ...signal.map((r) => ({ id: r.id, name: r.name, exchange: r.exchange, symbol: r.symbol, signal: true })),
    ...catalogue.map((r) => ({ id: r.id, name: r.name, exchange: r.exchange, symbol: r.symbol, signal: false })),
  ];
}

/**
 * @param {{ name: string, exchange: string, symbol: string }} robot
 * @returns {Promise<SignalRobot & { signal_url: string, signal_token: string }>}
 */
export const createSignalRobot = (robot) => post(paths.robotsCreate, { kind: 'signal', ...robot });

/**
 * @param {{ robot_id: number, account_id: number, volume: Volume }} body
 * @returns {Promise<UserRobot>}
 */
export const createUserRobot = (body) => post(paths.userRobots, body);
/** @param {number} id @param {Volume} volume @returns {Promise<UserRobot>} */
export const changeVolume = (id, volume) => api('PATCH', paths.userRobot(id), { volume });
/**
 * On a futures account a leverage, when given, is set on the exchange before the start.
 * @param {number} id @param {number | null} [leverage]
 */
export const startUserRobot = (id, leverage = null) => post(paths.userRobotStart(id), leverage === null ? { confirm: true } : { confirm: true, leverage });
/** @param {number} id @param {'close' | 'keep'} position */
export const stopUserRobot = (id, position) => post(paths.userRobotStop(id), { confirm: true, position });
/** @param {number} id */
export const resumeUserRobot = (id) => post(paths.userRobotResume(id), {});
/** @param {number} id */
export const deleteUserRobot = (id) => api('DELETE', paths.userRobot(id));

/** @type {Set<(type: string, data: any) => void>} */
const listeners = new Set();

/**
 * @param {(type: string, data: any) => void} fn
 * @returns {() => void} unsubscribes
 */
export function onRobotsChanged(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

// One event of the events stream (./live.js).
/** @param {string} type @param {any} data */
export function applyRobotEvent(type, data) {
  for (const fn of listeners) fn(type, data);
}

export const ROBOT_EVENT_TYPES = ['user_robot.updated', 'order.updated', 'position.opened', 'position.closed', 'foreign_order'];
