// ma_cross, exactly as issue 12 defines it: SMA(fast) and SMA(slow) of closes; on the close of candle i with
// both defined at i and i-1, fast crossing above slow goes long (closing a short first), fast crossing
// below closes a long and goes short where the market allows shorts. Orders at market.
// The averages are compared exactly: fast_sum * slow against slow_sum * fast on Decimal sums, so a tie is a
// tie and every independent implementation finds the same crossings.
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "robots/strategies/strategies.hpp"

namespace tb::robots {
namespace {

using json = nlohmann::json;

class MaCross final : public Strategy {
 public:
  MaCross(int fast, int slow, bool shorts) : fast_(fast), slow_(slow), shorts_(shorts), ring_(static_cast<size_t>(slow)) {}

  std::string_view id() const override { return "ma_cross"; }
  int warmup_bars() const override { return slow_ + 1; }

  void step(const Candle& closed, const Holding& holding, std::vector<Signal>& out) override {
    push(closed.close);
    if (count_ < slow_) return;
    int cmp = compare();
    if (has_prev_ && cmp > 0 && prev_cmp_ <= 0) {
      if (holding.side == Exposure::Short) out.push_back({Action::CloseShort});
      if (holding.side != Exposure::Long) out.push_back({Action::Long});
    } else if (has_prev_ && cmp < 0 && prev_cmp_ >= 0) {
      if (holding.side == Exposure::Long) out.push_back({Action::CloseLong});
      if (shorts_ && holding.side != Exposure::Short) out.push_back({Action::Short});
    }
    prev_cmp_ = cmp;
    has_prev_ = true;
  }

  json state() const override {
    json closes = json::array();
    for (int64_t i = std::max<int64_t>(0, count_ - slow_); i < count_; ++i) closes.push_back(at(i).to_string());
    return {{"count", count_}, {"closes", closes}, {"prev_cmp", has_prev_ ? json(prev_cmp_) : json()}};
  }

  void restore(const json& j) override {
    auto closes = j.at("closes").get<std::vector<std::string>>();
    int64_t count = j.at("count").get<int64_t>();
    if (count < static_cast<int64_t>(closes.size()) || static_cast<int64_t>(closes.size()) != std::min<int64_t>(count, slow_))
      throw std::invalid_argument("closes do not match count");
    count_ = count - static_cast<int64_t>(closes.size());
    fast_sum_ = slow_sum_ = Decimal();
    for (const auto& c : closes) {
      auto d = Decimal::parse(c);
      if (!d) throw std::invalid_argument("bad close " + c);
      push(*d);
    }
    has_prev_ = !j.at("prev_cmp").is_null();
    prev_cmp_ = has_prev_ ? j.at("prev_cmp").get<int>() : 0;
  }

 private:
  Decimal& at(int64_t i) { return ring_[static_cast<size_t>(i % slow_)]; }
  const Decimal& at(int64_t i) const { return ring_[static_cast<size_t>(i % slow_)]; }

  // Adds the newest close; the close leaving each window is read before its slot is reused.
  void push(const Decimal& close) {
    if (count_ >= fast_) fast_sum_ -= at(count_ - fast_);
    if (count_ >= slow_) slow_sum_ -= at(count_);
    at(count_) = close;
    fast_sum_ += close;
    slow_sum_ += close;
    ++count_;
  }

  // The sign of SMA(fast) - SMA(slow), without dividing.
  int compare() const {
    Decimal lhs = fast_sum_ * Decimal::from_int(slow_), rhs = slow_sum_ * Decimal::from_int(fast_);
    return lhs > rhs ? 1 : (lhs < rhs ? -1 : 0);
  }

  int fast_, slow_;
  bool shorts_;
  std::vector<Decimal> ring_;  // the last `slow` closes; close i at i % slow
  int64_t count_ = 0;          // closes seen
  Decimal fast_sum_, slow_sum_;
  bool has_prev_ = false;
  int prev_cmp_ = 0;
};

Status check(const Params& p) {
  if (p.integer("slow") <= p.integer("fast")) return Error::invalid("params.slow", "must be greater than fast");
  return ok_status();
}

std::unique_ptr<Strategy> make(const Params& p, const MarketTraits& m) {
  return std::make_unique<MaCross>(p.integer("fast"), p.integer("slow"), m.shorts);
}

}  // namespace

StrategyInfo ma_cross_info() {
  return {"ma_cross",
          "Moving-average cross: long when SMA(fast) of closes crosses above SMA(slow), out (and short where the market allows) when it "
          "crosses below; orders at market",
          {{"fast", ParamType::Integer, 1, 1000, 10, "candles in the fast simple moving average"},
           {"slow", ParamType::Integer, 2, 5000, 30, "candles in the slow simple moving average (more than fast)"}},
          false,
          check,
          make};
}

}  // namespace tb::robots
