// parabolic: Wilder's Parabolic SAR stop-and-reverse. When the SAR flips below the price the robot goes
// long (closing a short), when it flips above it closes the long and goes short where the market allows.
// Orders at market on the next candle.
#include <nlohmann/json.hpp>
#include <optional>

#include "robots/indicators.hpp"
#include "robots/strategies/strategies.hpp"

namespace tb::robots {
namespace {

using json = nlohmann::json;

class Parabolic final : public Strategy {
 public:
  Parabolic(const Params& p, const MarketTraits& m) : shorts_(m.shorts), sar_(p.number("step"), p.number("max")) {}

  std::string_view id() const override { return "parabolic"; }
  int warmup_bars() const override { return 3; }

  void step(const Candle& closed, const Holding& holding, std::vector<Signal>& out) override {
    auto v = sar_.update(Bar::of(closed));
    if (!v) return;
    if (rising_ && *rising_ != v->rising) follow_turn(v->rising, holding, shorts_, out);
    rising_ = v->rising;
  }

  json state() const override { return {{"sar", sar_.state()}, {"rising", rising_ ? json(*rising_) : json()}}; }

  void restore(const json& j) override {
    sar_.restore(j.at("sar"));
    rising_ = j.at("rising").is_null() ? std::nullopt : std::optional<bool>(j.at("rising").get<bool>());
  }

 private:
  bool shorts_;
  ParabolicSar sar_;
  std::optional<bool> rising_;  // the SAR's direction after the last candle
};

std::unique_ptr<Strategy> make(const Params& p, const MarketTraits& m) { return std::make_unique<Parabolic>(p, m); }

Status check(const Params& p) {
  if (p.number("max") < p.number("step")) return Error::invalid("params.max", "must be at least step");
  return ok_status();
}

}  // namespace

StrategyInfo parabolic_info() {
  return {"parabolic",
          "Parabolic SAR stop-and-reverse: long when the SAR flips below the price, out (and short where the market allows) when it "
          "flips above; orders at market",
          {{"step", ParamType::Number, 0.001, 0.5, 0.02, "acceleration factor: start and increment"},
           {"max", ParamType::Number, 0.01, 1, 0.2, "largest acceleration factor"}},
          false,
          check,
          make};
}

}  // namespace tb::robots
