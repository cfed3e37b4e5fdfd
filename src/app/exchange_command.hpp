#pragma once
// `tradebridge exchange VENUE ACTION ...`: one venue call from the command line, or with --dry-run the
// exact signed request, printed as JSON.
#include <iosfwd>
#include <optional>
#include <string>

#include "venues/description.hpp"
#include "venues/venue.hpp"

namespace tb::app {

struct ExchangeOptions {
  std::string venue;
  std::string action;
  std::string key;
  std::string secret;  // wiped after use
  std::optional<std::string> base_url;
  std::optional<std::string> proxy;
  venues::ActionParams params;
  bool dry_run = false;
  std::optional<uint64_t> nonce;
  std::optional<int64_t> timestamp_ms;
  int timeout_ms = 15'000;
};

// Prints the result (JSON) to out, or {"error":{...}} to err. Returns the process exit code:
// 0 success, 1 the venue refused or could not be reached, 2 bad command-line input.
int run_exchange(ExchangeOptions options, std::ostream& out, std::ostream& err);

// The command's help, built from the venues' descriptions: the parameters with each venue's own forms,
// the actions, the venues and examples.
std::string exchange_help();
// "a | b | c": the venues, for the VENUE argument.
std::string venue_choices();
// The venues whose signed requests carry this replay guard: "a, b" (for --nonce and --timestamp).
std::string venues_using(venues::ReplayGuard guard);

}  // namespace tb::app
