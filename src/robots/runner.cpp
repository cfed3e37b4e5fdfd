#include "robots/runner.hpp"

#include <nlohmann/json.hpp>

#include "robots/registry.hpp"
#include "robots/robot_run.hpp"

namespace tb::robots {

namespace {

using json = nlohmann::json;

// A robot's strategy and run, made from its catalogue row and, when it has one, its saved state.
struct Live {
  MadeStrategy made;
  std::unique_ptr<BacktestSettings> settings;  // on the heap: the run refers to it, and a Live is moved
  std::unique_ptr<RobotRun> run;
  int64_t last_candle_ms = 0;  // the last candle processed; 0 before the first
  int64_t signals = 0;         // stored so far: the next one is signals + 1
};

Result<Live> live_of(store::Store& store, const store::Robot& r, const std::vector<KnownMarket>& markets, const RunnerSettings& rs) {
  const KnownMarket* m = find_market(markets, r.venue, r.symbol);
  if (!m)
    return Error::invalid("symbol", "robot " + std::to_string(r.id) + ": the platform knows no market " + r.symbol + " on " + r.venue);
  auto made = make_strategy(r.strategy, r.params_json, MarketTraits{m->shorts, Decimal()});
  if (!made) return made.error();
  Live live{std::move(*made), std::make_unique<BacktestSettings>(BacktestSettings{rs.volume_quote, m->taker_fee, m->rules}), nullptr, 0, 0};
  live.run = std::make_unique<RobotRun>(*live.made.strategy, *live.settings);
  auto saved = store.robot_state(r.id);
  if (!saved) return saved.error();
  if (!saved->has_value()) return live;
  json j = json::parse((*saved)->state_json, nullptr, false);
  if (j.is_discarded() || !j.contains("run") || !j.contains("signals"))
    return Error::invalid("state", "robot " + std::to_string(r.id) + ": the saved state is not the runner's");
  if (auto st = live.run->restore(j["run"]); !st) return st.error();
  live.last_candle_ms = (*saved)->last_candle_ms;
  live.signals = j["signals"].get<int64_t>();
  return live;
}

// Signals and the run's state after them in one transaction, the state at `candle_ms`; each signal stored
// as `price` gives it.
template <typename PriceOf>
Status write_signals(store::Store& store, const store::Robot& r, Live& live, int64_t state_ms, int64_t candle_ms,
                     const std::vector<Signal>& sigs, PriceOf price) {
  int64_t next = live.signals;
  Status st = store.with_transaction([&](store::Store& s) -> Status {
    for (const auto& sig : sigs)
      if (auto a = s.append_signal({r.id, ++next, sig.action, sig.order, price(sig), candle_ms, 0}); !a) return a;
    json state = {{"run", live.run->state()}, {"signals", next}};
    return s.save_robot_state({r.id, state_ms, state.dump(), 0});
  });
  if (!st) return st;
  live.signals = next;
  live.last_candle_ms = state_ms;
  return ok_status();
}

// A candle's signals: the alerts its range filled (those the ticker had not triggered), then the market
// signals made on its close at the close. New alerts wait in the state until a price crosses them.
std::vector<Signal> emitted_on(const RobotRun& run, const std::vector<Signal>& made) {
  std::vector<Signal> out = run.alerts_filled();
  for (const auto& sig : made)
    if (sig.order == OrderKind::Market) out.push_back(sig);
  return out;
}

Status write_candle(store::Store& store, const store::Robot& r, Live& live, const Candle& c, const std::vector<Signal>& sigs) {
  return write_signals(store, r, live, c.open_time_ms, c.open_time_ms, sigs,
                       [&](const Signal& sig) { return sig.order == OrderKind::Market ? c.close : sig.price; });
}

}  // namespace

Result<int64_t> Runner::warmup_bars(const store::Robot& robot) const {
  const KnownMarket* m = find_market(markets_, robot.venue, robot.symbol);
  auto made = make_strategy(robot.strategy, robot.params_json, MarketTraits{m && m->shorts, Decimal()});
  if (!made) return made.error();
  return made->strategy->warmup_bars();
}

Result<Advance> Runner::advance(const store::Robot& robot, const std::vector<Candle>& closed, int64_t start_ms) {
  auto live = live_of(store_, robot, markets_, settings_);
  if (!live) return live.error();
  const bool fresh = live->run->candles() == 0;
  Advance done;
  const Candle* warm_tail = nullptr;  // the last warm-up candle stepped since the last write
  for (const auto& c : closed) {
    if (!fresh && c.open_time_ms <= live->last_candle_ms) continue;  // processed before
    const std::vector<Signal>& made = live->run->step(c);
    // Warm-up candles only feed the strategy: their signals are dropped (nothing fills before the start),
    // and the state after them is written once at the end.
    if (c.open_time_ms < start_ms) {
      live->run->forget_pending();
      warm_tail = &c;
      continue;
    }
    const std::vector<Signal> sigs = emitted_on(*live->run, made);
    if (auto st = write_candle(store_, robot, *live, c, sigs); !st) return st.error();
    warm_tail = nullptr;
    ++done.candles;
    done.signals += static_cast<int64_t>(sigs.size());
  }
  if (warm_tail)
    if (auto st = write_candle(store_, robot, *live, *warm_tail, {}); !st) return st.error();
  return done;
}

Result<std::optional<int64_t>> Runner::watched_candle(const store::Robot& robot, int64_t now_ms) {
  auto live = live_of(store_, robot, markets_, settings_);
  if (!live) return live.error();
  const int64_t tf = timeframe_ms(robot.timeframe), candle = live->last_candle_ms + tf;
  if (live->run->candles() == 0 || now_ms < candle || now_ms >= candle + tf || !live->run->has_untriggered_alerts())
    return std::optional<int64_t>();
  return std::optional<int64_t>(candle);
}

Result<int64_t> Runner::check_alerts(const store::Robot& robot, const Decimal& price, int64_t candle_ms) {
  auto live = live_of(store_, robot, markets_, settings_);
  if (!live) return live.error();
  if (live->run->candles() == 0 || live->last_candle_ms + timeframe_ms(robot.timeframe) != candle_ms) return 0;  // that candle is gone
  const std::vector<Signal> crossed = live->run->trigger(price);
  if (crossed.empty()) return 0;
  auto st = write_signals(store_, robot, *live, live->last_candle_ms, candle_ms, crossed, [](const Signal& sig) { return sig.price; });
  if (!st) return st.error();
  return static_cast<int64_t>(crossed.size());
}

}  // namespace tb::robots
