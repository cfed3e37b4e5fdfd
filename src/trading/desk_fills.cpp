// The desk's bookkeeping: what the venue said of an order, its fills into the position (once), the
// settling of orders whose outcome is unknown, and stops.
#include "orders/orders.hpp"
#include "trading/desk_context.hpp"
#include "trading/position.hpp"
#include "trading/write_batch.hpp"

namespace tb::trading {

using orders::OrderState;
using store::UserRobotStatus;

namespace {

// The fee the venue charged so far, in quote: a fee in the base asset (a spot buy on some venues) at the
// fill's price; 0 where the venue does not say.
Decimal fee_of(const Order& o, const Market* m) {
  if (!o.fee) return Decimal();
  if (m && !o.fee_asset.empty() && o.fee_asset == m->base) return (*o.fee * o.average_price.value_or(Decimal())).normalized();
  return *o.fee;
}

}  // namespace

// An answer on its way into the ledger: the order as the answer leaves it before its fill is counted, and
// what write_answer() made of it the last time it ran.
struct TradingDesk::Answered {
  const Ctx* ctx = nullptr;
  store::OrderRecord before;
  Order answer;
  std::optional<Decimal> fee;  // in quote, when the answer carries it
  Decimal delta;               // filled and not yet counted in the position
  std::optional<store::OrderRecord> next_in;
  std::optional<std::optional<store::RobotPosition>> open_in;  // the open position when the desk knows it
  // written by write_answer()
  store::OrderRecord order;
  std::optional<store::RobotPosition> moved;
  std::optional<store::OrderRecord> next;
};

TradingDesk::Answered TradingDesk::answered(const Ctx& ctx, store::OrderRecord o, Order answer) const {
  Answered a;
  a.ctx = &ctx;
  const OrderState state = orders::state_of(answer);
  if (!answer.id.empty()) o.venue_order_id = answer.id;
  o.state = std::string(orders::to_string(state));
  o.absent_answers = 0;
  if (orders::is_settled(state)) o.settled_ms = clock_.now_ms();
  a.delta = (answer.filled - o.applied).normalized();
  // A fee the answer carries is counted now; one it does not is asked later (settle_fees), so an order costs
  // the venue's request weight once, not twice.
  if (answer.fee) a.fee = fee_of(answer, ctx.market ? &*ctx.market : nullptr);
  o.fee_pending = !answer.fee && answer.filled.is_positive();
  a.open_in = ctx.position;
  a.before = std::move(o);
  a.answer = std::move(answer);
  return a;
}

Status TradingDesk::write_answer(store::Store& s, Answered& a) {
  a.order = a.before;
  a.moved.reset();
  a.next = a.next_in;
  store::OrderRecord& o = a.order;
  const Order& answer = a.answer;
  if (a.delta.is_positive()) {
    auto open = a.open_in ? Result<std::optional<store::RobotPosition>>(*a.open_in) : s.open_position(a.ctx->ur.id);
    if (!open) return open.error();
    const Decimal price = answer.average_price.value_or(answer.price.value_or(o.price));
    Fill fill{o.leg == "entry" ? Leg::Entry : Leg::Exit,
              o.side == "buy" ? Side::Buy : Side::Sell,
              a.delta,
              price,
              a.fee ? (*a.fee - o.fee).normalized() : Decimal(),
              clock_.now_ms()};
    a.moved = apply_fill(*open, a.ctx->ur.id, fill);
    if (a.moved) {
      auto saved = s.save_position(*a.moved);
      if (!saved) return saved.error();
      a.moved = *saved;
      o.position_id = a.moved->id;
    }
    o.filled = answer.filled;
    o.applied = answer.filled;
    o.average_price = price;
    if (a.fee) o.fee = *a.fee;
  }
  if (auto up = s.update_order(o); !up) return up;
  if (!a.next) return ok_status();
  auto rec = s.record_robot_order(*a.next, a.ctx->description->make_robot_order_id);
  if (!rec) return rec.error();
  a.next = std::move(*rec);
  return ok_status();
}

// The position as the answer left it, for the next leg's answer (when the desk knew it before).
void TradingDesk::moved(Ctx& ctx, const Answered& a) const {
  if (!ctx.position || !a.moved) return;
  ctx.position.emplace(a.moved->closed_ms ? std::nullopt : a.moved);  // closed: none open
}

void TradingDesk::published(const Answered& a) const {
  if (!heard_by(a.ctx->ur.user_id)) return;
  publish({DeskEvent::OrderUpdated, a.ctx->ur, a.order, std::nullopt});
  if (a.moved)
    publish({a.moved->closed_ms ? DeskEvent::PositionClosed
                                : (a.moved->entered == a.delta ? DeskEvent::PositionOpened : DeskEvent::OrderUpdated),
             a.ctx->ur, a.order, a.moved});
}

Status TradingDesk::record(Ctx& ctx, store::OrderRecord o, const Order& answer, std::optional<store::OrderRecord>* next) {
  Answered a = answered(ctx, std::move(o), answer);
  if (next) a.next_in = *next;
  Status st = store_.with_transaction([&](store::Store& s) { return write_answer(s, a); });
  if (!st) return st;
  if (next) *next = a.next;
  moved(ctx, a);
  published(a);
  return ok_status();
}

net::Task<Status> TradingDesk::record_batched(Ctx& ctx, store::OrderRecord o, Order answer) {
  Answered a = answered(ctx, std::move(o), std::move(answer));
  WriteBatcher::Write write = [this, &a](store::Store& s) { return write_answer(s, a); };
  Status st = co_await batch_->write(std::move(write));  // named: GCC 12 destroys a co_await's temporaries twice
  if (!st) co_return st;
  moved(ctx, a);
  published(a);
  co_return ok_status();
}

net::Task<int64_t> TradingDesk::settle(store::OrderRecord o) {
  Unmark asked{settling_, o.id};
  if (!o.user_robot_id) co_return 0;
  Working settling(*this, *o.user_robot_id, true);
  auto ur = store_.find_user_robot(*o.user_robot_id);
  if (!ur || !*ur) co_return 0;
  auto ctx = context_of(**ur);
  if (!ctx) co_return 0;  // an account no longer enabled: its orders wait (the reconciliation reports them)
  OrderRef ref{o.symbol, o.venue_order_id, o.client_order_id};
  auto answer = co_await (*ctx)->venue->fetch_order(*(*ctx)->signer, ref);
  if (answer) {
    auto m = co_await market_of(**ctx);  // for a fee charged in the base asset
    if (o.state != orders::to_string(orders::state_of(*answer))) ask_afresh(o.id);
    if (auto st = record(**ctx, o, *answer); !st) log_ << "trading: order " << o.id << ": " << st.error().message << "\n";
    const bool waited = clock_.now_ms() - o.created_ms >= options_.order_timeout.count();
    if (o.type != "limit" || orders::state_of(*answer) != OrderState::Open || !waited) co_return 0;
    auto fresh = store_.find_order(o.id);  // as just recorded: its fill so far is counted once
    if (!fresh || !*fresh) co_return 0;
    co_return co_await time_out(**ctx, **fresh);
  }
  if (answer.error().kind != ErrorKind::OrderNotFound) co_return 0;  // nothing learnt: ask again next pass
  o.absent_answers += 1;
  const bool long_enough = clock_.now_ms() - o.created_ms >= options_.absent_after.count();
  const bool never_sent = o.state == orders::to_string(OrderState::Intent) || o.state == orders::to_string(OrderState::Unknown);
  if (!never_sent || o.absent_answers < options_.absent_answers || !long_enough) {
    if (auto st = store_.update_order(o); !st) log_ << "trading: order " << o.id << ": " << st.error().message << "\n";
    co_return 0;
  }
  // The venue has not got it, asked twice over a while: send it, under the same client order id.
  o.state = std::string(orders::to_string(OrderState::Intent));
  o.absent_answers = 0;
  o.note = "the venue did not have it: sent again";
  if (auto st = store_.update_order(o); !st) co_return 0;
  ask_afresh(o.id);
  co_return co_await send(**ctx, o);
}

// Cancel (confirmed by reading the order back), then in one transaction the final fill and the
// re-placement of what is left, which is sent at once. A cancel not yet carried out waits for the next pass.
net::Task<int64_t> TradingDesk::time_out(Ctx& ctx, store::OrderRecord o) {
  OrderRef ref{o.symbol, o.venue_order_id, o.client_order_id};
  auto cancelled = co_await ctx.venue->cancel_order(*ctx.signer, ref);
  if (!cancelled && cancelled.error().kind != ErrorKind::OrderNotFound) co_return 0;
  auto after = co_await ctx.venue->fetch_order(*ctx.signer, ref);
  if (!after || !orders::is_settled(orders::state_of(*after))) co_return 0;
  auto market = co_await market_of(ctx);
  if (!market) co_return 0;
  const Decimal left = (o.amount - after->filled).normalized();
  std::optional<store::OrderRecord> next;
  if (left.is_positive()) next = next_attempt(o, left, options_, (*market)->tick_size);
  if (auto st = record(ctx, o, *after, &next); !st) co_return 0;
  if (left.is_positive() && !next) {
    ctx.ur.message = "signal " + std::to_string(o.signal_seq) + ": entry skipped: not filled near the signal's price after " +
                     std::to_string(options_.slippage_steps) + " steps";
    if (auto st = store_.update_user_robot(ctx.ur); st) publish({DeskEvent::UserRobotUpdated, ctx.ur, std::nullopt, std::nullopt});
  }
  if (!next) co_return 0;
  co_return co_await send(ctx, *next);
}

// A stop asked for: "keep" detaches the position at once; "close" sends one exit for what is held (the
// leg "stop", its attempt the position's number so each position is closed by one order) and waits for it.
net::Task<int64_t> TradingDesk::finish_stop(store::UserRobot ur) {
  auto open = store_.open_position(ur.id);
  if (!open) co_return 0;
  auto held = holding_of(*open);
  if (held && ur.stop_mode == "close") {
    auto ctx = context_of(ur);
    if (!ctx) {
      pause(ur, "could not close its position: " + ctx.error().message);
      co_return 0;
    }
    auto count = store_.positions(ur.id, 1'000'000);
    if (!count) co_return 0;
    Leg leg = exit_of(*held, (*ctx)->description->futures);
    store::OrderRecord intent = intent_of(**ctx, ur.handled_seq, leg, held->amount);
    intent.leg = "stop";
    intent.attempt = static_cast<int>(count->size());
    std::vector<store::OrderRecord> intents{intent};
    if (auto st = co_await write_intents(**ctx, intents, ur.handled_seq); !st) co_return 0;
    co_return co_await send(**ctx, std::move(intents[0]));  // send() takes it out of in_flight_ when it ends
  }
  if (held) {  // keep: the position stays on the exchange, no longer ours
    store::RobotPosition detached = **open;
    detached.closed_ms = clock_.now_ms();
    if (auto saved = store_.save_position(detached); !saved) co_return 0;
  }
  ur.status = UserRobotStatus::Stopped;
  ur.stop_mode.clear();
  if (auto st = store_.update_user_robot(ur); !st) co_return 0;
  publish({DeskEvent::UserRobotUpdated, ur, std::nullopt, std::nullopt});
  co_return 0;
}

}  // namespace tb::trading
