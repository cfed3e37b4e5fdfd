#pragma once
// Indicators, one value per closed candle, each an object that keeps only what its next value needs, so a
// strategy's state (and so a robot's restart) is a handful of numbers.
//
// The split: indicators and signals are doubles (a moving average decides *whether* to trade, and a
// one-ulp difference moves no money); order sizes, prices, fees and profits are always Decimal
// (core/decimal.hpp), and a price a strategy derives from an indicator (a stop) is turned into a Decimal on
// the market's tick before it leaves the strategy. ma_cross compares its averages exactly (Decimal sums),
// since the issue makes it the reference every test recomputes.
//
// Definitions (tests/robots/indicators.test.mjs recomputes each independently):
// - SMA(n): mean of the last n values, from the n-th value on.
// - EMA(n): alpha = 2/(n+1), seeded with the SMA of the first n values.
// - Wilder's average RMA(n): seeded with the mean of the first n values, then (prev*(n-1) + x)/n.
// - True range: high-low on the first candle, then max(high-low, |high-prev close|, |low-prev close|).
// - ATR(n): RMA(n) of the true range, from the n-th candle.
// - ADX(n): +DM = high-prev high when that is > prev low-low and > 0 (else 0), -DM mirrored, and the true range, from the second
//   candle; +DI = 100 RMA(+DM)/RMA(TR), -DI alike (from candle n+1); DX = 100 |+DI - -DI| / (+DI + -DI) (0 when
//   both are 0); ADX = RMA(n) of DX, from candle 2n.
// - Highest/Lowest(n): of the last n values, this one included.
// - Parabolic SAR(step, max): starts rising with SAR = first low, extreme point = first high, af = step;
//   each candle: SAR += af (EP - SAR), kept below the two previous lows (above the two previous highs when
//   falling); a candle that crosses it reverses: SAR = EP, EP = that candle's extreme, af = step; else a new
//   extreme moves EP and raises af by step up to max. Defined from the second candle.
// - SuperTrend(n, mult): bands hl2 -+ mult ATR(n); the lower band only rises (the upper only falls) while the
//   previous close stays beyond it; up turns down on a close below the lower band, down turns up on a close
//   above the upper band; starts up on the first candle with an ATR.
#include <cstdint>
#include <optional>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/types.hpp"

namespace tb::robots {

// The numbers of a candle the indicators read.
struct Bar {
  double high = 0, low = 0, close = 0;
  static Bar of(const Candle& c) { return {c.high.to_double(), c.low.to_double(), c.close.to_double()}; }
};

// Indicators save and restore their state as JSON (doubles print so that they read back exactly).
// restore() throws nlohmann::json's exceptions on a malformed state; strategies turn them into errors.
class Sma {
 public:
  explicit Sma(int n) : n_(n) {}
  std::optional<double> update(double x);
  nlohmann::json state() const;
  void restore(const nlohmann::json& j);

 private:
  int n_;
  std::vector<double> window_;  // ring of the last n values
  size_t next_ = 0;
  double sum_ = 0;
};

// Wilder's smoothing and the EMA differ only in their weight; both seed with a plain mean.
class Smoothed {
 public:
  static Smoothed ema(int n) { return Smoothed(n, false); }
  static Smoothed wilder(int n) { return Smoothed(n, true); }
  std::optional<double> update(double x);
  std::optional<double> value() const { return seen_ >= n_ ? std::optional<double>(value_) : std::nullopt; }
  nlohmann::json state() const;
  void restore(const nlohmann::json& j);

 private:
  Smoothed(int n, bool wilder) : n_(n), wilder_(wilder) {}
  int n_;
  bool wilder_;  // (prev*(n-1) + x)/n; else the EMA's alpha x + (1-alpha) prev with alpha = 2/(n+1)
  int seen_ = 0;
  double value_ = 0;  // the seed's running sum until n values were seen
};

class Atr {
 public:
  explicit Atr(int n) : rma_(Smoothed::wilder(n)) {}
  std::optional<double> update(const Bar& b);
  nlohmann::json state() const;
  void restore(const nlohmann::json& j);

 private:
  Smoothed rma_;
  std::optional<Bar> prev_;
};

struct AdxValue {
  double adx = 0, plus_di = 0, minus_di = 0;
};

class Adx {
 public:
  explicit Adx(int n) : tr_(Smoothed::wilder(n)), plus_(Smoothed::wilder(n)), minus_(Smoothed::wilder(n)), dx_(Smoothed::wilder(n)) {}
  std::optional<AdxValue> update(const Bar& b);
  nlohmann::json state() const;
  void restore(const nlohmann::json& j);

 private:
  Smoothed tr_, plus_, minus_, dx_;
  std::optional<Bar> prev_;
};

// Highest (or lowest, with `highest` false) of the last n values.
class Extreme {
 public:
  Extreme(int n, bool highest) : n_(n), highest_(highest) {}
  std::optional<double> update(double x);
  nlohmann::json state() const;
  void restore(const nlohmann::json& j);

 private:
  int n_;
  bool highest_;
  std::vector<double> window_;
  size_t next_ = 0;
};

struct SarValue {
  double sar = 0;
  bool rising = true;
};

class ParabolicSar {
 public:
  ParabolicSar(double step, double max) : step_(step), max_(max) {}
  std::optional<SarValue> update(const Bar& b);
  nlohmann::json state() const;
  void restore(const nlohmann::json& j);

 private:
  double step_, max_;
  int seen_ = 0;
  bool rising_ = true;
  double sar_ = 0, ep_ = 0, af_ = 0;
  Bar prev_, prev2_;
};

struct TrendValue {
  double line = 0;  // the band the trend stands on
  bool up = true;
};

class SuperTrend {
 public:
  SuperTrend(int n, double mult) : atr_(n), mult_(mult) {}
  std::optional<TrendValue> update(const Bar& b);
  nlohmann::json state() const;
  void restore(const nlohmann::json& j);

 private:
  Atr atr_;
  double mult_;
  bool started_ = false, up_ = true;
  double upper_ = 0, lower_ = 0, prev_close_ = 0;
};

}  // namespace tb::robots
