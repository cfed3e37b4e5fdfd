// Processes over one PostgreSQL database, each a Node with its own session: one owner per role, taken over
// when the owner's session ends; the desk's shares split fairly and handed over only between passes; a
// silent process's jobs handed back; events crossing to the other processes and only to them.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <sstream>
#include <thread>

#include "cluster/node.hpp"
#include "store/open_store.hpp"
#include "support/postgres_server.hpp"

namespace tb::cluster {
namespace {

::testing::Environment* const kPostgres = ::testing::AddGlobalTestEnvironment(new test::PostgresEnvironment);

class PostgresNodes : public ::testing::Test {
 protected:
  void SetUp() override {
    url_ = test::PostgresEnvironment::server().fresh_database_url();
    auto s = store::open_store(*store::DatabaseUrl::parse(url_), clock_);
    ASSERT_TRUE(s.ok()) << s.error().describe();
    store_ = std::move(*s);
  }
  std::unique_ptr<Node> node(const std::string& id, bool desk_idle = true) {
    auto c = store::open_coordination(*store::DatabaseUrl::parse(url_));
    EXPECT_TRUE(c.ok());
    auto n = std::make_unique<Node>(*store_, std::move(*c), clock_, store::ProcessRow{id, "host", 1, clock_.now_ms(), 0, ""}, NodeOptions{},
                                    log_);
    n->desk_idle = [desk_idle] { return desk_idle; };
    return n;
  }
  // The server ends a closed session's locks a moment after the client has gone: beat until they are free.
  static void beat_until(Node& n, const std::function<bool()>& done) {
    for (int i = 0; i < 100 && !done(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      n.tick();
    }
  }
  static bool holds(const Node& n, const std::string& role) {
    auto r = n.roles();
    return std::find(r.begin(), r.end(), role) != r.end();
  }
  static int shares(const Node& n) {
    int count = 0;
    for (int64_t account = 0; account < 16; ++account) count += n.owns_account(account);
    return count;
  }

  std::string url_;
  ManualClock clock_{1'700'000'000'000};
  std::unique_ptr<store::Store> store_;
  std::ostringstream log_;
};

TEST_F(PostgresNodes, ARoleHasOneOwnerAndIsTakenOverWhenItsSessionEnds) {
  int a_started = 0, b_started = 0;
  auto a = node("a");
  auto b = node("b");
  int b_elsewhere = 0;
  a->add_role({"telegram", [&] { ++a_started; }, {}, false, [] { FAIL() << "a holds it"; }});
  b->add_role({"telegram", [&] { ++b_started; }, {}, false, [&] { ++b_elsewhere; }});
  a->tick();
  b->tick();
  b->tick();
  EXPECT_EQ(a_started, 1);
  EXPECT_EQ(b_started, 0);
  EXPECT_EQ(b_elsewhere, 1);  // told once that another process holds it
  EXPECT_TRUE(holds(*a, "telegram"));
  EXPECT_FALSE(holds(*b, "telegram"));
  a->leave();  // as a process that dies: its session closes
  beat_until(*b, [&] { return b_started > 0; });
  EXPECT_EQ(b_started, 1);
  EXPECT_TRUE(holds(*b, "telegram"));
}

TEST_F(PostgresNodes, TheDesksSharesAreSplitFairlyAndHandedOverOnlyBetweenPasses) {
  bool a_idle = false;
  auto a = node("a");
  a->desk_idle = [&] { return a_idle; };
  auto b = node("b");
  a->tick();
  EXPECT_EQ(shares(*a), 16);  // alone: every share
  b->tick();
  EXPECT_EQ(shares(*b), 0);  // all held; a is in a pass
  a->tick();
  EXPECT_EQ(shares(*a), 16);
  a_idle = true;
  a->tick();  // between passes: a keeps its fair half
  b->tick();
  EXPECT_EQ(shares(*a), 8);
  EXPECT_EQ(shares(*b), 8);
  for (int64_t account = 0; account < 64; ++account) EXPECT_NE(a->owns_account(account), b->owns_account(account)) << account;
  a->leave();
  clock_.advance_ms(6'000);  // a's row is gone: b is alone
  beat_until(*b, [&] { return shares(*b) == 16; });
  EXPECT_EQ(shares(*b), 16);
}

TEST_F(PostgresNodes, ASilentProcesssJobsAreHandedBackAtOnce) {
  ASSERT_TRUE(store_->enqueue_job("key_test", "{}", clock_.now_ms()).ok());
  ASSERT_TRUE(store_->claim_job("key_test", "dead:1", 300'000)->has_value());
  ASSERT_TRUE(store_->beat_process({"dead:1", "dead", 1, clock_.now_ms(), clock_.now_ms(), ""}).ok());
  auto a = node("a");
  a->tick();
  EXPECT_EQ(*store_->job_holders(), std::vector<std::string>{"dead:1"});  // still beating recently
  clock_.advance_ms(10'001);
  a->tick();
  EXPECT_TRUE(store_->job_holders()->empty());
  EXPECT_TRUE(store_->claim_job("key_test", "a", 300'000)->has_value());
  auto rows = store_->list_processes();
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].id, "a");
  EXPECT_NE(log_.str().find("dead:1 has been silent for 10 s: 1 of its jobs handed back"), std::string::npos) << log_.str();
}

TEST_F(PostgresNodes, EventsGoThroughTheDatabaseToEveryProcessOnceInOneOrder) {
  accounts::EventBus bus_a, bus_b;
  std::vector<std::string> heard_a, heard_b;
  auto sub_a = bus_a.subscribe(accounts::EventBus::kAllUsers,
                               [&](const accounts::AccountEvent& e) { heard_a.push_back(std::get<accounts::Notice>(e.what).name); });
  auto sub_b = bus_b.subscribe(7, [&](const accounts::AccountEvent& e) { heard_b.push_back(std::get<accounts::Notice>(e.what).name); });
  auto a = node("a");
  auto b = node("b");
  std::string ended;
  int woken = 0;
  b->on_session_ended = [&](const std::string& h) { ended = h; };
  b->on_wake = [&] { ++woken; };
  a->relay(bus_a, {});
  b->relay(bus_b, {});
  bus_a.publish({7, accounts::Notice{"order.updated", R"({"id":1})", "filled"}});
  bus_b.publish({7, accounts::Notice{"position.closed", "{}", ""}});
  bus_a.publish({7, accounts::Notice{"position.opened", "{}", ""}});
  EXPECT_TRUE(heard_a.empty());  // not before the database has them in order
  a->session_ended("hash-1");
  a->wake_others();
  for (int i = 0; i < 100 && (woken == 0 || heard_a.size() < 3); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    a->tick();  // each beat also takes what arrived
    b->tick();
  }
  const std::vector<std::string> in_order{"order.updated", "position.closed", "position.opened"};
  EXPECT_EQ(heard_a, in_order);  // each once, its own among them
  EXPECT_EQ(heard_b, in_order);
  EXPECT_EQ(ended, "hash-1");
  EXPECT_EQ(woken, 1);
}

}  // namespace
}  // namespace tb::cluster
