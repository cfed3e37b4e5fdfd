#pragma once
// Settling an order whose outcome we do not know, by the venue's answers only: a failed call settles
// nothing. Pure over the Venue: the caller writes the record back.
#include <utility>

#include <chrono>

#include "core/core.hpp"
#include "crypto/signer.hpp"
#include "net/transport.hpp"
#include "store/store.hpp"
#include "venues/venue.hpp"

namespace tb::orders {

struct SettlePolicy {
  bool cancel_open = true;  // the key test's orders: whatever is still open is cancelled
  // "No such order" must come this often, the last time at least absent_after after the order was written
  // down, before it counts as never placed: an order still in transit may yet land.
  int absent_answers = 2;
  std::chrono::milliseconds absent_after{60'000};
  int cancel_attempts = 2;
  std::chrono::milliseconds cancel_backoff{500};
};

// Asks the venue about `order` (by its id when known, else by our client order id, among open and closed
// orders), cancels it if it is open and the policy says so, and returns the record as it now stands:
// state, venue id, a note in plain words, settled_ms once the venue's answers settle it.
net::Task<store::OrderRecord> settle(venues::Venue& venue, const crypto::Signer& signer, net::Sleeper& sleeper, const Clock& clock,
                                     store::OrderRecord order, SettlePolicy policy);

// Cancels with backoff between tries (doubled each time) and reads the order back; true only when the
// venue reports it cancelled. An order the venue no longer knows counts as not confirmed. A cancel the
// venue took but has not carried out (Canceling) is not sent again while a read still shows it pending.
net::Task<bool> cancel_and_confirm(venues::Venue& venue, const crypto::Signer& signer, net::Sleeper& sleeper, const OrderRef& ref,
                                   int attempts, std::chrono::milliseconds backoff);

}  // namespace tb::orders
