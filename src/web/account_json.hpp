#pragma once
// The accounts module's values as the API's JSON: an account view (GET/POST /api/v1/exchange-accounts...),
// a key test and its steps, and the account events streamed by GET /api/v1/events.
#include <string>
#include <string_view>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "accounts/account_view.hpp"
#include "accounts/events.hpp"
#include "accounts/open_orders.hpp"

namespace tb::web {

// {id, name, exchange, exchange_name, status, reason, reason_code, key, balances, positions, usd_total,
//  last_checked_at, created_at, updated_at, warnings, order_to_cancel_by_hand, pending_orders,
//  trading_expires_at, test{...}, advice (what to do, or null), key_kept (false once a refusal erased the
//  pair), key_note (that rule in words, or null)}
nlohmann::json to_json(const accounts::AccountView& view);
nlohmann::json key_test_json(const store::KeyTest& test);
nlohmann::json step_json(const store::KeyTestStep& step);  // {name, state, message, duration_ms}
// An open order on the account's venue: {id, client_order_id, symbol, side, type (ours: "stop_limit", "other"),
// venue_type (the venue's name), status, amount, filled, price (the limit), trigger_price, reduce_only,
// description ("Stop limit · trigger 55 · limit 54"), ours, user_robot_id (a user robot's, else null)}.
nlohmann::json account_order_json(const accounts::AccountOrder& order);

// The event's name on the stream ("account.created", "key_test.step", "account.tested", "account.updated",
// "account.invalid", "account.deleted") and its data: the account view, {account_id, test_id, step} or {id}.
std::string_view event_name(const accounts::AccountEvent& event);
nlohmann::json event_data(const accounts::AccountEvent& event);

// Renders views as JSON text, the same text as to_json(view).dump() with invalid UTF-8 replaced, and keeps
// each account's last text: listing accounts that did not change costs a comparison of their stored fields
// instead of parsing and printing their JSON (GET /api/v1/exchange-accounts). Every input of to_json is part
// of the comparison, so a change to any of them renders afresh. Not thread-safe: one per thread. Holds at
// most `capacity` accounts; beyond that, one is forgotten for each new one.
class ViewRenderer {
 public:
  explicit ViewRenderer(size_t capacity = 4096) : capacity_(capacity == 0 ? 1 : capacity) {}
  const std::string& render(const accounts::AccountView& view);  // valid until the next render
  size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    std::string inputs;
    std::string text;
  };
  std::unordered_map<int64_t, Entry> entries_;
  size_t capacity_;
  std::string scratch_;
};

}  // namespace tb::web
