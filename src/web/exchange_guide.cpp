#include "web/exchange_guide.hpp"

#include <string_view>

#include "venues/registry.hpp"

namespace tb::web {

namespace {

nlohmann::json field(std::string_view name, std::string_view label, const venues::FieldFormat& f, bool secret) {
  const std::string_view alphabet = venues::to_string(f.alphabet);
  return {{"name", name},
          {"label", label},
          {"length", f.length},
          {"alphabet", alphabet},
          {"secret", secret},
          {"format", std::to_string(f.length) + " " + std::string(alphabet)}};
}

nlohmann::json ip_whitelist(const venues::VenueDescription& v, const std::optional<std::string>& egress_ip) {
  std::string advice = "Restrict the key to this server's IP address";
  advice += egress_ip ? " (" + *egress_ip + ")" : "";
  advice += ": a key stolen from a database is useless anywhere else.";
  if (!v.guide.ip_note.empty()) advice += " " + std::string(v.guide.ip_note);
  return {{"advice", advice}, {"server_ip", egress_ip ? nlohmann::json(*egress_ip) : nlohmann::json(nullptr)}};
}

}  // namespace

nlohmann::json exchange_guide(const std::optional<std::string>& egress_ip) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& v : venues::supported_venues()) {
    nlohmann::json j = {{"id", v.id}, {"name", v.display_name}};
    j["fields"] = {field("key", "API key", v.key, false), field("secret", "API secret", v.secret, true)};
    j["key_page"] = v.guide.key_page;
    j["steps"] = v.guide.steps;
    j["permissions"] = {{"required", v.guide.permissions}, {"trading", true}, {"futures", v.futures}, {"withdrawals", false}};
    j["withdrawals_off"] = v.advice.withdrawals_on;
    j["trading_on"] = v.advice.trading_off;
    j["ip_whitelist"] = ip_whitelist(v, egress_ip);
    out.push_back(std::move(j));
  }
  return {{"exchanges", out}};
}

}  // namespace tb::web
