#pragma once
// What the db copy tests compare: every table of two databases row for row (read through the copy's own sides,
// whose readers put a SQLite flag and a PostgreSQL boolean in one form), and the answers the Store API gives
// on both, which read each backend through its own statements.
#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

#include "store/copy/copy_plan.hpp"
#include "store/database_url.hpp"
#include "store/open_store.hpp"
#include "store/populated.hpp"

namespace tb::store::test_data {

inline std::unique_ptr<copy::Side> side_of(const DatabaseUrl& url) {
  auto side = url.backend == Backend::Sqlite ? copy::open_sqlite_side(url.sqlite_path, true)
                                             : copy::open_postgres_side(postgres_conninfo(url.postgres));
  EXPECT_TRUE(side.ok()) << (side.ok() ? "" : side.error().describe());
  if (!side.ok()) return nullptr;
  EXPECT_TRUE((*side)->begin_read().ok());
  return std::move(*side);
}

inline std::vector<copy::Row> rows_of(copy::Side& side, const std::string& table, const std::vector<copy::ColumnRef>& columns) {
  std::vector<copy::Row> out;
  auto st = side.read(table, columns, 3, [&](const copy::RowBatch& b) {
    out.insert(out.end(), b.begin(), b.end());
    return ok_status();
  });
  EXPECT_TRUE(st.ok()) << table << ": " << (st.ok() ? "" : st.error().describe());
  std::sort(out.begin(), out.end());
  return out;
}

// Every table of `a` and `b` holds the same rows; with every_table_filled, none is empty (populated.hpp writes
// a row in each: a new table needs one there, or this copy test would not see it copied). Returns the tables.
inline size_t expect_same_tables(const DatabaseUrl& a, const DatabaseUrl& b, bool every_table_filled) {
  auto sa = side_of(a);
  auto sb = side_of(b);
  if (!sa || !sb) return 0;
  auto plans = copy::plan_copy(*sa, *sb);
  EXPECT_TRUE(plans.ok()) << (plans.ok() ? "" : plans.error().describe());
  if (!plans.ok()) return 0;
  for (const auto& plan : *plans) {
    const auto ra = rows_of(*sa, plan.table, plan.source);
    EXPECT_EQ(ra, rows_of(*sb, plan.table, plan.target)) << "table " << plan.table;
    if (every_table_filled) {
      EXPECT_FALSE(ra.empty()) << "table " << plan.table << " has no row: populated.hpp must write one";
    }
  }
  return plans->size();
}

inline std::unique_ptr<Store> store_of(const DatabaseUrl& url, const Clock& clock) {
  auto s = open_store(url, clock, OpenStoreOptions{.migrate = false});
  EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().describe());
  return s.ok() ? std::move(*s) : nullptr;
}

// The Store API's answers about the populated rows, as text: equal on a copy and its source.
inline std::string api_answers(Store& s, const Populated& p) {
  std::ostringstream o;
  for (int64_t u : {p.ann, p.bob}) {
    auto user = must(s.find_user(u), "user");
    o << "user " << u << " " << (user ? user->email + " " + user->password_hash : "-") << "\n";
    for (const auto& x : must(s.list_user_sessions(u), "sessions")) o << " session " << x.token_hash << " " << x.csrf_token << "\n";
    for (const auto& a : must(s.list_accounts(u), "accounts")) {
      o << " account " << a.id << " " << a.name << " " << to_string(a.status) << " " << a.usd_total.to_string() << " "
        << a.portfolio.balances.size() << "/" << a.portfolio.positions.size() << "\n";
      for (const auto& x : must(s.get_secrets(a.id), "secrets"))
        o << "  secret " << x.field << " " << x.sealed << " v" << x.master_version << "\n";
      for (const auto& t : must(s.list_key_tests(a.id), "key tests"))
        o << "  test " << t.id << " " << t.outcome << " " << t.steps.size() << " steps, " << t.warnings.size() << " warnings " << t.message
          << "\n";
    }
    for (const auto& e : must(s.list_audit(u, 10), "audit")) o << " audit " << e.id << " " << e.action << " " << e.channel << "\n";
  }
  auto tf = must(s.find_two_factor(p.ann), "two factor");
  o << "2fa " << (tf ? tf->sealed_secret + " " + std::to_string(tf->last_step) + (tf->enabled ? " on" : " off") : "-") << " "
    << must(s.count_recovery_codes(p.ann), "codes") << " codes\n";
  auto link = must(s.find_telegram_link(555), "link");
  o << "link " << (link ? link->username + " " + link->dialog_json + (link->blocked ? " blocked" : "") : "-") << "\n";
  auto tg = must(s.find_telegram_user(777001), "telegram user");
  o << "telegram user " << (tg ? tg->id : 0) << " offset " << must(s.telegram_update_offset(123456), "offset") << "\n";
  for (const auto& r : must(s.list_robots(), "robots"))
    o << "robot " << r.id << " " << r.name << " " << r.kind << " " << r.owner_id.value_or(0) << " "
      << must(s.robot_signals(r.id, 0, 10), "signals").size() << " signals\n";
  o << "candles " << must(s.candles("binance_futures", "BTCUSDT", Timeframe::H1, 0, 1'800'000'000'000), "candles").size() << "\n";
  for (const auto& u : must(s.list_user_robots(p.ann), "user robots")) {
    o << "user robot " << u.id << " " << to_string(u.status) << " " << u.volume.to_string() << "\n";
    for (const auto& x : must(s.positions(u.id, 10), "positions"))
      o << " position " << x.id << " " << x.profit.value_or(Decimal()).to_string() << "\n";
    for (const auto& x : must(s.robot_orders(u.id, 10), "orders"))
      o << " order " << x.id << " " << x.client_order_id << " " << x.fee.to_string() << (x.reduce_only ? " reduce-only" : "") << "\n";
  }
  return o.str();
}

// New rows after the copy take the ids the source would have given them: no id handed out twice.
inline std::string ids_of_new_rows(Store& s, const Populated& p) {
  std::ostringstream o;
  o << "user " << must(s.create_user("new@example.com", "$argon2id$new"), "new user").id;
  Account a;
  a.user_id = p.ann;
  a.name = "New";
  a.venue = "kraken";
  a.masked_key = "ab…cd";
  o << " account " << must(s.create_account(a, {{0, "secret", "v1.n.c", 1}}), "new account").id;
  o << " test " << must(s.start_key_test(p.account), "new key test").id;
  o << " audit " << must(s.append_audit({0, p.ann, "new", std::nullopt, "", "{}", 0, "api", std::nullopt}), "new audit");
  o << " job " << must(s.enqueue_job("new", "{}", 1), "new job");
  must(s.create_session({"new-session", p.ann, "c", 1'800'000'000'000, "", "", 0, 0}), "new session");
  Robot r;
  r.name = "new robot";
  r.strategy = "ma_cross";
  r.venue = "kraken";
  r.symbol = "XBTUSD";
  o << " robot " << must(s.create_robot(r), "new robot").id;
  o << " order " << must(s.record_order(order_on(p.account, "key_test", "tb-kt-new", "intent")), "new order").id;
  o << " position " << must(s.save_position(position_on(p.user_robot, "long", "0.001", "30100", 1'700'000'300'000)), "new position").id;
  return o.str();
}

}  // namespace tb::store::test_data
