// 🤖 My Robots in the chat against a real `serve` + `exsim`, through the fake Bot API: a linked user's
// user robot (on a signal robot of the web account) started from the bot after the risk confirmation; its
// trade is messaged to the chat; after ⚙️ Settings → 🔔 Robot notifications is switched off the next trade
// is not, and once switched on again it is; ⛔ Stop asks close or keep. On futures the robot's screen shows
// the leverage in effect read at the start, and an account's 📋 Open Orders lists a stop-limit placed by hand
// on the exchange as one, with its trigger and limit, marked as placed outside tradebridge.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { LABEL, startWorld, Person, webUser, addKeyInChat, waitFor } from './lib.mjs';
import { binanceSigned, placeStopLimitByHand } from '../support/by_hand.mjs';

let w, ann;
before(async () => {
  w = await startWorld('robots', { serveArgs: ['--trade-interval', '200', '--robot-price-interval', '3600'] });
  ann = await webUser(w.srv.url);
});
after(async () => { await w?.close(); });

async function fire(robot, id, action) {
  const r = await fetch(`${w.srv.url}/api/v1/robots/${robot.id}/signals`, {
    method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${robot.signal_token}` },
    body: JSON.stringify({ id, action }),
  });
  assert.equal(r.status, 202, await r.text());
}

test('start from My Robots after the confirmation; trades are messaged unless notifications are off in Settings', async () => {
  const p = new Person(w.fake, 9001, 'Ann');
  const code = (await ann.browser('POST', '/api/v1/telegram/link-code')).body.code;
  await p.say(`/start ${code}`, /Linked to your web account/);
  await addKeyInChat(p, 'kraken', await w.key('kraken'));
  const account = (await ann.call('GET', '/api/v1/exchange-accounts')).body.accounts.find((a) => a.exchange === 'kraken');
  const robot = (await ann.call('POST', '/api/v1/robots', { kind: 'signal', name: 'chat sig', exchange: 'kraken', symbol: 'XXBTZUSD' })).body;
  const made = await ann.call('POST', '/api/v1/user-robots', { robot_id: robot.id, account_id: account.id, volume: { type: 'quote_fixed', value: '200' } });
  assert.equal(made.status, 201, made.text);

  const menu = await p.say(LABEL.robots, /Robots/);
  const list = await p.press(menu, '🤖 My Robots', /My Robots/);
  const screen = await p.press(list, list.buttons[0], /Status: .*stopped/);
  const ask = await p.press(screen, '🟢 Start', /Start trading\?/);
  await p.press(ask, '✅ Yes, start trading', /Status: .*(starting|started)/);

  const trades = () => w.fake.botMessages(p.id).filter((m) => /User robot \d+: (bought|sold)/.test(m.text || '')).length;
  const before = trades();
  await fire(robot, 's1', 'long');
  await waitFor(() => trades() > before, { what: 'a trade messaged', ms: 30000 });

  const settings = await p.say(LABEL.settings, /Robot notifications are on/);
  await p.press(settings, LABEL.noticesOn, /Robot notifications are off/);
  const off = trades();
  await fire(robot, 's2', 'close');
  await waitFor(async () => (await ann.call('GET', `/api/v1/user-robots/${made.body.id}/orders`)).body.orders.filter((o) => o.settled_at).length >= 2,
    { what: 'the close settled' });
  await new Promise((r) => setTimeout(r, 1000));
  assert.equal(trades(), off, 'no trade message while notifications are off');

  const again = await p.say(LABEL.settings, /Robot notifications are off/);
  await p.press(again, LABEL.noticesOff, /Robot notifications are on/);
  await fire(robot, 's3', 'long');
  await waitFor(() => trades() > off, { what: 'a trade messaged again', ms: 30000 });
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal(trades(), off + 1, 'only the trade after switching on: the close was never sent, not merely late');

  const back = await p.say(LABEL.robots, /Robots/);
  const list2 = await p.press(back, '🤖 My Robots', /My Robots/);
  const running = await p.press(list2, list2.buttons[0], /Status/);
  const stop = await p.press(running, '⛔ Stop', /Stop the robot\?/);
  assert.deepEqual(stop.buttons.slice(0, 2), ['🔴 Stop and close the position', '🟡 Stop and keep the position']);
  await p.press(stop, '🔴 Stop and close the position', /Status: .*(stopping|stopped)/);
  await waitFor(async () => (await ann.call('GET', `/api/v1/user-robots/${made.body.id}`)).body.status === 'stopped', { what: 'stopped' });
});

test('futures: the robot screen shows the leverage in effect after the start; 📋 Open Orders shows a hand-placed stop-limit as one', async () => {
  const bob = await webUser(w.srv.url);
  const p = new Person(w.fake, 9002, 'Bob');
  const code = (await bob.browser('POST', '/api/v1/telegram/link-code')).body.code;
  await p.say(`/start ${code}`, /Linked to your web account/);
  const key = await w.key('binance_futures', { quote: '100000' });
  await addKeyInChat(p, 'binance_futures', key);
  const account = (await bob.call('GET', '/api/v1/exchange-accounts')).body.accounts.find((a) => a.exchange === 'binance_futures');
  await binanceSigned(w.sim.url, key, 'POST', '/fapi/v1/leverage', { symbol: 'BTCUSDT', leverage: '8' });  // set on the exchange's site
  const robot = (await bob.call('POST', '/api/v1/robots', { kind: 'signal', name: 'futures sig', exchange: 'binance_futures', symbol: 'BTCUSDT' })).body;
  const made = await bob.call('POST', '/api/v1/user-robots', { robot_id: robot.id, account_id: account.id, volume: { type: 'quote_fixed', value: '200' } });
  assert.equal(made.status, 201, made.text);

  const menu = await p.say(LABEL.robots, /Robots/);
  const list = await p.press(menu, '🤖 My Robots', /My Robots/);
  const screen = await p.press(list, list.buttons[0], /Status: .*stopped/);
  assert.doesNotMatch(screen.text, /Leverage/, 'not known before the first start');
  const ask = await p.press(screen, '🟢 Start', /Start trading\?/);
  const started = await p.press(ask, '✅ Yes, start trading', /Status: .*(starting|started)/);
  assert.match(started.text, /Leverage: 8× \(in effect on the exchange at the start\)/);
  assert.equal((await bob.call('GET', `/api/v1/user-robots/${made.body.id}`)).body.leverage, 8);

  const hand = await placeStopLimitByHand(w.sim.url, key, { trigger: '55', limit: '54' });
  const settings = await p.say(LABEL.settings, /Settings/);
  const keys = await p.press(settings, LABEL.keys, /My Exchange API Keys/);
  const mine = keys.buttons.find((b) => b.includes(account.name));
  assert.ok(mine, JSON.stringify(keys.buttons));
  const accountScreen = await p.press(keys, mine, /Status/);
  const orders = await p.press(accountScreen, '📋 Open Orders', /Open Orders/);
  assert.match(orders.text, /• sell 2 BTCUSDT — Stop limit · trigger 55 · limit 54\n {2}⚠️ placed outside tradebridge/);
  assert.ok(hand.orderId);
  await bob.call('POST', `/api/v1/user-robots/${made.body.id}/stop`, { confirm: true, position: 'keep' });
});
