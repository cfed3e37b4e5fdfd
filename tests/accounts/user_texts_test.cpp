// What a user reads about a key test, from one place: the steps' labels, one advice per reason (in the
// venue's own words where it has them), the rule for a refused key, and the key guide every channel shows.
#include <gtest/gtest.h>

#include "accounts/key_guide.hpp"
#include "accounts/user_texts.hpp"
#include "venues/registry.hpp"

namespace tb::accounts {
namespace {

const std::vector<InvalidReason> kRefusals = {InvalidReason::InvalidKey, InvalidReason::WrongSecret, InvalidReason::IpNotWhitelisted,
                                              InvalidReason::NoTradingPermission, InvalidReason::WithdrawalPermission};

TEST(UserTexts, StepsInTheOrderTheyRunEachWithALabel) {
  std::vector<std::string> names;
  for (const auto& s : key_test_steps()) {
    names.emplace_back(to_string(s.name));
    EXPECT_FALSE(s.label.empty()) << to_string(s.name);
  }
  EXPECT_EQ(names, (std::vector<std::string>{"permissions", "balances", "test_order", "cancel"}));
  auto json = key_test_steps_json();
  ASSERT_EQ(json.size(), 4u);
  EXPECT_EQ(json[0]["name"], "permissions");
  EXPECT_EQ(json[0]["label"], std::string(key_test_steps()[0].label));
}

TEST(UserTexts, ARefusedKeyPairIsNotKeptAndEveryOtherOutcomeKeepsIt) {
  for (auto r : kRefusals) EXPECT_FALSE(keeps_key(r)) << to_string(r);
  for (auto r : {InvalidReason::None, InvalidReason::InsufficientFunds, InvalidReason::ExchangeUnavailable, InvalidReason::Other})
    EXPECT_TRUE(keeps_key(r)) << to_string(r);
  for (auto r : kRefusals) EXPECT_EQ(parse_invalid_reason(to_string(r)), r);
  EXPECT_EQ(parse_invalid_reason("nonsense"), std::nullopt);
}

TEST(UserTexts, OneAdviceForEachReasonAndARefusalAlwaysSaysHowToSendANewPair) {
  for (const auto& v : venues::supported_venues()) {
    for (auto r : kRefusals) {
      const std::string advice = advice_for(r, v.id);
      EXPECT_NE(advice.find("Replace keys"), std::string::npos) << v.id << " " << to_string(r) << ": " << advice;
      EXPECT_EQ(advice.find("Re-test"), std::string::npos) << v.id << " " << to_string(r) << ": the pair is gone";
    }
    EXPECT_NE(advice_for(InvalidReason::WithdrawalPermission, v.id).find(v.advice.withdrawals_on), std::string::npos) << v.id;
    EXPECT_NE(advice_for(InvalidReason::NoTradingPermission, v.id).find(v.advice.trading_off), std::string::npos) << v.id;
    EXPECT_NE(advice_for(InvalidReason::InsufficientFunds, v.id).find("Re-test"), std::string::npos);
  }
  // A key whose rights cannot be edited gets one advice: a new key, never "turn off withdrawals" beside it.
  const std::string bitfinex = advice_for(InvalidReason::WithdrawalPermission, "bitfinex");
  EXPECT_NE(bitfinex.find("create a new key"), std::string::npos) << bitfinex;
  EXPECT_EQ(bitfinex.find("Turn off"), std::string::npos) << bitfinex;
  EXPECT_EQ(bitfinex.find("turn off"), std::string::npos) << bitfinex;
  EXPECT_EQ(bitfinex.find("Turn off"), std::string::npos) << bitfinex;
  // An unknown venue still gets plain advice.
  EXPECT_NE(advice_for(InvalidReason::WithdrawalPermission, "nowhere").find("withdrawal"), std::string::npos);
  EXPECT_EQ(advice_for(InvalidReason::None, "kraken"), "");
}

TEST(KeyGuide, TheVenuesOwnPageUnlessItPointsAtTheSimulator) {
  GuideOptions o;
  o.egress_ip = "203.0.113.7";
  o.key_pages["kraken"] = "http://127.0.0.1:8081/?venue=kraken";
  auto body = exchanges_json(o);
  ASSERT_EQ(body["exchanges"].size(), 3u);
  for (const auto& e : body["exchanges"]) {
    const std::string id = e["id"];
    if (id == "kraken") EXPECT_EQ(e["key_page"], "http://127.0.0.1:8081/?venue=kraken");
    else EXPECT_EQ(e["key_page"], std::string(venues::find_venue(id)->guide.key_page));
    EXPECT_NE(e["ip_whitelist"]["advice"].get<std::string>().find("203.0.113.7"), std::string::npos);
    EXPECT_EQ(e["steps"].size(), venues::find_venue(id)->guide.steps.size());
  }
  EXPECT_EQ(body["key_test_steps"], key_test_steps_json());
}

}  // namespace
}  // namespace tb::accounts
