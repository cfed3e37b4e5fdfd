// tradebridge's Binance connector with the venue's WebSocket API (VenueContext::ws_api) against the simulator
// on loopback: orders placed and cancelled over it land on the account as over REST, refusals map to the
// same kinds, and what the faults do to an order's answer leaves its outcome known or unknown as it must:
// an order never processed is not on the account, one processed and answered unreadably is.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include <memory>

#include "core/clock.hpp"
#include "crypto/signer.hpp"
#include "exsim/server/simulator.hpp"
#include "exsim/venues.hpp"
#include "net/asio_sleeper.hpp"
#include "net/http_client.hpp"
#include "net/ws_client.hpp"
#include "support/harness.hpp"
#include "support/loopback.hpp"
#include "venues/common/nonce.hpp"
#include "venues/registry.hpp"

namespace tb::exsim {
namespace {

class WsConnector : public ::testing::Test {
 protected:
  void SetUp() override {
    sim_ = std::make_unique<Simulator>(server_.io(), SimulatorOptions{}, SystemClock::instance(), default_venue_sims);
    ASSERT_TRUE(sim_->start());
    config_.base_url = sim_->base_url();
    config_.request.total_timeout = std::chrono::milliseconds(400);
    const std::string ws_url = "ws://127.0.0.1:" + std::to_string(sim_->port()) + "/ws-fapi/v1";
    ws_ = std::make_unique<net::WsClient>(io_, net::HttpClientOptions{}, ws_url, venues::find_venue("binance_futures")->ws_answer_id,
                                          net::WsClientOptions{2});
    venue_ = venues::make_venue("binance_futures", {&http_, &sleeper_, &SystemClock::instance(), &nonces_, nullptr, ws_.get()}, config_);
  }
  void TearDown() override {
    ws_.reset();  // its reads end, so the client's io_context runs out of work
    io_.restart();
    io_.run();
    if (sim_) sim_->stop();
  }

  crypto::LocalSigner key(std::string usdt = "100000", bool trade = true) {
    NewKey spec;
    spec.venue = "binance_futures";
    spec.permissions = {true, trade, true, false};
    spec.balances["USDT"] = *Decimal::parse(usdt);
    auto k = sim_->exchange().create_key(spec);
    EXPECT_TRUE(k);
    return crypto::LocalSigner(k->key, crypto::Secret(k->secret));
  }
  void fault(const std::string& kind) { sim_->exchange().add_fault({"binance_futures", "order", kind, 1, 0, std::nullopt}); }
  size_t on_venue(const crypto::LocalSigner& s, const std::string& client_id) {
    size_t n = 0;
    for (auto& o : sim_->exchange().orders(s.api_key())) n += o.client_order_id == client_id;
    return n;
  }
  // Runs a call to its end while the WebSocket connections stay open.
  template <typename T>
  T run(net::Task<T> task) {
    std::optional<T> out;
    boost::asio::co_spawn(io_, test::run_into(&out, std::move(task)), boost::asio::detached);
    io_.restart();
    while (!out) io_.run_one();
    return std::move(*out);
  }
  static OrderRequest market(std::string cid, Side side = Side::Buy) {
    OrderRequest r;
    r.symbol = "BTCUSDT";
    r.side = side;
    r.type = OrderType::Market;
    r.amount = Decimal::from_units(2, 3);
    r.client_order_id = std::move(cid);
    return r;
  }

  test::IoThread server_;
  std::unique_ptr<Simulator> sim_;
  boost::asio::io_context io_;
  net::HttpClient http_{io_};
  net::AsioSleeper sleeper_;
  venues::NonceSource nonces_{SystemClock::instance()};
  venues::VenueConfig config_;
  std::unique_ptr<net::WsClient> ws_;
  std::unique_ptr<venues::Venue> venue_;
};

TEST_F(WsConnector, OrdersPlacedAndCancelledOverItAreTheAccountsAsOverRest) {
  auto s = key();
  auto filled = run(venue_->create_order(s, market("ws-m-1")));
  ASSERT_TRUE(filled) << filled.error().describe();
  EXPECT_EQ(filled->status, OrderStatus::Filled);
  EXPECT_EQ(filled->filled, Decimal::from_units(2, 3));
  EXPECT_EQ(filled->client_order_id, "ws-m-1");
  EXPECT_EQ(on_venue(s, "ws-m-1"), 1u);

  OrderRequest limit = market("ws-l-1");
  limit.type = OrderType::Limit;
  limit.price = *Decimal::parse("1000");
  limit.amount = Decimal::from_units(2, 1);  // 0.2: over the market's 100 USDT minimum at that price
  auto resting = run(venue_->create_order(s, limit));
  ASSERT_TRUE(resting) << resting.error().describe();
  EXPECT_EQ(resting->status, OrderStatus::New);
  auto cancelled = run(venue_->cancel_order(s, {"BTCUSDT", resting->id, ""}));
  ASSERT_TRUE(cancelled) << cancelled.error().describe();
  EXPECT_EQ(cancelled->status, OrderStatus::Canceled);
  auto read = run(venue_->fetch_order(s, {"BTCUSDT", resting->id, ""}));  // over REST
  ASSERT_TRUE(read);
  EXPECT_EQ(read->status, OrderStatus::Canceled);
}

TEST_F(WsConnector, RefusalsMapAsTheRestOnesDo) {
  auto poor = key("1");
  auto refused = run(venue_->create_order(poor, market("ws-poor")));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().kind, ErrorKind::InsufficientFunds) << refused.error().describe();
  EXPECT_FALSE(refused.error().outcome_unknown);
  auto reader = key("100000", false);
  auto denied = run(venue_->create_order(reader, market("ws-reader")));
  ASSERT_FALSE(denied);
  EXPECT_EQ(denied.error().kind, ErrorKind::PermissionDenied) << denied.error().describe();
  auto s = key();
  fault("rate_limit");
  auto limited = run(venue_->create_order(s, market("ws-429")));
  ASSERT_FALSE(limited);
  EXPECT_EQ(limited.error().kind, ErrorKind::RateLimited) << limited.error().describe();
  EXPECT_EQ(on_venue(s, "ws-429"), 0u);
}

TEST_F(WsConnector, AnAnswerThatNeverComesOrCannotBeReadLeavesTheOutcomeUnknown) {
  auto s = key();
  fault("timeout");
  auto silent = run(venue_->create_order(s, market("ws-silent")));
  ASSERT_FALSE(silent);
  EXPECT_TRUE(silent.error().outcome_unknown) << silent.error().describe();
  EXPECT_EQ(on_venue(s, "ws-silent"), 0u) << "never processed: the query by client id settles it as absent";
  fault("bad_json");
  auto cut = run(venue_->create_order(s, market("ws-cut")));
  ASSERT_FALSE(cut);
  EXPECT_TRUE(cut.error().outcome_unknown) << cut.error().describe();
  EXPECT_EQ(on_venue(s, "ws-cut"), 1u) << "processed: the query by client id finds it";
  auto settled = run(venue_->fetch_order(s, {"BTCUSDT", "", "ws-cut"}));
  ASSERT_TRUE(settled) << settled.error().describe();
  EXPECT_EQ(settled->status, OrderStatus::Filled);
  auto after = run(venue_->create_order(s, market("ws-after", Side::Sell)));
  ASSERT_TRUE(after) << after.error().describe();  // the connection goes on
}

}  // namespace
}  // namespace tb::exsim
