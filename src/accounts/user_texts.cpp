#include "accounts/user_texts.hpp"

#include "venues/registry.hpp"

namespace tb::accounts {

const std::vector<StepLabel>& key_test_steps() {
  static const std::vector<StepLabel> steps = {
      {StepName::Permissions, "Permissions (trading on, withdrawals off)"},
      {StepName::Balances, "Balances"},
      {StepName::TestOrder, "Test order (created far below the market)"},
      {StepName::Cancel, "Test order cancelled"},
  };
  return steps;
}

bool keeps_key(InvalidReason reason) {
  switch (reason) {
    case InvalidReason::InvalidKey:
    case InvalidReason::WrongSecret:
    case InvalidReason::IpNotWhitelisted:
    case InvalidReason::NoTradingPermission:
    case InvalidReason::WithdrawalPermission: return false;
    default: return true;
  }
}

namespace {

constexpr std::string_view kSendAgain = " Then send the key pair with Replace keys.";

// The venue's own words for switching a right, or neutral ones for a venue without a description.
std::string venue_words(std::string_view venue_id, bool withdrawals) {
  const venues::VenueDescription* v = venues::find_venue(venue_id);
  if (withdrawals) return v ? std::string(v->advice.withdrawals_on) : "Turn off the withdrawal right of this key at the exchange.";
  return v ? std::string(v->advice.trading_off) : "Turn on the trading right of this key at the exchange.";
}

}  // namespace

std::string advice_for(InvalidReason reason, std::string_view venue_id) {
  switch (reason) {
    case InvalidReason::InvalidKey:
      return "Check that you copied the whole API key and its secret from the same key, and that the key still exists at the "
             "exchange; then send them again with Replace keys.";
    case InvalidReason::WrongSecret:
      return "Copy the API secret again (the exchange shows it only once; if it is lost, create a new key) and send it with "
             "Replace keys.";
    case InvalidReason::IpNotWhitelisted:
      return "Add this server's IP address to the key's whitelist at the exchange, then send the key again with Replace keys.";
    case InvalidReason::NoTradingPermission: return venue_words(venue_id, false) + std::string(kSendAgain);
    case InvalidReason::WithdrawalPermission: return venue_words(venue_id, true) + std::string(kSendAgain);
    case InvalidReason::InsufficientFunds: return "Add funds to the exchange account, then press Re-test.";
    case InvalidReason::ExchangeUnavailable:
      return "Nothing: the exchange had trouble, and we test the key again by ourselves. Press Re-test to try now.";
    case InvalidReason::None:
    case InvalidReason::Other: break;
  }
  return "";
}

}  // namespace tb::accounts
