#pragma once
// The open orders on an exchange account as a user reads them (the API and the bot alike): each venue order
// with whether tradebridge placed it, and its type in words with its trigger and limit prices apart, so an
// order placed by hand on the exchange's site is shown as what it is.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/types.hpp"
#include "store/order_store.hpp"

namespace tb::accounts {

struct AccountOrder {
  Order order;
  bool ours = false;                     // placed by tradebridge: in our order ledger
  std::optional<int64_t> user_robot_id;  // ours and a user robot's
};

// Each open order marked ours when the ledger (the account's unsettled orders) has it, by our client id or
// the venue's id.
std::vector<AccountOrder> mark_ours(const std::vector<Order>& open, const std::vector<store::OrderRecord>& ledger);

// The type in words: "Limit", "Stop limit", "Take profit market", ...; Other reads "Other (<the venue's name>)".
std::string order_type_words(const Order& order);
// The type with its prices: "Stop limit · trigger 55 · limit 54", "Limit · limit 60000", "Market".
std::string order_terms(const Order& order);

}  // namespace tb::accounts
