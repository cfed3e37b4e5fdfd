#include "accounts/test_order.hpp"

namespace tb::accounts {
namespace {

// Down to `digits` significant digits (venues that round prices so).
Decimal round_significant_down(const Decimal& v, int digits) {
  Decimal n = v.normalized();
  std::string text = n.abs().to_plain_string();
  auto dot = text.find('.');
  std::string int_part = text.substr(0, dot);
  int int_digits = int_part == "0" ? 0 : static_cast<int>(int_part.size());
  int scale;
  if (int_digits > 0) {
    scale = digits - int_digits;  // may be negative: round to tens, hundreds...
  } else {
    // 0.000ddd: leading zeros after the dot do not count.
    std::string frac = dot == std::string::npos ? "" : text.substr(dot + 1);
    int zeros = static_cast<int>(frac.find_first_not_of('0'));
    scale = zeros + digits;
  }
  if (scale >= 0) return n.rescale(std::min(scale, Decimal::kMaxScale), Rounding::Down);
  Decimal step = Decimal::from_int(1);
  for (int i = 0; i < -scale; ++i) step = step * Decimal::from_int(10);
  return n.round_to_step(step, Rounding::Down);
}

}  // namespace

Decimal test_order_price(const Market& m, const Decimal& last) {
  Decimal target = last * *Decimal::parse("0.7");
  if (m.price_significant_digits > 0) return round_significant_down(target, m.price_significant_digits);
  if (m.tick_size.is_positive()) return target.round_to_step(m.tick_size, Rounding::Down);
  return target;
}

Decimal test_order_amount(const Market& m, const Decimal& price) {
  Decimal qty = m.min_qty;
  if (m.min_notional.is_positive() && price.is_positive()) {
    int scale = m.step_size.is_positive() ? std::max<int>(m.step_size.normalized().scale(), 0) : 8;
    Decimal for_notional = m.min_notional.divide(price, scale, Rounding::Up);
    if (for_notional > qty) qty = for_notional;
  }
  if (m.step_size.is_positive()) {
    qty = qty.round_to_step(m.step_size, Rounding::Up);
    if (qty.is_zero()) qty = m.step_size;
    // Rounding the quotient may still leave the notional a hair short: one more step settles it.
    while (m.min_notional.is_positive() && price * qty < m.min_notional) qty += m.step_size;
  }
  return qty;
}

Result<OrderRequest> plan_test_order(const Market& m, const Decimal& last, std::string client_order_id) {
  if (!last.is_positive()) return Error::make(ErrorKind::BadResponse, "the exchange gave no usable last price for " + m.id);
  Decimal price = test_order_price(m, last);
  if (!price.is_positive()) return Error::make(ErrorKind::BadResponse, "the test price for " + m.id + " rounds to zero");
  OrderRequest r;
  r.symbol = m.id;
  r.side = Side::Buy;
  r.type = OrderType::Limit;
  r.price = price;
  r.amount = test_order_amount(m, price);
  r.post_only = true;
  r.client_order_id = std::move(client_order_id);
  return r;
}

const Market* pick_test_market(const std::vector<Market>& markets) {
  for (const auto& m : markets)
    if (m.active && m.base == "BTC" && (m.quote == "USDT" || m.quote == "USD")) return &m;
  for (const auto& m : markets)
    if (m.active && m.base == "BTC") return &m;
  return nullptr;
}

}  // namespace tb::accounts
