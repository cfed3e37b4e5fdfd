// Binance USD-M Futures' facts for the engine; markets with rules close to the venue's own (late 2024
// values, rounded).
#include "exsim/binance_futures/description.hpp"

namespace tb::exsim::binance_futures {
namespace {

Decimal d(const char* text) { return *Decimal::parse(text); }

SimMarket market(const char* id, const char* base, const char* tick, const char* step, const char* min_qty, const char* max_qty,
                 const char* min_notional, const char* start) {
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

}  // namespace

SimVenue description() {
  SimVenue v;
  v.id = "binance_futures";
  v.display_name = "Binance USD-M Futures";
  v.key_text = KeyText::Alnum;
  v.key_length = 64;
  v.secret_text = KeyText::Alnum;
  v.secret_length = 64;
  v.futures_right = true;  // enableFutures
  v.default_balances = "USDT=10000";
  v.markets = {
      market("BTCUSDT", "BTC", "0.10", "0.001", "0.001", "1000", "100", "60000.00"),
      market("ETHUSDT", "ETH", "0.01", "0.001", "0.001", "10000", "20", "3000.00"),
      market("SOLUSDT", "SOL", "0.0100", "1", "1", "1000000", "5", "150.0000"),
      market("XRPUSDT", "XRP", "0.0001", "0.1", "0.1", "10000000", "5", "0.6000"),
  };
  return v;
}

}  // namespace tb::exsim::binance_futures
