#pragma once
// How to make a key for a venue, as every channel shows it: the venue's how-to and permissions from its
// description, the page where keys are made (the simulator's page when the venue points at the simulator),
// and the IP-whitelist advice with this server's address. GET /api/v1/exchanges sends it; the bot renders it.
#include <functional>
#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "venues/description.hpp"

namespace tb::accounts {

struct GuideOptions {
  std::optional<std::string> egress_ip;  // this server's address, for the keys' IP whitelist
  // Where a venue's keys are made instead of its own page: the simulator's page when the venue points at it.
  std::map<std::string, std::string, std::less<>> key_pages;
};

struct KeyGuide {
  const venues::VenueDescription* venue = nullptr;
  std::string key_page;
  std::string ip_advice;
};

KeyGuide key_guide(const venues::VenueDescription& venue, const GuideOptions& options);
// The body of GET /api/v1/exchanges: {exchanges:[...], key_test_steps:[{name,label}]}.
nlohmann::json exchanges_json(const GuideOptions& options);
// [{name, label}] of the key test's steps, as the API sends them.
nlohmann::json key_test_steps_json();

}  // namespace tb::accounts
