// A user robot's start on the real simulator (issue 16): on futures the leverage named at the start is set on
// the venue first and the leverage in effect kept on the user robot; on spot a leverage is refused by name;
// a venue that refuses the setting leaves the user robot stopped.
#include <gtest/gtest.h>

#include "trading/desk_world.hpp"
#include "trading/user_robots.hpp"
#include "venues/futures_settings.hpp"

namespace tb::trading::test {
namespace {

using store::UserRobotStatus;

struct Starter {
  explicit Starter(const std::string& venue) : d(venue), s(*d.store, d.w.harness.clock) {
    store::UserRobot ur = d.ur();
    ur.status = UserRobotStatus::Stopped;
    if (auto st = d.store->update_user_robot(ur); !st) throw std::runtime_error(st.error().describe());
    s.trade_with(
        [this](std::string_view) { return d.w.venue.get(); },
        [this](const store::Account&) -> Result<std::shared_ptr<crypto::Signer>> { return std::shared_ptr<crypto::Signer>(signer()); });
  }
  std::unique_ptr<crypto::Signer> signer() const { return std::make_unique<crypto::LocalSigner>(d.key.key, crypto::Secret(d.key.secret)); }
  Result<store::UserRobot> start(std::optional<int> leverage) { return tb::test::run(s.start_trading(d.user, d.user_robot, leverage)); }
  int venue_leverage() {
    auto signer_now = signer();
    auto got = tb::test::run(venues::futures_settings(*d.w.venue)->symbol_settings(*signer_now, d.symbol()));
    if (!got) throw std::runtime_error(got.error().describe());
    return got->leverage;
  }

  DeskWorld d;
  UserRobotService s;
};

TEST(UserRobotStart, OnFuturesTheLeverageNamedIsSetOnTheVenueAndTheOneInEffectKept) {
  Starter t("binance_futures");
  EXPECT_EQ(t.d.ur().leverage, std::nullopt);
  auto started = t.start(20);
  ASSERT_TRUE(started) << started.error().describe();
  EXPECT_EQ(started->status, UserRobotStatus::Starting);
  EXPECT_EQ(started->leverage, 20);
  EXPECT_EQ(t.venue_leverage(), 20);
  // Running: another leverage is refused by name, the start itself answers as it is.
  auto again = t.start(3);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().kind, ErrorKind::Conflict);
  EXPECT_EQ(again.error().field, "leverage");
  EXPECT_EQ(t.venue_leverage(), 20);
  ASSERT_TRUE(t.start(std::nullopt));
}

TEST(UserRobotStart, WithoutALeverageTheVenuesIsReadAndKept) {
  Starter t("binance_futures");
  const int before = t.venue_leverage();
  auto started = t.start(std::nullopt);
  ASSERT_TRUE(started) << started.error().describe();
  EXPECT_EQ(started->leverage, before);
  EXPECT_EQ(t.d.ur().leverage, before);
}

TEST(UserRobotStart, AVenueThatRefusesTheLeverageLeavesItStopped) {
  Starter t("binance_futures");
  ASSERT_TRUE(t.d.w.exchange.delete_key(t.d.key.key));  // revoked on the exchange: the setting is refused
  auto refused = t.start(5);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().kind, ErrorKind::Conflict);
  EXPECT_EQ(refused.error().field, "leverage");
  EXPECT_NE(refused.error().message.find("did not set leverage 5 on BTCUSDT"), std::string::npos) << refused.error().message;
  EXPECT_EQ(t.d.ur().status, UserRobotStatus::Stopped);
  EXPECT_EQ(t.d.ur().leverage, std::nullopt);
  // Out of range: refused before the venue is asked.
  auto big = t.start(kMaxLeverage + 1);
  ASSERT_FALSE(big);
  EXPECT_EQ(big.error().kind, ErrorKind::InvalidArgument);
  EXPECT_EQ(big.error().field, "leverage");
}

TEST(UserRobotStart, OnSpotALeverageIsRefusedByNameAndNoneIsShown) {
  Starter t("kraken");
  auto refused = t.start(3);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().kind, ErrorKind::InvalidArgument);
  EXPECT_EQ(refused.error().field, "leverage");
  EXPECT_EQ(t.d.ur().status, UserRobotStatus::Stopped);
  auto started = t.start(std::nullopt);
  ASSERT_TRUE(started) << started.error().describe();
  EXPECT_EQ(started->leverage, std::nullopt);
}

}  // namespace
}  // namespace tb::trading::test
