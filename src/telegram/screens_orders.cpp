// 📋 Open Orders of an exchange account: what is open on the exchange, each order with its real type,
// trigger and limit in the words the web app shows (accounts::order_terms), and whose it is.
#include "telegram/screen_parts.hpp"
#include "telegram/screens.hpp"

namespace tb::telegram {

using nlohmann::json;
using namespace screen_parts;

namespace {

constexpr size_t kMaxListed = 20;  // a chat message stays short; the web app lists every one

std::string order_line(const accounts::AccountOrder& a) {
  const Order& o = a.order;
  std::string line = "• " + html_escape(std::string(to_string(o.side))) + " " + html_escape(o.amount.normalized().to_plain_string()) + " " +
                     html_escape(o.symbol) + " — " + html_escape(accounts::order_terms(o));
  if (o.reduce_only) line += ", reduce only";
  if (!o.filled.is_zero()) line += ", filled " + html_escape(o.filled.normalized().to_plain_string());
  if (!a.ours) return line + "\n  ⚠️ placed outside tradebridge";
  if (a.user_robot_id) return line + "\n  🤖 user robot " + std::to_string(*a.user_robot_id);
  return line + "\n  placed by tradebridge";
}

}  // namespace

Screen account_orders(const accounts::AccountView& view, const std::vector<accounts::AccountOrder>& orders, std::string_view trouble) {
  Screen s;
  s.text = "<b>" + str(label::kOpenOrders) + "</b> · " + html_escape(view.account.name) + " · " +
           html_escape(venue_name(view.account.venue)) + "\n\n";
  if (!trouble.empty()) s.text += "❌ " + html_escape(trouble);
  else if (orders.empty()) s.text += "No open orders on the exchange.";
  for (size_t i = 0; i < orders.size() && i < kMaxListed; ++i) s.text += order_line(orders[i]) + "\n";
  if (orders.size() > kMaxListed) s.text += "… and " + std::to_string(orders.size() - kMaxListed) + " more (the web app lists them all)";
  const int64_t id = view.account.id;
  s.markup = inline_keyboard({{button(label::kOpenOrders, data::account_orders(id))},
                              {button(label::kBack, data::account(id)), button(label::kMainMenu, data::kMain)}});
  return s;
}

}  // namespace tb::telegram
