#pragma once
// What one signal asks of one user robot, given the position it holds: the orders ("legs") to send, in
// order. An exit closes exactly what filled; a reversal exits first, then enters; a venue without shorts
// (spot) never opens one: a short signal there only exits a long.
#include <optional>
#include <string>
#include <vector>

#include "core/core.hpp"
#include "store/robot_store.hpp"

namespace tb::trading {

struct Holding {
  bool is_long = true;
  Decimal amount;  // what filled and is not exited yet
};

struct Leg {
  enum Kind { Entry, Exit } kind = Entry;
  Side side = Side::Buy;
  bool reduce_only = false;  // exits on a futures venue
  Decimal amount;            // exits: what is held; entries: sized later from the volume
};

std::string_view to_string(Leg::Kind k);  // "entry", "exit"

std::vector<Leg> plan_signal(store::SignalAction action, const std::optional<Holding>& held, bool shorts, bool futures);

// The leg that closes a holding (a stop with "close", a reversal's first half).
Leg exit_of(const Holding& held, bool futures);

}  // namespace tb::trading
