#pragma once
// What a user sees of an exchange account: the stored row, its latest key test and the test orders still in
// doubt, as a value the API (web/account_json) and the bot render. The secret is never part of it; the key
// only masked.
#include <optional>
#include <string>
#include <vector>

#include "accounts/key_test.hpp"
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

// What the user reads of a view, the same on the web and in the bot (both render these; to_json is in web/).
// The ledger's unsettled test orders first, then the latest test's warnings.
std::vector<std::string> warnings_of(const AccountView& view);
// The oldest unsettled test order, the one to cancel by hand; null when none.
const store::OrderRecord* order_to_cancel_by_hand(const AccountView& view);
// The latest test's refusal reason; None when it passed, never ran or stopped short of judging the key.
InvalidReason refusal_of(const AccountView& view);
// What to do after the latest test, and what became of a refused pair (user_texts.hpp: one rule).
struct KeyAdvice {
  std::string advice;    // empty when there is nothing to advise
  bool key_kept = true;  // false once a refusal erased the pair: Replace keys, not Re-test
  std::string key_note;  // that rule in words when the pair was erased, else empty
};
KeyAdvice advice_of(const AccountView& view);

// The masked form of an API key: the first and last four characters ("vmPU…3e5A"); shorter keys show less.
std::string mask_key(std::string_view api_key);

}  // namespace tb::accounts
