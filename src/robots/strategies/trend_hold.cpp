// trend_hold: long-only trend following with a minimum holding time. Flat, it buys when EMA(fast) crosses
// above EMA(slow); long, it sells once EMA(fast) is below EMA(slow) and the position is at least min_hold
// candles old (a cross back inside that time is sat out, not acted on later unless it still holds).
// Never short, on any market. Orders at market.
#include <nlohmann/json.hpp>
#include <optional>

#include "robots/indicators.hpp"
#include "robots/strategies/strategies.hpp"

namespace tb::robots {
namespace {

using json = nlohmann::json;

class TrendHold final : public Strategy {
 public:
  explicit TrendHold(const Params& p)
      : slow_n_(p.integer("slow")),
        min_hold_(p.integer("min_hold")),
        fast_(Smoothed::ema(p.integer("fast"))),
        slow_(Smoothed::ema(slow_n_)) {}

  std::string_view id() const override { return "trend_hold"; }
  int warmup_bars() const override { return slow_n_ + 1; }

  void step(const Candle& closed, const Holding& holding, std::vector<Signal>& out) override {
    double close = closed.close.to_double();
    auto fast = fast_.update(close);
    auto slow = slow_.update(close);
    if (!fast || !slow) return;
    bool above = *fast > *slow;
    if (holding.side == Exposure::Flat && above && was_above_ && !*was_above_) out.push_back({Action::Long});
    if (holding.side == Exposure::Long && *fast < *slow && holding.bars_held >= min_hold_) out.push_back({Action::CloseLong});
    was_above_ = above;
  }

  json state() const override {
    return {{"fast", fast_.state()}, {"slow", slow_.state()}, {"was_above", was_above_ ? json(*was_above_) : json()}};
  }

  void restore(const json& j) override {
    fast_.restore(j.at("fast"));
    slow_.restore(j.at("slow"));
    was_above_ = j.at("was_above").is_null() ? std::nullopt : std::optional<bool>(j.at("was_above").get<bool>());
  }

 private:
  int slow_n_, min_hold_;
  Smoothed fast_, slow_;
  std::optional<bool> was_above_;  // EMA(fast) > EMA(slow) on the last candle
};

Status check(const Params& p) {
  if (p.integer("slow") <= p.integer("fast")) return Error::invalid("params.slow", "must be greater than fast");
  return ok_status();
}

std::unique_ptr<Strategy> make(const Params& p, const MarketTraits&) { return std::make_unique<TrendHold>(p); }

}  // namespace

StrategyInfo trend_hold_info() {
  return {"trend_hold",
          "Long-only trend following: buys when EMA(fast) crosses above EMA(slow), sells when it is below and the position has been "
          "held at least min_hold candles; orders at market",
          {{"fast", ParamType::Integer, 2, 500, 20, "candles in the fast exponential moving average"},
           {"slow", ParamType::Integer, 3, 2000, 50, "candles in the slow exponential moving average (more than fast)"},
           {"min_hold", ParamType::Integer, 0, 100000, 12, "candles a position is held at least"}},
          true,
          check,
          make};
}

}  // namespace tb::robots
