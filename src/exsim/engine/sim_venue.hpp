#pragma once
// What the engine knows of one venue, handed to it by the venue's folder (exsim/<venue>/description.cpp)
// through the registry (exsim/venues.hpp): the shape of its API keys and secrets, its default markets with
// their rules and fees, and what a new key gets on the API-management page. The engine itself names no venue.
#include <cstddef>
#include <string>
#include <vector>

#include "core/core.hpp"

namespace tb::exsim {

// A market the simulator trades. Asset codes are unified (BTC, USD, USDT); each venue maps its own.
struct SimMarket {
  std::string venue;
  std::string id;          // the venue's market id
  std::string base;        // BTC
  std::string quote;       // USDT / USD
  bool perpetual = false;  // margin in quote, positions instead of base balances
  Decimal tick;            // price increment (0: significant digits instead)
  int price_significant_digits = 0;
  Decimal step;  // quantity increment
  Decimal min_qty;
  Decimal max_qty;
  Decimal min_notional;
  Decimal start_price;
  Decimal maker_fee;  // fraction: 0.0002
  Decimal taker_fee;
};

enum class KeyText { Alnum, Base64 };

struct SimVenue {
  std::string id;  // the connectors' id
  std::string display_name;
  KeyText key_text = KeyText::Alnum;
  size_t key_length = 0;  // characters
  KeyText secret_text = KeyText::Alnum;
  size_t secret_length = 0;        // characters; for a base64 secret, the random bytes it encodes
  bool futures_right = false;      // its keys carry a separate right to trade futures
  std::string default_balances;    // what the page offers a new key: "USDT=10000"
  std::vector<SimMarket> markets;  // the default markets, in the order they are listed
};

// "64 letters and digits", "base64 of 64 bytes"
std::string secret_format_text(const SimVenue& v);

}  // namespace tb::exsim
