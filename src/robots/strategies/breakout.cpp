// breakout: a channel breakout filtered by trend strength, with a trailing exit. Flat and ADX at least
// adx_min: a buy stop at the highest high of the last `channel` candles (and, where the market allows
// shorts, a sell stop at the lowest low), valid for the next candle. In a position: a stop trailing
// trail_atr ATRs behind the close, which only ever moves with the position.
#include <cmath>
#include <nlohmann/json.hpp>
#include <optional>

#include "robots/indicators.hpp"
#include "robots/strategies/strategies.hpp"

namespace tb::robots {
namespace {

using json = nlohmann::json;

class Breakout final : public Strategy {
 public:
  Breakout(const Params& p, const MarketTraits& m)
      : channel_(p.integer("channel")),
        adx_period_(p.integer("adx_period")),
        atr_period_(p.integer("atr_period")),
        adx_min_(p.number("adx_min")),
        trail_atr_(p.number("trail_atr")),
        market_(m),
        high_(channel_, true),
        low_(channel_, false),
        adx_(adx_period_),
        atr_(atr_period_) {}

  std::string_view id() const override { return "breakout"; }
  int warmup_bars() const override { return std::max({channel_, 2 * adx_period_, atr_period_}); }

  void step(const Candle& closed, const Holding& holding, std::vector<Signal>& out) override {
    Bar b = Bar::of(closed);
    auto hi = high_.update(b.high);
    auto lo = low_.update(b.low);
    auto adx = adx_.update(b);
    auto atr = atr_.update(b);
    if (holding.side == Exposure::Flat) {
      trail_.reset();
      if (!hi || !lo || !adx || adx->adx < adx_min_) return;
      out.push_back({Action::Long, OrderKind::Stop, alert_price(*hi, market_, true)});
      if (market_.shorts) out.push_back({Action::Short, OrderKind::Stop, alert_price(*lo, market_, false)});
      return;
    }
    if (!atr) return;
    bool is_long = holding.side == Exposure::Long;
    double level = is_long ? b.close - trail_atr_ * *atr : b.close + trail_atr_ * *atr;
    trail_ = !trail_ ? level : (is_long ? std::max(*trail_, level) : std::min(*trail_, level));
    out.push_back({is_long ? Action::CloseLong : Action::CloseShort, OrderKind::Stop, alert_price(*trail_, market_, !is_long)});
  }

  json state() const override {
    return {{"high", high_.state()},
            {"low", low_.state()},
            {"adx", adx_.state()},
            {"atr", atr_.state()},
            {"trail", trail_ ? json(*trail_) : json()}};
  }

  void restore(const json& j) override {
    high_.restore(j.at("high"));
    low_.restore(j.at("low"));
    adx_.restore(j.at("adx"));
    atr_.restore(j.at("atr"));
    trail_ = j.at("trail").is_null() ? std::nullopt : std::optional<double>(j.at("trail").get<double>());
  }

 private:
  int channel_, adx_period_, atr_period_;
  double adx_min_, trail_atr_;
  MarketTraits market_;
  Extreme high_, low_;
  Adx adx_;
  Atr atr_;
  std::optional<double> trail_;  // the trailing stop's level while in a position
};

std::unique_ptr<Strategy> make(const Params& p, const MarketTraits& m) { return std::make_unique<Breakout>(p, m); }

}  // namespace

StrategyInfo breakout_info() {
  return {"breakout",
          "Channel breakout: stop orders at the highest high / lowest low of the channel while ADX shows a trend, out on a stop trailing "
          "the close by ATRs",
          {{"channel", ParamType::Integer, 2, 500, 20, "candles in the price channel"},
           {"adx_period", ParamType::Integer, 2, 200, 14, "candles in the ADX (Wilder)"},
           {"adx_min", ParamType::Number, 0, 100, 20, "least ADX to place entry stops"},
           {"atr_period", ParamType::Integer, 2, 200, 14, "candles in the ATR (Wilder) of the trailing stop"},
           {"trail_atr", ParamType::Number, 0.1, 50, 3, "distance of the trailing stop from the close, in ATRs"}},
          false,
          nullptr,
          make};
}

}  // namespace tb::robots
