#pragma once
// What a venue is, as data (after ccxt's describe() and Hummingbot's *_constants.py): its names, the shape of
// its keys, how it wants our client order ids, where its keys are made and how, what to tell a user whose key
// it refused, and what it trades. Each venue folder defines one (`<venue>/description.cpp`); the registry
// lists them. Plain data: no connector code comes with it, so the key check can be built alone. Everything outside the venue folders reads
// these instead of naming a venue.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/types.hpp"

namespace tb::venues {

enum class Alphabet { Alnum, Base64 };
std::string_view to_string(Alphabet);  // "letters and digits", "base64"

// One field of a key pair: exact length and alphabet; a base64 field may also fix its decoded length.
struct FieldFormat {
  size_t length = 0;
  Alphabet alphabet = Alphabet::Alnum;
  size_t decoded_bytes = 0;  // 0: not checked
};

// What a signed request carries against replay, and so what fixes it for a reproducible request.
enum class ReplayGuard { Timestamp, Nonce };

// Where and how a user makes a key with the rights the key test needs.
struct KeyGuide {
  std::string_view key_page;                  // the venue's API-management page
  std::vector<std::string_view> steps;        // the how-to, one sentence a step
  std::vector<std::string_view> permissions;  // what to tick
  std::string_view ip_note;                   // what the venue adds to the IP-whitelist advice; may be empty
};

// What to do after the venue's refusal of a key, in the venue's own words (menus, permission names).
struct RefusalAdvice {
  std::string_view withdrawals_on;  // the key may withdraw
  std::string_view trading_off;     // the key may not trade
};

struct VenueDescription {
  std::string_view id;            // the folder's name
  std::string_view display_name;  // as users know it
  FieldFormat key;
  FieldFormat secret;
  std::string_view client_order_id_form;                           // in words: "an integer below 2^45"
  std::string (*make_client_order_id)(uint64_t unique) = nullptr;  // a valid id from a number unique enough for one test
  // A robot's order's id, from its ledger row: never one a key test makes, so each kind is told apart.
  std::string (*make_robot_order_id)(int64_t order_id) = nullptr;
  KeyGuide guide;
  RefusalAdvice advice;
  bool futures = false;  // trades perpetual futures (margin in quote, positions)
  bool shorts = false;   // can sell what it does not hold
  ReplayGuard replay = ReplayGuard::Nonce;
  std::vector<std::string_view> symbol_examples;  // its own market ids: "XBTUSD", "XXBTZUSD"
  std::vector<Timeframe> timeframes;              // the candles it serves; others are built from a smaller one
  // Its WebSocket API for orders, where its connector speaks one (an empty URL: orders over HTTP only): the
  // URL, the path on a replaced base URL's host (a simulator serves it beside the REST paths), and how to
  // read the id an answer echoes.
  std::string_view ws_api_url;
  std::string_view ws_api_path;
  std::optional<uint64_t> (*ws_answer_id)(std::string_view answer) = nullptr;
};

// Where `v`'s WebSocket API is: ws:// or wss:// on the host of a replaced base URL (http or https), else the
// venue's own; empty when it has none.
std::string ws_api_url(const VenueDescription& v, const std::optional<std::string>& base_url);

}  // namespace tb::venues
