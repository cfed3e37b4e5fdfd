#include "venues/venue.hpp"

namespace tb::venues {
namespace {

struct ActionName {
  Action action;
  std::string_view name;
  bool needs_key;
};
constexpr ActionName kActions[] = {
    {Action::ServerTime, "server-time", false},  {Action::Markets, "markets", false},       {Action::Ticker, "ticker", false},
    {Action::Candles, "candles", false},         {Action::Balances, "balances", true},      {Action::CreateOrder, "create-order", true},
    {Action::CancelOrder, "cancel-order", true}, {Action::FetchOrder, "fetch-order", true}, {Action::OpenOrders, "open-orders", true},
    {Action::Permissions, "permissions", true},
};

}  // namespace

std::string_view to_string(Action a) {
  for (auto& n : kActions)
    if (n.action == a) return n.name;
  return "?";
}

std::optional<Action> parse_action(std::string_view s) {
  for (auto& n : kActions)
    if (n.name == s) return n.action;
  return std::nullopt;
}

bool needs_key(Action a) {
  for (auto& n : kActions)
    if (n.action == a) return n.needs_key;
  return false;
}

Task<Result<std::vector<Trade>>> Venue::order_trades(const crypto::Signer&, OrderRef) {
  co_return Error::make(ErrorKind::InvalidArgument, std::string(display_name()) + " lists no fills per order; its orders carry their fee");
}

}  // namespace tb::venues
