#pragma once
// What a user reads about a key test, in one place for every channel: the steps' labels, the advice after
// each outcome, and the rule for a refused key. The API sends these (account views, GET /api/v1/exchanges)
// and the web app and the bot render them; neither keeps words of its own for them.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "accounts/key_test.hpp"

namespace tb::accounts {

struct StepLabel {
  StepName name;
  std::string_view label;  // "Permissions (trading on, withdrawals off)"
};
// The key test's steps, in the order they run.
const std::vector<StepLabel>& key_test_steps();

using store::parse_invalid_reason;  // "invalid_key", ... (the store keeps the reasons typed)

// The rule for a refused key, the same everywhere: the account stays in the list, marked invalid with the
// reason and the advice; a key pair the venue refused (it is unknown, its secret wrong, its IP list or its
// rights wrong) is erased, so only a new pair (Replace keys) can follow, never a re-test. Other outcomes
// (not enough funds, the exchange's trouble) keep the pair.
bool keeps_key(InvalidReason reason);
inline constexpr std::string_view kRefusedKeyErased =
    "The refused key pair was erased; the account stays in your list, marked invalid, until you send a new key pair "
    "with Replace keys or delete it.";

// What to do after a test that ended for this reason on this venue: one advice per reason, in the venue's
// own words where its description gives them. Empty when there is nothing to advise.
std::string advice_for(InvalidReason reason, std::string_view venue_id);

}  // namespace tb::accounts
