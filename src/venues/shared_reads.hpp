#pragma once
// A Venue whose public reads are shared by every caller: markets() and ticker(symbol) answered from a
// short-lived copy, and callers that ask while a call is under way wait for that call instead of sending
// their own. Everything else (every signed call) passes through.
//
// Why: a server testing many keys at once asks each venue the same questions (its markets, the BTC price)
// once per key, and venues limit public calls per IP (about one a second, 90 a minute per
// endpoint, or by request weight): a thousand key tests would otherwise queue behind the client-side
// rate limiter for minutes. Failures are handed to the callers that waited for that call, never kept.
//
// Threads: callers that wait are woken through a timer on their own executor; run every caller on one
// thread or strand (serve runs everything on its io thread).
#include <chrono>
#include <memory>

#include "venues/venue.hpp"

namespace tb::venues {

struct SharedReadOptions {
  std::chrono::milliseconds markets_ttl = std::chrono::minutes(5);  // market rules change rarely
  std::chrono::milliseconds ticker_ttl = std::chrono::seconds(1);   // prices: a second old at most
};

std::unique_ptr<Venue> share_public_reads(std::unique_ptr<Venue> venue, const Clock& clock, SharedReadOptions options = {});

}  // namespace tb::venues
