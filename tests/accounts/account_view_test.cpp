// What a user reads of an account view, derived once for the web and the bot: the warnings (unsettled test
// orders first), the order to cancel by hand, and the advice with the rule for a refused pair.
#include <gtest/gtest.h>

#include "accounts/account_view.hpp"
#include "accounts/user_texts.hpp"

namespace tb::accounts {
namespace {

AccountView judged(store::AccountStatus status, InvalidReason reason) {
  AccountView v;
  v.account.id = 7;
  v.account.venue = "kraken";
  v.account.status = status;
  store::KeyTest t;
  t.reason = reason;
  t.warnings = {"no IP restriction"};
  v.last_test = t;
  return v;
}

store::OrderRecord test_order(std::string client_id, std::string venue_id) {
  store::OrderRecord o;
  o.venue = "kraken";
  o.symbol = "XBTUSD";
  o.client_order_id = std::move(client_id);
  o.venue_order_id = std::move(venue_id);
  return o;
}

TEST(AccountView, UnsettledTestOrdersComeFirstInTheWarningsAndTheOldestIsToCancelByHand) {
  AccountView v = judged(store::AccountStatus::Enabled, InvalidReason::None);
  EXPECT_EQ(order_to_cancel_by_hand(v), nullptr);
  EXPECT_EQ(warnings_of(v), (std::vector<std::string>{"no IP restriction"}));
  v.unsettled_orders = {test_order("tb1", ""), test_order("tb2", "O-2")};
  auto w = warnings_of(v);
  ASSERT_EQ(w.size(), 3u);
  EXPECT_EQ(w[0],
            "A test order may still be open on Kraken (XBTUSD, client order id tb1); we keep trying to cancel it. "
            "If you can, cancel it by hand on the exchange.");
  EXPECT_NE(w[1].find("client order id tb2, order O-2"), std::string::npos) << w[1];
  EXPECT_EQ(w[2], "no IP restriction");
  ASSERT_NE(order_to_cancel_by_hand(v), nullptr);
  EXPECT_EQ(order_to_cancel_by_hand(v)->client_order_id, "tb1");
}

TEST(AccountView, ARefusedPairIsErasedWithTheNoteOtherOutcomesKeepIt) {
  KeyAdvice refused = advice_of(judged(store::AccountStatus::Invalid, InvalidReason::WrongSecret));
  EXPECT_EQ(refused.advice, advice_for(InvalidReason::WrongSecret, "kraken"));
  EXPECT_FALSE(refused.advice.empty());
  EXPECT_FALSE(refused.key_kept);
  EXPECT_EQ(refused.key_note, kRefusedKeyErased);

  KeyAdvice funds = advice_of(judged(store::AccountStatus::Invalid, InvalidReason::InsufficientFunds));
  EXPECT_EQ(funds.advice, advice_for(InvalidReason::InsufficientFunds, "kraken"));
  EXPECT_TRUE(funds.key_kept);
  EXPECT_TRUE(funds.key_note.empty());

  // A passed test advises nothing, even if an older reason lingers in the row.
  KeyAdvice ready = advice_of(judged(store::AccountStatus::Enabled, InvalidReason::WrongSecret));
  EXPECT_TRUE(ready.advice.empty());
  EXPECT_TRUE(ready.key_kept);
  EXPECT_EQ(refusal_of(AccountView{}), InvalidReason::None);
}

}  // namespace
}  // namespace tb::accounts
