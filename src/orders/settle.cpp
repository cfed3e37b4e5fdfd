#include "orders/settle.hpp"

#include "orders/order_state.hpp"

namespace tb::orders {

net::Task<bool> cancel_and_confirm(venues::Venue& venue, const crypto::Signer& signer, net::Sleeper& sleeper, const OrderRef& ref,
                                   int attempts, std::chrono::milliseconds backoff) {
  auto wait = backoff;
  bool pending = false;  // the venue took a cancel and has not carried it out yet: read again, send no other
  for (int attempt = 1; attempt <= attempts; ++attempt) {
    if (attempt > 1) {
      co_await sleeper.sleep(wait);
      wait *= 2;
    }
    bool answered_canceling = false;
    if (!pending) {
      auto canceled = co_await venue.cancel_order(signer, ref);
      if (!canceled && canceled.error().kind != ErrorKind::OrderNotFound) continue;
      answered_canceling = canceled && canceled->status == OrderStatus::Canceling;
    }
    // Confirmed only by reading the order back: a cancel answer alone may be stale, optimistic or pending.
    auto now = co_await venue.fetch_order(signer, ref);
    if (now && now->status == OrderStatus::Canceled) co_return true;
    // Pending: the next attempt only reads. A read that no longer shows it pending sends the cancel again.
    pending = answered_canceling || (now && now->status == OrderStatus::Canceling);
  }
  co_return false;
}

net::Task<store::OrderRecord> settle(venues::Venue& venue, const crypto::Signer& signer, net::Sleeper& sleeper, const Clock& clock,
                                     store::OrderRecord order, SettlePolicy policy) {
  if (order.settled_ms) co_return order;
  OrderRef ref{order.symbol, order.venue_order_id, order.client_order_id};
  auto found = co_await venue.fetch_order(signer, ref);
  const int64_t now = clock.now_ms();
  if (!found) {
    const Error& e = found.error();
    if (e.kind != ErrorKind::OrderNotFound) {
      order.note = "asked the exchange about it; no answer (" + std::string(to_string(e.kind)) + ")";
      co_return order;
    }
    ++order.absent_answers;
    order.note = "the exchange has no such order (" + std::to_string(order.absent_answers) + " answers)";
    if (order.absent_answers >= policy.absent_answers && now - order.created_ms >= policy.absent_after.count()) {
      order.state = std::string(to_string(OrderState::Absent));
      order.note = "the exchange has no such order: it was never placed";
      order.settled_ms = now;
    }
    co_return order;
  }
  order.absent_answers = 0;
  order.venue_order_id = found->id;
  OrderState state = state_of(*found);
  order.state = std::string(to_string(state));
  order.note = "the exchange reports it " + std::string(to_string(found->status));
  if (state == OrderState::Open && policy.cancel_open) {
    ref.order_id = found->id;
    if (co_await cancel_and_confirm(venue, signer, sleeper, ref, policy.cancel_attempts, policy.cancel_backoff)) {
      state = OrderState::Cancelled;
      order.state = std::string(to_string(state));
      order.note = "cancelled and confirmed";
    } else {
      order.note = "still open: the cancel was not confirmed yet";
    }
  }
  if (is_settled(state)) order.settled_ms = clock.now_ms();
  co_return order;
}

}  // namespace tb::orders
