// Orders: validation against the market's rules and the account, reservations, fills, fees, and
// perpetual positions (margin = notional / leverage, entry price averaging, realized PnL).
#include <algorithm>

#include "exsim/engine/state.hpp"

namespace tb::exsim::detail {

Decimal margin_of(const Decimal& notional, int leverage) {
  Decimal n = notional.abs().normalized();
  return n.divide(Decimal::from_int(leverage), std::min(Decimal::kMaxScale, n.scale() + 1), Rounding::Up).normalized();
}

Decimal position_margin(const SimPosition& p, int leverage) { return margin_of(p.amount.abs() * p.entry_price, leverage); }

Account* account_of(State& s, const std::string& key) {
  auto it = s.accounts.find(key);
  return it == s.accounts.end() ? nullptr : &it->second;
}

namespace {

EngineError refuse(Refusal r, std::string detail) { return EngineError{r, std::move(detail)}; }

// Beyond any real price; keeps price * amount far inside Decimal's range.
const Decimal kMaxPrice = Decimal::from_int(10'000'000'000);

void release(State& s, Account& a, size_t idx) {
  Reservation& r = s.reservations[idx];
  if (!r.amount.is_zero()) {
    Balance& b = a.balances[r.asset];
    b.reserved = (b.reserved - r.amount).normalized();
    r.amount = Decimal();
  }
}

void close_order(State& s, Account* a, size_t idx, SimOrderStatus status, const char* reason, int64_t now_ms) {
  SimOrder& o = s.orders[idx];
  o.status = status;
  o.reason = reason;
  o.updated_ms = now_ms;
  auto p = s.paths.find(path_key(o.venue, o.symbol));
  if (p != s.paths.end()) p->second.open_orders.erase(idx);
  if (a) {
    release(s, *a, idx);
    a->open.erase(idx);
    if (!o.client_order_id.empty()) {
      auto c = a->open_by_client_id.find(o.client_order_id);
      if (c != a->open_by_client_id.end() && c->second == idx) a->open_by_client_id.erase(c);
    }
  }
}

// Moves a perpetual position (the net one, or in hedge mode the order's side) by signed `qty` at `price`;
// realized PnL goes into the quote balance.
void move_position(Account& a, const SimMarket& m, std::optional<PositionSide> side, const Decimal& qty, const Decimal& price) {
  SimPosition& pos = a.positions[position_key(m.id, side)];
  pos.symbol = m.id;
  pos.side = side.value_or(PositionSide::Both);
  Balance& quote = a.balances[m.quote];
  const int leverage = a.futures.leverage_of(m.id);
  Decimal old_margin = position_margin(pos, leverage);
  bool same_direction = pos.amount.is_zero() || (pos.amount.is_positive() == qty.is_positive());
  if (same_direction) {
    Decimal size = pos.amount.abs() + qty.abs();
    pos.entry_price = (pos.amount.abs() * pos.entry_price + qty.abs() * price).divide(size, kPriceScale, Rounding::HalfEven).normalized();
    pos.amount = (pos.amount + qty).normalized();
  } else {
    Decimal closed = std::min(qty.abs(), pos.amount.abs());
    Decimal pnl = closed * (price - pos.entry_price);
    if (pos.amount.is_negative()) pnl = -pnl;
    quote.total = (quote.total + pnl).normalized();
    Decimal rest = (pos.amount + qty).normalized();
    if (rest.is_zero()) {
      pos.entry_price = Decimal();
    } else if (rest.is_positive() != pos.amount.is_positive()) {
      pos.entry_price = price.normalized();  // flipped: the remainder opened at this price
    }
    pos.amount = rest;
  }
  quote.reserved = (quote.reserved - old_margin + position_margin(pos, leverage)).normalized();
}

// A part filled: what the order holds back shrinks with what remains of it (rounded up: never less than
// the rest needs; the last of it is released when the order ends).
void shrink_reservation(State& s, Account& a, size_t idx, const Decimal& qty, const Decimal& remaining) {
  Reservation& r = s.reservations[idx];
  if (r.amount.is_zero()) return;
  Decimal keep = (r.amount * (remaining - qty)).divide(remaining, Decimal::kMaxScale, Rounding::Up).normalized();
  Balance& b = a.balances[r.asset];
  b.reserved = (b.reserved - r.amount + keep).normalized();
  r.amount = keep;
}

// The fill's effect on the account: spot balances move both ways, perpetuals move the position.
void settle_fill(Account& a, const SimMarket& m, const SimOrder& o, const Decimal& qty, const Decimal& price, const Decimal& fee) {
  const Decimal notional = (price * qty).normalized();
  Balance& quote = a.balances[m.quote];
  if (m.perpetual) {
    quote.total = (quote.total - fee).normalized();
    move_position(a, m, o.position_side, o.side == Side::Buy ? qty : -qty, price);
  } else if (o.side == Side::Buy) {
    quote.total = (quote.total - notional - fee).normalized();
    Balance& base = a.balances[m.base];
    base.total = (base.total + qty).normalized();
  } else {
    Balance& base = a.balances[m.base];
    base.total = (base.total - qty).normalized();
    quote.total = (quote.total + notional - fee).normalized();
  }
}

}  // namespace

void apply_fill(State& s, size_t idx, const Decimal& price, bool maker, int64_t now_ms, std::optional<Decimal> part) {
  SimOrder& o = s.orders[idx];
  auto ait = s.accounts.find(o.key);
  auto pit = s.paths.find(path_key(o.venue, o.symbol));
  if (ait == s.accounts.end() || pit == s.paths.end()) return;
  Account& a = ait->second;
  const SimMarket& m = pit->second.market;
  const Decimal remaining = (o.amount - o.filled).normalized();
  const Decimal qty = part && *part < remaining ? part->normalized() : remaining;
  const bool complete = qty == remaining;
  if (complete) release(s, a, idx);
  else shrink_reservation(s, a, idx, qty, remaining);
  pit->second.bars.back().volume += to_units8(qty);  // our trades show in the candles too
  const Decimal fee = (price * qty * (maker ? m.maker_fee : m.taker_fee)).normalized();
  settle_fill(a, m, o, qty, price, fee);
  const Decimal filled = (o.filled + qty).normalized();
  o.average_price = (o.average_price * o.filled + price * qty).divide(filled, kPriceScale, Rounding::HalfEven).normalized();
  o.filled = filled;
  o.fee = (o.fee + fee).normalized();
  o.fills.push_back(SimFill{s.books[o.venue].next_trade_id++, price.normalized(), qty, fee, maker, now_ms});
  o.updated_ms = now_ms;
  if (complete) close_order(s, &a, idx, SimOrderStatus::Filled, "filled", now_ms);
}

bool reduces(const Account& a, const SimMarket& m, Side side, std::optional<PositionSide> position_side, const Decimal& amount) {
  auto it = a.positions.find(position_key(m.id, position_side));
  if (it == a.positions.end() || it->second.amount.is_zero()) return false;
  const Decimal& pos = it->second.amount;
  if ((side == Side::Buy) == pos.is_positive()) return false;
  return amount <= pos.abs();
}

namespace {

// A stop fires when the price reaches its trigger against the order's direction (a buy stop on the way
// up); a take-profit when it reaches it in the order's favour.
bool fires(OrderType type, Side side, const Decimal& trigger, const Decimal& low, const Decimal& high) {
  bool stop = type == OrderType::StopMarket || type == OrderType::StopLimit;
  bool up = (side == Side::Buy) == stop;
  return up ? high >= trigger : low <= trigger;
}

// ---- placing an order: the market's rules, the price it meets, the funds it needs, then by type ----

// The order's own fields against the market's rules and the account's open client order ids.
std::optional<EngineError> check_order(const Account& a, const SimMarket& m, const OrderSpec& spec) {
  if (!spec.amount.is_positive() || !spec.amount.is_multiple_of(m.step) || (m.max_qty.is_positive() && spec.amount > m.max_qty))
    return refuse(Refusal::InvalidQuantity, "quantity " + spec.amount.to_string() + " breaks the step " + m.step.to_string() +
                                                " or maximum " + m.max_qty.to_string());
  if (spec.amount < m.min_qty) return refuse(Refusal::BelowMinQty, "quantity below the minimum " + m.min_qty.to_string());
  if (spec.type == OrderType::Limit || spec.type == OrderType::StopLimit || spec.type == OrderType::TakeProfitLimit) {
    if (!spec.price || !price_fits(m, *spec.price))
      return refuse(Refusal::InvalidPrice,
                    spec.price ? "price " + spec.price->to_string() + " does not fit the market" : "a limit order needs a price");
    if (*spec.price > kMaxPrice) return refuse(Refusal::InvalidPrice, "price out of range");
  }
  if (!spec.client_order_id.empty() && a.open_by_client_id.count(spec.client_order_id))
    return refuse(Refusal::DuplicateClientOrderId, "client order id already used by an open order");
  return std::nullopt;
}

// Where an order meets the market: a market order, or a limit that crosses, takes at the current price;
// any other limit rests at its own.
struct Meeting {
  bool takes = false;
  Decimal price;     // of the fill now, or of the resting order
  Decimal notional;  // at the order's own price (the current one for a market order)
};

Meeting market_meeting(const OrderSpec& spec, const Decimal& current) { return {true, current, (current * spec.amount).normalized()}; }

Meeting limit_meeting(const OrderSpec& spec, const Decimal& current) {
  const bool takes = spec.side == Side::Buy ? *spec.price >= current : *spec.price <= current;
  return {takes, takes ? current : *spec.price, (*spec.price * spec.amount).normalized()};
}

// What the order needs free now (and a resting one keeps reserved): perpetuals the margin of the part that
// opens or grows a position and the taker fee; spot the quote with its fee for a buy, the base for a sell.
struct Funds {
  std::string asset;
  Decimal need;
  Decimal reserve;  // what a resting order holds
};

Funds funds_for(const Account& a, const SimMarket& m, const OrderSpec& spec, const Meeting& meet) {
  const Decimal exec_notional = (meet.price * spec.amount).normalized();
  const Decimal& fee_rate = meet.takes ? m.taker_fee : m.maker_fee;
  if (m.perpetual) {
    Decimal opening = spec.reduce_only ? Decimal() : spec.amount;
    auto pos = a.positions.find(position_key(m.id, spec.position_side));
    if (!spec.reduce_only && pos != a.positions.end() && !pos->second.amount.is_zero() &&
        (spec.side == Side::Buy) != pos->second.amount.is_positive())
      opening = std::max(Decimal(), spec.amount - pos->second.amount.abs());
    Decimal margin = margin_of(meet.price * opening, a.futures.leverage_of(m.id));
    Decimal fee = meet.takes ? (exec_notional * fee_rate).normalized() : Decimal();
    return {m.quote, (margin + fee).normalized(), margin};
  }
  if (spec.side == Side::Buy) {
    Decimal need = (exec_notional + exec_notional * fee_rate).normalized();
    return {m.quote, need, need};
  }
  return {m.base, spec.amount.normalized(), spec.amount.normalized()};
}

std::optional<EngineError> check_funds(const Account& a, const Funds& f) {
  auto b = a.balances.find(f.asset);
  Decimal free = b == a.balances.end() ? Decimal() : b->second.free();
  if (free < f.need)
    return refuse(Refusal::InsufficientFunds,
                  "needs " + f.need.to_plain_string() + " " + f.asset + ", " + free.to_plain_string() + " free");
  return std::nullopt;
}

// The order in the venue's book and the account's list, before anything happens to it.
size_t add_order(State& s, Account& a, const std::string& key, const SimMarket& m, const OrderSpec& spec, const std::string& asset,
                 int64_t now) {
  VenueBook& book = s.books[m.venue];
  SimOrder o;
  o.id = book.next_order_id++;
  o.venue = m.venue;
  o.key = key;
  o.symbol = m.id;
  o.client_order_id = spec.client_order_id;
  o.side = spec.side;
  o.type = spec.type;
  o.price = spec.type == OrderType::Limit || spec.type == OrderType::StopLimit || spec.type == OrderType::TakeProfitLimit ? spec.price
                                                                                                                          : std::nullopt;
  o.trigger_price = is_conditional(spec.type) ? spec.trigger_price : std::nullopt;
  o.amount = spec.amount;
  o.post_only = spec.post_only;
  o.reduce_only = spec.reduce_only;
  o.position_side = spec.position_side;
  o.created_ms = o.updated_ms = now;
  size_t idx = s.orders.size();
  s.orders.push_back(o);
  s.reservations.push_back(Reservation{asset, Decimal()});
  book.by_id[o.id] = idx;
  a.orders.push_back(idx);
  return idx;
}

// A limit that does not take rests in the book with its funds reserved until it fills or is cancelled.
void rest(State& s, Account& a, PricePath& p, size_t idx, const Funds& f) {
  s.reservations[idx].amount = f.reserve;
  Balance& b = a.balances[f.asset];
  b.reserved = (b.reserved + f.reserve).normalized();
  p.open_orders.insert(idx);
  a.open.insert(idx);
  const std::string& client_id = s.orders[idx].client_order_id;
  if (!client_id.empty()) a.open_by_client_id[client_id] = idx;
}

// Rests untriggered, holding nothing; one that would trigger now is triggered at once by fill_resting.
EngineResult<SimOrder> place_conditional(State& s, Account& a, PricePath& p, const std::string& key, const OrderSpec& spec, int64_t now) {
  const SimMarket& m = p.market;
  if (spec.type == OrderType::TrailingStop || spec.type == OrderType::TrailingStopLimit)
    return refuse(Refusal::InvalidPrice, "trailing orders are not simulated");
  if (!spec.trigger_price || !price_fits(m, *spec.trigger_price) || *spec.trigger_price > kMaxPrice)
    return refuse(Refusal::InvalidPrice, "the trigger price does not fit the market");
  const Decimal& reference = spec.price ? *spec.price : *spec.trigger_price;
  if (!spec.reduce_only && reference * spec.amount < m.min_notional)
    return refuse(Refusal::BelowMinNotional, "notional below " + m.min_notional.to_string());
  size_t idx = add_order(s, a, key, m, spec, m.quote, now);
  rest(s, a, p, idx, Funds{m.quote, Decimal(), Decimal()});
  const Decimal current = from_units8(p.bars.back().close);
  fill_resting(s, p, current, current, now);
  return s.orders[idx];
}

}  // namespace

PricePath* advance(State& s, const std::string& venue, const std::string& id, int64_t now_ms) {
  auto it = s.paths.find(path_key(venue, id));
  if (it == s.paths.end()) return nullptr;
  PricePath& p = it->second;
  advance_path(p, floor_div(now_ms, kMinuteMs), [&](const Bar& b) {
    if (!p.open_orders.empty()) fill_resting(s, p, from_units8(b.low), from_units8(b.high), now_ms);
  });
  return &p;
}

void advance_venue(State& s, const std::string& venue, int64_t now_ms) {
  for (auto& [k, p] : s.paths)
    if (p.market.venue == venue) advance(s, venue, p.market.id, now_ms);
}

void fill_resting(State& s, PricePath& p, const Decimal& low, const Decimal& high, int64_t now_ms) {
  std::vector<size_t> resting(p.open_orders.begin(), p.open_orders.end());  // oldest first: indices grow
  for (size_t idx : resting) {
    SimOrder& o = s.orders[idx];
    if (o.status != SimOrderStatus::Open) continue;
    std::optional<Decimal> at;  // the fill price
    bool maker = true;
    if (o.trigger_price && !o.triggered) {
      if (!fires(o.type, o.side, *o.trigger_price, low, high)) continue;
      o.triggered = true;
      o.updated_ms = now_ms;
      if (!o.price) {  // a market order from here
        at = *o.trigger_price;
        maker = false;
      }
    }
    if (!at) {
      if (!o.price) continue;
      bool crosses = o.side == Side::Buy ? low <= *o.price : high >= *o.price;
      if (!crosses) continue;
      at = *o.price;
    }
    Account* a = account_of(s, o.key);
    if (o.reduce_only && a && !reduces(*a, p.market, o.side, o.position_side, o.amount - o.filled)) {
      close_order(s, a, idx, SimOrderStatus::Expired, "reduce_only", now_ms);  // as a venue that expires such orders does
      continue;
    }
    apply_fill(s, idx, *at, maker, now_ms);
  }
}

}  // namespace tb::exsim::detail

namespace tb::exsim {

using namespace detail;

EngineResult<SimOrder> Exchange::place(const std::string& key, const OrderSpec& spec, bool reject_post_only_sync) {
  std::lock_guard lock(mu_);
  State& s = *state_;
  int64_t now = clock_.now_ms();
  Account* a = account_of(s, key);
  if (!a) return refuse(Refusal::InsufficientFunds, "no account for this key");
  PricePath* p = advance(s, a->key.venue, spec.symbol, now);
  if (!p) return refuse(Refusal::UnknownSymbol, "unknown symbol " + spec.symbol);
  const SimMarket& m = p->market;
  if (auto bad = check_order(*a, m, spec)) return *bad;
  if (is_conditional(spec.type)) return place_conditional(s, *a, *p, key, spec, now);

  const Decimal current = from_units8(p->bars.back().close);
  const Meeting meet = spec.type == OrderType::Limit ? limit_meeting(spec, current) : market_meeting(spec, current);
  if (!spec.reduce_only && meet.notional < m.min_notional)
    return refuse(Refusal::BelowMinNotional, "notional " + meet.notional.to_string() + " below " + m.min_notional.to_string());
  if (m.perpetual && spec.reduce_only && !reduces(*a, m, spec.side, spec.position_side, spec.amount))
    return refuse(Refusal::ReduceOnlyRejected, "reduce-only order would not reduce the position");
  // A post-only limit that would take: some venues refuse it at once, others accept and cancel it.
  const bool post_only_takes = spec.type == OrderType::Limit && spec.post_only && meet.takes;
  if (post_only_takes && reject_post_only_sync) return refuse(Refusal::PostOnlyWouldTake, "post-only order would take liquidity");
  const Funds funds = funds_for(*a, m, spec, meet);
  if (!post_only_takes)
    if (auto short_of = check_funds(*a, funds)) return *short_of;

  size_t idx = add_order(s, *a, key, m, spec, funds.asset, now);
  if (post_only_takes) close_order(s, nullptr, idx, SimOrderStatus::Canceled, "post_only", now);
  else if (meet.takes) apply_fill(s, idx, meet.price, false, now);
  else rest(s, *a, *p, idx, funds);
  return s.orders[idx];
}

EngineResult<SimOrder> Exchange::cancel(const std::string& key, uint64_t id, const std::string& client_order_id) {
  std::lock_guard lock(mu_);
  State& s = *state_;
  Account* a = account_of(s, key);
  if (!a) return refuse(Refusal::OrderNotFound, "no account for this key");
  advance_venue(s, a->key.venue, clock_.now_ms());  // an order that filled meanwhile cannot be canceled
  std::optional<size_t> idx;
  if (!client_order_id.empty()) {
    auto c = a->open_by_client_id.find(client_order_id);
    if (c != a->open_by_client_id.end()) idx = c->second;
  } else {
    auto& by_id = s.books[a->key.venue].by_id;
    auto it = by_id.find(id);
    if (it != by_id.end() && s.orders[it->second].key == key) idx = it->second;
  }
  if (!idx || s.orders[*idx].status != SimOrderStatus::Open) return refuse(Refusal::OrderNotFound, "no such open order");
  close_order(s, a, *idx, SimOrderStatus::Canceled, "canceled", clock_.now_ms());
  return s.orders[*idx];
}

bool Exchange::would_trigger(const std::string& venue, const OrderSpec& spec) {
  std::lock_guard lock(mu_);
  PricePath* p = advance(*state_, venue, spec.symbol, clock_.now_ms());
  if (!p || !spec.trigger_price || !is_conditional(spec.type)) return false;
  const Decimal current = from_units8(p->bars.back().close);
  return fires(spec.type, spec.side, *spec.trigger_price, current, current);
}

std::optional<SimOrder> Exchange::order(const std::string& key, uint64_t id, const std::string& client_order_id) const {
  std::lock_guard lock(mu_);
  State& s = *state_;
  Account* a = account_of(s, key);
  if (!a) return std::nullopt;
  advance_venue(s, a->key.venue, clock_.now_ms());
  if (!client_order_id.empty()) {
    auto c = a->open_by_client_id.find(client_order_id);
    if (c != a->open_by_client_id.end()) return s.orders[c->second];
    for (auto it = a->orders.rbegin(); it != a->orders.rend(); ++it)
      if (s.orders[*it].client_order_id == client_order_id) return s.orders[*it];
    return std::nullopt;
  }
  auto& by_id = s.books[a->key.venue].by_id;
  auto it = by_id.find(id);
  if (it == by_id.end() || s.orders[it->second].key != key) return std::nullopt;
  return s.orders[it->second];
}

std::vector<SimOrder> Exchange::open_orders(const std::string& key, const std::string& symbol) const {
  std::lock_guard lock(mu_);
  State& s = *state_;
  Account* a = account_of(s, key);
  if (!a) return {};
  advance_venue(s, a->key.venue, clock_.now_ms());
  std::vector<SimOrder> out;
  for (size_t idx : a->open)
    if (symbol.empty() || s.orders[idx].symbol == symbol) out.push_back(s.orders[idx]);
  return out;
}

std::vector<SimOrder> Exchange::orders(const std::string& key) const {
  std::lock_guard lock(mu_);
  State& s = *state_;
  Account* a = account_of(s, key);
  if (!a) return {};
  advance_venue(s, a->key.venue, clock_.now_ms());
  std::vector<SimOrder> out;
  for (size_t idx : a->orders) out.push_back(s.orders[idx]);
  return out;
}

std::map<std::string, Balance> Exchange::balances(const std::string& key) const {
  std::lock_guard lock(mu_);
  Account* a = account_of(*state_, key);
  if (!a) return {};
  advance_venue(*state_, a->key.venue, clock_.now_ms());
  return a->balances;
}

void Exchange::set_balance(const std::string& key, const std::string& asset, const Decimal& total) {
  std::lock_guard lock(mu_);
  Account* a = account_of(*state_, key);
  if (a) a->balances[asset].total = total.normalized();
}

std::vector<SimPosition> Exchange::positions(const std::string& key) const {
  std::lock_guard lock(mu_);
  State& s = *state_;
  Account* a = account_of(s, key);
  if (!a) return {};
  advance_venue(s, a->key.venue, clock_.now_ms());
  std::vector<SimPosition> out;
  for (const auto& [_, pos] : a->positions) {
    if (pos.amount.is_zero()) continue;
    SimPosition p = pos;
    auto path = s.paths.find(path_key(a->key.venue, pos.symbol));
    if (path != s.paths.end())
      p.unrealized_pnl = ((from_units8(path->second.bars.back().close) - pos.entry_price) * pos.amount).normalized();
    out.push_back(p);
  }
  return out;
}

}  // namespace tb::exsim
