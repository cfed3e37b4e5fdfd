// Events as they cross between processes: each kind comes back as it went, an account's change is read anew
// on arrival, and what is not ours (or too large to cross) is dropped.
#include <gtest/gtest.h>

#include "cluster/event_codec.hpp"

namespace tb::cluster {
namespace {

using accounts::AccountEvent;

std::optional<Crossing> round_trip(const Crossing& c, const ViewOf& view_of = {}) {
  auto payload = encode(c);
  EXPECT_TRUE(payload.has_value());
  if (!payload) return std::nullopt;
  EXPECT_LE(payload->size(), kMaxPayload);
  return decode(*payload, view_of);
}

TEST(EventCodec, AnAccountsChangeCarriesItsIdsAndIsReadAnewOnArrival) {
  accounts::AccountView sent;
  sent.account.id = 42;
  sent.account.user_id = 7;
  sent.account.name = "old name";
  std::vector<std::pair<int64_t, int64_t>> asked;
  ViewOf view_of = [&](int64_t user, int64_t account) -> Result<accounts::AccountView> {
    asked.emplace_back(user, account);
    accounts::AccountView now = sent;
    now.account.name = "as it is now";
    return now;
  };
  auto got = round_trip(Crossing{AccountEvent{7, accounts::AccountChanged{accounts::AccountChanged::Change::Tested, sent}}}, view_of);
  ASSERT_TRUE(got);
  const auto& e = std::get<AccountEvent>(*got);
  EXPECT_EQ(e.user_id, 7);
  const auto& changed = std::get<accounts::AccountChanged>(e.what);
  EXPECT_EQ(changed.change, accounts::AccountChanged::Change::Tested);
  EXPECT_EQ(changed.view.account.name, "as it is now");
  EXPECT_EQ(asked, (std::vector<std::pair<int64_t, int64_t>>{{7, 42}}));
  // Deleted meanwhile: nothing to tell.
  ViewOf gone = [](int64_t, int64_t) -> Result<accounts::AccountView> { return Error::make(ErrorKind::NotFound, "no such account"); };
  EXPECT_FALSE(round_trip(Crossing{AccountEvent{7, accounts::AccountChanged{accounts::AccountChanged::Change::Updated, sent}}}, gone));
}

TEST(EventCodec, AStepADeletionANoticeASessionEndAndAWakeComeBackAsTheyWent) {
  store::KeyTestStep step{store::StepName::TestOrder, store::StepState::Waiting, "the venue asks us to wait 3 s", 1200};
  auto s = round_trip(Crossing{AccountEvent{7, accounts::KeyTestStepped{42, 9, step}}});
  ASSERT_TRUE(s);
  const auto& stepped = std::get<accounts::KeyTestStepped>(std::get<AccountEvent>(*s).what);
  EXPECT_EQ(stepped.account_id, 42);
  EXPECT_EQ(stepped.test_id, 9);
  EXPECT_EQ(stepped.step, step);
  auto d = round_trip(Crossing{AccountEvent{7, accounts::AccountDeleted{42}}});
  ASSERT_TRUE(d);
  EXPECT_EQ(std::get<accounts::AccountDeleted>(std::get<AccountEvent>(*d).what).account_id, 42);
  auto n = round_trip(Crossing{AccountEvent{7, accounts::Notice{"position.closed", R"({"id":3,"profit":"1.5"})", "Closed: +1.5 USDT"}}});
  ASSERT_TRUE(n);
  const auto& notice = std::get<accounts::Notice>(std::get<AccountEvent>(*n).what);
  EXPECT_EQ(notice.name, "position.closed");
  EXPECT_EQ(notice.data_json, R"({"id":3,"profit":"1.5"})");
  EXPECT_EQ(notice.text, "Closed: +1.5 USDT");
  auto end = round_trip(Crossing{SessionEnded{"abc"}});
  ASSERT_TRUE(end);
  EXPECT_EQ(std::get<SessionEnded>(*end).token_hash, "abc");
  EXPECT_TRUE(round_trip(Crossing{Wake{}}).has_value());
}

TEST(EventCodec, WhatIsNotOursOrTooLargeIsDropped) {
  EXPECT_FALSE(encode(Crossing{AccountEvent{7, accounts::Notice{"big", std::string(9'000, 'x'), ""}}}));
  EXPECT_FALSE(decode("not json", {}));
  EXPECT_FALSE(decode(R"({"t":"notice","u":7})", {}));  // fields missing
  EXPECT_FALSE(decode(R"({"t":"step","u":7,"a":1,"k":2,"s":{"n":"nonsense","st":"ok","m":"","d":0}})", {}));
  EXPECT_FALSE(decode(R"({"t":"something else"})", {}));
}

}  // namespace
}  // namespace tb::cluster
