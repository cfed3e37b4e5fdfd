// robots_indicator_dump FILE.csv: every indicator on every candle of the file, one JSON array per line of
// [sma20, ema20, atr14, adx14, plus_di14, minus_di14, highest20, lowest20, psar, psar_rising, supertrend,
// supertrend_up] (null while an indicator has no value yet), for tests/robots/indicators.test.mjs.
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "robots/candles.hpp"
#include "robots/indicators.hpp"

using namespace tb::robots;
using json = nlohmann::json;

namespace {

template <typename T>
json value(const std::optional<T>& v) {
  return v ? json(*v) : json();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: robots_indicator_dump FILE.csv\n";
    return 2;
  }
  std::ifstream in(argv[1]);
  std::stringstream text;
  text << in.rdbuf();
  auto candles = parse_candles_csv(text.str());
  if (!candles) {
    std::cerr << candles.error().message << "\n";
    return 2;
  }
  Sma sma(20);
  Smoothed ema = Smoothed::ema(20);
  Atr atr(14);
  Adx adx(14);
  Extreme hi(20, true), lo(20, false);
  ParabolicSar sar(0.02, 0.2);
  SuperTrend st(10, 3);
  for (const auto& c : *candles) {
    Bar b = Bar::of(c);
    auto x = adx.update(b);
    auto s = sar.update(b);
    auto t = st.update(b);
    json row = {value(sma.update(b.close)),    value(ema.update(b.close)),     value(atr.update(b)),       x ? json(x->adx) : json(),
                x ? json(x->plus_di) : json(), x ? json(x->minus_di) : json(), value(hi.update(b.high)),   value(lo.update(b.low)),
                s ? json(s->sar) : json(),     s ? json(s->rising) : json(),   t ? json(t->line) : json(), t ? json(t->up) : json()};
    std::cout << row.dump() << "\n";
  }
  return 0;
}
