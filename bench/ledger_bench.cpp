// The store's part of a fan-out's order (issue 13), on SQLite as serve writes it: the intent with its user
// robot's handled signal, then the venue's answer with the position it moves (known to the desk from its
// pass, not read again), each in transactions of 512 (the desk's group commit, trading/write_batch.hpp).
// Per order: one intent and one answer. Google Benchmark.
#include <benchmark/benchmark.h>

#include <stdlib.h>

#include <filesystem>
#include <map>

#include "store/sqlite_store.hpp"
#include "venues/registry.hpp"

namespace {

using namespace tb;

constexpr int kBatch = 512;

template <typename T>
T must(Result<T> r) {
  if (!r) {
    fprintf(stderr, "ledger_bench: %s\n", r.error().message.c_str());
    std::abort();
  }
  return std::move(*r);
}

void must(const Status& st) {
  if (!st) must(Result<int>(st.error()));
}

// kBatch started user robots on accounts of their own, as bench/fanout_seed writes them.
struct Ledger {
  Ledger() {
    char tmpl[] = "/tmp/tb-ledger-XXXXXX";
    dir = mkdtemp(tmpl);
    store = must(store::SqliteStore::open(dir + "/tb.db", clock));
    auto user = must(store->create_user("ledger@example.com", "not-a-password-hash"));
    store::Robot r;
    r.kind = "signal";
    r.name = "ledger";
    r.venue = "binance_futures";
    r.symbol = "BTCUSDT";
    const int64_t robot = must(store->create_robot(r)).id;
    must(store->with_transaction([&](store::Store& s) -> Status {
      for (int i = 0; i < kBatch; ++i) {
        store::Account a;
        a.user_id = user.id;
        a.name = "key " + std::to_string(i);
        a.venue = "binance_futures";
        a.status = store::AccountStatus::Enabled;
        auto made = s.create_account(a, {});
        if (!made) return made.error();
        store::UserRobot ur;
        ur.user_id = user.id;
        ur.robot_id = robot;
        ur.account_id = made->id;
        ur.volume_type = store::VolumeType::QuoteFixed;
        ur.volume = Decimal::from_int(150);
        ur.status = store::UserRobotStatus::Started;
        auto made_ur = s.create_user_robot(ur);
        if (!made_ur) return made_ur.error();
        robots.push_back(*made_ur);
      }
      return ok_status();
    }));
  }
  ~Ledger() { std::filesystem::remove_all(dir); }

  // `orders` orders written and answered, a signal for every user robot at a time: a ledger that long.
  void fill(int64_t orders) {
    for (int64_t i = 0; i < orders / kBatch; ++i) {
      auto written = intents(++seq);
      answers(written);
    }
  }

  // One signal's intents for every user robot, in one transaction.
  std::vector<store::OrderRecord> intents(int64_t seq) {
    std::vector<store::OrderRecord> out;
    const auto* venue = venues::find_venue("binance_futures");
    must(store->with_transaction([&](store::Store& s) -> Status {
      for (auto& ur : robots) {
        store::OrderRecord o;
        o.account_id = ur.account_id;
        o.purpose = "robot";
        o.venue = "binance_futures";
        o.symbol = "BTCUSDT";
        o.side = seq % 2 ? "buy" : "sell";
        o.type = "market";
        o.amount = *Decimal::parse("0.002");
        o.state = "intent";
        o.user_robot_id = ur.id;
        o.signal_seq = seq;
        o.leg = seq % 2 ? "entry" : "exit";
        o.reduce_only = seq % 2 == 0;
        auto rec = s.record_robot_order(o, venue->make_robot_order_id);
        if (!rec) return rec.error();
        out.push_back(std::move(*rec));
        ur.handled_seq = seq;
        if (auto st = s.set_handled_seq(ur.id, seq, ur.message); !st) return st;
      }
      return ok_status();
    }));
    return out;
  }

  // Each order filled: its position opened (odd signals) or closed (even ones), the order settled.
  void answers(std::vector<store::OrderRecord>& orders) {
    must(store->with_transaction([&](store::Store& s) -> Status {
      for (auto& o : orders) {
        const std::optional<store::RobotPosition>& open = held[*o.user_robot_id];  // the desk's, from its pass
        store::RobotPosition p = open.value_or(store::RobotPosition{});
        if (!open) {
          p.user_robot_id = *o.user_robot_id;
          p.side = "long";
          p.entered = o.amount;
          p.entry_price = Decimal::from_int(50'000);
          p.opened_ms = clock.now_ms();
        } else {
          p.exited = o.amount;
          p.exit_price = Decimal::from_int(50'100);
          p.profit = Decimal::from_int(2);
          p.closed_ms = clock.now_ms();
        }
        auto saved = s.save_position(p);
        if (!saved) return saved.error();
        o.state = "filled";
        o.venue_order_id = std::to_string(o.id + 1'000'000);
        o.filled = o.applied = o.amount;
        o.average_price = p.closed_ms ? p.exit_price : p.entry_price;
        o.fee = *Decimal::parse("0.04");
        o.settled_ms = clock.now_ms();
        o.position_id = saved->id;
        held[*o.user_robot_id] = saved->closed_ms ? std::nullopt : std::optional<store::RobotPosition>(*saved);
        if (auto st = s.update_order(o); !st) return st;
      }
      return ok_status();
    }));
  }

  ManualClock clock;
  std::string dir;
  std::unique_ptr<store::SqliteStore> store;
  std::vector<store::UserRobot> robots;
  int64_t seq = 0;
  std::map<int64_t, std::optional<store::RobotPosition>> held;  // by user robot: the open position
};

void Intents(benchmark::State& state) {
  Ledger l;
  for (auto _ : state) {
    auto written = l.intents(++l.seq);
    state.PauseTiming();
    l.answers(written);  // the next signal reverses what this one did
    state.ResumeTiming();
  }
  state.SetItemsProcessed(state.iterations() * kBatch);
}
BENCHMARK(Intents)->Name("Ledger/intents_512")->Unit(benchmark::kMillisecond);

void Answers(benchmark::State& state) {
  Ledger l;
  for (auto _ : state) {
    state.PauseTiming();
    auto written = l.intents(++l.seq);
    state.ResumeTiming();
    l.answers(written);
  }
  state.SetItemsProcessed(state.iterations() * kBatch);
}
BENCHMARK(Answers)->Name("Ledger/answers_512")->Unit(benchmark::kMillisecond);

// A desk's pass asks for the unsettled robot orders (twice): the cost should not grow with the ledger.
void Unsettled(benchmark::State& state) {
  Ledger l;
  l.fill(state.range(0));
  for (auto _ : state) benchmark::DoNotOptimize(l.store->unsettled_robot_orders());
}
BENCHMARK(Unsettled)->Name("Ledger/unsettled_robot_orders")->Arg(512)->Arg(51'200)->Unit(benchmark::kMicrosecond);

// A user robot's latest positions (its statistics): the cost should not grow with the ledger either (each
// round trip of a signal pair leaves each user robot one closed position).
void Positions(benchmark::State& state) {
  Ledger l;
  l.fill(state.range(0));
  const int64_t user_robot = l.robots.front().id;
  for (auto _ : state) benchmark::DoNotOptimize(l.store->positions(user_robot, 100));
}
BENCHMARK(Positions)->Name("Ledger/positions_of_user_robot")->Arg(512)->Arg(51'200)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
