#include "robots/stats.hpp"

#include <cmath>
#include <nlohmann/json.hpp>

#include "robots/time_text.hpp"

namespace tb::robots {
namespace {

using json = nlohmann::json;

constexpr int kAverageScale = 10;

std::optional<double> ratio(double num, double den) { return den != 0 ? std::optional<double>(num / den) : std::nullopt; }

double pct(const Decimal& part, const Decimal& whole) { return part.to_double() / whole.to_double() * 100; }

// Equity after each trade, and the deepest fall from a peak with the peak it fell from.
void add_drawdown(Stats& s, const std::vector<const Trade*>& trades, const StatsBasis& basis) {
  Decimal equity, peak, deepest_peak;
  for (const Trade* t : trades) {
    equity += t->profit;
    s.equity.emplace_back(t->exit_time_ms, equity);
    if (equity > peak) peak = equity;
    if (peak - equity > s.max_drawdown) {
      s.max_drawdown = peak - equity;
      s.max_drawdown_date = t->exit_time_ms;
      deepest_peak = peak;
    }
  }
  if (s.max_drawdown.is_positive()) s.max_drawdown_pct = pct(s.max_drawdown, basis.volume_quote + deepest_peak);
}

std::optional<double> monthly_sharpe(const std::vector<const Trade*>& trades, const StatsBasis& basis) {
  int64_t first = month_index(basis.from_ms), last = month_index(basis.to_ms);
  if (last - first + 1 < 2) return std::nullopt;
  std::vector<double> profit(static_cast<size_t>(last - first + 1), 0.0);
  for (const Trade* t : trades) {
    int64_t m = month_index(t->exit_time_ms);
    if (m >= first && m <= last) profit[static_cast<size_t>(m - first)] += t->profit.to_double();
  }
  double volume = basis.volume_quote.to_double(), mean = 0, var = 0;
  for (double& p : profit) mean += (p /= volume);
  mean /= static_cast<double>(profit.size());
  for (double r : profit) var += (r - mean) * (r - mean);
  double sd = std::sqrt(var / static_cast<double>(profit.size() - 1));
  if (sd == 0) return std::nullopt;
  return mean / sd * std::sqrt(12.0);
}

json optional_number(const std::optional<double>& v) { return v ? json(*v) : json(); }

}  // namespace

std::string_view to_string(TradeSide side) { return side == TradeSide::Long ? "long" : "short"; }

Stats compute_stats(const std::vector<Trade>& trades, const StatsBasis& basis, std::optional<TradeSide> side) {
  std::vector<const Trade*> chosen;
  for (const auto& t : trades)
    if (!side || t.side == *side) chosen.push_back(&t);
  Stats s;
  int64_t bars = 0;
  for (const Trade* t : chosen) {
    s.net_profit += t->profit;
    bars += t->bars_held;
    if (t->profit.is_positive()) {
      ++s.wins;
      s.gross_profit += t->profit;
    } else {
      ++s.losses;
      s.gross_loss += t->profit;
    }
  }
  s.trades = static_cast<int64_t>(chosen.size());
  s.net_profit_pct = pct(s.net_profit, basis.volume_quote);
  if (s.trades > 0) {
    s.win_rate = 100.0 * static_cast<double>(s.wins) / static_cast<double>(s.trades);
    s.avg_bars_held = static_cast<double>(bars) / static_cast<double>(s.trades);
  }
  s.profit_factor = ratio(s.gross_profit.to_double(), -s.gross_loss.to_double());
  if (s.wins > 0) s.avg_win = s.gross_profit.divide(Decimal::from_int(s.wins), kAverageScale, Rounding::HalfEven);
  if (s.losses > 0) s.avg_loss = s.gross_loss.divide(Decimal::from_int(s.losses), kAverageScale, Rounding::HalfEven);
  if (s.avg_win && s.avg_loss) s.payoff_ratio = ratio(s.avg_win->to_double(), -s.avg_loss->to_double());
  add_drawdown(s, chosen, basis);
  if (s.max_drawdown.is_positive()) s.recovery_factor = s.net_profit_pct / s.max_drawdown_pct;
  s.sharpe = monthly_sharpe(chosen, basis);
  return s;
}

StatsSet compute_stats_set(const std::vector<Trade>& trades, const StatsBasis& basis) {
  return {compute_stats(trades, basis), compute_stats(trades, basis, TradeSide::Long), compute_stats(trades, basis, TradeSide::Short)};
}

json stats_json(const Stats& s) {
  auto money = [](const std::optional<Decimal>& d) { return d ? json(d->to_plain_string()) : json(); };
  return {{"net_profit", s.net_profit.to_plain_string()},
          {"net_profit_pct", s.net_profit_pct},
          {"trades", s.trades},
          {"wins", s.wins},
          {"losses", s.losses},
          {"win_rate", optional_number(s.win_rate)},
          {"gross_profit", s.gross_profit.to_plain_string()},
          {"gross_loss", s.gross_loss.to_plain_string()},
          {"profit_factor", optional_number(s.profit_factor)},
          {"avg_win", money(s.avg_win)},
          {"avg_loss", money(s.avg_loss)},
          {"payoff_ratio", optional_number(s.payoff_ratio)},
          {"max_drawdown", s.max_drawdown.to_plain_string()},
          {"max_drawdown_pct", s.max_drawdown_pct},
          {"max_drawdown_date", s.max_drawdown_date ? json(iso_utc(*s.max_drawdown_date)) : json()},
          {"recovery_factor", optional_number(s.recovery_factor)},
          {"sharpe", optional_number(s.sharpe)},
          {"avg_bars_held", optional_number(s.avg_bars_held)}};
}

}  // namespace tb::robots
