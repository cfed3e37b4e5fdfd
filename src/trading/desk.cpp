// The desk's passes: new signals into intents and orders, fanned out over the user robots.
#include "trading/desk.hpp"

#include <algorithm>
#include <map>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "trading/desk_context.hpp"
#include "trading/join.hpp"
#include "trading/plan.hpp"
#include "trading/position.hpp"
#include "trading/write_batch.hpp"

namespace tb::trading {

using store::UserRobotStatus;

namespace {

// The accounts and open positions of a pass's user robots in one read each, and their signers opened together;
// should a read fail, each is read (or opened) on its own.
void read_pass(store::Store& store, const std::vector<store::UserRobot>& follows, TradingDesk::PassReads& reads,
               const std::function<void(const std::vector<store::Account>&)>& open_signers) {
  if (follows.size() < 2) return;
  std::vector<int64_t> accounts, user_robots;
  accounts.reserve(follows.size());
  user_robots.reserve(follows.size());
  for (const auto& ur : follows) {
    accounts.push_back(ur.account_id);
    user_robots.push_back(ur.id);
  }
  if (auto rows = store.account_rows(accounts)) {
    if (open_signers) open_signers(*rows);
    for (auto& a : *rows) reads.accounts.emplace(a.id, std::move(a));
    reads.accounts_read = true;
  }
  if (auto open = store.open_positions(user_robots)) {
    for (auto& p : *open) reads.positions.emplace(p.user_robot_id, std::move(p));
    reads.positions_read = true;
  }
}

}  // namespace

TradingDesk::TradingDesk(store::Store& store, VenueFor venues, SignerFor signers, const Clock& clock, DeskOptions options,
                         std::ostream& log)
    : store_(store),
      venues_(std::move(venues)),
      signers_(std::move(signers)),
      clock_(clock),
      options_(options),
      log_(log),
      batch_(std::make_unique<WriteBatcher>(store, 512, options_.commit_thread)) {}

TradingDesk::~TradingDesk() = default;

net::Task<int64_t> TradingDesk::run_once() {
  Pass under_way(*this);
  auto pending = store_.unsettled_robot_orders();
  if (!pending) {
    log_ << "trading: " << pending.error().message << "\n";
    co_return 0;
  }
  std::vector<net::Task<int64_t>> settles;
  std::unordered_set<int64_t> unsettled;  // their asks are kept, the others' forgotten
  const int64_t now = clock_.now_ms();
  for (auto& o : *pending) {
    if (!owns(o.account_id)) continue;
    unsettled.insert(o.id);
    Asked& a = asked_[o.id];  // in place: a settle under way may start its order's asks afresh
    // Not while a follow sends it or records its answer, nor twice at once.
    const bool followed = o.user_robot_id && working_.count(*o.user_robot_id);
    if (!in_flight_.count(o.id) && !settling_.count(o.id) && !followed && now >= a.next_ms) {
      settling_.insert(o.id);  // until its settle ends
      settles.push_back(settle(o));
      a.next_ms = now + std::min<int64_t>(options_.ask_first.count() << std::min(a.times, 16), options_.ask_max.count());
      a.times += 1;
    }
  }
  std::erase_if(asked_, [&](const auto& entry) { return !unsettled.count(entry.first); });
  int64_t sent = co_await run_all(std::move(settles));
  // A user robot waiting for an order's outcome waits with its next signal too: its position is not known.
  const uint64_t read_at = ++stamp_;
  auto still = store_.unsettled_robot_orders();
  auto due = store_.user_robots_to_follow();  // a started one with nothing new is not visited
  if (!still || !due) co_return sent;
  std::unordered_set<int64_t> busy;
  for (auto& o : *still)
    if (o.user_robot_id) busy.insert(*o.user_robot_id);
  PassReads reads;  // outlives the follows: they are awaited below
  std::vector<store::UserRobot> follows;
  follows.reserve(due->size());
  for (auto& ur : *due)
    if (!busy.count(ur.id) && free_since(ur.id, read_at) && owns(ur.account_id)) follows.push_back(std::move(ur));
  read_pass(store_, follows, reads, open_signers);
  std::function<net::Task<int64_t>(size_t)> follow_one = [&](size_t i) { return follow(std::move(follows[i]), reads, read_at); };
  sent += co_await run_limited(follows.size(), options_.fan_out, std::move(follow_one));
  co_await settle_fees();
  co_return sent;
}

net::Task<void> TradingDesk::pass() {
  try {
    co_await run_once();
  } catch (const std::exception& e) {
    log_ << "trading: pass failed: " << e.what() << "\n";
  }
}

net::Task<void> TradingDesk::reconcile() {
  reconciling_ = true;
  try {
    co_await reconcile_once();
  } catch (const std::exception& e) {
    log_ << "trading: reconciliation failed: " << e.what() << "\n";
  }
  reconciling_ = false;
}

net::Task<void> TradingDesk::run() {
  auto ex = co_await boost::asio::this_coro::executor;
  boost::asio::steady_timer timer(ex);
  timer_ = &timer;
  int64_t next_reconcile_ms = 0;  // at start, then every reconcile_interval
  while (!stopping_) {
    woken_ = false;
    if (passes_ < options_.max_passes) boost::asio::co_spawn(ex, pass(), boost::asio::detached);
    if (!reconciling_ && clock_.now_ms() >= next_reconcile_ms) {
      next_reconcile_ms = clock_.now_ms() + options_.reconcile_interval.count();
      boost::asio::co_spawn(ex, reconcile(), boost::asio::detached);
    }
    if (woken_) continue;  // a signal came while the work was handed out
    timer.expires_after(options_.interval);
    boost::system::error_code ec;
    co_await timer.async_wait(boost::asio::redirect_error(boost::asio::use_awaitable, ec));
  }
  while (passes_ > 0) {  // the work under way ends before run() does
    timer.expires_after(std::chrono::milliseconds(10));
    boost::system::error_code ec;
    co_await timer.async_wait(boost::asio::redirect_error(boost::asio::use_awaitable, ec));
  }
  timer_ = nullptr;
}

void TradingDesk::wake() {
  woken_ = true;
  if (auto* timer = timer_.load())
    boost::asio::post(timer->get_executor(), [this] {
      if (auto* t = timer_.load()) t->cancel();
    });
}

bool TradingDesk::free_since(int64_t user_robot_id, uint64_t read_at) const {
  if (working_.count(user_robot_id) || settling_robots_.count(user_robot_id)) return false;
  auto t = touched_.find(user_robot_id);
  return t == touched_.end() || t->second < read_at;
}

net::Task<int64_t> TradingDesk::follow(store::UserRobot ur, PassReads& reads, uint64_t read_at) {
  if (!free_since(ur.id, read_at)) co_return 0;  // the next pass reads it afresh
  Working working(*this, ur.id);
  if (ur.status == UserRobotStatus::Stopping) co_return co_await finish_stop(ur);
  auto ctx = context_of(ur, &reads);
  if (!ctx) {
    pause(ur, ctx.error().message);
    co_return 0;
  }
  if (ur.status == UserRobotStatus::Starting) {
    // Started only if it is still starting: a stop asked since the pass read it stands (the next pass sees it).
    auto started = store_.mark_started(ur.id);
    if (!started || !*started) co_return 0;
    (*ctx)->ur = **started;
    publish({DeskEvent::UserRobotUpdated, (*ctx)->ur, std::nullopt, std::nullopt});
  }
  auto key = std::make_pair(ur.robot_id, ur.handled_seq);
  auto read = reads.signals.find(key);
  if (read == reads.signals.end()) {
    auto signals = store_.robot_signals(ur.robot_id, ur.handled_seq, options_.signals_per_pass);
    if (!signals) co_return 0;
    read = reads.signals.emplace(key, std::move(*signals)).first;
  }
  const std::vector<store::RobotSignal>& signals = read->second;  // a map's element stays where it is
  int64_t sent = 0;
  std::optional<std::optional<store::RobotPosition>> known;  // the pass's read, for the first signal only
  if (reads.positions_read) {
    auto p = reads.positions.find(ur.id);
    known = p == reads.positions.end() ? std::nullopt : std::optional<store::RobotPosition>(p->second);
  }
  for (const auto& s : signals) {
    const int64_t before = (*ctx)->ur.handled_seq;
    sent += co_await handle_signal(**ctx, s, std::move(known));
    known.reset();
    // The next signal is planned on the position this one leaves: not before its orders are settled (a
    // venue may answer a market order before filling it, or the answer may not come).
    if ((*ctx)->ur.handled_seq == before || (*ctx)->ur.status != UserRobotStatus::Started || (*ctx)->waiting) break;
  }
  co_return sent;
}

net::Task<int64_t> TradingDesk::handle_signal(Ctx& ctx, const store::RobotSignal& signal,
                                              std::optional<std::optional<store::RobotPosition>> known) {
  auto open = known ? Result<std::optional<store::RobotPosition>>(std::move(*known)) : store_.open_position(ctx.ur.id);
  if (!open) co_return 0;
  ctx.position = *open;
  const auto legs = plan_signal(signal.action, holding_of(*open), ctx.description->shorts, ctx.description->futures);
  std::vector<store::OrderRecord> intents;
  std::string skipped;
  std::optional<Decimal> limit;  // a priced signal trades at its price, on the market's tick
  if (signal.price && signal.price->is_positive() && !legs.empty()) {
    auto m = co_await market_of(ctx);
    if (!m) co_return 0;  // the venue's trouble: next pass
    limit = (*m)->tick_size.is_positive() ? signal.price->round_to_step((*m)->tick_size, Rounding::HalfEven) : *signal.price;
  }
  for (const auto& leg : legs) {
    Decimal amount = leg.amount;
    if (leg.kind == Leg::Entry) {
      auto sized = co_await size_entry(ctx, signal);
      if (!sized && sized.error().kind != ErrorKind::InvalidArgument) co_return 0;  // the venue's trouble: next pass
      if (!sized) {
        skipped = "signal " + std::to_string(signal.seq) + ": entry skipped: " + sized.error().message;
        continue;
      }
      amount = *sized;
    }
    intents.push_back(intent_of(ctx, signal.seq, leg, amount, limit));
  }
  if (!skipped.empty()) ctx.ur.message = skipped;
  if (auto st = co_await write_intents(ctx, intents, signal.seq); !st) {
    log_ << "trading: user robot " << ctx.ur.id << ": " << st.error().message << "\n";
    co_return 0;
  }
  int64_t sent = 0;
  bool all_settled = true;  // as recorded: an order not sent, or whose answer was not written, is not
  for (auto& o : intents) {
    bool settled = false;
    if (ctx.ur.status == UserRobotStatus::Started || ctx.ur.status == UserRobotStatus::Stopping) sent += co_await send(ctx, o, &settled);
    all_settled = all_settled && settled;
  }
  for (auto& o : intents) in_flight_.erase(o.id);
  if (!all_settled) ctx.waiting = true;
  co_return sent;
}

net::Task<Status> TradingDesk::write_intents(Ctx& ctx, std::vector<store::OrderRecord>& intents, int64_t handled_seq) {
  store::UserRobot next = ctx.ur;
  next.handled_seq = handled_seq;
  std::vector<store::OrderRecord> written;
  WriteBatcher::Write write = [&](store::Store& s) -> Status {
    written = intents;  // from the inputs each time: a batch that failed runs it again alone
    for (auto& o : written) {
      auto rec = s.record_robot_order(o, ctx.description->make_robot_order_id);
      if (!rec) return rec.error();
      o = std::move(*rec);
    }
    return s.set_handled_seq(next.id, next.handled_seq, next.message);
  };
  Status st = co_await batch_->write(std::move(write));  // named: GCC 12 destroys a co_await's temporaries twice
  if (!st) co_return st;
  intents = std::move(written);
  ctx.ur = std::move(next);
  for (auto& o : intents) in_flight_.insert(o.id);
  co_return ok_status();
}

void TradingDesk::pause(store::UserRobot& ur, std::string why) {
  ur.status = UserRobotStatus::Paused;
  ur.message = std::move(why);
  if (auto st = store_.update_user_robot(ur); !st) log_ << "trading: user robot " << ur.id << ": " << st.error().message << "\n";
  publish({DeskEvent::UserRobotUpdated, ur, std::nullopt, std::nullopt});
}

void TradingDesk::publish(DeskEvent event) const {
  if (heard_by(event.user_robot.user_id)) on_event(event);
}

}  // namespace tb::trading
