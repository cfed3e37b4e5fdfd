// Bitfinex's facts for the engine; markets with rules close to the venue's own (late 2024 values, rounded).
#include "exsim/bitfinex/description.hpp"

namespace tb::exsim::bitfinex {
namespace {

Decimal d(const char* text) { return *Decimal::parse(text); }

SimMarket market(const char* id, const char* base, const char* min_size, const char* max_size, const char* start) {
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

SimVenue description() {
  SimVenue v;
  v.id = "bitfinex";
  v.display_name = "Bitfinex";
  v.key_text = KeyText::Alnum;
  v.key_length = 43;
  v.secret_text = KeyText::Alnum;
  v.secret_length = 43;
  v.default_balances = "USD=10000, BTC=1";
  v.markets = {
      market("tBTCUSD", "BTC", "0.00004", "2000", "60000"),
      market("tETHUSD", "ETH", "0.0008", "5000", "3000"),
      market("tSOLUSD", "SOL", "0.04", "100000", "150"),
      market("tXRPUSD", "XRP", "4", "2000000", "0.6"),
  };
  return v;
}

}  // namespace tb::exsim::bitfinex
