#include "robots/report.hpp"

#include <cmath>
#include <cstdio>
#include <iomanip>
#include <nlohmann/json.hpp>
#include <ostream>

#include "robots/time_text.hpp"

namespace tb::robots {
namespace {

using json = nlohmann::json;

// The summary table's rows, in the order of issue 12's part 4.
constexpr const char* kTableOrder[] = {
    "net_profit",        "net_profit_pct",  "trades",  "wins",         "losses",       "win_rate",     "gross_profit",
    "gross_loss",        "profit_factor",   "avg_win", "avg_loss",     "payoff_ratio", "max_drawdown", "max_drawdown_pct",
    "max_drawdown_date", "recovery_factor", "sharpe",  "avg_bars_held"};

json trade_json(const Trade& t) {
  return {{"side", to_string(t.side)},
          {"entry_time", iso_utc(t.entry_time_ms)},
          {"entry_price", t.entry_price.to_plain_string()},
          {"exit_time", iso_utc(t.exit_time_ms)},
          {"exit_price", t.exit_price.to_plain_string()},
          {"amount", t.amount.to_plain_string()},
          {"fees", t.fees.to_plain_string()},
          {"profit", t.profit.to_plain_string()},
          {"bars_held", t.bars_held}};
}

json open_json(const std::optional<OpenPosition>& p) {
  if (!p) return nullptr;
  return {{"side", to_string(p->side)},
          {"entry_time", iso_utc(p->entry_time_ms)},
          {"entry_price", p->entry_price.to_plain_string()},
          {"amount", p->amount.to_plain_string()},
          {"fees", p->fees.to_plain_string()},
          {"bars_held", p->bars_held}};
}

// A statistic for the table: decimals as they are, ratios to 2 decimals (4 below 1), absent as "-".
std::string cell(const json& v) {
  if (v.is_null()) return "-";
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_integer()) return v.dump();
  double x = v.get<double>();
  char buf[48];
  std::snprintf(buf, sizeof buf, std::fabs(x) < 1 ? "%.4f" : "%.2f", x);
  return buf;
}

std::string money_cell(const json& v) {
  if (!v.is_string()) return cell(v);
  auto d = Decimal::parse(v.get<std::string>());
  return d ? d->to_fixed(std::min(d->scale(), 4)) : v.get<std::string>();
}

void print_trades(std::ostream& out, const BacktestResult& r) {
  out << "\n" << r.trades.size() << " trades\n";
  out << std::left << std::setw(6) << "side" << std::setw(22) << "entry" << std::setw(16) << "entry price" << std::setw(22) << "exit"
      << std::setw(16) << "exit price" << std::setw(14) << "amount" << std::setw(12) << "fees"
      << "profit\n";
  for (const auto& t : r.trades)
    out << std::setw(6) << to_string(t.side) << std::setw(22) << iso_utc(t.entry_time_ms) << std::setw(16)
        << t.entry_price.to_plain_string() << std::setw(22) << iso_utc(t.exit_time_ms) << std::setw(16) << t.exit_price.to_plain_string()
        << std::setw(14) << t.amount.to_plain_string() << std::setw(12) << money_cell(t.fees.to_plain_string())
        << money_cell(t.profit.to_plain_string()) << "\n";
  if (r.open_position)
    out << "open: " << to_string(r.open_position->side) << " since " << iso_utc(r.open_position->entry_time_ms) << " at "
        << r.open_position->entry_price.to_plain_string() << ", amount " << r.open_position->amount.to_plain_string()
        << " (not in the statistics)\n";
}

}  // namespace

json backtest_json(const BacktestResult& r, const BacktestLabels& labels, const json& params, int64_t first_ms, int64_t last_ms) {
  json trades = json::array();
  for (const auto& t : r.trades) trades.push_back(trade_json(t));
  json equity = json::array({json::array({iso_utc(first_ms), "0"})});
  for (const auto& [time, value] : r.stats.all.equity) equity.push_back(json::array({iso_utc(time), value.to_plain_string()}));
  return {{"strategy", labels.strategy},
          {"params", params},
          {"venue", labels.venue},
          {"symbol", labels.symbol},
          {"timeframe", labels.timeframe},
          {"candles", r.candles},
          {"from", iso_utc(first_ms)},
          {"to", iso_utc(last_ms)},
          {"skipped", r.skipped},
          {"warmup_bars", r.warmup_bars},
          {"stats", {{"all", stats_json(r.stats.all)}, {"long", stats_json(r.stats.longs)}, {"short", stats_json(r.stats.shorts)}}},
          {"trades", trades},
          {"open_position", open_json(r.open_position)},
          {"equity", equity}};
}

void print_backtest_text(std::ostream& out, const BacktestResult& r, const BacktestLabels& labels, const json& params, int64_t first_ms,
                         int64_t last_ms) {
  out << labels.strategy << " " << params.dump() << " on " << labels.venue << " " << labels.symbol << " " << labels.timeframe << ": "
      << r.candles << " candles, " << iso_utc(first_ms) << " to " << iso_utc(last_ms) << "\n";
  if (r.skipped > 0) out << r.skipped << " entries skipped: below the market's minimum amount\n";
  if (r.candles < r.warmup_bars) out << "note: " << labels.strategy << " needs " << r.warmup_bars << " candles before its first signal\n";
  json all = stats_json(r.stats.all), longs = stats_json(r.stats.longs), shorts = stats_json(r.stats.shorts);
  out << "\n"
      << std::left << std::setw(20) << "" << std::right << std::setw(22) << "all" << std::setw(22) << "long" << std::setw(22) << "short"
      << "\n";
  for (const char* name : kTableOrder) {
    const json& value = all[name];
    bool money = value.is_string() && std::string_view(name) != "max_drawdown_date";
    auto show = [&](const json& v) { return money ? money_cell(v) : cell(v); };
    out << std::left << std::setw(20) << name << std::right << std::setw(22) << show(value) << std::setw(22) << show(longs[name])
        << std::setw(22) << show(shorts[name]) << "\n";
  }
  print_trades(out, r);
}

}  // namespace tb::robots
