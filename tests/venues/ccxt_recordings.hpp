#pragma once
// The answers ccxt recorded from the real venues (../shared/reference/ccxt-fixtures, its README): each case
// has the venue's raw answer (httpResponse) and ccxt's unified reading (parsedResponse). The venue tests
// read every case of a method their connector implements; where ccxt's reading differs from the venue's
// documentation, the documentation wins and the test says why.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/core.hpp"

namespace tb::test::ccxt {

struct Recording {
  std::string method;
  std::string description;
  nlohmann::json input, http, parsed;
};

// Every case of `file` (binance.json, kraken.json, bitfinex2.json), in the file's order. The folder sits
// beside the repository (TB_CCXT_FIXTURES_DIR); a missing file fails the test rather than passing empty.
inline std::vector<Recording> load(const std::string& file) {
  std::ifstream in(std::string(TB_CCXT_FIXTURES_DIR) + "/" + file);
  if (!in) {
    ADD_FAILURE() << "no " << TB_CCXT_FIXTURES_DIR << "/" << file << " (../shared/reference/ccxt-fixtures beside the repository)";
    return {};
  }
  auto j = nlohmann::json::parse(in);
  std::vector<Recording> out;
  for (auto& [method, cases] : j.at("methods").items())
    for (auto& c : cases)
      out.push_back({method, c.value("description", ""), c.value("input", nlohmann::json()), c.at("httpResponse"),
                     c.value("parsedResponse", nlohmann::json())});
  return out;
}

// A number as ccxt printed it (a JSON number, or a string): nullopt for null.
inline std::optional<Decimal> number(const nlohmann::json& v) {
  if (v.is_null()) return std::nullopt;
  if (v.is_string()) return Decimal::parse(v.get<std::string>());
  if (v.is_number_integer()) return Decimal::from_int(v.get<int64_t>());
  return Decimal::from_double(v.get<double>());
}

inline std::string text(const nlohmann::json& v) {
  if (v.is_null()) return {};
  return v.is_string() ? v.get<std::string>() : v.dump();
}

// ccxt's unified status words against ours (nullopt: ccxt did not say).
inline bool status_agrees(OrderStatus ours, const nlohmann::json& ccxt) {
  if (ccxt.is_null()) return true;
  auto s = ccxt.get<std::string>();
  if (s == "open") return is_open(ours);
  if (s == "closed") return ours == OrderStatus::Filled;
  if (s == "canceled") return ours == OrderStatus::Canceled;
  if (s == "expired") return ours == OrderStatus::Expired;
  if (s == "rejected") return ours == OrderStatus::Rejected;
  return false;
}

// The fields both readings have, unless `differs` names them (with the reason at the caller): id, client
// order id, side, amount, filled, average, status, timestamp (creation).
inline void expect_agrees(const Order& o, const nlohmann::json& p, const std::set<std::string>& differs = {}) {
  auto check = [&](const char* field) { return !differs.count(field) && p.contains(field) && !p[field].is_null(); };
  if (check("id")) {
    EXPECT_EQ(o.id, text(p["id"]));
  }
  if (!differs.count("clientOrderId")) {
    EXPECT_EQ(o.client_order_id, text(p.value("clientOrderId", nlohmann::json())));
  }
  if (check("side")) {
    EXPECT_EQ(to_string(o.side), p["side"].get<std::string>());
  }
  if (check("amount")) {
    EXPECT_EQ(o.amount, *number(p["amount"]));
  }
  if (check("filled")) {
    EXPECT_EQ(o.filled, *number(p["filled"]));
  }
  if (!differs.count("average")) {
    EXPECT_EQ(o.average_price, number(p.value("average", nlohmann::json())));
  }
  if (!differs.count("status")) {
    EXPECT_TRUE(status_agrees(o.status, p.value("status", nlohmann::json()))) << to_string(o.status);
  }
  if (check("timestamp")) {
    EXPECT_EQ(o.created_ms, p["timestamp"].get<int64_t>());
  }
}

// What the venue's documentation says of an order's type and prices (nullptr: none).
struct TypeExpectation {
  OrderType type;
  std::string venue_type;
  const char* price;    // the limit price
  const char* trigger;  // the trigger price
  std::optional<TimeInForce> time_in_force;
  bool post_only = false;
};

inline std::optional<Decimal> dec_or_none(const char* s) { return s ? Decimal::parse(s) : std::nullopt; }

inline void expect_type(const Order& o, const TypeExpectation& e) {
  EXPECT_EQ(o.type, e.type) << to_string(o.type);
  EXPECT_EQ(o.venue_type, e.venue_type);
  EXPECT_EQ(o.price, dec_or_none(e.price));
  EXPECT_EQ(o.trigger_price, dec_or_none(e.trigger));
  EXPECT_EQ(o.time_in_force, e.time_in_force);
  EXPECT_EQ(o.post_only, e.post_only);
}

inline void expect_candles_agree(const std::vector<Candle>& ours, const nlohmann::json& ccxt_rows) {
  // ccxt may drop rows (its since/limit filter): each row it kept is one of ours, the same.
  for (auto& row : ccxt_rows) {
    int64_t t = row[0].get<int64_t>();
    auto it = std::find_if(ours.begin(), ours.end(), [&](const Candle& c) { return c.open_time_ms == t; });
    ASSERT_NE(it, ours.end()) << t;
    EXPECT_EQ(it->open, *number(row[1]));
    EXPECT_EQ(it->high, *number(row[2]));
    EXPECT_EQ(it->low, *number(row[3]));
    EXPECT_EQ(it->close, *number(row[4]));
    EXPECT_EQ(it->volume, *number(row[5]));
  }
}

}  // namespace tb::test::ccxt
