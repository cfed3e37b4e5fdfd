#include "robots/robot_run.hpp"

#include <algorithm>
#include <exception>

#include <nlohmann/json.hpp>

namespace tb::robots {
namespace {

using json = nlohmann::json;

// Where a signal fills within candle c, if it does.
std::optional<Decimal> fill_price(const Signal& s, const Candle& c) {
  bool buy = buys(s.action);
  switch (s.order) {
    case OrderKind::Market: return c.open;
    case OrderKind::Stop:
      if (buy) return c.high >= s.price ? std::optional<Decimal>(std::max(c.open, s.price)) : std::nullopt;
      return c.low <= s.price ? std::optional<Decimal>(std::min(c.open, s.price)) : std::nullopt;
    case OrderKind::Limit:
      if (buy) return c.low <= s.price ? std::optional<Decimal>(std::min(c.open, s.price)) : std::nullopt;
      return c.high >= s.price ? std::optional<Decimal>(std::max(c.open, s.price)) : std::nullopt;
  }
  return std::nullopt;
}

Decimal decimal_of(const json& j) {
  auto d = Decimal::parse(j.get<std::string>());
  if (!d) throw std::invalid_argument("a price or amount is not a decimal");
  return *d;
}

}  // namespace

const std::vector<Signal>& RobotRun::step(const Candle& closed) {
  filled_.clear();
  for (size_t i : fill_order()) {
    const Signal& sig = pending_[i];
    const bool triggered = std::find(triggered_.begin(), triggered_.end(), i) != triggered_.end();
    if (apply(sig, closed, triggered) && !triggered && sig.order != OrderKind::Market) filled_.push_back(sig);
  }
  triggered_.clear();
  next_.clear();
  strategy_.step(closed, holding(), next_);
  pending_.swap(next_);
  ++index_;
  return pending_;
}

std::vector<size_t> RobotRun::fill_order() const {
  std::vector<size_t> order;
  for (size_t i = 0; i < pending_.size(); ++i)
    if (triggered_.empty() || pending_[i].order == OrderKind::Market) order.push_back(i);
  if (triggered_.empty()) return order;  // the backtest's order: as the strategy gave them
  // The ticker saw these cross: after the market signals (the candle's open), before the rest.
  order.insert(order.end(), triggered_.begin(), triggered_.end());
  for (size_t i = 0; i < pending_.size(); ++i)
    if (std::find(order.begin(), order.end(), i) == order.end()) order.push_back(i);
  return order;
}

std::optional<TradeSide> RobotRun::position_in_candle() const {
  std::optional<TradeSide> position;
  if (open_) position = open_->side;
  for (const auto& sig : pending_)
    if (sig.order == OrderKind::Market) admits(sig, position);
  for (size_t i : triggered_) admits(pending_[i], position);
  return position;
}

bool RobotRun::watching(size_t i) const {
  return pending_[i].order != OrderKind::Market && std::find(triggered_.begin(), triggered_.end(), i) == triggered_.end();
}

std::vector<Signal> RobotRun::trigger(const Decimal& price) {
  std::optional<TradeSide> position = position_in_candle();
  const Candle at{0, price, price, price, price, Decimal()};
  std::vector<Signal> out;
  for (size_t i = 0; i < pending_.size(); ++i) {
    const Signal& sig = pending_[i];
    if (!watching(i) || !fill_price(sig, at) || !admits(sig, position)) continue;
    triggered_.push_back(i);
    out.push_back(sig);
  }
  return out;
}

bool RobotRun::has_untriggered_alerts() const {
  const std::optional<TradeSide> position = position_in_candle();
  for (size_t i = 0; i < pending_.size(); ++i) {
    std::optional<TradeSide> p = position;
    if (watching(i) && admits(pending_[i], p)) return true;
  }
  return false;
}

bool RobotRun::admits(const Signal& sig, std::optional<TradeSide>& position) const {
  const bool opens = sig.action == Action::Long || sig.action == Action::Short;
  const TradeSide side = sig.action == Action::Long || sig.action == Action::CloseLong ? TradeSide::Long : TradeSide::Short;
  if (opens) {
    if (position || (side == TradeSide::Short && !s_.market.shorts)) return false;
    position = side;
    return true;
  }
  if (!position || *position != side) return false;
  position.reset();
  return true;
}

bool RobotRun::apply(const Signal& sig, const Candle& c, bool triggered) {
  std::optional<TradeSide> position;
  if (open_) position = open_->side;
  if (!admits(sig, position)) return false;
  auto price = fill_price(sig, c);
  if (!price && triggered) price = sig.price;  // the ticker crossed it, though the candle's range says not
  if (!price) return false;
  if (position) open(*position, *price, c);  // an entry (a trade below the market's minimum is skipped and counted)
  else close(*price, c);
  return true;
}

Holding RobotRun::holding() const {
  if (!open_) return {};
  return {open_->side == TradeSide::Long ? Exposure::Long : Exposure::Short, open_->entry_price, index_ - entry_index_};
}

std::optional<OpenPosition> RobotRun::open_position() const {
  if (!open_) return std::nullopt;
  OpenPosition p = *open_;
  p.bars_held = index_ - 1 - entry_index_;
  return p;
}

void RobotRun::open(TradeSide side, const Decimal& price, const Candle& c) {
  static const Decimal kFine = *Decimal::parse("0.00000001");
  const Decimal& step = s_.market.step.is_positive() ? s_.market.step : kFine;
  Decimal amount = s_.volume_quote.divide(price, std::max<int>(step.scale(), 8), Rounding::Down).round_to_step(step, Rounding::Down);
  if (!amount.is_positive() || amount < s_.market.min_qty || amount * price < s_.market.min_notional) {
    ++skipped_;
    return;
  }
  open_ = OpenPosition{side, c.open_time_ms, price, amount, s_.fee_rate * (amount * price), 0};
  entry_index_ = index_;
}

void RobotRun::close(const Decimal& price, const Candle& c) {
  const OpenPosition& p = *open_;
  Decimal fees = p.fees + s_.fee_rate * (p.amount * price);
  Decimal move = p.side == TradeSide::Long ? price - p.entry_price : p.entry_price - price;
  trades_.push_back(
      Trade{p.side, p.entry_time_ms, p.entry_price, c.open_time_ms, price, p.amount, fees, move * p.amount - fees, index_ - entry_index_});
  open_.reset();
}

json RobotRun::state() const {
  json pending = json::array();
  for (const auto& s : pending_)
    pending.push_back({{"action", to_string(s.action)}, {"order", to_string(s.order)}, {"price", s.price.to_string()}});
  json position = nullptr;
  if (open_)
    position = {
        {"side", to_string(open_->side)},      {"entry_time", open_->entry_time_ms}, {"entry_price", open_->entry_price.to_string()},
        {"amount", open_->amount.to_string()}, {"fees", open_->fees.to_string()},    {"entry_index", entry_index_}};
  return {{"candles", index_},  {"skipped", skipped_},     {"position", position},
          {"pending", pending}, {"triggered", triggered_}, {"strategy", strategy_.state()}};
}

Status RobotRun::restore(const json& j) {
  try {
    std::vector<Signal> pending;
    for (const auto& p : j.at("pending")) {
      auto action = parse_signal_action(p.at("action").get<std::string>());
      auto order = parse_signal_order(p.at("order").get<std::string>());
      if (!action || !order) throw std::invalid_argument("a pending signal's action or order is unknown");
      pending.push_back(Signal{*action, *order, decimal_of(p.at("price"))});
    }
    std::optional<OpenPosition> position;
    int64_t entry_index = 0;
    if (const json& p = j.at("position"); !p.is_null()) {
      position = OpenPosition{p.at("side") == "short" ? TradeSide::Short : TradeSide::Long,
                              p.at("entry_time").get<int64_t>(),
                              decimal_of(p.at("entry_price")),
                              decimal_of(p.at("amount")),
                              decimal_of(p.at("fees")),
                              0};
      entry_index = p.at("entry_index").get<int64_t>();
    }
    const int64_t index = j.at("candles").get<int64_t>(), skipped = j.at("skipped").get<int64_t>();
    std::vector<size_t> triggered;  // absent from the states saved before the ticker was watched
    if (j.contains("triggered")) triggered = j.at("triggered").get<std::vector<size_t>>();
    for (size_t i : triggered)
      if (i >= pending.size() || pending[i].order == OrderKind::Market) throw std::invalid_argument("a triggered alert is not pending");
    strategy_.restore(j.at("strategy"));  // last: the run changes only once everything else was read
    index_ = index;
    skipped_ = skipped;
    open_ = position;
    entry_index_ = entry_index;
    pending_ = std::move(pending);
    triggered_ = std::move(triggered);
  } catch (const std::exception& e) {
    return Error::invalid("state", std::string("does not fit this robot: ") + e.what());
  }
  return ok_status();
}

}  // namespace tb::robots
