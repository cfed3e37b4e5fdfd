#include "venues/bitfinex/description.hpp"

#include "venues/bitfinex/endpoints.hpp"

namespace tb::venues::bitfinex {
namespace {

// cid: a whole number from 1 to 2^45 - 1. Key tests take 1 to 2^44, robots' orders the numbers above.
constexpr uint64_t kRobotIds = 1ULL << 44;
std::string client_order_id(uint64_t unique) { return std::to_string(unique % kRobotIds + 1); }
std::string robot_order_id(int64_t order_id) { return std::to_string(kRobotIds + 1 + static_cast<uint64_t>(order_id)); }

}  // namespace

// A Bitfinex key's permissions cannot be edited: every advice about them is to create a new key.
const VenueDescription& description() {
  static const VenueDescription d{
      .id = kVenueId,
      .display_name = kDisplayName,
      .key = {43, Alphabet::Alnum},
      .secret = {43, Alphabet::Alnum},
      .client_order_id_form = "an integer below 2^45",
      .make_client_order_id = client_order_id,
      .make_robot_order_id = robot_order_id,
      .guide = {"https://setting.bitfinex.com/api",
                {"Sign in to Bitfinex and open Account > API Keys.",
                 "Create New Key; give it the Account History, Orders, Margin Trading and Wallets read permissions and "
                 "the Orders write permission; leave Withdraw off (a key's permissions cannot be edited later).",
                 "Enter this server's IP address under IP access.",
                 "Confirm by email, then copy the API key and the API key secret into tradebridge."},
                {"Orders (write)", "Wallets (read)", "Account History (read)"},
                ""},
      .advice = {"In Bitfinex, Account > API Keys, create a new key without the \"Withdraw\" permission (a key's permissions "
                 "cannot be edited).",
                 "In Bitfinex, Account > API Keys, create a new key with the \"Orders\" write permission (a key's permissions "
                 "cannot be edited)."},
      .futures = false,
      .shorts = false,  // EXCHANGE (spot) orders only
      .replay = ReplayGuard::Nonce,
      .symbol_examples = {"tBTCUSD"},
      .timeframes = {Timeframe::M1, Timeframe::M5, Timeframe::M15, Timeframe::M30, Timeframe::H1, Timeframe::D1, Timeframe::W1},  // no 4h
  };
  return d;
}

}  // namespace tb::venues::bitfinex
