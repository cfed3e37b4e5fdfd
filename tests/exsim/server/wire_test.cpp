// The simulator over a real socket on 127.0.0.1: bad requests, hang-ups, held requests that block nobody,
// and the state file across a restart.
#include <gtest/gtest.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "exsim/server/fake_venue.hpp"
#include "exsim/server/simulator.hpp"
#include "support/loopback.hpp"

namespace tb::exsim::test {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
using nlohmann::json;

// A simulator with the fake venue, served by its own io thread.
struct WireSim {
  explicit WireSim(SimulatorOptions options = {}) {
    sim = std::make_unique<Simulator>(thread.io(), std::move(options), SystemClock::instance(), [this](Exchange& e) { return fake(e); });
  }
  ~WireSim() {
    sim->stop();
    thread.stop();
  }
  Result<net::HttpResponse> send(std::string method, std::string path, std::string body = {}) {
    net::HttpRequest r;
    r.method = std::move(method);
    r.url = sim->base_url() + path;
    r.body = std::move(body);
    if (!r.body.empty()) r.headers.push_back({"Content-Type", "application/json"});
    net::RequestOptions o;
    o.total_timeout = std::chrono::milliseconds(5'000);
    return tb::test::run_fresh(client.client.send(std::move(r), o));
  }

  tb::test::IoThread thread;
  FakeVenues fake;
  std::unique_ptr<Simulator> sim;
  tb::test::LoopbackClient client;
};

// Writes `wire` on a fresh connection and reads until the server closes it.
std::string raw_exchange(uint16_t port, const std::string& wire) {
  asio::io_context io;
  tcp::socket s(io);
  s.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  boost::system::error_code ec;
  asio::write(s, asio::buffer(wire), ec);  // the server may answer and close before all of it is written
  std::string out;
  asio::read(s, asio::dynamic_buffer(out), ec);
  return out;
}

std::string temp_path(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() / ("exsim_server_test_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto p = dir / name;
  std::filesystem::remove(p);
  return p.string();
}

TEST(SimulatorWire, ListeningUrlAndBadRequestsNeverCrash) {
  WireSim w;
  ASSERT_TRUE(w.sim->start());
  EXPECT_EQ(w.sim->base_url(), "http://127.0.0.1:" + std::to_string(w.sim->port()));

  EXPECT_EQ(raw_exchange(w.sim->port(), "\x16\x03\x01 garbage\r\n\r\n").substr(0, 12), "HTTP/1.1 400");
  std::string huge = "GET /fapi/v1/time HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(64 * 1024, 'a') + "\r\n\r\n";
  EXPECT_EQ(raw_exchange(w.sim->port(), huge).substr(0, 12), "HTTP/1.1 431");
  auto unknown = w.send("GET", "/no/such/path");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 404);
  EXPECT_FALSE(json::parse(unknown->body, nullptr, false).is_discarded());
  auto bad_admin = w.send("POST", "/exsim/v1/keys", "{\"venue\":");
  ASSERT_TRUE(bad_admin);
  EXPECT_EQ(bad_admin->status, 400);

  auto fine = w.send("GET", "/fapi/v1/time?x=1");  // still serving
  ASSERT_TRUE(fine);
  EXPECT_EQ(fine->status, 200);
  EXPECT_EQ(json::parse(fine->body)["peer_ip"], "127.0.0.1");
}

TEST(SimulatorWire, ResetHangsUpAndTheClientCannotKnowTheOutcome) {
  WireSim w;
  ASSERT_TRUE(w.sim->start());
  ASSERT_EQ(w.send("POST", "/exsim/v1/faults", R"({"venue":"binance_futures","endpoint":"order","kind":"reset"})")->status, 200);
  auto r = w.send("POST", "/fapi/v1/order", "symbol=BTCUSDT");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::NetworkError);
  EXPECT_TRUE(r.error().outcome_unknown);
  EXPECT_EQ(w.send("POST", "/fapi/v1/order", "symbol=BTCUSDT")->status, 200);
}

TEST(SimulatorWire, AHeldRequestBlocksNoOtherRequest) {
  WireSim w;
  ASSERT_TRUE(w.sim->start());
  ASSERT_EQ(w.send("POST", "/exsim/v1/faults", R"({"venue":"binance_futures","endpoint":"order","kind":"timeout"})")->status, 200);
  asio::io_context io;
  tcp::socket held(io);
  held.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), w.sim->port()));
  asio::write(held, asio::buffer(std::string("GET /fapi/v1/order HTTP/1.1\r\nHost: x\r\n\r\n")));
  // Spin (no sleep) until the held request is in the simulator's hands, then ask for others meanwhile.
  while (w.fake.last->endpoint_calls.load() < 1) std::this_thread::yield();
  for (int i = 0; i < 3; ++i) {
    auto r = w.send("GET", "/fapi/v1/order");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
  }
  EXPECT_EQ(held.available(), 0u);  // no answer, and the connection is still open
  EXPECT_EQ(w.fake.last->handled, 3);
}

TEST(SimulatorWire, StateSurvivesARestart) {
  auto state = temp_path("state.json");
  SimulatorOptions options;
  options.state_file = state;
  std::string key;
  {
    WireSim w(options);
    ASSERT_TRUE(w.sim->start());
    auto created = w.send("POST", "/exsim/v1/keys",
                          R"({"venue":"binance_futures","label":"kept","permissions":{"trade":true},"balances":{"USDT":"250"}})");
    ASSERT_TRUE(created);
    ASSERT_EQ(created->status, 200) << created->body;
    key = json::parse(created->body)["key"];
    EXPECT_TRUE(std::filesystem::exists(state));  // saved at once after a state-changing admin call
    ASSERT_EQ(w.send("POST", "/exsim/v1/prices", R"({"venue":"binance_futures","symbol":"ETHUSDT","price":"2500"})")->status, 200);
  }
  WireSim again(options);
  ASSERT_TRUE(again.sim->start());
  auto keys = json::parse(again.send("GET", "/exsim/v1/keys")->body)["keys"];
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_EQ(keys[0]["key"], key);
  EXPECT_EQ(keys[0]["label"], "kept");
  EXPECT_EQ(keys[0]["permissions"]["trade"], true);
  EXPECT_EQ(Decimal::parse(keys[0]["balances"]["USDT"].get<std::string>()), Decimal::parse("250"));
  EXPECT_EQ(again.sim->exchange().find_key("binance_futures", key)->secret.size(), 64u);
  std::filesystem::remove(state);
}

TEST(SimulatorWire, VenueTrafficIsSavedPeriodically) {
  auto state = temp_path("periodic.json");
  SimulatorOptions options;
  options.state_file = state;
  options.save_interval = std::chrono::milliseconds(1);
  WireSim w(options);
  ASSERT_TRUE(w.sim->start());
  EXPECT_FALSE(std::filesystem::exists(state));            // nothing changed yet, nothing written
  ASSERT_EQ(w.send("GET", "/fapi/v1/time")->status, 200);  // a venue request marks the state changed
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!std::filesystem::exists(state) && std::chrono::steady_clock::now() < deadline) std::this_thread::yield();
  EXPECT_TRUE(std::filesystem::exists(state));
  std::filesystem::remove(state);
}

TEST(SimulatorWire, AnUnreadableStateFileIsAnErrorAndIsNotOverwritten) {
  auto state = temp_path("broken.json");
  std::ofstream(state) << "{ not json";
  SimulatorOptions options;
  options.state_file = state;
  WireSim w(options);
  auto started = w.sim->start();
  ASSERT_FALSE(started);
  EXPECT_NE(started.error().message.find("cannot load state file"), std::string::npos);
  w.sim->stop();
  std::ifstream in(state);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str(), "{ not json");
  std::filesystem::remove(state);
}

TEST(SimulatorWire, APortInUseIsAnError) {
  WireSim first;
  ASSERT_TRUE(first.sim->start());
  SimulatorOptions options;
  options.port = first.sim->port();
  WireSim second(options);
  auto started = second.sim->start();
  ASSERT_FALSE(started);
  EXPECT_EQ(started.error().kind, ErrorKind::NetworkError);
}

}  // namespace
}  // namespace tb::exsim::test
