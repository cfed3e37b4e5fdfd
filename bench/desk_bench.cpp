// What a fan-out's order costs the trading desk and its ledger without the network: USER_ROBOTS started user
// robots on as many accounts follow one signal robot; a venue in the process answers every order filled at
// once. Each round posts a `long` and then a `close` signal and runs the desk's pass over them, as serve does
// (its writes committed on their own thread); the process's CPU time (every thread) per order is the figure.
// order_send_bench gives the part between the desk and the wire, ledger_bench the store's alone.
// Usage: desk_bench [user_robots=10000] [rounds=3]. Prints one JSON line a fan-out, after one warm-up round.
#include <utility>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/clock.hpp"
#include "cpu_time.hpp"
#include "crypto/signer.hpp"
#include "store/sqlite_store.hpp"
#include "trading/desk.hpp"

namespace {

namespace asio = boost::asio;
using namespace tb;

// Binance USD-M's BTCUSDT as the desk sees it; every order filled at once at 50,000, its fee in the answer.
class FillingVenue final : public venues::Venue {
 public:
  std::string_view id() const override { return "binance_futures"; }
  std::string_view display_name() const override { return "Binance USD-M Futures"; }
  venues::Task<Result<int64_t>> server_time() override { co_return int64_t{0}; }
  venues::Task<Result<std::vector<Market>>> markets() override {
    Market m;
    m.id = "BTCUSDT";
    m.symbol = "BTC/USDT:USDT";
    m.base = "BTC";
    m.quote = m.settle = "USDT";
    m.kind = MarketKind::Perpetual;
    m.tick_size = Decimal::from_units(1, 1);
    m.step_size = m.min_qty = Decimal::from_units(1, 3);
    m.min_notional = Decimal::from_int(5);
    co_return std::vector<Market>{m};
  }
  venues::Task<Result<Ticker>> ticker(std::string symbol) override { co_return Ticker{symbol, Decimal::from_int(50'000), {}, {}, 0}; }
  venues::Task<Result<std::vector<Candle>>> candles(venues::CandleQuery) override { co_return refused(); }
  venues::Task<Result<Portfolio>> balances(const crypto::Signer&) override { co_return refused(); }
  venues::Task<Result<Order>> create_order(const crypto::Signer&, OrderRequest r) override {
    Order o;
    o.id = std::to_string(++orders);
    o.client_order_id = std::move(r.client_order_id);
    o.symbol = std::move(r.symbol);
    o.side = r.side;
    o.type = r.type;
    o.status = OrderStatus::Filled;
    o.amount = o.filled = r.amount;
    o.average_price = Decimal::from_int(50'000);
    o.reduce_only = r.reduce_only;
    o.fee = Decimal::from_units(3, 2);
    o.fee_asset = "USDT";
    co_return o;
  }
  venues::Task<Result<Order>> cancel_order(const crypto::Signer&, OrderRef) override { co_return refused(); }
  venues::Task<Result<Order>> fetch_order(const crypto::Signer&, OrderRef) override { co_return refused(); }
  venues::Task<Result<std::vector<Order>>> open_orders(const crypto::Signer&, std::optional<std::string>) override {
    co_return std::vector<Order>{};
  }
  venues::Task<Result<KeyPermissions>> permissions(const crypto::Signer&) override { co_return refused(); }
  Result<net::HttpRequest> prepare(venues::Action, const venues::ActionParams&, const crypto::Signer*,
                                   const venues::RequestStamp&) override {
    return refused();
  }
  int64_t orders = 0;

 private:
  static Error refused() { return Error::make(ErrorKind::InvalidArgument, "not in this benchmark"); }
};

void must(const Status& st, const char* what) {
  if (!st) {
    std::cerr << what << ": " << st.error().message << "\n";
    std::exit(1);
  }
}

}  // namespace

int main(int argc, char** argv) {
  const int n = argc > 1 ? std::atoi(argv[1]) : 10'000;
  const int rounds = argc > 2 ? std::atoi(argv[2]) : 3;
  if (n < 1 || rounds < 1) {
    std::cerr << "usage: desk_bench [user_robots] [rounds]\n";
    return 2;
  }
  const Clock& clock = SystemClock::instance();
  const auto dir = std::filesystem::temp_directory_path() / ("tb-desk-bench-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto store = store::SqliteStore::open((dir / "tradebridge.db").string(), clock);
  if (!store) {
    std::cerr << store.error().message << "\n";
    return 1;
  }
  store::Store& s = **store;
  // As bench/fanout_seed.cpp seeds serve's: ten accounts a user, a started quote_fixed user robot on each.
  store::Robot robot;
  robot.name = "signals";
  robot.strategy = robot.kind = "signal";
  robot.venue = "binance_futures";
  robot.symbol = "BTCUSDT";
  must(s.with_transaction([&](store::Store& t) -> Status {
    int64_t user = 0;
    for (int i = 0; i < n; ++i) {
      if (i % 10 == 0) {
        auto u = t.create_user("desk" + std::to_string(i / 10) + "@example.com", "not-a-password-hash");
        if (!u) return u.error();
        user = u->id;
        if (i == 0) {
          robot.owner_id = user;
          auto r = t.create_robot(robot);
          if (!r) return r.error();
          robot.id = r->id;
        }
      }
      store::Account a;
      a.user_id = user;
      a.name = "key " + std::to_string(i);
      a.venue = "binance_futures";
      a.masked_key = "abcd…";
      a.status = store::AccountStatus::Enabled;
      auto made = t.create_account(a, {});
      if (!made) return made.error();
      store::UserRobot ur;
      ur.user_id = user;
      ur.robot_id = robot.id;
      ur.account_id = made->id;
      ur.volume_type = store::VolumeType::QuoteFixed;
      ur.volume = Decimal::from_int(150);
      ur.status = store::UserRobotStatus::Started;
      if (auto r = t.create_user_robot(ur); !r) return r.error();
    }
    return ok_status();
  }),
       "seed");

  FillingVenue venue;
  auto signer = std::make_shared<crypto::LocalSigner>("bench-key", crypto::Secret(std::string("bench-secret")));
  trading::DeskOptions options;
  options.commit_thread = true;  // as serve (app/serve_wiring.cpp)
  std::ostringstream log;
  trading::TradingDesk desk(
      s, [&](std::string_view) -> venues::Venue* { return &venue; },
      [&](const store::Account&) -> Result<std::shared_ptr<crypto::Signer>> { return std::shared_ptr<crypto::Signer>(signer); }, clock,
      options, log);
  asio::io_context io;
  int64_t seq = 0;
  int status = 0;
  for (int r = 0; r <= rounds; ++r) {  // round 0 warms up
    for (auto action : {store::SignalAction::Long, store::SignalAction::Close}) {
      must(s.append_signal({robot.id, ++seq, action, store::SignalOrder::Market, std::nullopt, 0, clock.now_ms()}), "signal");
      const int64_t before = venue.orders;
      const double cpu0 = bench::cpu_seconds(CLOCK_PROCESS_CPUTIME_ID);
      const auto t0 = std::chrono::steady_clock::now();
      auto pass = asio::co_spawn(io, desk.run_once(), asio::use_future);
      io.restart();
      io.run();
      const int64_t sent = pass.get();
      const double cpu = bench::cpu_seconds(CLOCK_PROCESS_CPUTIME_ID) - cpu0;
      const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      const int64_t orders = venue.orders - before;
      auto unsettled = s.unsettled_robot_orders();  // each answer written to the ledger before the pass ended
      if (orders != n || sent != n || !unsettled || !unsettled->empty()) {
        std::cerr << "round " << r << ": " << orders << " orders and " << sent << " sent for " << n << " user robots, "
                  << (unsettled ? unsettled->size() : 0) << " not settled in the ledger\n"
                  << log.str();
        status = 1;
      }
      if (r == 0) continue;
      std::cout << nlohmann::json{{"benchmark", "trading desk fan-out, venue answering in process"},
                                  {"round", r},
                                  {"action", action == store::SignalAction::Long ? "long" : "close"},
                                  {"orders", orders},
                                  {"seconds", seconds},
                                  {"cpu_us_per_order", cpu * 1e6 / static_cast<double>(std::max<int64_t>(orders, 1))}}
                       .dump()
                << "\n";
    }
  }
  store->reset();
  std::filesystem::remove_all(dir);
  return status;
}
