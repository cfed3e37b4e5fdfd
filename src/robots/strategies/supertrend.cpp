// supertrend: follows the SuperTrend line (ATR bands around the candle's middle). A turn up goes long
// (closing a short), a turn down closes the long and goes short where the market allows. Orders at market.
#include <nlohmann/json.hpp>
#include <optional>

#include "robots/indicators.hpp"
#include "robots/strategies/strategies.hpp"

namespace tb::robots {
namespace {

using json = nlohmann::json;

class SuperTrendStrategy final : public Strategy {
 public:
  SuperTrendStrategy(const Params& p, const MarketTraits& m)
      : period_(p.integer("period")), shorts_(m.shorts), trend_(period_, p.number("multiplier")) {}

  std::string_view id() const override { return "supertrend"; }
  int warmup_bars() const override { return period_ + 1; }

  void step(const Candle& closed, const Holding& holding, std::vector<Signal>& out) override {
    auto v = trend_.update(Bar::of(closed));
    if (!v) return;
    if (up_ && *up_ != v->up) follow_turn(v->up, holding, shorts_, out);
    up_ = v->up;
  }

  json state() const override { return {{"trend", trend_.state()}, {"up", up_ ? json(*up_) : json()}}; }

  void restore(const json& j) override {
    trend_.restore(j.at("trend"));
    up_ = j.at("up").is_null() ? std::nullopt : std::optional<bool>(j.at("up").get<bool>());
  }

 private:
  int period_;
  bool shorts_;
  SuperTrend trend_;
  std::optional<bool> up_;  // the trend after the last candle
};

std::unique_ptr<Strategy> make(const Params& p, const MarketTraits& m) { return std::make_unique<SuperTrendStrategy>(p, m); }

}  // namespace

StrategyInfo supertrend_info() {
  return {"supertrend",
          "SuperTrend: long when the trend turns up, out (and short where the market allows) when it turns down; orders at market",
          {{"period", ParamType::Integer, 2, 200, 10, "candles in the ATR (Wilder)"},
           {"multiplier", ParamType::Number, 0.5, 20, 3, "band width in ATRs"}},
          false,
          nullptr,
          make};
}

}  // namespace tb::robots
