#include "venues/binance_futures/description.hpp"

#include "venues/binance_futures/endpoints.hpp"

#include <charconv>

#include <nlohmann/json.hpp>

namespace tb::venues::binance_futures {
namespace {

// newClientOrderId: up to 36 of [.A-Za-z0-9:/_-].
std::string client_order_id(uint64_t unique) { return "tb-keytest-" + std::to_string(unique); }
std::string robot_order_id(int64_t order_id) { return "tb-r-" + std::to_string(order_id); }

}  // namespace

const VenueDescription& description() {
  static const VenueDescription d{
      .id = kVenueId,
      .display_name = kDisplayName,
      .key = {64, Alphabet::Alnum},
      .secret = {64, Alphabet::Alnum},
      .client_order_id_form = "[.A-Za-z0-9:/_-]{1,36}",
      .make_client_order_id = client_order_id,
      .make_robot_order_id = robot_order_id,
      .guide = {"https://www.binance.com/en/my/settings/api-management",
                {"Sign in to Binance and open Account > API Management.",
                 "Create API > System generated; name it \"tradebridge\" and confirm.",
                 "Edit restrictions: tick \"Enable Reading\" and \"Enable Futures\"; leave \"Enable Withdrawals\" unticked.",
                 "Choose \"Restrict access to trusted IPs only\" and enter this server's IP address.",
                 "Copy the API key and the secret key (shown once) into tradebridge."},
                {"Enable Reading", "Enable Futures"},
                "Binance also removes the trading right of unrestricted keys after a while."},
      .advice = {"In Binance, API Management, edit this key and untick \"Enable Withdrawals\".",
                 "In Binance, API Management, edit this key and tick \"Enable Futures\" (trading)."},
      .futures = true,
      .shorts = true,
      .replay = ReplayGuard::Timestamp,
      .symbol_examples = {"BTCUSDT"},
      .timeframes = {Timeframe::M1, Timeframe::M5, Timeframe::M15, Timeframe::M30, Timeframe::H1, Timeframe::H4, Timeframe::D1,
                     Timeframe::W1},
      .ws_api_url = "wss://ws-fapi.binance.com/ws-fapi/v1",
      .ws_api_path = "/ws-fapi/v1",
      .ws_answer_id = ws_answer_id,
  };
  return d;
}

std::optional<uint64_t> ws_answer_id(std::string_view answer) {
  constexpr std::string_view kHead = "{\"id\":";
  uint64_t id = 0;
  if (answer.starts_with(kHead)) {  // as the venue writes it: read without parsing the whole answer
    auto r = std::from_chars(answer.data() + kHead.size(), answer.data() + answer.size(), id);
    if (r.ec == std::errc{} && r.ptr < answer.data() + answer.size() && *r.ptr == ',') return id;
  }
  auto j = nlohmann::json::parse(answer, nullptr, false);
  if (!j.is_object()) return std::nullopt;
  auto it = j.find("id");
  if (it == j.end() || !it->is_number_unsigned()) return std::nullopt;
  return it->get<uint64_t>();
}

}  // namespace tb::venues::binance_futures
