// Kraken's facts for the engine; markets with rules close to the venue's own (late 2024 values, rounded).
#include "exsim/kraken/description.hpp"

namespace tb::exsim::kraken {
namespace {

Decimal d(const char* text) { return *Decimal::parse(text); }

SimMarket market(const char* id, const char* base, const char* tick, const char* ordermin, const char* start) {
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

}  // namespace

SimVenue description() {
  SimVenue v;
  v.id = "kraken";
  v.display_name = "Kraken";
  v.key_text = KeyText::Base64;
  v.key_length = 56;
  v.secret_text = KeyText::Base64;  // Kraken hands out base64 secrets of 64 random bytes
  v.secret_length = 64;
  v.default_balances = "USD=10000, BTC=1";
  v.markets = {
      market("XXBTZUSD", "BTC", "0.1", "0.00005", "60000.0"),
      market("XETHZUSD", "ETH", "0.01", "0.002", "3000.00"),
      market("SOLUSD", "SOL", "0.01", "0.02", "150.00"),
      market("XXRPZUSD", "XRP", "0.00001", "2", "0.60000"),
  };
  return v;
}

}  // namespace tb::exsim::kraken
