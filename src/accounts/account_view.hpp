#pragma once
// What a user sees of an exchange account: the stored row and its latest key test, as JSON for the API,
// the event stream and the bot. The secret is never part of it; the key only masked.
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "store/store.hpp"

namespace tb::accounts {

struct AccountView {
  store::Account account;
  std::optional<store::KeyTest> last_test;
  std::vector<store::OrderRecord> unsettled_orders;  // test orders the venue has not settled yet
};

// The venue's display name for its id; an unknown id as it is.
std::string_view venue_display_name(std::string_view venue_id);

// "2026-11-26T12:38:47.123Z"
std::string iso_time(int64_t ms);

// {id, name, exchange, exchange_name, status, reason, reason_code, key, balances, usd_total,
//  last_checked_at, created_at, updated_at, warnings, order_to_cancel_by_hand, pending_orders, test{...},
//  advice (what to do, or null), key_kept (false once a refusal erased the pair), key_note (that rule in words, or null)}
// Unsettled orders come first in warnings, and the oldest is order_to_cancel_by_hand.
nlohmann::json to_json(const AccountView& view);
nlohmann::json key_test_json(const store::KeyTest& test);
nlohmann::json step_json(const store::KeyTestStep& step);  // {name, state, message, duration_ms}

// Renders views as JSON text, the same text as to_json(view).dump() with invalid UTF-8 replaced, and keeps
// each account's last text: listing accounts that did not change costs a comparison of their stored fields
// instead of parsing and printing their JSON (GET /api/v1/exchange-accounts). Every input of to_json is part
// of the comparison, so a change to any of them renders afresh. Not thread-safe: one per thread. Holds at
// most `capacity` accounts; beyond that, one is forgotten for each new one.
class ViewRenderer {
 public:
  explicit ViewRenderer(size_t capacity = 4096) : capacity_(capacity == 0 ? 1 : capacity) {}
  const std::string& render(const AccountView& view);  // valid until the next render
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

// The masked form of an API key: the first and last four characters ("vmPU…3e5A"); shorter keys show less.
std::string mask_key(std::string_view api_key);

}  // namespace tb::accounts
