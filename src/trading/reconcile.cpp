// Reconciliation: what the venue holds against what our ledger and positions say, per account.
#include <algorithm>
#include <map>

#include "trading/desk_context.hpp"
#include "trading/join.hpp"
#include "trading/position.hpp"

namespace tb::trading {

using store::UserRobotStatus;

net::Task<int64_t> TradingDesk::reconcile_once() {
  Pass under_way(*this);
  const uint64_t read_at = ++stamp_;
  auto active = store_.active_user_robots();
  if (!active) co_return 0;
  std::map<int64_t, std::vector<store::UserRobot>> by_account;
  for (auto& ur : *active)
    if (ur.status != UserRobotStatus::Starting && owns(ur.account_id)) by_account[ur.account_id].push_back(ur);
  // A slice of the accounts each time, in turn: each costs the IP's weight (open orders, positions), and
  // thousands at once would use up what the orders need.
  std::vector<net::Task<int64_t>> checks;
  auto it = by_account.upper_bound(reconciled_up_to_);
  for (size_t n = 0; n < std::min(options_.reconcile_accounts, by_account.size()); ++n, ++it) {
    if (it == by_account.end()) it = by_account.begin();
    checks.push_back(reconcile_account(it->second, read_at));
    reconciled_up_to_ = it->first;
  }
  co_return co_await run_all(std::move(checks));
}

net::Task<int64_t> TradingDesk::reconcile_account(std::vector<store::UserRobot> robots, uint64_t read_at) {
  // Not while a pass works on one of its user robots (a fill on its way would read as a difference), nor
  // on rows a pass has changed since they were read: the next reconciliation comes to the account again.
  std::vector<int64_t> ids;
  for (const auto& ur : robots) ids.push_back(ur.id);
  if (!std::all_of(ids.begin(), ids.end(), [&](int64_t id) { return free_since(id, read_at); })) co_return 0;
  Working working(*this, ids);
  auto ctx = context_of(robots.front());
  if (!ctx) co_return 0;
  auto unsettled = store_.unsettled_orders((*ctx)->account.id);
  if (!unsettled) co_return 0;
  std::set<std::string> ours;
  for (const auto& o : *unsettled) ours.insert(o.client_order_id);
  // The markets its robots trade, one by one: a venue may weigh all markets at once 40 times more, and
  // a hand-placed order elsewhere does not touch the robots' positions.
  std::map<int64_t, std::string> symbol_of;  // per user robot
  std::set<std::string> symbols;
  for (auto& ur : robots) {
    auto robot = store_.find_robot(ur.robot_id);
    if (!robot || !*robot) co_return 0;
    symbol_of[ur.id] = (*robot)->symbol;
    symbols.insert((*robot)->symbol);
  }
  int64_t found = 0;
  for (const auto& symbol : symbols) {
    auto open = co_await (*ctx)->venue->open_orders(*(*ctx)->signer, symbol);
    if (!open) continue;
    for (const auto& o : *open) {
      if (ours.count(o.client_order_id) || !foreign_told_.insert({(*ctx)->account.id, o.id}).second) continue;
      ++found;
      publish({DeskEvent::ForeignOrder, robots.front(), std::nullopt, std::nullopt, o});
    }
  }
  // Positions: on futures only (a spot balance mixes the user's own holdings), and only when none of our
  // orders is in flight (a fill on its way is no difference).
  if (!(*ctx)->description->futures || !unsettled->empty()) co_return found;
  auto portfolio = co_await (*ctx)->venue->balances(*(*ctx)->signer);
  if (!portfolio) co_return found;
  std::map<std::string, Decimal> ours_by_symbol;
  std::map<std::string, std::vector<store::UserRobot>> robots_by_symbol;
  for (auto& ur : robots) {
    auto pos = store_.open_position(ur.id);
    if (!pos) co_return found;
    auto held = holding_of(*pos);
    Decimal signed_amount = held ? (held->is_long ? held->amount : -held->amount) : Decimal();
    ours_by_symbol[symbol_of[ur.id]] += signed_amount;
    robots_by_symbol[symbol_of[ur.id]].push_back(ur);
  }
  for (auto& [symbol, amount] : ours_by_symbol) {
    Decimal venue_amount;
    for (const auto& p : portfolio->positions)
      if (p.symbol == symbol) venue_amount += p.amount;
    if (venue_amount.normalized() == amount.normalized()) continue;
    ++found;
    for (auto& ur : robots_by_symbol[symbol])
      pause(ur, "the position on " + symbol + " differs: ours " + amount.normalized().to_plain_string() + ", the exchange's " +
                    venue_amount.normalized().to_plain_string() + " (was it changed by hand?)");
  }
  co_return found;
}

}  // namespace tb::trading
