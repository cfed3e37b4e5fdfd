#pragma once
// Candles for the robots' tests: written by hand, or a seeded walk long enough to reach every branch.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "core/types.hpp"

namespace tb::robots::testing {

inline Decimal dec(const std::string& s) { return *Decimal::parse(s); }

// open, high, low, close; volume 1; one minute apart from t0.
inline Candle bar(int64_t t, const std::string& o, const std::string& h, const std::string& l, const std::string& c) {
  return Candle{t, dec(o), dec(h), dec(l), dec(c), dec("1")};
}

// Candles whose open, high, low and close all equal the given closes (a line of prices), 1 min apart.
inline std::vector<Candle> line(const std::vector<std::string>& closes, int64_t t0 = 1'704'067'200'000) {
  std::vector<Candle> out;
  for (size_t i = 0; i < closes.size(); ++i)
    out.push_back(bar(t0 + static_cast<int64_t>(i) * 60'000, closes[i], closes[i], closes[i], closes[i]));
  return out;
}

// A seeded random walk of n 1m candles with prices on a 0.01 grid.
inline std::vector<Candle> walk(size_t n, uint64_t seed, int64_t t0 = 1'704'067'200'000) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> step(0, 0.003);
  std::uniform_real_distribution<double> wick(0, 0.002);
  double price = 100;
  std::vector<Candle> out;
  auto cents = [](double p) { return Decimal::from_units(static_cast<int64_t>(std::llround(p * 100)), 2); };
  for (size_t i = 0; i < n; ++i) {
    double open = price, close = price * std::exp(step(rng));
    double high = std::max(open, close) * (1 + wick(rng)), low = std::min(open, close) * (1 - wick(rng));
    Candle c{t0 + static_cast<int64_t>(i) * 60'000, cents(open), cents(high), cents(low), cents(close), Decimal::from_int(10)};
    c.high = std::max({c.high, c.open, c.close});
    c.low = std::min({c.low, c.open, c.close});
    out.push_back(c);
    price = close;
  }
  return out;
}

}  // namespace tb::robots::testing
