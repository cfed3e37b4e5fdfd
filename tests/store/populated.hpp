#pragma once
// A store with a row in every table, written through the Store API only (as serve would write them): two
// users and a Telegram-only one, sessions, accounts with sealed secrets, balances and positions, key tests
// with steps and warnings, audit entries, snapshots, jobs, Telegram links, codes and offsets, two-factor and
// recovery codes, the order ledger, venue limits and an abuse limit entry, robots with candles, state, signals and signal ids, a
// user robot with positions and robot orders. The last account is deleted with its order and its user robot's
// position, so the id generators of accounts, orders and positions are past every row left: a copy must keep
// those positions, not only the rows.
#include <gtest/gtest.h>

#include "core/clock.hpp"
#include "store/store.hpp"

namespace tb::store::test_data {

struct Populated {
  int64_t ann = 0, bob = 0, account = 0, deleted_account = 0, user_robot = 0, robot = 0, deleted_order = 0, deleted_position = 0;
};

template <typename T>
T must(Result<T> r, const char* what) {
  EXPECT_TRUE(r.ok()) << what << ": " << (r.ok() ? "" : r.error().describe());
  return r.ok() ? std::move(*r) : T{};
}
inline void must(const Status& st, const char* what) { EXPECT_TRUE(st.ok()) << what << ": " << (st.ok() ? "" : st.error().describe()); }
inline Decimal d(const char* s) { return *Decimal::parse(s); }

// A Binance USD-M order of `account` (the fields every populated order has).
inline OrderRecord order_on(int64_t account, const char* purpose, const char* client_order_id, const char* state) {
  OrderRecord o;
  o.account_id = account;
  o.purpose = purpose;
  o.venue = "binance_futures";
  o.symbol = "BTCUSDT";
  o.client_order_id = client_order_id;
  o.state = state;
  return o;
}

// An open position of the user robot.
inline RobotPosition position_on(int64_t user_robot, const char* side, const char* entered, const char* entry_price, int64_t opened_ms) {
  RobotPosition pos;
  pos.user_robot_id = user_robot;
  pos.side = side;
  pos.entered = d(entered);
  pos.entry_price = d(entry_price);
  pos.opened_ms = opened_ms;
  return pos;
}

inline void add_users(Store& s, ManualClock& clock, Populated& p) {
  p.ann = must(s.create_user("ann@example.com", "$argon2id$ann"), "ann").id;
  p.bob = must(s.create_user("Bob@Example.com", "$argon2id$bob"), "bob").id;
  must(s.create_telegram_user(777001), "telegram user");
  for (int i = 0; i < 3; ++i) {
    clock.advance_ms(5);
    must(s.create_session({"hash" + std::to_string(i), i == 2 ? p.bob : p.ann, "csrf" + std::to_string(i), 1'800'000'000'000, "127.0.0.1",
                           "node", 0, 0}),
         "session");
  }
  must(s.save_two_factor({p.ann, "v1.nonce.sealed-totp", 1, true, 42, 0, 1'700'000'000'500}), "two factor");
  must(s.replace_recovery_codes(p.ann, {"rc1", "rc2"}), "recovery codes");
  must(s.save_telegram_link({555, 556, p.bob, "bobby", "Bob", R"({"step":"menu"})", 12, true, 0, 0}), "telegram link");
  must(s.add_telegram_link_code("codehash", p.ann, 1'800'000'000'000), "link code");
  must(s.set_telegram_update_offset(123456, 99), "offset");
}

inline int64_t add_account(Store& s, int64_t user, const std::string& name) {
  Account a;
  a.user_id = user;
  a.name = name;
  a.venue = "binance_futures";
  a.masked_key = "vmPU…3e5A";
  a.status = AccountStatus::Enabled;
  a.usd_total = d("1234.5678");
  a.last_checked_ms = 1'700'000'000'100;
  a.portfolio.balances = {{"USDT", d("1000.5"), d("900"), d("100.5")}, {"BTC", d("0.01"), d("0.01"), d("0")}};
  a.portfolio.positions = {{"BTCUSDT", d("-0.002"), d("30000.1"), d("1.5"), d("10"), std::nullopt}};
  const std::vector<AccountSecret> secrets = {{0, "key", "v1.nonce.cipher-key", 1}, {0, "secret", "v1.nonce.cipher-secret", 2}};
  return must(s.create_account(a, secrets), "account").id;
}

inline void add_key_test(Store& s, int64_t account) {
  KeyTest t = must(s.start_key_test(account), "key test");
  t.steps = {{StepName::Permissions, StepState::Ok, "read and trade", 12}, {StepName::Cancel, StepState::Waiting, "later", 0}};
  t.outcome = "enabled";
  t.finished_ms = 1'700'000'000'900;
  t.message = "fine";
  t.warnings = {"no IP restriction", "trading right ends"};
  t.trading_expires_ms = 1'800'000'000'000;
  must(s.update_key_test(t), "key test update");
}

inline void add_ledger(Store& s, int64_t account) {
  must(s.append_audit({0, 1, "account.add", account, "127.0.0.1", R"({"venue":"binance_futures"})", 0, "web", std::nullopt}), "audit");
  must(s.append_audit({0, 2, "telegram.start", std::nullopt, "", "{}", 0, "telegram", 777001}), "audit 2");
  must(s.add_balance_snapshot({account, 1'700'000'000'000, d("1234.5678")}), "snapshot");
  must(s.enqueue_job("recheck", R"({"account_id":1})", 1'700'000'001'000), "job");
  must(s.beat_process({"host:42", "host", 42, 1'700'000'000'000, 1'700'000'002'000, "telegram,desk/1"}), "process");
  must(s.change_limit_entry(
           "sign-in.account", "ann@example.com",
           [](std::optional<LimitEntry>& e) {
             e = LimitEntry{"", "", 3, 1'700'000'000'000, 1'700'000'060'000, 1, "1700000000000", 1'700'000'000'500, 1'700'086'400'500};
           }),
       "limit entry");
  OrderRecord o = order_on(account, "key_test", "tb-kt-1", "cancelled");
  o.side = "buy";
  o.type = "limit";
  o.price = d("21000.1");
  o.amount = d("0.002");
  o.settled_ms = 1'700'000'000'700;
  must(s.record_order(o), "order");
  must(s.save_venue_limit({"binance_futures", "203.0.113.7", "weight", 1'700'000'000'000, 37, 0, 0}), "venue limit");
}

inline void add_robots(Store& s, Populated& p) {
  Robot r;
  r.name = "ma cross";
  r.strategy = "ma_cross";
  r.params_json = R"({"fast":5})";
  r.venue = "binance_futures";
  r.symbol = "BTCUSDT";
  p.robot = must(s.create_robot(r), "robot").id;
  Robot sig = r;
  sig.name = "signals";
  sig.kind = "signal";
  sig.owner_id = p.ann;
  sig.signal_token_hash = "tokenhash";
  const int64_t signal_robot = must(s.create_robot(sig), "signal robot").id;
  must(s.claim_catalogue_seed(), "seed");
  must(s.save_candles("binance_futures", "BTCUSDT", Timeframe::H1,
                      {{1'700'000'000'000, d("1"), d("2"), d("0.5"), d("1.5"), d("10")},
                       {1'700'003'600'000, d("1.5"), d("3"), d("1"), d("2"), d("0")}}),
       "candles");
  must(s.save_robot_state({p.robot, 1'700'003'600'000, R"({"ma":1.5})", 0}), "state");
  must(s.append_signal({p.robot, 1, SignalAction::Long, SignalOrder::Market, d("1.5"), 1'700'000'000'000, 0}), "signal");
  must(s.append_signal({signal_robot, 1, SignalAction::Close, SignalOrder::Limit, std::nullopt, 1'700'000'000'000, 0}), "signal 2");
  must(s.record_signal_id(signal_robot, "tv-1", 1), "signal id");
}

inline void add_user_robot(Store& s, Populated& p) {
  UserRobot u;
  u.user_id = p.ann;
  u.robot_id = p.robot;
  u.account_id = p.account;
  u.volume = d("100.5");
  u.status = UserRobotStatus::Started;
  p.user_robot = must(s.create_user_robot(u), "user robot").id;
  RobotPosition pos = position_on(p.user_robot, "long", "0.002", "30000", 1'700'000'000'000);
  pos.exited = d("0.002");
  pos.exit_price = d("31000");
  pos.profit = d("1.9");
  pos.closed_ms = 1'700'000'100'000;
  must(s.save_position(pos), "position");
  OrderRecord o = order_on(p.account, "robot", "tb-r-1", "filled");
  o.user_robot_id = p.user_robot;
  o.signal_seq = 1;
  o.leg = "entry";
  o.reduce_only = true;
  o.filled = d("0.002");
  o.average_price = d("30000");
  o.fee = d("0.012");
  must(s.record_order(o), "robot order");
}

inline Populated populate(Store& s, ManualClock& clock) {
  Populated p;
  add_users(s, clock, p);
  p.account = add_account(s, p.ann, "Binance");
  add_account(s, p.bob, "Bob's");
  add_key_test(s, p.account);
  add_ledger(s, p.account);
  add_robots(s, p);
  add_user_robot(s, p);
  p.deleted_account = add_account(s, p.bob, "Gone");
  UserRobot gone;
  gone.user_id = p.bob;
  gone.robot_id = p.robot;
  gone.account_id = p.deleted_account;
  gone.volume = d("1");
  const int64_t gone_robot = must(s.create_user_robot(gone), "user robot of the deleted account").id;
  p.deleted_position = must(s.save_position(position_on(gone_robot, "short", "0.001", "30500", 1'700'000'200'000)), "its position").id;
  p.deleted_order = must(s.record_order(order_on(p.deleted_account, "key_test", "tb-kt-gone", "cancelled")), "its order").id;
  must(s.delete_account(p.deleted_account), "delete account");
  return p;
}

}  // namespace tb::store::test_data
