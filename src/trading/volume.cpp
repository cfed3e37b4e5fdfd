#include "trading/volume.hpp"

namespace tb::trading {

namespace {

constexpr int kDivisionScale = 18;

Error volume_error(std::string message) {
  Error e = Error::make(ErrorKind::InvalidArgument, "volume: " + message);
  e.field = "volume";
  return e;
}

}  // namespace

Status check_volume(store::VolumeType type, const Decimal& value) {
  if (!value.is_positive()) return volume_error("must be more than 0");
  if (type == store::VolumeType::BalancePercent && (value < Decimal::from_int(1) || value > Decimal::from_int(100)))
    return volume_error("a share of the balance is 1 to 100 (%); got " + value.to_plain_string());
  return ok_status();
}

std::string minimum_of(const Market& m, const Decimal& price) {
  Decimal least = m.min_qty;
  if (m.min_notional.is_positive() && price.is_positive()) {
    Decimal by_value = m.min_notional.divide(price, kDivisionScale, Rounding::Up);
    if (m.step_size.is_positive()) by_value = by_value.round_to_step(m.step_size, Rounding::Up);
    if (by_value > least) least = by_value;
  }
  return least.to_plain_string() + " " + m.base + " (" + (least * price).normalized().to_plain_string() + " " + m.quote + " at " +
         price.to_plain_string() + ")";
}

Result<Decimal> entry_amount(store::VolumeType type, const Decimal& value, const Market& m, const Decimal& price,
                             const Decimal& free_quote) {
  if (auto st = check_volume(type, value); !st) return st.error();
  if (!price.is_positive()) return Error::make(ErrorKind::InvalidArgument, "price: no price to size the order by");
  Decimal amount;
  switch (type) {
    case store::VolumeType::AssetFixed: amount = value; break;
    case store::VolumeType::QuoteFixed: amount = value.divide(price, kDivisionScale, Rounding::Down); break;
    case store::VolumeType::BalancePercent:
      amount =
          (free_quote * value).divide(Decimal::from_int(100), kDivisionScale, Rounding::Down).divide(price, kDivisionScale, Rounding::Down);
      break;
  }
  if (m.step_size.is_positive()) amount = amount.round_to_step(m.step_size, Rounding::Down);
  amount = amount.normalized();
  if (!amount.is_positive() || amount < m.min_qty || (amount * price) < m.min_notional)
    return volume_error(amount.to_plain_string() + " " + m.base + " is below the market minimum " + minimum_of(m, price));
  return amount;
}

}  // namespace tb::trading
