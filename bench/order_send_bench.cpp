// What a fan-out's order costs tradebridge between the desk and the wire: the Binance USD-M connector (as
// serve wraps it) sending market orders through net::HttpClient's pool to an in-process simulator on its
// own thread, many orders in flight as in a fan-out. The client thread's CPU time (user and system: its
// own system calls included) divided by the orders is the figure; the ledger's part is ledger_bench's.
// Loopback only.
// Usage: order_send_bench [orders=20000] [in_flight=256] [rounds=3] [ws CONNECTIONS]. Prints one JSON line a
// round, after one round that warms the keys (each key's position mode is asked once) and the pool. With
// `ws CONNECTIONS` the orders go over the venue's WebSocket API (net::WsClient, that many connections).
#include <utility>

#include <pthread.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <cstdlib>
#include <iostream>
#include <nlohmann/json.hpp>
#include <thread>

#include "core/clock.hpp"
#include "cpu_time.hpp"
#include "crypto/signer.hpp"
#include "exsim/server/simulator.hpp"
#include "exsim/venues.hpp"
#include "net/asio_sleeper.hpp"
#include "net/http_client.hpp"
#include "net/ws_client.hpp"
#include "venues/common/nonce.hpp"
#include "venues/observed_venue.hpp"
#include "venues/registry.hpp"
#include "venues/venue.hpp"

namespace {

namespace asio = boost::asio;
using namespace tb;

struct Round {
  int id = 0;
  size_t next = 0, ok = 0, failed = 0;
  std::string first_error;
};

// One of `in_flight` senders: takes the next order until the round has none left. Order i goes on key
// i % keys, buying and selling in turn, so positions stay small.
net::Task<void> sender(venues::Venue& venue, const std::vector<std::unique_ptr<crypto::LocalSigner>>& signers, size_t orders,
                       Round& round) {
  while (round.next < orders) {
    const size_t i = round.next++;
    OrderRequest req;
    req.symbol = "BTCUSDT";
    req.side = (i / signers.size()) % 2 == 0 ? Side::Buy : Side::Sell;
    req.type = OrderType::Market;
    req.amount = Decimal::from_units(2, 3);                                                // 0.002
    req.client_order_id = "tbbench" + std::to_string(round.id) + "x" + std::to_string(i);  // named by the caller, as the desk does
    auto answer = co_await venue.create_order(*signers[i % signers.size()], req);
    if (answer) {
      ++round.ok;
    } else if (round.failed++ == 0) {
      round.first_error = answer.error().message;
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  const size_t orders = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 20'000;
  const size_t in_flight = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 256;
  const int rounds = argc > 3 ? std::atoi(argv[3]) : 3;
  const bool ws = argc > 4 && std::string_view(argv[4]) == "ws";
  const size_t ws_connections = ws && argc > 5 ? std::strtoull(argv[5], nullptr, 10) : 8;
  if (orders == 0 || in_flight == 0 || rounds < 1 || ws_connections == 0) {
    std::cerr << "usage: order_send_bench [orders] [in_flight] [rounds] [ws CONNECTIONS]\n";
    return 2;
  }
  const Clock& clock = SystemClock::instance();
  asio::io_context server_io;
  exsim::Simulator sim(server_io, {}, clock, exsim::default_venue_sims);
  if (auto started = sim.start(); !started) {
    std::cerr << started.error().message << "\n";
    return 1;
  }
  // Two orders a key a round, as a fan-out's long and close: far under the venue's 300 orders a key in 10 s.
  const size_t keys = std::max<size_t>(orders / 2, 1);
  std::vector<std::unique_ptr<crypto::LocalSigner>> signers;
  signers.reserve(keys);
  for (size_t i = 0; i < keys; ++i) {
    exsim::NewKey spec;
    spec.venue = "binance_futures";
    spec.permissions = {true, true, true, false};
    spec.balances["USDT"] = *Decimal::parse("100000000");
    auto k = sim.exchange().create_key(spec);
    if (!k) {
      std::cerr << k.error().message << "\n";
      return 1;
    }
    signers.push_back(std::make_unique<crypto::LocalSigner>(k->key, crypto::Secret(k->secret)));
  }
  std::thread server([&] {
    pthread_setname_np(pthread_self(), "exsim");  // told apart from the client in a profile
    server_io.run();
  });

  asio::io_context io;
  net::HttpClientOptions options;  // as serve's (app/serve_wiring.cpp)
  options.max_idle_per_origin = 512;
  options.max_per_origin = 256;
  net::HttpClient client(io, options);
  net::AsioSleeper sleeper;
  venues::NonceSource nonces(clock);
  venues::VenueConfig config;
  config.base_url = "http://127.0.0.1:" + std::to_string(sim.port());
  std::unique_ptr<net::WsClient> ws_client;
  if (ws) {
    net::WsClientOptions ws_options;
    ws_options.connections = ws_connections;
    ws_client = std::make_unique<net::WsClient>(io, options, "ws://127.0.0.1:" + std::to_string(sim.port()) + "/ws-fapi/v1",
                                                *venues::find_venue("binance_futures")->ws_answer_id, ws_options);
  }
  venues::VenueContext context{&client, &sleeper, &clock, &nonces, nullptr, ws_client.get()};
  auto venue = venues::observe_calls(venues::make_venue("binance_futures", context, config),
                                     [](std::string_view, venues::Action, std::string_view) {});
  int status = 0;
  for (int r = 0; r <= rounds; ++r) {  // round 0 warms up
    Round round;
    round.id = r;
    const size_t n = r == 0 ? keys : orders;
    for (size_t s = 0; s < in_flight; ++s) asio::co_spawn(io, sender(*venue, signers, n, round), asio::detached);
    const double cpu0 = bench::cpu_seconds(CLOCK_THREAD_CPUTIME_ID);
    const auto t0 = std::chrono::steady_clock::now();
    io.restart();
    // The WebSocket connections stay open (their reads never end): the round runs until its orders are done.
    while (round.ok + round.failed < n) io.run_one();
    const double cpu = bench::cpu_seconds(CLOCK_THREAD_CPUTIME_ID) - cpu0;
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (round.failed) {
      std::cerr << "round " << r << ": " << round.failed << " failed, the first: " << round.first_error << "\n";
      status = 1;
    }
    if (r == 0) continue;
    std::cout << nlohmann::json{{"benchmark", ws ? "binance_futures create_order through WsClient (order.place)"
                                                 : "binance_futures create_order through HttpClient"},
                                {"round", r},
                                {"orders", n},
                                {"in_flight", in_flight},
                                {"ok", round.ok},
                                {"failed", round.failed},
                                {"seconds", seconds},
                                {"client_cpu_us_per_order", cpu * 1e6 / static_cast<double>(n)}}
                     .dump()
              << "\n";
  }
  client.close_idle();
  ws_client.reset();
  sim.stop();
  server_io.stop();
  server.join();
  return status;
}
