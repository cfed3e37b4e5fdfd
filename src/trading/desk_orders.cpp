// The desk's orders: a user robot's context, sizing, sending, recording fills, settling the unknown.
#include "orders/orders.hpp"
#include "trading/desk_context.hpp"
#include "trading/position.hpp"
#include "trading/volume.hpp"

namespace tb::trading {

using orders::OrderState;
using store::UserRobotStatus;

bool outcome_unknown(ErrorKind kind) {
  return kind == ErrorKind::NetworkError || kind == ErrorKind::ExchangeUnavailable || kind == ErrorKind::BadResponse ||
         kind == ErrorKind::RateLimited || kind == ErrorKind::InvalidNonce || kind == ErrorKind::Internal;
}

namespace {

// The user robot's robot: once a pass for all its user robots when `reads` is given.
Result<std::optional<store::Robot>> robot_of(store::Store& store, int64_t robot_id, TradingDesk::PassReads* reads) {
  if (reads)
    if (auto it = reads->robots.find(robot_id); it != reads->robots.end()) return std::optional<store::Robot>(it->second);
  auto robot = store.find_robot(robot_id);
  if (reads && robot && *robot) reads->robots.emplace(robot_id, **robot);
  return robot;
}

Result<std::optional<store::Account>> account_of(store::Store& store, int64_t account_id, TradingDesk::PassReads* reads) {
  if (!reads || !reads->accounts_read) return store.find_account(account_id);
  auto it = reads->accounts.find(account_id);
  if (it == reads->accounts.end()) return std::optional<store::Account>();
  return std::optional<store::Account>(it->second);
}

}  // namespace

Result<std::unique_ptr<TradingDesk::Ctx>> TradingDesk::context_of(const store::UserRobot& ur, PassReads* reads) {
  auto ctx = std::make_unique<Ctx>();
  ctx->ur = ur;
  ctx->reads = reads;
  auto account = account_of(store_, ur.account_id, reads);
  auto robot = robot_of(store_, ur.robot_id, reads);
  if (!account || !robot) return Error::make(ErrorKind::Internal, "the store could not be read");
  if (!*account || !*robot) return Error::make(ErrorKind::NotFound, "its account or robot no longer exists");
  ctx->account = std::move(**account);
  ctx->robot = std::move(**robot);
  if (ctx->account.status != store::AccountStatus::Enabled)
    return Error::make(ErrorKind::Conflict,
                       "account \"" + ctx->account.name + "\" is " + std::string(to_string(ctx->account.status)) + ", not enabled");
  ctx->venue = venues_(ctx->robot.venue);
  ctx->description = venues::find_venue(ctx->robot.venue);
  if (!ctx->venue || !ctx->description || !ctx->description->make_robot_order_id)
    return Error::make(ErrorKind::NotFound, "this platform does not trade on " + ctx->robot.venue);
  auto signer = signers_(ctx->account);
  if (!signer) return Error::make(ErrorKind::Internal, "the account's keys could not be opened");
  ctx->signer = std::move(*signer);
  return ctx;
}

net::Task<Result<const Market*>> market_of(TradingDesk::Ctx& ctx) {
  if (ctx.market) co_return &*ctx.market;
  if (ctx.reads)
    if (auto it = ctx.reads->markets.find(ctx.robot.id); it != ctx.reads->markets.end()) {
      ctx.market = it->second;
      co_return &*ctx.market;
    }
  auto markets = co_await ctx.venue->markets();
  if (!markets) co_return markets.error();
  for (const auto& x : *markets)
    if (x.id == ctx.robot.symbol) ctx.market = x;
  if (!ctx.market) co_return Error::make(ErrorKind::InvalidOrder, "market " + ctx.robot.symbol + " is not listed");
  if (ctx.reads) ctx.reads->markets.emplace(ctx.robot.id, *ctx.market);
  co_return &*ctx.market;
}

net::Task<Result<Decimal>> size_entry(TradingDesk::Ctx& ctx, const store::RobotSignal& signal) {
  auto market = co_await market_of(ctx);
  if (!market) co_return market.error();
  const Market* m = *market;
  Decimal price;
  if (signal.price && signal.price->is_positive()) {
    price = *signal.price;
  } else {
    auto ticker = co_await ctx.venue->ticker(ctx.robot.symbol);
    if (!ticker) co_return ticker.error();
    price = ticker->last;
  }
  Decimal free_quote;
  if (ctx.ur.volume_type == store::VolumeType::BalancePercent) {
    auto portfolio = co_await ctx.venue->balances(*ctx.signer);
    if (!portfolio) co_return portfolio.error();
    const std::string& asset = m->settle.empty() ? m->quote : m->settle;
    for (const auto& b : portfolio->balances)
      if (b.asset == asset) free_quote = b.free;
  }
  co_return entry_amount(ctx.ur.volume_type, ctx.ur.volume, *m, price, free_quote);
}

store::OrderRecord intent_of(const TradingDesk::Ctx& ctx, int64_t signal_seq, const Leg& leg, const Decimal& amount,
                             std::optional<Decimal> price) {
  store::OrderRecord o;
  o.account_id = ctx.account.id;
  o.purpose = std::string(kPurpose);
  o.venue = ctx.robot.venue;
  o.symbol = ctx.robot.symbol;
  o.side = std::string(to_string(leg.side));
  o.type = price ? "limit" : "market";
  o.price = price.value_or(Decimal());
  o.amount = amount;
  o.state = std::string(orders::to_string(OrderState::Intent));
  o.user_robot_id = ctx.ur.id;
  o.signal_seq = signal_seq;
  o.leg = std::string(to_string(leg.kind));
  o.reduce_only = leg.reduce_only;
  return o;
}

std::optional<store::OrderRecord> next_attempt(const store::OrderRecord& o, const Decimal& left, const DeskOptions& options,
                                               const Decimal& tick) {
  store::OrderRecord next = o;
  next.id = 0;
  next.attempt = o.attempt + 1;
  next.amount = left;
  next.client_order_id.clear();  // named from its own row when it is recorded
  next.venue_order_id.clear();
  next.state = std::string(orders::to_string(OrderState::Intent));
  next.absent_answers = 0;
  next.note.clear();
  next.settled_ms.reset();
  next.filled = next.average_price = next.fee = next.applied = Decimal();
  if (next.attempt > options.slippage_steps) {
    if (o.leg == "entry") return std::nullopt;
    next.type = "market";
    next.price = Decimal();
    return next;
  }
  const bool buy = o.side == "buy";
  Decimal price = o.price * (buy ? Decimal::from_int(1) + options.slippage_step : Decimal::from_int(1) - options.slippage_step);
  if (tick.is_positive()) price = price.round_to_step(tick, buy ? Rounding::Up : Rounding::Down);
  next.price = price.normalized();
  return next;
}

net::Task<int64_t> TradingDesk::send(Ctx& ctx, store::OrderRecord o, bool* settled) {
  OrderRequest req;
  req.symbol = o.symbol;
  req.side = o.side == "buy" ? Side::Buy : Side::Sell;
  req.type = o.type == "limit" ? OrderType::Limit : OrderType::Market;
  if (req.type == OrderType::Limit) req.price = o.price;
  req.amount = o.amount;
  req.reduce_only = o.reduce_only;
  req.client_order_id = o.client_order_id;  // in hedge mode the connector names the position from side and reduce-only
  in_flight_.insert(o.id);
  Unmark sent{in_flight_, o.id};  // once its answer is written down: no settle reads it half done
  auto answer = co_await ctx.venue->create_order(*ctx.signer, req);
  if (answer) {
    auto m = co_await market_of(ctx);  // for a fee charged in the base asset
    const int64_t id = o.id;
    const bool settles = orders::is_settled(orders::state_of(*answer));
    auto st = co_await record_batched(ctx, std::move(o), std::move(*answer));
    if (!st) log_ << "trading: order " << id << ": " << st.error().message << "\n";
    if (st && settled) *settled = settles;
    co_return 1;
  }
  const Error& e = answer.error();
  o.note = e.message;
  if (outcome_unknown(e.kind)) {
    o.state = std::string(orders::to_string(OrderState::Unknown));
  } else {
    o.state = std::string(orders::to_string(OrderState::Rejected));
    o.settled_ms = clock_.now_ms();
  }
  if (auto st = store_.update_order(o); !st) log_ << "trading: order " << o.id << ": " << st.error().message << "\n";
  else if (settled) *settled = o.settled_ms.has_value();
  publish({DeskEvent::OrderUpdated, ctx.ur, o, std::nullopt});
  if (!outcome_unknown(e.kind))
    pause(ctx.ur,
          "order " + o.client_order_id + " (" + o.side + " " + o.amount.to_plain_string() + " " + o.symbol + ") was refused: " + e.message);
  co_return 1;
}

}  // namespace tb::trading
