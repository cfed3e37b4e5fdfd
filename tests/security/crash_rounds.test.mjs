// Crash safety of the account operations: TB_SEC_ROUNDS rounds (20; TB_FULL=1: 40) in which `serve` is
// killed with SIGKILL at a random moment (seeded, printed) while key additions, key tests, renames, key
// replacements, re-checks and deletes are in flight against a simulator with 100 ms venue latency. After each
// kill: `tradebridge keys verify` on the data directory the crash left is clean; after the restart every
// answered operation holds (an acknowledged account exists, with its acknowledged name and key; an
// acknowledged delete is gone), an operation cut off without an answer left either the old or the new
// state and nothing else, no account appears that was never sent; once settled no account is still
// testing, every account has its whole sealed key pair, and the API and the database agree row by row.
// tests/e2e/crash.test.mjs and order_safety.test.mjs kill serve during key additions; this file adds the
// other operations and checks the rows.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';

import {
  VENUES, startExsim, startServe, newUser, keySpec, waitFor, tempDir, removeDir, runTb, maskOf, haveSqlite3, sqlite, join, FINAL, sleep,
} from '../e2e/lib.mjs';
import { prng, seedFromEnv, figure } from './lib.mjs';

const FULL = process.env.TB_FULL === '1';
const ROUNDS = Number(process.env.TB_SEC_ROUNDS || (FULL ? 40 : 20));
const SEED = seedFromEnv('TB_SEC_SEED', 7_0420);

const cleanup = [];
after(async () => { for (const f of cleanup.reverse()) await f(); });

function keysVerify(dir, what) {
  const v = runTb(['keys', 'verify', '--data-dir', dir]);
  assert.equal(v.code, 0, `${what}: ${v.stdout}${v.stderr}`);
  assert.equal(v.json?.ok, true, `${what}: ${v.stdout}`);
  assert.deepEqual(v.json.problems, [], what);
  return v.json.checked;
}

test(`${ROUNDS} rounds of SIGKILL during key tests, renames, replacements and deletes: keys verify clean, nothing lost or half-written`,
  { skip: !haveSqlite3() && 'the sqlite3 command-line tool is not installed' }, async () => {
    console.log(`# seed ${SEED} (TB_SEC_SEED), ${ROUNDS} rounds (TB_SEC_ROUNDS, TB_FULL=1)`);
    const rnd = prng(SEED);
    const dir = tempDir('sec-crash');
    const sim = await startExsim(['--latency-ms', '100']);
    let srv = await startServe({ dataDir: dir, exsimUrl: sim.url });
    cleanup.push(async () => { await srv.stop(); await sim.stop(); removeDir(dir); });
    const user = await newUser(srv.url);
    const db = join(dir, 'tradebridge.db');

    // The model: what the API acknowledged. id -> {name, key (the full pair), venue, names/keys also allowed
    // (an operation cut off), maybeGone (a delete cut off)}.
    // A deleted account leaves the model for `gone`; its id is never handed out again (migration 8), and the
    // rounds count any reuse and fail on one.
    const model = new Map();
    const gone = [];  // {id, name, key (mask)}
    const goneIds = new Set();
    const bury = (id, m) => {
      if (model.get(id) === m) model.delete(id);
      gone.push({ id, name: m.name, key: maskOf(m.key.key) });
      goneIds.add(id);
    };
    let cutAdds = [];  // adds without an answer: {name, key, venue}
    const allKeys = [];
    const tally = { add: 0, rename: 0, replace: 0, delete: 0, check: 0, answered: 0, cut: 0, refused: 0, lost: 0, halfWritten: 0, resolvedNew: 0, resolvedOld: 0, testingAtRestart: 0, idsReused: 0 };
    let seq = 0;
    const newKey = async (venue) => { const k = await sim.createKey(keySpec(venue)); allKeys.push(k); return k; };

    const call = async (method, path, body) => {
      try {
        const r = await user.req(method, path, body);
        tally.answered++;
        return r;
      } catch {
        tally.cut++;
        return null;  // the connection died with the server
      }
    };

    for (let round = 1; round <= ROUNDS; ++round) {
      // Settled accounts only take an operation (one each), so the old and new states are well defined.
      const live = [...model.entries()];
      const shuffled = live.sort(() => rnd.next() - 0.5);
      const ops = [];
      const nAdd = 2 + rnd.int(3);
      for (let i = 0; i < nAdd; ++i) ops.push({ op: 'add' });
      for (const [id] of shuffled.slice(0, 6)) ops.push({ op: rnd.pick(['rename', 'rename', 'replace', 'replace', 'delete', 'check']), id });
      const keysFor = await Promise.all(ops.map((o) => (o.op === 'add' || o.op === 'replace')
        ? newKey(o.op === 'add' ? VENUES[rnd.int(VENUES.length)] : model.get(o.id).venue) : null));
      // The kill falls while key tests run (each takes several 100 ms venue calls); the operations are spread
      // up to just past it, so some are answered, some cut off mid-request, a few never sent.
      const killAt = 150 + rnd.int(700);
      // (A third are sent within a few ms of the kill, so that some are cut off mid-request.)
      const delays = ops.map(() => (rnd.chance(0.35) ? killAt - rnd.int(4) : rnd.int(killAt + 30)));
      let killed = null;
      const t0 = Date.now();
      const killer = sleep(killAt).then(() => { killed = srv.kill(); return killed; });

      await Promise.all(ops.map(async (o, i) => {
        await sleep(delays[i]);
        if (process.env.TB_SEC_DEBUG) console.log(`# op ${o.op} ${o.id ?? ""} at ${Date.now() - t0} ms${killed ? " (not sent)" : ""}`);
        if (killed) return;  // not sent: the server is gone
        tally[o.op]++;
        const k = keysFor[i];
        if (o.op === 'add') {
          const name = `acct ${++seq}`;
          const r = await call('POST', '/api/v1/exchange-accounts', { exchange: k.venue, key: k.key, secret: k.secret, name });
          if (!r) { cutAdds.push({ name, key: k }); return; }
          assert.equal(r.status, 202, r.text);
          if (goneIds.has(r.body.id)) tally.idsReused++;
          model.set(r.body.id, { name, key: k, venue: r.body.exchange, names: new Set([name]), keys: new Set([maskOf(k.key)]) });
          return;
        }
        const m = model.get(o.id);
        const path = `/api/v1/exchange-accounts/${o.id}`;
        if (o.op === 'rename') {
          const name = `renamed ${++seq}`;
          m.names.add(name);
          const r = await call('PATCH', path, { name });
          if (!r) return;
          m.names.delete(name);
          if (r.status === 200) { m.name = name; m.names = new Set([name]); } else { tally.refused++; assert.ok(r.status < 500, r.text); }
        } else if (o.op === 'replace') {
          m.keys.add(maskOf(k.key));
          const r = await call('PUT', `${path}/keys`, { key: k.key, secret: k.secret });
          if (!r) { m.pendingKey = k; return; }
          m.keys.delete(maskOf(k.key));
          if (r.status === 202) { m.key = k; m.keys = new Set([maskOf(k.key)]); } else { tally.refused++; assert.ok(r.status < 500, r.text); }
        } else if (o.op === 'delete') {
          m.maybeGone = true;
          const r = await call('DELETE', path);
          if (!r) return;
          m.maybeGone = false;
          if (r.status === 204) bury(o.id, m); else { tally.refused++; assert.ok(r.status < 500, r.text); }
        } else {
          const r = await call('POST', `${path}/check`);
          if (r) assert.ok(r.status < 500, r.text);
        }
      }));
      const exit = await killer;
      assert.equal(exit.signal, 'SIGKILL');
      const killedAfter = Date.now() - t0;

      // The data directory as the crash left it.
      keysVerify(dir, `round ${round}, after the kill`);

      srv = await startServe({ dataDir: dir, exsimUrl: sim.url });
      user.base = srv.url;
      const list = async () => {
        const r = await user.get('/api/v1/exchange-accounts');
        assert.equal(r.status, 200, r.text);
        return r.body.accounts;
      };
      const stored = await list();
      tally.testingAtRestart += stored.filter((a) => a.status === 'testing').length;
      const byId = new Map(stored.map((a) => [a.id, a]));
      for (const g of gone) {
        const a = byId.get(g.id);
        assert.ok(!a || a.name !== g.name || a.key !== g.key, `round ${round}: account ${g.id} (${g.name}) was deleted (204) and is back`);
      }
      const cutAdd = (a) => cutAdds.find((c) => c.name === a.name && maskOf(c.key.key) === a.key);
      for (const [id, m] of [...model]) {
        const a = byId.get(id);
        if (!a || (m.maybeGone && !m.names.has(a.name) && cutAdd(a))) {  // gone (its id maybe taken by a cut-off add)
          if (!m.maybeGone) tally.lost++;
          assert.ok(m.maybeGone, `round ${round}: account ${id} (${m.name}) was acknowledged and is gone`);
          bury(id, m);
          continue;
        }
        if (!m.names.has(a.name) || !m.keys.has(a.key)) tally.halfWritten++;
        assert.ok(m.names.has(a.name), `round ${round}: account ${id} is named '${a.name}', not one of ${[...m.names]}`);
        assert.ok(m.keys.has(a.key), `round ${round}: account ${id} has key ${a.key}, not one of ${[...m.keys]}`);
        if (a.name !== m.name || a.key !== maskOf(m.key.key)) tally.resolvedNew++; else if (m.names.size > 1 || m.keys.size > 1) tally.resolvedOld++;
        if (m.pendingKey && a.key === maskOf(m.pendingKey.key)) m.key = m.pendingKey;
        m.name = a.name;
        m.names = new Set([a.name]);
        m.keys = new Set([a.key]);
        m.maybeGone = false;
        delete m.pendingKey;
      }
      for (const a of stored) {
        if (model.has(a.id)) continue;
        const cut = cutAdd(a);
        assert.ok(cut, `round ${round}: account ${a.id} (${a.name}, ${a.key}) matches nothing that was sent`);
        if (goneIds.has(a.id)) tally.idsReused++;
        model.set(a.id, { name: a.name, key: cut.key, venue: a.exchange, names: new Set([a.name]), keys: new Set([a.key]) });
      }
      cutAdds = [];

      // Settled: every test at its end, enabled (every key is good), and the database says the same.
      const settled = await waitFor(async () => {
        const all = await list();
        return all.every((a) => FINAL.has(a.status)) ? all : null;
      }, { ms: 90000, every: 200, what: `round ${round}: every key test to end after the restart` });
      const notEnabled = settled.filter((a) => a.status !== 'enabled').map((a) => `${a.id} ${a.exchange} ${a.status}: ${a.reason}`);
      assert.deepEqual(notEnabled, [], `round ${round}`);
      const rows = sqlite(db, `SELECT a.id, a.name, a.status, a.masked_key, (SELECT COUNT(*) FROM account_secrets s WHERE s.account_id = a.id)
        FROM accounts a WHERE a.user_id = ${user.user.id} ORDER BY a.id;`).trim().split('\n').filter(Boolean).map((l) => l.split('|'));
      const api = settled.slice().sort((x, y) => x.id - y.id).map((a) => [String(a.id), a.name, a.status, a.key, '2']);
      assert.deepEqual(rows, api, `round ${round}: the database and the API disagree (or a key pair is not whole)`);
      const unfinished = sqlite(db, `SELECT COUNT(*) FROM key_tests t JOIN accounts a ON a.id = t.account_id WHERE a.user_id = ${user.user.id} AND t.finished_at IS NULL;`).trim();
      const lastTests = sqlite(db, `SELECT COUNT(*) FROM accounts a WHERE a.user_id = ${user.user.id} AND NOT EXISTS (SELECT 1 FROM key_tests t WHERE t.account_id = a.id AND t.finished_at IS NOT NULL);`).trim();
      assert.equal(lastTests, '0', `round ${round}: an account without a finished key test`);
      console.log(`# round ${round}: ${ops.length} operations, killed after ${killedAfter} ms; ${settled.length} accounts, all enabled; ${unfinished} key-test rows of killed runs left unfinished`);
    }

    await srv.stop();
    const checked = keysVerify(dir, 'at the end');
    const live = [...model.keys()];
    assert.equal(checked, live.length, 'keys verify checked every account');
    let open = 0;
    for (const k of allKeys) open += (await sim.orders(k.key)).filter((o) => o.status === 'open').length;
    assert.equal(open, 0, 'test orders left open on the exchange');
    assert.equal(tally.idsReused, 0, 'an id of a deleted account was handed out again');
    figure(`seed ${SEED}: ${ROUNDS} SIGKILL rounds; operations ${JSON.stringify({ add: tally.add, rename: tally.rename, replace: tally.replace, delete: tally.delete, check: tally.check })}; `
      + `${tally.answered} answered, ${tally.cut} cut off by the kill (${tally.resolvedNew} ended in the new state, ${tally.resolvedOld} in the old); `
      + `${tally.testingAtRestart} key tests cut by a kill and resumed; ${tally.lost} lost, ${tally.halfWritten} half-written; keys verify clean ${ROUNDS + 1} times; ${live.length} accounts at the end, all enabled, API = db; `
      + `${allKeys.length} keys, 0 test orders open; ${tally.idsReused} ids of deleted accounts handed out again`);
  });
