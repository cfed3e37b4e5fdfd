#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "support/harness.hpp"
#include "venues/shared_reads.hpp"

namespace tb::venues {
namespace {

// Public reads that take a few milliseconds of real time and count themselves; signed calls are not used.
class SlowVenue final : public Venue {
 public:
  int markets_calls = 0;
  std::map<std::string, int> ticker_calls;
  bool fail = false;

  std::string_view id() const override { return "slow"; }
  std::string_view display_name() const override { return "Slow"; }
  Task<Result<int64_t>> server_time() override { co_return int64_t{1}; }
  Task<Result<std::vector<Market>>> markets() override {
    ++markets_calls;
    co_await pause();
    if (fail) co_return Error::make(ErrorKind::ExchangeUnavailable, "down");
    Market m;
    m.id = "BTCUSD";
    co_return std::vector<Market>{m};
  }
  Task<Result<Ticker>> ticker(std::string symbol) override {
    ++ticker_calls[symbol];
    co_await pause();
    if (fail) co_return Error::make(ErrorKind::ExchangeUnavailable, "down");
    Ticker t;
    t.symbol = symbol;
    t.last = Decimal::from_int(ticker_calls[symbol]);
    co_return t;
  }
  Task<Result<std::vector<Candle>>> candles(CandleQuery) override { co_return std::vector<Candle>{}; }
  Task<Result<Portfolio>> balances(const crypto::Signer&) override { co_return Portfolio{}; }
  Task<Result<Order>> create_order(const crypto::Signer&, OrderRequest) override { co_return Error::make(ErrorKind::InvalidOrder, "no"); }
  Task<Result<Order>> cancel_order(const crypto::Signer&, OrderRef) override { co_return Error::make(ErrorKind::OrderNotFound, "no"); }
  Task<Result<Order>> fetch_order(const crypto::Signer&, OrderRef) override { co_return Error::make(ErrorKind::OrderNotFound, "no"); }
  Task<Result<std::vector<Order>>> open_orders(const crypto::Signer&, std::optional<std::string>) override {
    co_return std::vector<Order>{};
  }
  Task<Result<KeyPermissions>> permissions(const crypto::Signer&) override { co_return KeyPermissions{}; }
  Result<net::HttpRequest> prepare(Action, const ActionParams&, const crypto::Signer*, const RequestStamp&) override {
    return Error::make(ErrorKind::InvalidArgument, "no");
  }

 private:
  static Task<void> pause() {
    boost::asio::steady_timer t(co_await boost::asio::this_coro::executor, std::chrono::milliseconds(5));
    co_await t.async_wait(boost::asio::use_awaitable);
  }
};

struct Fixture {
  ManualClock clock{1'700'000'000'000};
  SlowVenue* inner = nullptr;
  std::unique_ptr<Venue> venue;
  Fixture() {
    auto v = std::make_unique<SlowVenue>();
    inner = v.get();
    venue = share_public_reads(std::move(v), clock, {std::chrono::minutes(5), std::chrono::seconds(1)});
  }
};

Task<void> ask_markets(Venue& v, int* good) {
  auto r = co_await v.markets();
  if (r && r->size() == 1 && (*r)[0].id == "BTCUSD") ++*good;
}

Task<void> ask_ticker(Venue& v, std::string symbol, std::vector<std::string>* seen) {
  auto r = co_await v.ticker(symbol);
  seen->push_back(r ? symbol + "=" + r->last.to_string() : symbol + " failed");
}

TEST(SharedReads, ConcurrentCallersShareOneCallThenTheCopyUntilItExpires) {
  Fixture f;
  boost::asio::io_context io;
  int good = 0;
  for (int i = 0; i < 100; ++i) boost::asio::co_spawn(io, ask_markets(*f.venue, &good), boost::asio::detached);
  io.run();
  EXPECT_EQ(good, 100);
  EXPECT_EQ(f.inner->markets_calls, 1);

  f.clock.advance_ms(4 * 60'000);  // still fresh
  io.restart();
  boost::asio::co_spawn(io, ask_markets(*f.venue, &good), boost::asio::detached);
  io.run();
  EXPECT_EQ(f.inner->markets_calls, 1);
  f.clock.advance_ms(60'000);  // five minutes old: asked again
  io.restart();
  boost::asio::co_spawn(io, ask_markets(*f.venue, &good), boost::asio::detached);
  io.run();
  EXPECT_EQ(f.inner->markets_calls, 2);
  EXPECT_EQ(good, 102);
}

TEST(SharedReads, TickersPerSymbolAndFailuresAreNotKept) {
  Fixture f;
  boost::asio::io_context io;
  std::vector<std::string> seen;
  for (int i = 0; i < 10; ++i) {
    boost::asio::co_spawn(io, ask_ticker(*f.venue, "BTCUSD", &seen), boost::asio::detached);
    boost::asio::co_spawn(io, ask_ticker(*f.venue, "ETHUSD", &seen), boost::asio::detached);
  }
  io.run();
  EXPECT_EQ(f.inner->ticker_calls["BTCUSD"], 1);
  EXPECT_EQ(f.inner->ticker_calls["ETHUSD"], 1);
  EXPECT_EQ(std::count(seen.begin(), seen.end(), "BTCUSD=1"), 10);
  EXPECT_EQ(std::count(seen.begin(), seen.end(), "ETHUSD=1"), 10);

  f.clock.advance_ms(1'000);  // a second old: a new price
  f.inner->fail = true;
  seen.clear();
  io.restart();
  for (int i = 0; i < 3; ++i) boost::asio::co_spawn(io, ask_ticker(*f.venue, "BTCUSD", &seen), boost::asio::detached);
  io.run();
  EXPECT_EQ(f.inner->ticker_calls["BTCUSD"], 2);  // the waiters got the one failure
  EXPECT_EQ(std::count(seen.begin(), seen.end(), "BTCUSD failed"), 3);

  f.inner->fail = false;  // the failure was not kept: the next caller asks again
  seen.clear();
  io.restart();
  boost::asio::co_spawn(io, ask_ticker(*f.venue, "BTCUSD", &seen), boost::asio::detached);
  io.run();
  EXPECT_EQ(f.inner->ticker_calls["BTCUSD"], 3);
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0], "BTCUSD=3");
}

}  // namespace
}  // namespace tb::venues
