#pragma once
// What a user sees of an exchange account: the stored row and its latest key test, as JSON for the API,
// the event stream and the bot. The secret is never part of it; the key only masked.
#include <optional>

#include <nlohmann/json.hpp>

#include "store/store.hpp"

namespace tb::accounts {

struct AccountView {
  store::Account account;
  std::optional<store::KeyTest> last_test;
};

// "2026-11-26T12:38:47.123Z"
std::string iso_time(int64_t ms);

// {id, name, exchange, exchange_name, status, reason, reason_code, key, balances, usd_total,
//  last_checked_at, created_at, updated_at, warnings, order_to_cancel_by_hand, test{...}}
nlohmann::json to_json(const AccountView& view);
nlohmann::json key_test_json(const store::KeyTest& test);

// The masked form of an API key: the first and last four characters ("vmPU…3e5A"); shorter keys show less.
std::string mask_key(std::string_view api_key);

}  // namespace tb::accounts
