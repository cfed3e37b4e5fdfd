// Every request `tradebridge exchange ... --dry-run` prints carries a signature that this independent
// implementation of each venue's documented algorithm (node:crypto, written from exchanges.md) reproduces.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHmac, createHash } from 'node:crypto';

const BIN = process.env.TB_BIN;
assert.ok(BIN, 'TB_BIN must point at the tradebridge binary');

function dryRun(venue, action, { key, secret, nonce, timestamp, params = {} }) {
  const args = ['exchange', venue, action, '--dry-run'];
  if (key) args.push('--key', key, '--secret', secret);
  if (nonce) args.push('--nonce', String(nonce));
  if (timestamp) args.push('--timestamp', String(timestamp));
  for (const [k, v] of Object.entries(params)) args.push('--param', `${k}=${v}`);
  return JSON.parse(execFileSync(BIN, args, { encoding: 'utf8' }));
}

const order = { symbol: 'BTCUSDT', side: 'buy', type: 'limit', amount: '0.010', price: '30000.0', client_order_id: 'tb-1' };

const BINANCE = { key: 'dbefbc809e3e83c283a984c3a1459732ea7db1360ca80c5c2c8867408d28cc83', secret: '2b5eb11e18796d12d88f13dc27dbbd02c2cc51ff7059765ed9821957d82bb4d9' };
const KRAKEN = { key: 'kraken-public-key', secret: 'kQH5HW/8p1uGOVjbgWA7FunAmGO8lsSUXNsu3eow76sz84Q18fWxnyRzBHCd3pd5nE9qa99HAZtuZuj6F1huXg==' };
const BITFINEX = { key: 'bitfinex-public-key', secret: 'bitfinex-test-secret' };

function verifyBinance(req) {
  // totalParams = query ‖ body, with `&signature=<hex>` removed from the end of whichever carries it.
  const query = new URL(req.url).search.replace(/^\?/, '');
  const body = req.body ?? '';
  const sig = /&?signature=([0-9a-f]{64})$/;
  const part = sig.test(query) ? 'query' : 'body';
  const m = (part === 'query' ? query : body).match(sig);
  assert.ok(m, `signature must be the last parameter: ${query} | ${body}`);
  const totalParams = part === 'query' ? query.replace(sig, '') + body : query + body.replace(sig, '');
  assert.equal(createHmac('sha256', BINANCE.secret).update(totalParams).digest('hex'), m[1]);
  assert.equal(req.headers['X-MBX-APIKEY'], BINANCE.key);
}

function verifyKraken(req) {
  const url = new URL(req.url);
  const nonce = new URLSearchParams(req.body).get('nonce');
  assert.ok(nonce, 'nonce in the body');
  const inner = createHash('sha256').update(nonce + req.body).digest();
  const mac = createHmac('sha512', Buffer.from(KRAKEN.secret, 'base64'))
    .update(Buffer.concat([Buffer.from(url.pathname), inner])).digest('base64');
  assert.equal(req.headers['API-Sign'], mac);
  assert.equal(req.headers['API-Key'], KRAKEN.key);
}

function verifyBitfinex(req) {
  const url = new URL(req.url);
  const nonce = req.headers['bfx-nonce'];
  const payload = '/api/' + url.pathname.replace(/^\//, '') + url.search + nonce + (req.body ?? '');
  assert.equal(req.headers['bfx-signature'], createHmac('sha384', BITFINEX.secret).update(payload).digest('hex'));
  assert.equal(req.headers['bfx-apikey'], BITFINEX.key);
}

const cases = {
  binance_futures: { creds: BINANCE, stamp: { timestamp: 1591702613943 }, verify: verifyBinance, symbol: 'BTCUSDT', id: 'tb-1' },
  kraken: { creds: KRAKEN, stamp: { nonce: 1616492376594 }, verify: verifyKraken, symbol: 'XBTUSD', id: 'tb-1' },
  bitfinex: { creds: BITFINEX, stamp: { nonce: 1700000000000001 }, verify: verifyBitfinex, symbol: 'tBTCUSD', id: '12345' },
};

for (const [venue, c] of Object.entries(cases)) {
  const signedActions = {
    'balances': {},
    'create-order': { ...order, symbol: c.symbol, client_order_id: c.id },
    'cancel-order': { symbol: c.symbol, order_id: '12345' },
    'fetch-order': { symbol: c.symbol, client_order_id: c.id },
    'open-orders': { symbol: c.symbol },
    'permissions': {},
  };
  for (const [action, params] of Object.entries(signedActions)) {
    test(`${venue} ${action}: the printed signature is reproduced independently`, () => {
      const req = dryRun(venue, action, { ...c.creds, ...c.stamp, params });
      assert.ok(['GET', 'POST', 'DELETE', 'PUT'].includes(req.method));
      c.verify(req);
      assert.ok(!JSON.stringify(req).includes(c.creds.secret), 'the secret never appears in the request');
    });
  }
  test(`${venue}: the same stamp gives the same bytes`, () => {
    const a = dryRun(venue, 'create-order', { ...c.creds, ...c.stamp, params: { ...order, symbol: c.symbol, client_order_id: c.id } });
    const b = dryRun(venue, 'create-order', { ...c.creds, ...c.stamp, params: { ...order, symbol: c.symbol, client_order_id: c.id } });
    assert.deepEqual(a, b);
  });
}

test('kraken: the official AddOrder example reproduces byte for byte', () => {
  const req = dryRun('kraken', 'create-order', { ...KRAKEN, nonce: 1616492376594,
    params: { symbol: 'XBTUSD', side: 'buy', type: 'limit', amount: '1.25', price: '37500' } });
  assert.equal(req.body, 'nonce=1616492376594&ordertype=limit&pair=XBTUSD&price=37500&type=buy&volume=1.25');
  assert.equal(req.headers['API-Sign'], '4/dpxb3iT4tp/ZCVEwSnEsLxx0bqyhLpdfOpc6fn7OR8+UClSV5n9E6aSS8MPtnRfp32bAb0nmbRn6H8ndwLUQ==');
});

test('public actions need no key and carry no signature', () => {
  for (const [venue, c] of Object.entries(cases)) {
    const req = dryRun(venue, 'ticker', { params: { symbol: c.symbol } });
    assert.equal(req.method, 'GET');
    assert.ok(!/signature|API-Sign|bfx-signature/i.test(JSON.stringify(req.headers)));
  }
});

test('bad input: a clear error naming the problem, exit code 2, nothing printed on stdout', () => {
  const r = spawnSync(BIN, ['exchange', 'kraken', 'create-order', '--dry-run', '--key', 'k', '--secret', KRAKEN.secret,
    '--param', 'symbol=XBTUSD', '--param', 'side=up', '--param', 'amount=1', '--param', 'price=1'], { encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.equal(r.stdout, '');
  const err = JSON.parse(r.stderr).error;
  assert.equal(err.kind, 'invalid_argument');
  assert.match(err.message, /'side'/);
  assert.ok(!r.stderr.includes(KRAKEN.secret));
  const unknown = spawnSync(BIN, ['exchange', 'nasdaq', 'ticker'], { encoding: 'utf8' });
  assert.equal(unknown.status, 2);
  assert.match(JSON.parse(unknown.stderr).error.message, /unknown venue 'nasdaq'/);
  // A signed action without a key: the command line names its flags (the venues name none), on every venue.
  for (const venue of ['binance_futures', 'kraken', 'bitfinex']) {
    const noKey = spawnSync(BIN, ['exchange', venue, 'balances', '--dry-run'], { encoding: 'utf8' });
    assert.equal(noKey.status, 2, venue);
    assert.match(JSON.parse(noKey.stderr).error.message, /--key and --secret/, venue);
  }
  // The help names every venue with its own forms, from the venues' descriptions.
  const help = spawnSync(BIN, ['exchange', '--help'], { encoding: 'utf8' });
  assert.match(help.stdout, /Venues: {2}binance_futures kraken bitfinex/);
  assert.match(help.stdout, /BTCUSDT \(binance_futures\), XBTUSD or XXBTZUSD \(kraken\), tBTCUSD \(bitfinex\)/);
  assert.match(help.stdout, /bitfinex: an integer below 2\^45/);
  assert.match(help.stdout, /--nonce[^\n]*\(kraken, bitfinex\)/);
  assert.match(help.stdout, /--timestamp[^\n]*\(binance_futures\)/);
});

test('binance_futures account settings: position-mode, leverage and margin-type, read or set, signed', () => {
  const stamp = { ...BINANCE, timestamp: 1591702613943 };
  const expect = [
    ['position-mode', {}, 'GET', '/fapi/v1/positionSide/dual'],
    ['leverage', { symbol: 'BTCUSDT' }, 'GET', '/fapi/v2/positionRisk'],
    ['leverage', { symbol: 'BTCUSDT', leverage: '20' }, 'POST', '/fapi/v1/leverage'],
    ['margin-type', { symbol: 'BTCUSDT', margin_type: 'isolated' }, 'POST', '/fapi/v1/marginType'],
  ];
  for (const [action, params, method, path] of expect) {
    const req = dryRun('binance_futures', action, { ...stamp, params });
    assert.equal(req.method, method, action);
    assert.equal(new URL(req.url).pathname, path, action);
    verifyBinance(req);
  }
  const set = dryRun('binance_futures', 'margin-type', { ...stamp, params: { symbol: 'BTCUSDT', margin_type: 'isolated' } });
  assert.match(set.body, /^symbol=BTCUSDT&marginType=ISOLATED&/);
  const lev = spawnSync(BIN, ['exchange', 'binance_futures', 'leverage', '--dry-run', '--key', BINANCE.key, '--secret', BINANCE.secret,
    '--param', 'symbol=BTCUSDT', '--param', 'leverage=200'], { encoding: 'utf8' });
  assert.equal(lev.status, 2);
  assert.match(JSON.parse(lev.stderr).error.message, /'leverage'/);
  // A spot venue has no such settings: said plainly.
  const spot = spawnSync(BIN, ['exchange', 'kraken', 'position-mode', '--dry-run', '--key', 'k', '--secret', KRAKEN.secret], { encoding: 'utf8' });
  assert.equal(spot.status, 2);
  assert.match(JSON.parse(spot.stderr).error.message, /no futures account settings/);
});
