#include "robots/strategy.hpp"

#include <exception>
#include <nlohmann/json.hpp>

namespace tb::robots {

std::string save_state(const Strategy& s) { return s.state().dump(); }

Status restore_state(Strategy& s, std::string_view text) {
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded()) return Error::invalid("state", "is not JSON");
  try {
    s.restore(j);
  } catch (const std::exception& e) {  // nlohmann's, or a strategy's own check of its state
    return Error::invalid("state", std::string("does not fit strategy ") + std::string(s.id()) + ": " + e.what());
  }
  return ok_status();
}

Decimal alert_price(double level, const MarketTraits& market, bool buy) {
  static const Decimal kFine = *Decimal::parse("0.00000001");
  Decimal step = market.tick.is_positive() ? market.tick : kFine;
  auto d = Decimal::from_double(level);
  if (!d) return step;
  Decimal p = d->round_to_step(step, buy ? Rounding::Ceiling : Rounding::Floor);
  return p.is_positive() ? p : step;
}

}  // namespace tb::robots
