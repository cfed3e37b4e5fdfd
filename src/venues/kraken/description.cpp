#include "venues/kraken/description.hpp"

#include "venues/kraken/endpoints.hpp"

namespace tb::venues::kraken {
namespace {

// cl_ord_id: a UUID or free text of at most 18 characters.
std::string client_order_id(uint64_t unique) { return "tbk" + std::to_string(unique % 1'000'000'000'000'000ULL); }
std::string robot_order_id(int64_t order_id) { return "tbr" + std::to_string(order_id); }

}  // namespace

const VenueDescription& description() {
  static const VenueDescription d{
      .id = kVenueId,
      .display_name = kDisplayName,
      .key = {56, Alphabet::Base64},
      .secret = {88, Alphabet::Base64, 64},
      .client_order_id_form = "a UUID or at most 18 characters",
      .make_client_order_id = client_order_id,
      .make_robot_order_id = robot_order_id,
      .guide = {"https://www.kraken.com/u/security/api",
                {"Sign in to Kraken and open Settings > API.", "Create API key; name it \"tradebridge\".",
                 "Tick Query Funds, Query Open Orders & Trades, Query Closed Orders & Trades, Create & Modify Orders, "
                 "Cancel & Close Orders; leave Withdraw Funds and Deposit Funds unticked.",
                 "Under IP whitelisting enter this server's IP address.",
                 "Generate the key and copy the API key and the private key into tradebridge."},
                {"Query Funds", "Query Open Orders & Trades", "Query Closed Orders & Trades", "Create & Modify Orders",
                 "Cancel & Close Orders"},
                ""},
      .advice = {"In Kraken, Settings > API, edit this key and remove the \"Withdraw Funds\" permission.",
                 "In Kraken, Settings > API, edit this key and add \"Create & Modify Orders\" and \"Cancel & Close Orders\"."},
      .futures = false,
      .shorts = false,
      .replay = ReplayGuard::Nonce,
      .symbol_examples = {"XBTUSD", "XXBTZUSD"},
      .timeframes = {Timeframe::M1, Timeframe::M5, Timeframe::M15, Timeframe::M30, Timeframe::H1, Timeframe::H4, Timeframe::D1,
                     Timeframe::W1},
  };
  return d;
}

}  // namespace tb::venues::kraken
