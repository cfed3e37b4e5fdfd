// The order ledger, the venues' kept limits, and migration 6 over a database of the previous schema.
#include <sqlite3.h>

#include "store/backends.hpp"

namespace tb::store {
namespace {

class Orders : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    uid_ = make_user();
    Account a;
    a.user_id = uid_;
    a.name = "Kraken";
    a.venue = "kraken";
    a.masked_key = "vmPU…3e5A";
    auto created = store_->create_account(a, {{0, "secret", "v1.n.c", 1}});
    ASSERT_TRUE(created.ok()) << created.error().describe();
    account_ = created->id;
  }
  OrderRecord intent(const std::string& cid) const {
    OrderRecord o;
    o.account_id = account_;
    o.purpose = "key_test";
    o.venue = "kraken";
    o.symbol = "XXBTZUSD";
    o.client_order_id = cid;
    o.side = "buy";
    o.type = "limit";
    o.price = dec("41000.5");
    o.amount = dec("0.0001");
    o.state = "intent";
    return o;
  }
  int64_t uid_ = 0, account_ = 0;
};

TEST_P(Orders, AnIntentIsKeptWholeAndItsClientIdNeverTwice) {
  auto o = store_->record_order(intent("tb-1"));
  ASSERT_TRUE(o.ok()) << o.error().describe();
  EXPECT_GT(o->id, 0);
  EXPECT_EQ(o->created_ms, clock_.now_ms());
  auto again = store_->record_order(intent("tb-1"));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().kind, ErrorKind::InvalidArgument);
  EXPECT_EQ(again.error().message.rfind("client_order_id", 0), 0u) << again.error().message;

  auto found = store_->find_order(o->id);
  ASSERT_TRUE(found.ok() && found->has_value());
  const OrderRecord& r = **found;
  EXPECT_EQ(r.symbol, "XXBTZUSD");
  EXPECT_EQ(r.price, dec("41000.5"));  // a decimal string, never a double
  EXPECT_EQ(r.amount, dec("0.0001"));
  EXPECT_EQ(r.state, "intent");
  EXPECT_FALSE(r.settled_ms);
}

TEST_P(Orders, UnsettledOnesAreListedPerAccountAndPerUserUntilSettled) {
  auto a = *store_->record_order(intent("tb-a"));
  auto b = *store_->record_order(intent("tb-b"));
  EXPECT_EQ(store_->unsettled_orders(account_)->size(), 2u);
  clock_.advance_ms(10);
  a.state = "unknown";
  a.note = "no answer";
  a.absent_answers = 1;
  ASSERT_TRUE(store_->update_order(a).ok());
  b.state = "cancelled";
  b.venue_order_id = "OABC-1";
  b.settled_ms = clock_.now_ms();
  ASSERT_TRUE(store_->update_order(b).ok());
  auto open = *store_->unsettled_orders(account_);
  ASSERT_EQ(open.size(), 1u);
  EXPECT_EQ(open[0].client_order_id, "tb-a");
  EXPECT_EQ(open[0].state, "unknown");
  EXPECT_EQ(open[0].absent_answers, 1);
  EXPECT_EQ(open[0].updated_ms, clock_.now_ms());
  auto of_user = *store_->unsettled_orders_of_user(uid_);
  ASSERT_EQ(of_user.size(), 1u);
  EXPECT_EQ(of_user[0].id, a.id);
  EXPECT_TRUE(store_->unsettled_orders_of_user(uid_ + 1)->empty());
  auto settled = *store_->find_order(b.id);
  EXPECT_EQ((*settled).venue_order_id, "OABC-1");
  EXPECT_EQ((*settled).settled_ms, clock_.now_ms());
}

TEST_P(Orders, UpdatingAMissingOrderIsTheCallersMistake) {
  OrderRecord ghost = intent("tb-x");
  ghost.id = 999;
  auto st = store_->update_order(ghost);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().kind, ErrorKind::InvalidArgument);
}

TEST_P(Orders, ADeletedAccountTakesItsOrdersAlong) {
  auto o = *store_->record_order(intent("tb-1"));
  ASSERT_TRUE(store_->delete_account(account_).ok());
  EXPECT_FALSE(store_->find_order(o.id)->has_value());
}

TEST_P(Orders, TheUnverifiedStatusIsStored) {
  auto a = *store_->find_account(account_);
  a->status = AccountStatus::Unverified;
  ASSERT_TRUE(store_->update_account(*a).ok());
  EXPECT_EQ((*store_->find_account(account_))->status, AccountStatus::Unverified);
}

TEST_P(Orders, DroppingAJobSparesOneAWorkerHolds) {
  auto free = *store_->enqueue_job("settle_order", "{}", clock_.now_ms());
  EXPECT_TRUE(*store_->drop_job(free));
  EXPECT_FALSE(store_->find_job(free)->has_value());
  auto held = *store_->enqueue_job("settle_order", "{}", clock_.now_ms());
  ASSERT_TRUE(store_->claim_job("settle_order", "w", 1000)->has_value());
  EXPECT_FALSE(*store_->drop_job(held));
  EXPECT_TRUE(store_->find_job(held)->has_value());
}

using VenueLimits = BackendTest;

TEST_P(VenueLimits, KeptPerVenueAndEgressIpAndReplacedInPlace) {
  ASSERT_TRUE(store_->save_venue_limit({"bitfinex", "203.0.113.7", "auth/r/orders", 60'000, 40, 0, 0}).ok());
  ASSERT_TRUE(store_->save_venue_limit({"bitfinex", "203.0.113.7", "auth/r/orders", 60'000, 90, 125'000, 0}).ok());
  ASSERT_TRUE(store_->save_venue_limit({"bitfinex", "198.51.100.1", "auth/r/orders", 60'000, 5, 0, 0}).ok());
  auto here = *store_->venue_limits("bitfinex", "203.0.113.7");
  ASSERT_EQ(here.size(), 1u);
  EXPECT_EQ(here[0].used, 90);
  EXPECT_EQ(here[0].blocked_until_ms, 125'000);
  EXPECT_EQ(here[0].updated_ms, clock_.now_ms());
  EXPECT_TRUE(store_->venue_limits("kraken", "203.0.113.7")->empty());
}

// ---- migration 6 over a v3 database ----

TEST(OrdersMigration, PendingOrdersOfTheOldSchemeMoveIntoTheLedgerAndNothingIsLost) {
  TempDb db;
  ManualClock clock{1'700'000'000'000};
  {
    auto store = open_store_at(db.path(), clock, 3);
    ASSERT_TRUE(store);
  }
  // What a v3 server left: an interrupted test whose order was planned, and a queued cancel of another.
  exec_sql(db.path(), R"sql(
    INSERT INTO users (id, email, password_hash, created_at) VALUES (1, 'a@example.com', 'h', 1);
    INSERT INTO accounts (id, user_id, name, venue, masked_key, status, created_at, updated_at)
      VALUES (7, 1, 'Kraken', 'kraken', 'vmPU…3e5A', 'testing', 1, 1), (8, 1, 'Bitfinex', 'bitfinex', 'abcd…wxyz', 'enabled', 1, 1);
    INSERT INTO account_secrets VALUES (7, 'secret', 'v1.n.c', 1), (8, 'secret', 'v1.n.d', 1);
    INSERT INTO key_tests (account_id, steps, outcome, started_at, result)
      VALUES (7, '[]', '', 5, '{"pending_order":{"symbol":"XXBTZUSD","order_id":"","client_order_id":"111"}}'),
             (8, '[]', 'enabled', 5, 'not json');
    INSERT INTO jobs (kind, payload, run_at) VALUES
      ('cancel_order', '{"account_id":8,"symbol":"tBTCUSD","order_id":"555","client_order_id":"222"}', 9);
  )sql");
  auto store = open_store(db.path(), clock);
  ASSERT_TRUE(store);
  auto versions = *store->applied_migrations();
  EXPECT_NE(std::find(versions.begin(), versions.end(), 6), versions.end());
  // The rebuilt accounts table kept every row and its secrets (no cascade while it was rebuilt).
  EXPECT_EQ(store->list_accounts(1)->size(), 2u);
  EXPECT_EQ(store->get_secrets(7)->size(), 1u);
  EXPECT_EQ(store->get_secrets(8)->size(), 1u);
  auto planned = *store->unsettled_orders(7);
  ASSERT_EQ(planned.size(), 1u);
  EXPECT_EQ(planned[0].client_order_id, "111");
  EXPECT_EQ(planned[0].state, "intent");
  auto queued = *store->unsettled_orders(8);
  ASSERT_EQ(queued.size(), 1u);
  EXPECT_EQ(queued[0].venue_order_id, "555");
  EXPECT_EQ(queued[0].state, "open");
  // Each has its settle job; the old cancel job is gone.
  EXPECT_FALSE(store->claim_job("cancel_order", "w", 1000)->has_value());
  int settle_jobs = 0;
  while (store->claim_job("settle_order", "w", 1000)->has_value()) ++settle_jobs;
  EXPECT_EQ(settle_jobs, 2);
  // Foreign keys are on again after the migration.
  ASSERT_TRUE(store->delete_account(8).ok());
  EXPECT_TRUE(store->unsettled_orders(8)->empty());
}

INSTANTIATE_BACKENDS(Orders);
INSTANTIATE_BACKENDS(VenueLimits);

}  // namespace
}  // namespace tb::store
