// What a user does on the exchange's own site, outside tradebridge, done on the simulated Binance USD-M venue:
// signed requests (HMAC-SHA256 of the query with the key's secret, as Binance documents) sent straight to the
// simulator. Used to place orders by hand (a stop-limit tradebridge must show as one) and to read or change the
// account's settings behind tradebridge's back.
import { createHmac } from 'node:crypto';

export async function binanceSigned(simUrl, key, method, path, params = {}) {
  const query = new URLSearchParams({ ...params, recvWindow: '5000', timestamp: String(Date.now()) }).toString();
  const signature = createHmac('sha256', key.secret).update(query).digest('hex');
  const r = await fetch(`${simUrl}${path}?${query}&signature=${signature}`, { method, headers: { 'X-MBX-APIKEY': key.key } });
  const body = await r.json();
  if (!r.ok) throw new Error(`${method} ${path}: HTTP ${r.status} ${JSON.stringify(body)}`);
  return body;
}

// A stop-limit sell placed by hand: released when the price falls to `trigger`, then a limit order at `limit`.
export const placeStopLimitByHand = (simUrl, key, { symbol = 'BTCUSDT', quantity = '2', trigger = '55', limit = '54' } = {}) =>
  binanceSigned(simUrl, key, 'POST', '/fapi/v1/order',
    { symbol, side: 'SELL', type: 'STOP', quantity, price: limit, stopPrice: trigger, timeInForce: 'GTC' });

// The leverage in effect for a symbol, as the venue itself answers it.
export async function leverageOnVenue(simUrl, key, symbol = 'BTCUSDT') {
  const risks = await binanceSigned(simUrl, key, 'GET', '/fapi/v2/positionRisk', { symbol });
  return Number(risks.find((p) => p.symbol === symbol).leverage);
}
