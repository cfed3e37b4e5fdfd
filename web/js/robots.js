// @ts-check
// The robots as the API shows them (GET /api/v1/strategies, /robots, /robots/{id}, /robots/{id}/candles): their
// types, the calls, and each statistic's label and format, shared by the catalogue and a robot's page.
import { get } from './api.js';
import { paths } from './api-paths.js';
import { fixed, percent, date } from './format.js';

/**
 * A strategy's parameter: its type ("integer", "number", ...), limits and default.
 * @typedef {{ name: string, type: string, min?: number | null, max?: number | null, default?: unknown,
 *   description?: string }} StrategyParam
 */
/** @typedef {{ id: string, description: string, long_only: boolean, params: StrategyParam[] }} Strategy */
/**
 * The statistics of one side (or both) of a robot's trades: money as decimal strings in the market's quote
 * currency, ratios as numbers, null where there is nothing to divide by.
 * @typedef {{ net_profit: string, net_profit_pct: number, trades: number, wins: number, losses: number,
 *   win_rate: number | null, gross_profit: string, gross_loss: string, profit_factor: number | null,
 *   avg_win: string | null, avg_loss: string | null, payoff_ratio: number | null, max_drawdown: string,
 *   max_drawdown_pct: number, max_drawdown_date: string | null, recovery_factor: number | null,
 *   sharpe: number | null, avg_bars_held: number | null }} Stats
 */
/** @typedef {'all' | 'long' | 'short'} Side */
/**
 * @typedef {{ side: 'long' | 'short', entry_time: string, entry_price: string, amount: string, fees: string,
 *   bars_held: number }} OpenPosition
 */
/**
 * A line of the catalogue: the robot and the statistics of its run so far (backtest, then live).
 * @typedef {{ id: number, name: string, exchange: string, status: string, strategy: string,
 *   params: Record<string, unknown>, venue: string, symbol: string, timeframe: string, candles: number,
 *   from: string, to: string, skipped: number, warmup_bars: number, stats: Record<Side, Stats>,
 *   open_position: OpenPosition | null }} RobotSummary
 */
/**
 * @typedef {{ side: 'long' | 'short', entry_time: string, entry_price: string, exit_time: string,
 *   exit_price: string, amount: string, fees: string, profit: string, bars_held: number }} Trade
 */
/** GET /robots/{id}. @typedef {RobotSummary & { trades: Trade[], equity: [string, string][] }} RobotReport */
/** A candle with its prices as numbers, for drawing only. @typedef {{ time: number, open: number, high: number, low: number, close: number }} Candle */
/** @typedef {{ exchange?: string, symbol?: string, timeframe?: string, strategy?: string }} RobotFilter */

/** @type {Promise<Strategy[]> | null} */
let strategiesCache = null;

/** @returns {Promise<Strategy[]>} */
export function strategies() {
  strategiesCache ??= /** @type {Promise<{ strategies: Strategy[] }>} */ (get(paths.strategies)).then((r) => r.strategies).catch((e) => {
    strategiesCache = null;
    throw e;
  });
  return strategiesCache;
}

/**
 * @param {RobotFilter} [filter]
 * @returns {Promise<RobotSummary[]>}
 */
export async function listRobots(filter) {
  /** @type {{ robots: RobotSummary[] }} */
  const r = await get(paths.robots(filter));
  return r.robots;
}

/**
 * @param {number} id
 * @returns {Promise<RobotReport>}
 */
export function robotReport(id) {
  return get(paths.robot(id));
}

/**
 * The robot's candles, oldest first, as numbers for the chart.
 * @param {number} id
 * @returns {Promise<Candle[]>}
 */
export async function robotCandles(id) {
  /** @type {{ columns: string[], candles: [string, string, string, string, string, string][] }} */
  const r = await get(paths.robotCandles(id));
  const at = (/** @type {string} */ name) => r.columns.indexOf(name);
  const [t, o, hi, lo, c] = ['open_time', 'open', 'high', 'low', 'close'].map(at);
  return r.candles.map((k) => ({ time: Date.parse(k[t]), open: Number(k[o]), high: Number(k[hi]), low: Number(k[lo]), close: Number(k[c]) }));
}

/**
 * How a statistic reads: `money` in the quote currency, `pct` a percentage, `ratio`, `count`, `bars`, `date`.
 * @typedef {'money' | 'pct' | 'ratio' | 'count' | 'bars' | 'date'} StatKind
 */
/** @typedef {{ key: keyof Stats, label: string, kind: StatKind }} StatInfo */

/** Every statistic, in the order of the statistics table. @type {StatInfo[]} */
export const STATS = [
  { key: 'net_profit', label: 'Net profit', kind: 'money' },
  { key: 'net_profit_pct', label: 'Net profit %', kind: 'pct' },
  { key: 'trades', label: 'Trades', kind: 'count' },
  { key: 'wins', label: 'Winning trades', kind: 'count' },
  { key: 'losses', label: 'Losing trades', kind: 'count' },
  { key: 'win_rate', label: 'Win rate', kind: 'pct' },
  { key: 'gross_profit', label: 'Gross profit', kind: 'money' },
  { key: 'gross_loss', label: 'Gross loss', kind: 'money' },
  { key: 'profit_factor', label: 'Profit factor', kind: 'ratio' },
  { key: 'avg_win', label: 'Average win', kind: 'money' },
  { key: 'avg_loss', label: 'Average loss', kind: 'money' },
  { key: 'payoff_ratio', label: 'Payoff ratio', kind: 'ratio' },
  { key: 'max_drawdown', label: 'Max drawdown', kind: 'money' },
  { key: 'max_drawdown_pct', label: 'Max drawdown %', kind: 'pct' },
  { key: 'max_drawdown_date', label: 'Max drawdown date', kind: 'date' },
  { key: 'recovery_factor', label: 'Recovery factor', kind: 'ratio' },
  { key: 'sharpe', label: 'Sharpe ratio', kind: 'ratio' },
  { key: 'avg_bars_held', label: 'Average bars held', kind: 'bars' },
];

/**
 * A statistic as the pages show it.
 * @param {StatKind} kind
 * @param {string | number | null | undefined} value
 */
export function formatStat(kind, value) {
  if (value === null || value === undefined) return '—';
  if (kind === 'money' || kind === 'ratio') return fixed(value, 2);
  if (kind === 'pct') return percent(value, 2);
  if (kind === 'count') return fixed(value, 0);
  if (kind === 'bars') return fixed(value, 1);
  return date(String(value));
}

/**
 * A statistic's value for sorting: a number, or null (sorted last) when there is none.
 * @param {Stats} s
 * @param {keyof Stats} key
 */
export function statNumber(s, key) {
  const v = s[key];
  if (v === null || v === undefined) return null;
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isFinite(n) ? n : null;
}

/** @param {number | null | undefined} n the sign of a profit: "pos", "neg" or "" for a class name */
export function signClass(n) {
  if (n === null || n === undefined || !Number.isFinite(n) || n === 0) return '';
  return n > 0 ? 'pos' : 'neg';
}
