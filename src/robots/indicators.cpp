#include "robots/indicators.hpp"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace tb::robots {
namespace {

using json = nlohmann::json;

json bar_json(const Bar& b) { return json::array({b.high, b.low, b.close}); }
Bar bar_from(const json& j) { return Bar{j.at(0).get<double>(), j.at(1).get<double>(), j.at(2).get<double>()}; }

double true_range(const Bar& b, const std::optional<Bar>& prev) {
  if (!prev) return b.high - b.low;
  return std::max({b.high - b.low, std::fabs(b.high - prev->close), std::fabs(b.low - prev->close)});
}

// A saved ring must fit the indicator it is restored into (a state of SMA(50) is no state of SMA(20)).
void check_ring(const std::vector<double>& ring, size_t next, int n) {
  if (static_cast<int>(ring.size()) > n || (next > 0 && next >= ring.size())) throw std::invalid_argument("window does not fit the period");
}

// A ring of the last n values: appends, and once full overwrites the oldest. Returns the value it replaced.
std::optional<double> push_ring(std::vector<double>& ring, size_t& next, int n, double x) {
  if (static_cast<int>(ring.size()) < n) {
    ring.push_back(x);
    return std::nullopt;
  }
  double old = ring[next];
  ring[next] = x;
  next = (next + 1) % ring.size();
  return old;
}

}  // namespace

std::optional<double> Sma::update(double x) {
  auto old = push_ring(window_, next_, n_, x);
  sum_ += x - old.value_or(0);
  if (static_cast<int>(window_.size()) < n_) return std::nullopt;
  return sum_ / n_;
}

json Sma::state() const { return {{"window", window_}, {"next", next_}, {"sum", sum_}}; }

void Sma::restore(const json& j) {
  window_ = j.at("window").get<std::vector<double>>();
  next_ = j.at("next").get<size_t>();
  sum_ = j.at("sum").get<double>();
  check_ring(window_, next_, n_);
}

std::optional<double> Smoothed::update(double x) {
  if (seen_ < n_) {
    value_ += x;
    if (++seen_ == n_) value_ /= n_;
  } else {
    double alpha = 2.0 / (n_ + 1);
    value_ = wilder_ ? (value_ * (n_ - 1) + x) / n_ : alpha * x + (1 - alpha) * value_;
  }
  return value();
}

json Smoothed::state() const { return {{"seen", seen_}, {"value", value_}}; }

void Smoothed::restore(const json& j) {
  seen_ = j.at("seen").get<int>();
  value_ = j.at("value").get<double>();
}

std::optional<double> Atr::update(const Bar& b) {
  double tr = true_range(b, prev_);
  prev_ = b;
  return rma_.update(tr);
}

json Atr::state() const { return {{"rma", rma_.state()}, {"prev", prev_ ? bar_json(*prev_) : json()}}; }

void Atr::restore(const json& j) {
  rma_.restore(j.at("rma"));
  prev_ = j.at("prev").is_null() ? std::nullopt : std::optional<Bar>(bar_from(j.at("prev")));
}

std::optional<AdxValue> Adx::update(const Bar& b) {
  std::optional<Bar> prev = prev_;
  prev_ = b;
  if (!prev) return std::nullopt;
  double up = b.high - prev->high, down = prev->low - b.low;
  auto tr = tr_.update(true_range(b, prev));
  auto plus = plus_.update(up > down && up > 0 ? up : 0);
  auto minus = minus_.update(down > up && down > 0 ? down : 0);
  if (!tr) return std::nullopt;
  AdxValue v;
  v.plus_di = *tr > 0 ? 100 * *plus / *tr : 0;
  v.minus_di = *tr > 0 ? 100 * *minus / *tr : 0;
  double sum = v.plus_di + v.minus_di;
  auto adx = dx_.update(sum > 0 ? 100 * std::fabs(v.plus_di - v.minus_di) / sum : 0);
  if (!adx) return std::nullopt;
  v.adx = *adx;
  return v;
}

json Adx::state() const {
  return {{"tr", tr_.state()},
          {"plus", plus_.state()},
          {"minus", minus_.state()},
          {"dx", dx_.state()},
          {"prev", prev_ ? bar_json(*prev_) : json()}};
}

void Adx::restore(const json& j) {
  tr_.restore(j.at("tr"));
  plus_.restore(j.at("plus"));
  minus_.restore(j.at("minus"));
  dx_.restore(j.at("dx"));
  prev_ = j.at("prev").is_null() ? std::nullopt : std::optional<Bar>(bar_from(j.at("prev")));
}

std::optional<double> Extreme::update(double x) {
  push_ring(window_, next_, n_, x);
  if (static_cast<int>(window_.size()) < n_) return std::nullopt;
  return highest_ ? *std::max_element(window_.begin(), window_.end()) : *std::min_element(window_.begin(), window_.end());
}

json Extreme::state() const { return {{"window", window_}, {"next", next_}}; }

void Extreme::restore(const json& j) {
  window_ = j.at("window").get<std::vector<double>>();
  next_ = j.at("next").get<size_t>();
  check_ring(window_, next_, n_);
}

std::optional<SarValue> ParabolicSar::update(const Bar& b) {
  if (seen_++ == 0) {
    rising_ = true, sar_ = b.low, ep_ = b.high, af_ = step_, prev_ = prev2_ = b;
    return std::nullopt;
  }
  double sar = sar_ + af_ * (ep_ - sar_);
  bool reversed = false;
  if (rising_) {
    sar = std::min({sar, prev_.low, prev2_.low});
    reversed = b.low < sar;
  } else {
    sar = std::max({sar, prev_.high, prev2_.high});
    reversed = b.high > sar;
  }
  if (reversed) {
    rising_ = !rising_, sar = ep_, ep_ = rising_ ? b.high : b.low, af_ = step_;
  } else if (rising_ ? b.high > ep_ : b.low < ep_) {
    ep_ = rising_ ? b.high : b.low, af_ = std::min(af_ + step_, max_);
  }
  sar_ = sar, prev2_ = prev_, prev_ = b;
  return SarValue{sar_, rising_};
}

json ParabolicSar::state() const {
  return {{"seen", seen_},           {"rising", rising_},        {"sar", sar_}, {"ep", ep_}, {"af", af_},
          {"prev", bar_json(prev_)}, {"prev2", bar_json(prev2_)}};
}

void ParabolicSar::restore(const json& j) {
  seen_ = j.at("seen").get<int>();
  rising_ = j.at("rising").get<bool>();
  sar_ = j.at("sar").get<double>();
  ep_ = j.at("ep").get<double>();
  af_ = j.at("af").get<double>();
  prev_ = bar_from(j.at("prev"));
  prev2_ = bar_from(j.at("prev2"));
}

std::optional<TrendValue> SuperTrend::update(const Bar& b) {
  auto atr = atr_.update(b);
  double prev_close = prev_close_;
  prev_close_ = b.close;
  if (!atr) return std::nullopt;
  double mid = (b.high + b.low) / 2;
  double lower = mid - mult_ * *atr, upper = mid + mult_ * *atr;
  if (!started_) {
    started_ = true, up_ = true, lower_ = lower, upper_ = upper;
  } else {
    lower_ = prev_close > lower_ ? std::max(lower, lower_) : lower;
    upper_ = prev_close < upper_ ? std::min(upper, upper_) : upper;
    if (up_ && b.close < lower_) up_ = false;
    else if (!up_ && b.close > upper_) up_ = true;
  }
  return TrendValue{up_ ? lower_ : upper_, up_};
}

json SuperTrend::state() const {
  return {{"atr", atr_.state()}, {"started", started_}, {"up", up_}, {"upper", upper_}, {"lower", lower_}, {"prev_close", prev_close_}};
}

void SuperTrend::restore(const json& j) {
  atr_.restore(j.at("atr"));
  started_ = j.at("started").get<bool>();
  up_ = j.at("up").get<bool>();
  upper_ = j.at("upper").get<double>();
  lower_ = j.at("lower").get<double>();
  prev_close_ = j.at("prev_close").get<double>();
}

}  // namespace tb::robots
