// The open orders on an account's venue, marked ours or foreign, and the words every channel shows them in.
#include "accounts/open_orders.hpp"

#include "accounts/account_service.hpp"

namespace tb::accounts {

std::vector<AccountOrder> mark_ours(const std::vector<Order>& open, const std::vector<store::OrderRecord>& ledger) {
  std::vector<AccountOrder> out;
  out.reserve(open.size());
  for (const auto& o : open) {
    AccountOrder a{o, false, std::nullopt};
    for (const auto& r : ledger) {
      const bool same =
          (!o.client_order_id.empty() && r.client_order_id == o.client_order_id) || (!o.id.empty() && r.venue_order_id == o.id);
      if (!same) continue;
      a.ours = true;
      a.user_robot_id = r.user_robot_id;
      break;
    }
    out.push_back(std::move(a));
  }
  return out;
}

std::string order_type_words(const Order& o) {
  switch (o.type) {
    case OrderType::Limit: return "Limit";
    case OrderType::Market: return "Market";
    case OrderType::StopMarket: return "Stop market";
    case OrderType::StopLimit: return "Stop limit";
    case OrderType::TakeProfitMarket: return "Take profit market";
    case OrderType::TakeProfitLimit: return "Take profit limit";
    case OrderType::TrailingStop: return "Trailing stop";
    case OrderType::TrailingStopLimit: return "Trailing stop limit";
    case OrderType::Liquidation: return "Liquidation";
    case OrderType::Adl: return "Auto-deleveraging";
    case OrderType::Other: break;
  }
  return o.venue_type.empty() ? "Other" : "Other (" + o.venue_type + ")";
}

std::string order_terms(const Order& o) {
  std::string s = order_type_words(o);
  if (o.trigger_price) s += " · trigger " + o.trigger_price->normalized().to_plain_string();
  if (o.price) s += " · limit " + o.price->normalized().to_plain_string();
  return s;
}

// The ledger is read after the venue's answer: an order of ours is written down before it is sent, so every
// one the venue lists is in it by then.
net::Task<Result<std::vector<AccountOrder>>> AccountService::open_orders(int64_t user_id, int64_t account_id) {
  auto a = owned(user_id, account_id);
  if (!a) co_return a.error();
  if (a->status != store::AccountStatus::Enabled)
    co_return Error::about(ErrorKind::Conflict, "account_id",
                           "account \"" + a->name + "\" is " + std::string(store::to_string(a->status)) +
                               ": its orders are read with a working key (test its keys first)");
  auto venue = venues_.find(a->venue);
  if (venue == venues_.end()) co_return Error::make(ErrorKind::Conflict, "this exchange is not configured on this server");
  auto signer = signer_for(*a);
  if (!signer) co_return signer.error();
  auto open = co_await venue->second->open_orders(**signer, std::nullopt);
  if (!open) co_return open.error();
  auto ledger = store_.unsettled_orders(account_id);
  if (!ledger) co_return ledger.error();
  co_return mark_ours(*open, *ledger);
}

}  // namespace tb::accounts
