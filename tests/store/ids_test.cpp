// Account and order ids are never handed out twice (migration 8): a deleted account's id stays its own, in a
// new database and in one migrated from version 7 whose audit log remembers accounts deleted before.
#include <functional>

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
  int64_t account = 0, kept = 0, deleted = 0, position = 0;
  {
    auto v18 = open_store_at(db.path(), clock, 18);
    ASSERT_TRUE(v18);
    const int64_t uid = v18->create_user("ann@example.com", "h")->id;
    account = v18->create_account(account_of(uid, "Main"), {})->id;
    Robot r;
    r.name = "signals";
    r.strategy = r.kind = "signal";
    r.venue = "kraken";
    r.symbol = "XXBTZUSD";
    const int64_t robot = v18->create_robot(r)->id;
    UserRobot ur;
    ur.user_id = uid;
    ur.robot_id = robot;
    ur.account_id = account;
    ur.volume = dec("100");
    const int64_t user_robot = v18->create_user_robot(ur)->id;
    RobotPosition p;
    p.user_robot_id = user_robot;
    p.side = "long";
    p.entered = dec("0.01");
    p.entry_price = dec("65000.5");
    p.opened_ms = 1;
    position = v18->save_position(p)->id;
    OrderRecord first = order_of(account, "a");
    first.purpose = "robot";
    first.user_robot_id = user_robot;
    first.signal_seq = 1;
    first.leg = "entry";
    kept = filled_and_one_deleted(
        *v18, db.path(), first, [&](OrderRecord& o) { o.position_id = position; }, deleted);
  }
  auto store = open_store(db.path(), clock);
  ASSERT_TRUE(store);
  auto moved = store->find_order(kept);
  ASSERT_TRUE(moved.ok() && moved->has_value());
  EXPECT_EQ((*moved)->client_order_id, "a");
  EXPECT_EQ((*moved)->filled.to_string(), "0.010");
  EXPECT_EQ((*moved)->settled_ms, 5);
  EXPECT_EQ((*moved)->position_id, position);
  auto next = store->record_order(order_of(account, "c"));
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(next->id, deleted + 1);  // not the deleted order's id
  EXPECT_EQ(count_rows(db.path(), "SELECT count(*) FROM pragma_foreign_key_list('orders') WHERE \"table\" = 'robot_positions'"), 0);
  EXPECT_EQ(count_rows(db.path(), "SELECT count(*) FROM pragma_foreign_key_list('orders')"), 2);  // its account, its user robot
  for (const char* index : {"orders_unsettled", "orders_of_signal", "orders_fee_pending", "orders_client_id"})
    EXPECT_EQ(orders_index_count(db.path(), index), 1) << index;
  EXPECT_EQ(count_rows(db.path(), "SELECT count(*) FROM sqlite_master WHERE name IN ('orders_of_position', 'orders_v19')"), 0);
  exec_sql(db.path(), "PRAGMA foreign_keys = ON; DELETE FROM robot_positions WHERE id = " + std::to_string(position));
  EXPECT_EQ(store->find_order(kept)->value().position_id, position);
}

INSTANTIATE_BACKENDS(Ids);

}  // namespace
}  // namespace tb::store
