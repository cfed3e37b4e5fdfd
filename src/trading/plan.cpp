#include "trading/plan.hpp"

namespace tb::trading {

using store::SignalAction;

std::string_view to_string(Leg::Kind k) { return k == Leg::Entry ? "entry" : "exit"; }

Leg exit_of(const Holding& held, bool futures) { return Leg{Leg::Exit, held.is_long ? Side::Sell : Side::Buy, futures, held.amount}; }

std::vector<Leg> plan_signal(SignalAction action, const std::optional<Holding>& held, bool shorts, bool futures) {
  const bool holds = held && held->amount.is_positive();
  const bool is_long = holds && held->is_long, is_short = holds && !held->is_long;
  std::vector<Leg> legs;
  switch (action) {
    case SignalAction::Long:
      if (is_long) break;
      if (is_short) legs.push_back(exit_of(*held, futures));
      legs.push_back(Leg{Leg::Entry, Side::Buy, false, {}});
      break;
    case SignalAction::Short:
      if (is_short) break;
      if (is_long) legs.push_back(exit_of(*held, futures));
      if (shorts) legs.push_back(Leg{Leg::Entry, Side::Sell, false, {}});
      break;
    case SignalAction::CloseLong:
      if (is_long) legs.push_back(exit_of(*held, futures));
      break;
    case SignalAction::CloseShort:
      if (is_short) legs.push_back(exit_of(*held, futures));
      break;
    case SignalAction::Close:
      if (holds) legs.push_back(exit_of(*held, futures));
      break;
  }
  return legs;
}

}  // namespace tb::trading
