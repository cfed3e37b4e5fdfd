#include "web/exchange_guide.hpp"

#include <string_view>
#include <vector>

#include "accounts/key_input.hpp"
#include "venues/registry.hpp"

namespace tb::web {

namespace {

struct Guide {
  std::string_view venue;
  std::string_view key_page;  // where keys are made
  std::vector<std::string_view> steps;
  std::vector<std::string_view> permissions_on;
};

const std::vector<Guide>& guides() {
  static const std::vector<Guide> g = {
      {"binance_futures",
       "https://www.binance.com/en/my/settings/api-management",
       {"Sign in to Binance and open Account > API Management.",
        "Create API > System generated; name it \"tradebridge\" and confirm.",
        "Edit restrictions: tick \"Enable Reading\" and \"Enable Futures\"; leave \"Enable Withdrawals\" unticked.",
        "Choose \"Restrict access to trusted IPs only\" and enter this server's IP address.",
        "Copy the API key and the secret key (shown once) into tradebridge."},
       {"Enable Reading", "Enable Futures"}},
      {"kraken",
       "https://www.kraken.com/u/security/api",
       {"Sign in to Kraken and open Settings > API.",
        "Create API key; name it \"tradebridge\".",
        "Tick Query Funds, Query Open Orders & Trades, Query Closed Orders & Trades, Create & Modify Orders, "
        "Cancel & Close Orders; leave Withdraw Funds and Deposit Funds unticked.",
        "Under IP whitelisting enter this server's IP address.",
        "Generate the key and copy the API key and the private key into tradebridge."},
       {"Query Funds", "Query Open Orders & Trades", "Query Closed Orders & Trades", "Create & Modify Orders",
        "Cancel & Close Orders"}},
      {"bitfinex",
       "https://setting.bitfinex.com/api",
       {"Sign in to Bitfinex and open Account > API Keys.",
        "Create New Key; give it the Account History, Orders, Margin Trading and Wallets read permissions and "
        "the Orders write permission; leave Withdraw off (a key's permissions cannot be edited later).",
        "Enter this server's IP address under IP access.",
        "Confirm by email, then copy the API key and the API key secret into tradebridge."},
       {"Orders (write)", "Wallets (read)", "Account History (read)"}},
  };
  return g;
}

nlohmann::json field(std::string_view name, std::string_view label, const accounts::FieldFormat& f, bool secret) {
  return {{"name", name},
          {"label", label},
          {"length", f.length},
          {"alphabet", f.alphabet},
          {"secret", secret},
          {"format", std::to_string(f.length) + " " + std::string(f.alphabet)}};
}

}  // namespace

nlohmann::json exchange_guide(const std::optional<std::string>& egress_ip) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& v : venues::supported_venues()) {
    auto format = accounts::key_format(v.id);
    const auto& facts = accounts::key_facts(v.id);
    nlohmann::json j = {{"id", v.id}, {"name", v.display_name}};
    j["fields"] = nlohmann::json::array();
    if (format) {
      j["fields"].push_back(field("key", "API key", format->key, false));
      j["fields"].push_back(field("secret", "API secret", format->secret, true));
    }
    for (const auto& g : guides()) {
      if (g.venue != v.id) continue;
      j["key_page"] = g.key_page;
      j["steps"] = g.steps;
      j["permissions"] = {{"required", g.permissions_on},
                          {"trading", true},
                          {"futures", v.id == "binance_futures"},
                          {"withdrawals", false}};
    }
    j["withdrawals_off"] = facts.withdraw_off_hint;
    j["trading_on"] = facts.trade_on_hint;
    std::string ip_advice = "Restrict the key to this server's IP address";
    ip_advice += egress_ip ? " (" + *egress_ip + ")" : "";
    ip_advice += ": a key stolen from a database is useless anywhere else.";
    if (v.id == "binance_futures") ip_advice += " Binance also removes the trading right of unrestricted keys after a while.";
    j["ip_whitelist"] = {{"advice", ip_advice}, {"server_ip", egress_ip ? nlohmann::json(*egress_ip) : nlohmann::json(nullptr)}};
    out.push_back(std::move(j));
  }
  return {{"exchanges", out}};
}

}  // namespace tb::web
