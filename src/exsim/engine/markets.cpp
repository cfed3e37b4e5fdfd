// The default markets: four per venue with rules close to the venues' own (late 2024 values, rounded).
#include <string>

#include "exsim/engine/state.hpp"

namespace tb::exsim::detail {
namespace {

Decimal d(const char* text) { return *Decimal::parse(text); }

SimMarket binance(const char* id, const char* base, const char* tick, const char* step, const char* min_qty,
                  const char* max_qty, const char* min_notional, const char* start) {
  SimMarket m;
  m.venue = "binance_futures";
  m.id = id;
  m.base = base;
  m.quote = "USDT";
  m.perpetual = true;
  m.tick = d(tick);
  m.step = d(step);
  m.min_qty = d(min_qty);
  m.max_qty = d(max_qty);
  m.min_notional = d(min_notional);
  m.start_price = d(start);
  m.maker_fee = d("0.0002");
  m.taker_fee = d("0.0004");
  return m;
}

SimMarket kraken(const char* id, const char* base, const char* tick, const char* ordermin, const char* start) {
  SimMarket m;
  m.venue = "kraken";
  m.id = id;
  m.base = base;
  m.quote = "USD";
  m.tick = d(tick);
  m.step = d("0.00000001");  // lot_decimals 8
  m.min_qty = d(ordermin);
  m.max_qty = d("1000000000");  // Kraken publishes no maximum
  m.min_notional = d("0.5");    // costmin
  m.start_price = d(start);
  m.maker_fee = d("0.0016");
  m.taker_fee = d("0.0026");
  return m;
}

SimMarket bitfinex(const char* id, const char* base, const char* min_size, const char* max_size, const char* start) {
  SimMarket m;
  m.venue = "bitfinex";
  m.id = id;
  m.base = base;
  m.quote = "USD";
  m.tick = Decimal();  // prices carry 5 significant digits instead of a tick
  m.price_significant_digits = 5;
  m.step = d("0.00000001");
  m.min_qty = d(min_size);
  m.max_qty = d(max_size);
  m.min_notional = Decimal();
  m.start_price = d(start);
  m.maker_fee = d("0.001");
  m.taker_fee = d("0.002");
  return m;
}

}  // namespace

bool is_venue(const std::string& venue) {
  return venue == "binance_futures" || venue == "kraken" || venue == "bitfinex";
}

std::vector<SimMarket> default_markets() {
  return {
      binance("BTCUSDT", "BTC", "0.10", "0.001", "0.001", "1000", "100", "60000.00"),
      binance("ETHUSDT", "ETH", "0.01", "0.001", "0.001", "10000", "20", "3000.00"),
      binance("SOLUSDT", "SOL", "0.0100", "1", "1", "1000000", "5", "150.0000"),
      binance("XRPUSDT", "XRP", "0.0001", "0.1", "0.1", "10000000", "5", "0.6000"),
      kraken("XXBTZUSD", "BTC", "0.1", "0.00005", "60000.0"),
      kraken("XETHZUSD", "ETH", "0.01", "0.002", "3000.00"),
      kraken("SOLUSD", "SOL", "0.01", "0.02", "150.00"),
      kraken("XXRPZUSD", "XRP", "0.00001", "2", "0.60000"),
      bitfinex("tBTCUSD", "BTC", "0.00004", "2000", "60000"),
      bitfinex("tETHUSD", "ETH", "0.0008", "5000", "3000"),
      bitfinex("tSOLUSD", "SOL", "0.04", "100000", "150"),
      bitfinex("tXRPUSD", "XRP", "4", "2000000", "0.6"),
  };
}

int significant_digits(const Decimal& value) {
  Decimal::Units u = value.units() < 0 ? -value.units() : value.units();
  if (u == 0) return 0;
  while (u % 10 == 0) u /= 10;
  int n = 0;
  for (; u > 0; u /= 10) ++n;
  return n;
}

bool price_fits(const SimMarket& m, const Decimal& price) {
  if (!price.is_positive()) return false;
  if (m.price_significant_digits > 0)
    return significant_digits(price) <= m.price_significant_digits && price.normalized().scale() <= kPriceScale;
  return m.tick.is_positive() ? price.is_multiple_of(m.tick) : true;
}

}  // namespace tb::exsim::detail
