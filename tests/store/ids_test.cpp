// Account and order ids are never handed out twice (migration 8): a deleted account's id stays its own, in a
// new database and in one migrated from version 7 whose audit log remembers accounts deleted before.
#include <functional>
#include <optional>

#include "store/backends.hpp"

namespace tb::store {
namespace {

Account account_of(int64_t uid, const std::string& name) {
  Account a;
  a.user_id = uid;
  a.name = name;
  a.venue = "kraken";
  a.masked_key = "abcd…wxyz";
  return a;
}

OrderRecord order_of(int64_t account_id, const std::string& cid) {
  OrderRecord o;
  o.account_id = account_id;
  o.purpose = "key_test";
  o.venue = "kraken";
  o.symbol = "XXBTZUSD";
  o.client_order_id = cid;
  o.state = "intent";
  return o;
}

RobotPosition position_of(int64_t user_robot, std::optional<int64_t> closed) {
  RobotPosition p;
  p.user_robot_id = user_robot;
  p.side = "long";
  p.entered = dec("0.01");
  p.entry_price = dec("65000.5");
  p.opened_ms = 1;
  p.closed_ms = closed;
  return p;
}

int64_t orders_index_count(const std::string& path, const std::string& index) {
  return count_rows(path, "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'orders' AND name = '" + index + "'");
}

// Records `first` and fills it (0.010, settled at 5, with what `more` adds), then records another order and
// deletes its row behind the store's back: a migration must still skip that id. Returns the filled one's id.
int64_t filled_and_one_deleted(Store& s, const std::string& path, const OrderRecord& first, const std::function<void(OrderRecord&)>& more,
                               int64_t& deleted) {
  const int64_t id = s.record_order(first)->id;
  OrderRecord filled = **s.find_order(id);
  filled.state = "filled";
  filled.filled = dec("0.010");
  filled.settled_ms = 5;
  more(filled);
  EXPECT_TRUE(s.update_order(filled).ok());
  deleted = s.record_order(order_of(first.account_id, "b"))->id;
  exec_sql(path, "DELETE FROM orders WHERE id = " + std::to_string(deleted));
  return id;
}

// What a robot order names, written at an older version: a user's account following a signal robot, with
// one position (0.01 at 65000.5, opened at 1, closed at `closed` when given).
struct RobotRows {
  int64_t account = 0, user_robot = 0, position = 0;
};
RobotRows robot_rows(Store& s, std::optional<int64_t> closed = std::nullopt) {
  RobotRows out;
  const int64_t uid = s.create_user("ann@example.com", "h")->id;
  out.account = s.create_account(account_of(uid, "Main"), {})->id;
  Robot r;
  r.name = "signals";
  r.strategy = r.kind = "signal";
  r.venue = "kraken";
  r.symbol = "XXBTZUSD";
  UserRobot ur;
  ur.user_id = uid;
  ur.robot_id = s.create_robot(r)->id;
  ur.account_id = out.account;
  ur.volume = dec("100");
  out.user_robot = s.create_user_robot(ur)->id;
  out.position = s.save_position(position_of(out.user_robot, closed))->id;
  return out;
}

// The entry of signal 1 for the rows' user robot, client id "a".
OrderRecord robot_order_of(const RobotRows& rows) {
  OrderRecord o = order_of(rows.account, "a");
  o.purpose = "robot";
  o.user_robot_id = rows.user_robot;
  o.signal_seq = 1;
  o.leg = "entry";
  return o;
}

// The robot order filled_and_one_deleted() filled, as a migration left it.
void expect_filled_robot_order(Store& s, int64_t id, int64_t position) {
  auto moved = s.find_order(id);
  ASSERT_TRUE(moved.ok() && moved->has_value());
  EXPECT_EQ((*moved)->client_order_id, "a");
  EXPECT_EQ((*moved)->filled.to_string(), "0.010");
  EXPECT_EQ((*moved)->settled_ms, 5);
  EXPECT_EQ((*moved)->position_id, position);
}

class Ids : public BackendTest {};

TEST_P(Ids, ADeletedAccountsIdAndItsOrdersIdsAreNotGivenAgain) {
  int64_t uid = make_user();
  auto first = store_->create_account(account_of(uid, "Kraken"), {});
  ASSERT_TRUE(first.ok());
  auto order = store_->record_order(order_of(first->id, "1"));
  ASSERT_TRUE(order.ok());
  ASSERT_TRUE(store_->delete_account(first->id).ok());  // the highest id, with its order
  auto second = store_->create_account(account_of(uid, "Kraken"), {});
  ASSERT_TRUE(second.ok());
  EXPECT_GT(second->id, first->id);
  auto next_order = store_->record_order(order_of(second->id, "1"));
  ASSERT_TRUE(next_order.ok());
  EXPECT_GT(next_order->id, order->id);
}

TEST(Migration8, IdsStartPastEveryAccountTheLogRemembersAndRowsStay) {
  TempDb db;
  ManualClock clock;
  int64_t uid = 0, kept = 0;
  {
    auto v7 = open_store_at(db.path(), clock, 7);
    ASSERT_TRUE(v7);
    uid = v7->create_user("ann@example.com", "h")->id;
    // In the v7 columns (today's store writes rows v7 lacks).
    kept = 1;
    const int64_t gone = 2;
    exec_sql(db.path(), "INSERT INTO accounts (id, user_id, name, venue, masked_key, status, created_at, updated_at) VALUES (1, " +
                            std::to_string(uid) + ", 'Kept', 'kraken', 'abcd…wxyz', 'testing', 0, 0), (2, " + std::to_string(uid) +
                            ", 'Gone', 'kraken', 'abcd…wxyz', 'testing', 0, 0);"
                            "INSERT INTO account_secrets (account_id, field, sealed, master_version) VALUES (1, 'secret', 'v1.n.c', 1)");
    AuditEntry e;
    e.user_id = uid;
    e.action = "key.deleted";
    e.account_id = gone + 5;  // deleted long ago, after others
    ASSERT_TRUE(v7->append_audit(e).ok());
    ASSERT_TRUE(v7->delete_account(gone).ok());
    exec_sql(db.path(),
             "INSERT INTO orders (account_id, purpose, venue, symbol, client_order_id, state, created_at, updated_at) VALUES (1, "
             "'key_test', 'kraken', 'XXBTZUSD', '7', 'intent', 0, 0)");
  }
  auto store = open_store(db.path(), clock);
  ASSERT_TRUE(store);
  EXPECT_EQ(store->list_accounts(uid)->size(), 1u);
  EXPECT_EQ(store->get_secrets(kept)->size(), 1u);  // no cascade while the table was rebuilt
  EXPECT_EQ(store->unsettled_orders(kept)->size(), 1u);
  auto next = store->create_account(account_of(uid, "New"), {});
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(next->id, kept + 1 + 5 + 1);  // past the remembered one
}

// Version 18 moves the orders to a table whose index on (account, client id) leaves robot orders out (their
// client ids are made from their row ids): every row and column stays, the counter still skips a deleted
// order's id, and the lookups keep their indexes.
TEST(Migration18, OrdersMoveWithTheirCounterAndRobotOrdersLeaveTheClientIdIndex) {
  TempDb db;
  ManualClock clock;
  int64_t account = 0, kept = 0, deleted = 0;
  {
    auto v17 = open_store_at(db.path(), clock, 17);
    ASSERT_TRUE(v17);
    const int64_t uid = v17->create_user("ann@example.com", "h")->id;
    account = v17->create_account(account_of(uid, "Main"), {})->id;
    OrderRecord first = order_of(account, "a");
    first.price = dec("65000.5");
    kept = filled_and_one_deleted(
        *v17, db.path(), first, [](OrderRecord& o) { o.fee_pending = true; }, deleted);
  }
  auto store = open_store_at(db.path(), clock, 18);
  ASSERT_TRUE(store);
  auto moved = store->find_order(kept);
  ASSERT_TRUE(moved.ok() && moved->has_value());
  EXPECT_EQ((*moved)->client_order_id, "a");
  EXPECT_EQ((*moved)->price.to_string(), "65000.5");
  EXPECT_EQ((*moved)->filled.to_string(), "0.010");
  EXPECT_EQ((*moved)->state, "filled");
  EXPECT_EQ((*moved)->settled_ms, 5);
  EXPECT_TRUE((*moved)->fee_pending);
  auto next = store->record_order(order_of(account, "c"));
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(next->id, deleted + 1);  // not the deleted order's id
  for (const char* index : {"orders_unsettled", "orders_of_signal", "orders_fee_pending", "orders_of_position", "orders_client_id"})
    EXPECT_EQ(orders_index_count(db.path(), index), 1) << index;
  EXPECT_EQ(count_rows(db.path(),
                       "SELECT count(*) FROM pragma_index_list('orders') l, pragma_index_info(l.name) i "
                       "WHERE i.name = 'client_order_id' AND NOT (l.name = 'orders_client_id' AND l.partial)"),
            0);
  EXPECT_EQ(count_rows(db.path(),
                       "SELECT count(*) FROM sqlite_master WHERE name = 'orders_client_id' AND sql LIKE "
                       "'%WHERE purpose <> ''robot''%'"),
            1);
  EXPECT_FALSE(store->record_order(order_of(account, "a")).ok());  // a caller's client id, still once an account
  EXPECT_EQ(count_rows(db.path(), "SELECT count(*) FROM sqlite_master WHERE name = 'orders_v18'"), 0);
}

// Version 19 moves the orders again, to a table whose position_id is a plain column: no foreign key to the
// positions and no index on it. Every row and column stays (position ids too), the counter still skips a
// deleted order's id, the other indexes stay, and a deleted position leaves its orders as they were.
TEST(Migration19, OrdersMoveWithTheirPositionIdsAndTheirCounterAndNoKeyTiesThemToPositions) {
  TempDb db;
  ManualClock clock;
  int64_t kept = 0, deleted = 0;
  RobotRows rows;
  {
    auto v18 = open_store_at(db.path(), clock, 18);
    ASSERT_TRUE(v18);
    rows = robot_rows(*v18);
    kept = filled_and_one_deleted(
        *v18, db.path(), robot_order_of(rows), [&](OrderRecord& o) { o.position_id = rows.position; }, deleted);
  }
  auto store = open_store(db.path(), clock);
  ASSERT_TRUE(store);
  expect_filled_robot_order(*store, kept, rows.position);
  auto next = store->record_order(order_of(rows.account, "c"));
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(next->id, deleted + 1);  // not the deleted order's id
  EXPECT_EQ(count_rows(db.path(), "SELECT count(*) FROM pragma_foreign_key_list('orders') WHERE \"table\" = 'robot_positions'"), 0);
  EXPECT_EQ(count_rows(db.path(), "SELECT count(*) FROM pragma_foreign_key_list('orders')"), 2);  // its account, its user robot
  for (const char* index : {"orders_unsettled", "orders_of_signal", "orders_fee_pending", "orders_client_id"})
    EXPECT_EQ(orders_index_count(db.path(), index), 1) << index;
  EXPECT_EQ(count_rows(db.path(), "SELECT count(*) FROM sqlite_master WHERE name IN ('orders_of_position', 'orders_v19')"), 0);
  exec_sql(db.path(), "PRAGMA foreign_keys = ON; DELETE FROM robot_positions WHERE id = " + std::to_string(rows.position));
  EXPECT_EQ(store->find_order(kept)->value().position_id, rows.position);
}

// Version 20 numbers orders and positions by the store's own counter, not AUTOINCREMENT: both tables move
// with every row, the counters start where AUTOINCREMENT was (past ids deleted behind the store's back),
// neither table keeps AUTOINCREMENT or a sqlite_sequence row, the indexes stay, and the next ids skip the
// deleted ones in a new process too.
TEST(Migration20, OrdersAndPositionsMoveToTheStoresCounterWhichStartsWhereAutoincrementWas) {
  TempDb db;
  ManualClock clock;
  int64_t kept = 0, deleted = 0, deleted_position = 0;
  RobotRows rows;
  {
    auto v19 = open_store_at(db.path(), clock, 19);
    ASSERT_TRUE(v19);
    rows = robot_rows(*v19, 2);
    deleted_position = v19->save_position(position_of(rows.user_robot, std::nullopt))->id;
    exec_sql(db.path(), "DELETE FROM robot_positions WHERE id = " + std::to_string(deleted_position));
    kept = filled_and_one_deleted(
        *v19, db.path(), robot_order_of(rows), [&](OrderRecord& o) { o.position_id = rows.position; }, deleted);
  }
  {
    auto store = open_store(db.path(), clock);
    ASSERT_TRUE(store);
    expect_filled_robot_order(*store, kept, rows.position);
    auto kept_position = store->find_position(rows.position);
    ASSERT_TRUE(kept_position.ok() && kept_position->has_value());
    EXPECT_EQ((*kept_position)->entry_price.to_string(), "65000.5");
    EXPECT_EQ((*kept_position)->closed_ms, 2);
    EXPECT_EQ(count_rows(db.path(),
                         "SELECT count(*) FROM sqlite_master WHERE name IN ('orders', 'robot_positions') AND sql LIKE "
                         "'%AUTOINCREMENT%'"),
              0);
    EXPECT_EQ(count_rows(db.path(), "SELECT count(*) FROM sqlite_sequence WHERE name IN ('orders', 'robot_positions')"), 0);
    EXPECT_EQ(count_rows(db.path(), "SELECT count(*) FROM sqlite_master WHERE name LIKE '%v20'"), 0);
    for (const char* index : {"orders_unsettled", "orders_of_signal", "orders_fee_pending", "orders_client_id"})
      EXPECT_EQ(orders_index_count(db.path(), index), 1) << index;
    EXPECT_EQ(count_rows(db.path(),
                         "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'robot_positions' AND name "
                         "IN ('robot_positions_open', 'robot_positions_of_user_robot')"),
              2);
    EXPECT_EQ(count_rows(db.path(), "SELECT count(*) FROM pragma_foreign_key_list('robot_positions') WHERE \"table\" = 'user_robots'"), 1);
    auto next = store->record_order(order_of(rows.account, "c"));
    ASSERT_TRUE(next.ok());
    EXPECT_EQ(next->id, deleted + 1);  // not the deleted order's id
    auto next_position = store->save_position(position_of(rows.user_robot, std::nullopt));
    ASSERT_TRUE(next_position.ok()) << next_position.error().describe();
    EXPECT_EQ(next_position->id, deleted_position + 1);
    exec_sql(db.path(), "DELETE FROM orders WHERE id = " + std::to_string(next->id) +
                            "; DELETE FROM robot_positions WHERE id = " + std::to_string(next_position->id));
  }
  auto store = open_store(db.path(), clock);  // a new process reads the counters the last one wrote
  ASSERT_TRUE(store);
  EXPECT_EQ(store->record_order(order_of(rows.account, "d"))->id, deleted + 2);
  EXPECT_EQ(store->save_position(position_of(rows.user_robot, std::nullopt))->id, deleted_position + 2);
}

INSTANTIATE_BACKENDS(Ids);

}  // namespace
}  // namespace tb::store
