// The journal writes an order down, with its settle job, before it is sent, and drops the job once the
// sender settled the order itself.
#include <gtest/gtest.h>

#include "orders/orders.hpp"
#include "store/temp_db.hpp"

namespace tb::orders {
namespace {

class Journal : public store::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    store::Account a;
    a.user_id = make_user();
    a.name = "Binance";
    a.venue = "binance_futures";
    a.masked_key = "abcd…wxyz";
    account_ = store_->create_account(a, {})->id;
  }
  OrderRequest request(const std::string& cid) {
    OrderRequest r;
    r.symbol = "BTCUSDT";
    r.side = Side::Buy;
    r.type = OrderType::Limit;
    r.price = store::dec("61234.5");
    r.amount = store::dec("0.002");
    r.client_order_id = cid;
    return r;
  }
  size_t settle_jobs() {
    size_t n = 0;
    while (store_->claim_job(kSettleOrderJob, "counter-" + std::to_string(n), 1)->has_value()) ++n;
    clock_.advance_ms(2);  // the leases run out: the jobs are there for the next count
    return n;
  }
  int64_t account_ = 0;
};

TEST_F(Journal, TheIntentAndItsSettleJobAreWrittenTogether) {
  OrderJournal j(*store_, clock_, account_, "binance_futures", "key_test");
  auto row = j.intend(request("tb-1"), clock_.now_ms());
  ASSERT_TRUE(row.ok()) << row.error().describe();
  auto stored = *store_->find_order(row->id);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->state, "intent");
  EXPECT_EQ(stored->side, "buy");
  EXPECT_EQ(stored->price, store::dec("61234.5"));
  EXPECT_EQ(settle_jobs(), 1u);
  // The same client order id twice is refused, and nothing more is written.
  auto twice = j.intend(request("tb-1"), clock_.now_ms());
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(settle_jobs(), 1u);
}

TEST_F(Journal, SettledByTheSenderTheSafetyNetJobGoes) {
  OrderJournal j(*store_, clock_, account_, "binance_futures", "key_test");
  ASSERT_TRUE(j.intend(request("tb-1"), clock_.now_ms()).ok());
  ASSERT_TRUE(j.intend(request("tb-2"), clock_.now_ms()).ok());
  ASSERT_TRUE(j.learnt("tb-1", OrderState::Open, "42", "placed").ok());
  EXPECT_EQ(settle_jobs(), 2u);
  ASSERT_TRUE(j.learnt("tb-1", OrderState::Cancelled, "42", "cancelled and confirmed").ok());
  ASSERT_TRUE(j.learnt("tb-2", OrderState::Unknown, "", "no answer").ok());
  EXPECT_EQ(settle_jobs(), 1u);  // only the order in doubt keeps its job
  auto left = *store_->unsettled_orders(account_);
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0].client_order_id, "tb-2");
  EXPECT_EQ(left[0].note, "no answer");
  EXPECT_FALSE(j.learnt("tb-3", OrderState::Open, "", "").ok());  // never intended here
}

}  // namespace
}  // namespace tb::orders
