#include "accounts/key_guide.hpp"

#include "accounts/user_texts.hpp"
#include "venues/registry.hpp"

namespace tb::accounts {

namespace {

nlohmann::json field(std::string_view name, std::string_view label, const venues::FieldFormat& f, bool secret) {
  const std::string_view alphabet = venues::to_string(f.alphabet);
  return {{"name", name},         {"label", label},   {"length", f.length},
          {"alphabet", alphabet}, {"secret", secret}, {"format", std::to_string(f.length) + " " + std::string(alphabet)}};
}

}  // namespace

KeyGuide key_guide(const venues::VenueDescription& v, const GuideOptions& options) {
  KeyGuide g{&v, std::string(v.guide.key_page), "Restrict the key to this server's IP address"};
  if (auto page = options.key_pages.find(v.id); page != options.key_pages.end()) g.key_page = page->second;
  if (options.egress_ip) g.ip_advice += " (" + *options.egress_ip + ")";
  g.ip_advice += ": a key stolen from a database is useless anywhere else.";
  if (!v.guide.ip_note.empty()) g.ip_advice += " " + std::string(v.guide.ip_note);
  return g;
}

nlohmann::json key_test_steps_json() {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& s : key_test_steps()) out.push_back({{"name", store::to_string(s.name)}, {"label", s.label}});
  return out;
}

nlohmann::json exchanges_json(const GuideOptions& options) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& v : venues::supported_venues()) {
    const KeyGuide g = key_guide(v, options);
    nlohmann::json j = {{"id", v.id}, {"name", v.display_name}};
    j["fields"] = {field("key", "API key", v.key, false), field("secret", "API secret", v.secret, true)};
    j["key_page"] = g.key_page;
    j["steps"] = v.guide.steps;
    j["permissions"] = {{"required", v.guide.permissions}, {"trading", true}, {"futures", v.futures}, {"withdrawals", false}};
    j["withdrawals_off"] = v.advice.withdrawals_on;
    j["trading_on"] = v.advice.trading_off;
    j["ip_whitelist"] = {{"advice", g.ip_advice},
                         {"server_ip", options.egress_ip ? nlohmann::json(*options.egress_ip) : nlohmann::json(nullptr)}};
    out.push_back(std::move(j));
  }
  return {{"exchanges", out}, {"key_test_steps", key_test_steps_json()}};
}

}  // namespace tb::accounts
