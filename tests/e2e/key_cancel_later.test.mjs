// A test order whose cancel keeps failing: the key is enabled (it traded), the order is named for the user to
// cancel by hand, and a background job cancels it once the exchange answers again (its first try comes
// 30 s after the test, so this file takes about 40 s; it runs beside the others).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  VENUES, CANCEL_ENDPOINT, startExsim, startServe, newUser, keySpec, addAndTest, subscribe, waitFor, tempDir, removeDir,
} from './lib.mjs';

let sim, srv, dir, user;

before(async () => {
  dir = tempDir('cancel');
  sim = await startExsim();
  srv = await startServe({ dataDir: dir, exsimUrl: sim.url });
  user = await newUser(srv.url);
});

after(async () => {
  await srv?.stop();
  await sim?.stop();
  removeDir(dir);
});

test('a cancel that keeps failing: enabled, the order to cancel by hand named, then cancelled in the background', async () => {
  const keys = {};
  for (const venue of VENUES) {
    keys[venue] = await sim.createKey(keySpec(venue));
    // Binance creates, cancels and queries orders on one path: the create takes a harmless fault first.
    if (CANCEL_ENDPOINT[venue] === 'order') await sim.addFault({ venue, endpoint: 'order', kind: 'latency:1', count: 1 });
    await sim.addFault({ venue, endpoint: CANCEL_ENDPOINT[venue], kind: 'http_500', count: 1000 });
  }
  const events = await subscribe(srv.url, user.token);
  try {
    const tested = await Promise.all(VENUES.map(async (venue) => ({ venue, ...(await addAndTest(user, venue, keys[venue])) })));
    for (const { venue, account } of tested) {
      assert.equal(account.status, 'enabled', `${venue}: ${account.reason}`);
      const ref = account.order_to_cancel_by_hand;
      assert.ok(ref && ref.order_id && ref.client_order_id && ref.symbol, `${venue}: ${JSON.stringify(account)}`);
      assert.ok(account.warnings.some((w) => w.includes(ref.order_id) && /cancel it by hand/.test(w)), `${venue}: ${JSON.stringify(account.warnings)}`);
      const cancel = account.test.steps.find((s) => s.name === 'cancel');
      assert.equal(cancel.state, 'failed');
      assert.ok(cancel.message.includes(ref.order_id));
      const open = (await sim.orders(keys[venue].key)).filter((o) => o.status === 'open');
      assert.equal(open.length, 1, `${venue}: the order is still open on the exchange`);
      assert.equal(open[0].client_order_id, ref.client_order_id);
    }

    // The exchange answers again: the background job cancels each order and the warning goes away.
    await sim.clearFaults();
    await Promise.all(tested.map(async ({ venue, account }) => {
      await waitFor(async () => (await sim.orders(keys[venue].key)).every((o) => o.status === 'canceled'),
        { ms: 60000, every: 500, what: `${venue}'s test order to be cancelled in the background` });
      const after = await waitFor(async () => {
        const a = (await user.get(`/api/v1/exchange-accounts/${account.id}`)).body;
        return a.order_to_cancel_by_hand === null ? a : null;
      }, { ms: 10000, what: `${venue}'s order_to_cancel_by_hand to clear` });
      assert.equal(after.status, 'enabled');
      const id = account.order_to_cancel_by_hand.order_id;
      assert.ok(after.warnings.some((w) => w.includes(id) && /cancelled in the background/.test(w)), JSON.stringify(after.warnings));
      assert.ok(!after.warnings.some((w) => /cancel it by hand/.test(w)), JSON.stringify(after.warnings));
      await events.waitFor((e) => e.event === 'account.updated' && e.data.id === account.id && e.data.order_to_cancel_by_hand === null, 10000);
    }));
    const audit = (await user.get('/api/v1/audit')).body.entries;
    const cancelled = audit.filter((e) => e.action === 'test_order.cancelled');
    assert.deepEqual(cancelled.map((e) => e.account_id).sort(), tested.map((t) => t.account.id).sort());
  } finally {
    await events.close();
  }
});
