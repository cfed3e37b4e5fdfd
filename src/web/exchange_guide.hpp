#pragma once
// GET /api/v1/exchanges: the venues a user can connect, the fields each needs, the key formats, and how
// to create a key with the right permissions there (trading on, futures on where the venue trades futures,
// withdrawals off, an IP whitelist with this server's address), all from the venues' descriptions.
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace tb::web {

nlohmann::json exchange_guide(const std::optional<std::string>& egress_ip);

}  // namespace tb::web
