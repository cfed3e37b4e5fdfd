#include "robots/backtest.hpp"

#include <algorithm>

namespace tb::robots {
namespace {

constexpr size_t kProgressEvery = 1 << 16;

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

// The robot's position through a backtest, and the trades it closed.
class Book {
 public:
  explicit Book(const BacktestSettings& s) : s_(s) {}

  void apply(const Signal& sig, const Candle& c, size_t index) {
    bool opens = sig.action == Action::Long || sig.action == Action::Short;
    TradeSide side = sig.action == Action::Long || sig.action == Action::CloseLong ? TradeSide::Long : TradeSide::Short;
    if (opens ? (open_.has_value() || (side == TradeSide::Short && !s_.market.shorts)) : (!open_ || open_->side != side)) return;
    auto price = fill_price(sig, c);
    if (!price) return;
    if (opens) open(side, *price, c, index);
    else close(*price, c, index);
  }

  Holding holding(size_t index) const {
    if (!open_) return {};
    return {open_->side == TradeSide::Long ? Exposure::Long : Exposure::Short, open_->entry_price,
            static_cast<int64_t>(index - entry_index_)};
  }

  std::vector<Trade>& trades() { return trades_; }
  int64_t skipped() const { return skipped_; }
  std::optional<OpenPosition> open_position(size_t last_index) const {
    if (!open_) return std::nullopt;
    OpenPosition p = *open_;
    p.bars_held = static_cast<int64_t>(last_index - entry_index_);
    return p;
  }

 private:
  void open(TradeSide side, const Decimal& price, const Candle& c, size_t index) {
    static const Decimal kFine = *Decimal::parse("0.00000001");
    const Decimal& step = s_.market.step.is_positive() ? s_.market.step : kFine;
    Decimal amount = s_.volume_quote.divide(price, std::max<int>(step.scale(), 8), Rounding::Down).round_to_step(step, Rounding::Down);
    if (!amount.is_positive() || amount < s_.market.min_qty || amount * price < s_.market.min_notional) {
      ++skipped_;
      return;
    }
    open_ = OpenPosition{side, c.open_time_ms, price, amount, s_.fee_rate * (amount * price), 0};
    entry_index_ = index;
  }

  void close(const Decimal& price, const Candle& c, size_t index) {
    const OpenPosition& p = *open_;
    Decimal fees = p.fees + s_.fee_rate * (p.amount * price);
    Decimal move = p.side == TradeSide::Long ? price - p.entry_price : p.entry_price - price;
    trades_.push_back(Trade{p.side, p.entry_time_ms, p.entry_price, c.open_time_ms, price, p.amount, fees, move * p.amount - fees,
                            static_cast<int64_t>(index - entry_index_)});
    open_.reset();
  }

  const BacktestSettings& s_;
  std::optional<OpenPosition> open_;
  size_t entry_index_ = 0;
  std::vector<Trade> trades_;
  int64_t skipped_ = 0;
};

}  // namespace

BacktestResult run_backtest(Strategy& strategy, const std::vector<Candle>& candles, const BacktestSettings& settings,
                            const Progress& progress) {
  Book book(settings);
  std::vector<Signal> pending, next;
  for (size_t i = 0; i < candles.size(); ++i) {
    for (const auto& sig : pending) book.apply(sig, candles[i], i);
    next.clear();
    strategy.step(candles[i], book.holding(i), next);
    pending.swap(next);
    if (progress && (i + 1) % kProgressEvery == 0) progress(i + 1, candles.size());
  }
  if (progress) progress(candles.size(), candles.size());
  BacktestResult r;
  r.candles = static_cast<int64_t>(candles.size());
  r.warmup_bars = strategy.warmup_bars();
  r.skipped = book.skipped();
  r.open_position = candles.empty() ? std::nullopt : book.open_position(candles.size() - 1);
  r.trades = std::move(book.trades());
  StatsBasis basis{settings.volume_quote, candles.empty() ? 0 : candles.front().open_time_ms,
                   candles.empty() ? 0 : candles.back().open_time_ms};
  r.stats = compute_stats_set(r.trades, basis);
  return r;
}

}  // namespace tb::robots
