#include "accounts/account_view.hpp"

#include <ctime>

#include "accounts/user_texts.hpp"
#include "venues/registry.hpp"

namespace tb::accounts {

std::string iso_time(int64_t ms) {
  std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  char out[40];
  std::snprintf(out, sizeof out, "%s.%03dZ", buf, static_cast<int>(ms % 1000));
  return out;
}

std::string mask_key(std::string_view key) {
  // Short keys would be mostly revealed by four and four: show less of them.
  size_t show = key.size() >= 16 ? 4 : key.size() / 4;
  return std::string(key.substr(0, show)) + "\u2026" + std::string(key.substr(key.size() - show));
}

std::string_view venue_display_name(std::string_view venue) { return venues::display_name_of(venue); }

// The ledger's orders in doubt first: they stay until the venue's answers settle them, whatever the
// latest test said.
std::vector<std::string> warnings_of(const AccountView& v) {
  std::vector<std::string> out;
  for (const auto& o : v.unsettled_orders)
    out.push_back("A test order may still be open on " + std::string(venue_display_name(o.venue)) + " (" + o.symbol + ", client order id " +
                  o.client_order_id + (o.venue_order_id.empty() ? "" : ", order " + o.venue_order_id) +
                  "); we keep trying to cancel it. If you can, cancel it by hand on the exchange.");
  if (v.last_test)
    for (const auto& w : v.last_test->warnings) out.push_back(w);
  return out;
}

const store::OrderRecord* order_to_cancel_by_hand(const AccountView& v) {
  return v.unsettled_orders.empty() ? nullptr : &v.unsettled_orders.front();
}

InvalidReason refusal_of(const AccountView& v) { return v.last_test ? v.last_test->reason : InvalidReason::None; }

KeyAdvice advice_of(const AccountView& v) {
  const store::Account& a = v.account;
  const InvalidReason reason = refusal_of(v);
  const bool judged = a.status == store::AccountStatus::Invalid || a.status == store::AccountStatus::Unverified;
  KeyAdvice out;
  if (judged && reason != InvalidReason::None) out.advice = advice_for(reason, a.venue);
  out.key_kept = !(a.status == store::AccountStatus::Invalid && reason != InvalidReason::None && !keeps_key(reason));
  if (!out.key_kept) out.key_note = std::string(kRefusedKeyErased);
  return out;
}

}  // namespace tb::accounts
