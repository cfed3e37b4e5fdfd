#pragma once
// Small helpers shared by the engine tests.
#include <gtest/gtest.h>

#include <string>

#include "exsim/engine/exchange.hpp"

namespace tb::exsim::test_util {

inline Decimal D(const char* text) { return *Decimal::parse(text); }

// The order, or a test failure naming the refusal.
inline SimOrder placed(const EngineResult<SimOrder>& r) {
  if (r.index() != 0) {
    ADD_FAILURE() << "refused: " << static_cast<int>(std::get<1>(r).refusal) << " " << std::get<1>(r).detail;
    return {};
  }
  return std::get<0>(r);
}

inline std::optional<Refusal> refusal(const EngineResult<SimOrder>& r) {
  if (r.index() == 0) return std::nullopt;
  return std::get<1>(r).refusal;
}

inline OrderSpec limit(const std::string& symbol, Side side, const char* amount, const char* price) {
  OrderSpec s;
  s.symbol = symbol;
  s.side = side;
  s.type = OrderType::Limit;
  s.amount = D(amount);
  s.price = D(price);
  return s;
}

inline OrderSpec market(const std::string& symbol, Side side, const char* amount) {
  OrderSpec s;
  s.symbol = symbol;
  s.side = side;
  s.type = OrderType::Market;
  s.amount = D(amount);
  return s;
}

inline std::string make_key(Exchange& ex, const std::string& venue, std::map<std::string, Decimal> balances) {
  NewKey k;
  k.venue = venue;
  k.label = "test";
  k.permissions.trade = true;
  k.permissions.futures = venue == "binance_futures";
  k.balances = std::move(balances);
  auto r = ex.create_key(k);
  EXPECT_TRUE(r.ok());
  return r.ok() ? r->key : std::string();
}

}  // namespace tb::exsim::test_util
