// Fees some venues tell apart from the order (in its trades, not its answer): asked after the fill,
// a few orders a pass, since each question costs request weight the orders of a fan-out must not run out
// of. The fee then moves into the order and the position its fill moved (a closed one's profit too).
#include "trading/desk_context.hpp"
#include "trading/join.hpp"

namespace tb::trading {

namespace {

// The position the fill moved, with `delta` more fees (and so that much less profit once closed).
Status count_fee(store::Store& s, const store::OrderRecord& o, const Decimal& delta) {
  if (delta.is_zero() || !o.position_id || !o.user_robot_id) return ok_status();
  auto found = s.find_position(*o.position_id);
  if (!found) return found.error();
  if (!*found) return ok_status();  // deleted with its user robot
  store::RobotPosition p = std::move(**found);
  p.fees = (p.fees + delta).normalized();
  if (p.profit) p.profit = (*p.profit - delta).normalized();
  auto saved = s.save_position(p);
  return saved ? ok_status() : Status(saved.error());
}

}  // namespace

net::Task<int64_t> TradingDesk::settle_fees() {
  // Other processes' accounts come first in the list now and then: a few more read, ours kept.
  auto pending = store_.robot_orders_fee_pending(options_.fee_lookups_per_pass * (options_.owns ? 16 : 1));
  if (!pending) co_return 0;
  std::vector<net::Task<int64_t>> asks;
  for (auto& o : *pending)
    if (!in_flight_.count(o.id) && !settling_.count(o.id) && owns(o.account_id) &&
        static_cast<int64_t>(asks.size()) < options_.fee_lookups_per_pass) {
      settling_.insert(o.id);  // until its ask ends
      asks.push_back(settle_fee(o));
    }
  co_return co_await run_all(std::move(asks));
}

net::Task<int64_t> TradingDesk::settle_fee(store::OrderRecord o) {
  Unmark asked{settling_, o.id};
  // The fee moves the position: not while another pass moves it too (asked again on a later pass).
  if (!o.user_robot_id || !free_since(*o.user_robot_id, ++stamp_)) co_return 0;
  Working working(*this, *o.user_robot_id);
  auto ur = store_.find_user_robot(*o.user_robot_id);
  if (!ur || !*ur) co_return 0;
  auto ctx = context_of(**ur);
  if (!ctx) co_return 0;  // an account no longer enabled: asked once it is again
  OrderRef ref{o.symbol, o.venue_order_id, o.client_order_id};
  auto trades = co_await (*ctx)->venue->order_trades(*(*ctx)->signer, ref);
  if (!trades) co_return 0;  // asked again on a later pass
  auto total = total_fee(*trades);
  if (!total) co_return 0;  // the trades not listed yet
  auto market = co_await market_of(**ctx);
  Decimal fee = total->amount;
  if (market && total->asset == (*market)->base) fee = (fee * o.average_price).normalized();  // in quote, at the fill's price
  const Decimal delta = (fee - o.fee).normalized();
  o.fee = fee;
  o.fee_pending = !o.settled_ms;  // an order still open may fill (and pay) more
  Status st = store_.with_transaction([&](store::Store& s) -> Status {
    if (auto counted = count_fee(s, o, delta); !counted) return counted;
    return s.update_order(o);
  });
  if (!st) {
    log_ << "trading: order " << o.id << ": " << st.error().message << "\n";
    co_return 0;
  }
  publish({DeskEvent::OrderUpdated, (*ctx)->ur, o, std::nullopt});  // the web app shows the fee (no chat message)
  co_return 1;
}

}  // namespace tb::trading
