#include "exsim/engine/exchange.hpp"

namespace tb::exsim {
namespace {

struct StatusName {
  SimOrderStatus status;
  std::string_view name;
};
constexpr StatusName kStatuses[] = {{SimOrderStatus::Open, "open"},
                                    {SimOrderStatus::Filled, "filled"},
                                    {SimOrderStatus::Canceled, "canceled"},
                                    {SimOrderStatus::Rejected, "rejected"},
                                    {SimOrderStatus::Expired, "expired"}};

}  // namespace

std::string_view to_string(SimOrderStatus s) {
  for (auto& n : kStatuses)
    if (n.status == s) return n.name;
  return "unknown";
}

std::optional<SimOrderStatus> parse_sim_order_status(std::string_view s) {
  for (auto& n : kStatuses)
    if (n.name == s) return n.status;
  return std::nullopt;
}

}  // namespace tb::exsim
