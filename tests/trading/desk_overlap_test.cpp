// The desk's passes overlapping (TradingDesk::run): a user robot whose venue keeps silent holds up no other
// user robot, and passes that overlap through held, lost and missing answers still send each order once and
// keep each position equal to the simulator's.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <random>
#include <set>

#include "trading/desk_world.hpp"

namespace tb::trading::test {
namespace {

namespace asio = boost::asio;
using store::SignalAction;
using Follower = DeskWorld::Follower;

net::Task<void> pause_ms(int ms) {
  asio::steady_timer t(co_await asio::this_coro::executor, std::chrono::milliseconds(ms));
  boost::system::error_code ec;
  co_await t.async_wait(asio::redirect_error(asio::use_awaitable, ec));
}

net::Task<void> at_once() { co_return; }

// Requests held back until released: the venue's silence, for as long as a test wants it.
struct Hold {
  explicit Hold(asio::any_io_executor ex) : timer(std::move(ex), asio::steady_timer::time_point::max()) {}
  void release() {
    released = true;
    timer.cancel();
  }
  asio::steady_timer timer;
  bool released = false;
  int held = 0;
};

net::Task<void> held_back(std::shared_ptr<Hold> hold) {
  ++hold->held;
  while (!hold->released) {
    boost::system::error_code ec;
    co_await hold->timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
}

bool is_order_of(const net::HttpRequest& r, const std::string& api_key) {
  const std::string* key = r.header("X-MBX-APIKEY");
  return key && *key == api_key && r.method == "POST" && r.url.find("/fapi/v1/order") != std::string::npos;
}

// Polls `done` every 2 ms, at most `ms` long; whether it came true.
net::Task<bool> until(std::function<bool()> done, int ms = 20'000) {
  for (int waited = 0; waited < ms; waited += 2) {
    if (done()) co_return true;
    co_await pause_ms(2);
  }
  co_return done();
}

Decimal venue_position(const DeskWorld& d, const std::string& key) {
  for (const auto& p : d.w.exchange.positions(key))
    if (p.symbol == d.symbol()) return p.amount;
  return Decimal();
}

std::vector<store::OrderRecord> orders_of(const DeskWorld& d, int64_t user_robot) { return *d.store->robot_orders(user_robot, 1000); }

bool all_filled(const std::vector<store::OrderRecord>& orders, size_t n) {
  if (orders.size() != n) return false;
  for (const auto& o : orders)
    if (o.state != "filled") return false;
  return true;
}

net::Task<int> silence_on_one_account(DeskWorld& d, Follower other) {
  auto ex = co_await asio::this_coro::executor;
  auto hold = std::make_shared<Hold>(ex);
  const std::string ours = d.key.key;
  d.w.harness.transport.set_gate(
      [hold, ours](const net::HttpRequest& r) { return !hold->released && is_order_of(r, ours) ? held_back(hold) : at_once(); });
  asio::co_spawn(ex, d.desk->run(), asio::detached);
  d.signal(SignalAction::Long);
  d.desk->wake();
  EXPECT_TRUE(co_await until([&] { return venue_position(d, other.key.key) == dec("0.003"); })) << d.log.str();
  d.signal(SignalAction::Close);  // the other user robot closes while our long still waits for its answer
  d.desk->wake();
  EXPECT_TRUE(co_await until([&] { return all_filled(orders_of(d, other.user_robot), 2); })) << d.log.str();
  EXPECT_EQ(venue_position(d, other.key.key), Decimal());
  EXPECT_EQ(hold->held, 1);
  auto waiting = d.orders();
  EXPECT_EQ(waiting.size(), 1u);
  EXPECT_EQ(waiting.empty() ? "" : waiting[0].state, "intent");
  EXPECT_TRUE(d.venue_orders().empty());  // held on its way
  hold->release();
  EXPECT_TRUE(co_await until([&] { return all_filled(d.orders(), 2) && d.ur().handled_seq == 2; })) << d.log.str();
  EXPECT_EQ(d.venue_orders().size(), 2u);
  EXPECT_EQ(venue_position(d, ours), Decimal());
  d.desk->stop();
  d.desk->wake();
  co_return 0;
}

TEST(DeskOverlap, AUserRobotWhoseVenueKeepsSilentHoldsUpNoOtherUserRobot) {
  DeskWorld d("binance_futures");
  Follower other = d.add_follower();
  DeskOptions o;
  o.interval = std::chrono::milliseconds(5);
  d.desk = d.make_desk(nullptr, o);
  tb::test::run(silence_on_one_account(d, other));
}

// Every request waits 0 to 8 ms (so passes overlap at every step); some answers are lost after the venue
// did the work, some requests never arrive, some closes rest until they time out. The clock moves 50 ms a
// round so that unsettled orders are asked again, timed out, and sent again when they never arrived.
net::Task<int> storm(DeskWorld& d, const std::vector<Follower>& all, int signals) {
  auto ex = co_await asio::this_coro::executor;
  auto rng = std::make_shared<std::mt19937>(7);
  d.w.harness.transport.set_gate([rng](const net::HttpRequest&) { return pause_ms(static_cast<int>((*rng)() % 9)); });
  asio::co_spawn(ex, d.desk->run(), asio::detached);
  auto settled = [&] {
    for (const auto& f : all) {
      if (d.store->find_user_robot(f.user_robot).value()->handled_seq < d.seq) return false;
      for (const auto& o : orders_of(d, f.user_robot))
        if (!o.settled_ms) return false;
    }
    return true;
  };
  for (int n = 1; n <= signals; ++n) {
    if (n % 3 == 0) {
      d.w.lose_answers_of = "order";  // done by the venue, the answer lost
      d.w.lose_count = 2;
    }
    if (n % 4 == 0) d.w.exchange.add_fault({d.w.venue_id, "order", "timeout", 1});  // never arrives
    // Every other close priced above the market: it rests, times out, and is placed again step by step.
    if (n % 4 == 2) d.signal(SignalAction::Close, dec("51000"));
    else d.signal(n % 2 == 1 ? SignalAction::Long : SignalAction::Close);
    d.desk->wake();
    bool done = false;
    for (int round = 0; round < 4000 && !done; ++round) {
      co_await pause_ms(1);
      d.w.harness.clock.advance_ms(50);
      done = settled();
    }
    std::string open;
    for (const auto& f : all) {
      auto ur = *d.store->find_user_robot(f.user_robot).value();
      if (ur.handled_seq < d.seq)
        open += " user robot " + std::to_string(ur.id) + " at " + std::to_string(ur.handled_seq) + " " + ur.message;
    }
    for (const auto& f : all)
      for (const auto& o : orders_of(d, f.user_robot))
        if (!o.settled_ms) open += " " + o.client_order_id + " " + o.state + " (" + o.note + ")";
    EXPECT_TRUE(done) << "signal " << n << " not settled:" << open << "\n" << d.log.str();
  }
  d.desk->stop();
  d.desk->wake();
  co_return 0;
}

TEST(DeskOverlap, OverlappingPassesSendEachOrderOnceAndKeepEveryPositionAsTheVenues) {
  DeskWorld d("binance_futures");
  std::vector<Follower> all{{d.user_robot, d.key}};
  for (int i = 0; i < 5; ++i) all.push_back(d.add_follower());
  DeskOptions o;
  o.interval = std::chrono::milliseconds(1);
  o.order_timeout = std::chrono::milliseconds(2'000);
  d.desk = d.make_desk(nullptr, o);
  const int signals = 12;
  tb::test::run(storm(d, all, signals));
  for (const auto& f : all) {
    auto ours = orders_of(d, f.user_robot);
    auto theirs = d.w.exchange.orders(f.key.key);
    std::set<std::string> ids, legs;
    for (const auto& v : theirs) EXPECT_TRUE(ids.insert(v.client_order_id).second) << "sent twice: " << v.client_order_id;
    for (const auto& x : ours)
      EXPECT_TRUE(legs.insert(std::to_string(x.signal_seq) + "/" + x.leg + "/" + std::to_string(x.attempt)).second);
    EXPECT_GE(ours.size(), static_cast<size_t>(signals)) << "user robot " << f.user_robot;  // a leg a signal, some placed again
    EXPECT_EQ(theirs.size(), ours.size()) << "user robot " << f.user_robot;
    EXPECT_EQ(venue_position(d, f.key.key), Decimal()) << "user robot " << f.user_robot;
    EXPECT_FALSE(d.store->open_position(f.user_robot).value()) << "user robot " << f.user_robot;
    EXPECT_EQ(d.store->find_user_robot(f.user_robot).value()->status, store::UserRobotStatus::Started) << d.log.str();
  }
}

}  // namespace
}  // namespace tb::trading::test
