#pragma once
// Events as they cross between processes: small JSON payloads (PostgreSQL's NOTIFY takes under 8,000 bytes).
// An account's change carries its ids only; the receiver reads the account as it is now. A key test's step
// and a notice carry their few words, which no row holds (a running step is never stored). Nothing here
// ever carries a secret: the events do not have one.
#include <functional>
#include <optional>
#include <string>
#include <variant>

#include "accounts/events.hpp"

namespace tb::cluster {

// A session signed out on another process: its cached copies go, its event streams end.
struct SessionEnded {
  std::string token_hash;
};
// A new signal on another process: the desk here looks now, not at its next pass.
struct Wake {};

using Crossing = std::variant<accounts::AccountEvent, SessionEnded, Wake>;

inline constexpr size_t kMaxPayload = 7'900;

// Empty when the event is too large to cross (a notice of unusual size). `seq` numbers the sender's own
// events, so the sender knows its own when the database hands them back (0: none).
std::optional<std::string> encode(const Crossing& c, int64_t seq = 0);
std::optional<int64_t> sequence_of(const std::string& payload);

// The account's view as it is now; an Error (deleted meanwhile) drops the event.
using ViewOf = std::function<Result<accounts::AccountView>(int64_t user_id, int64_t account_id)>;
// Empty when the payload is not one of ours or its account is gone.
std::optional<Crossing> decode(const std::string& payload, const ViewOf& view_of);

}  // namespace tb::cluster
