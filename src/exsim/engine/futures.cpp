// Futures account settings: position mode, and per symbol leverage and margin type. A new leverage moves
// the margin an open position holds at once, as the venue recomputes it.
#include "exsim/engine/state.hpp"

namespace tb::exsim {
using namespace detail;

namespace {

Error bad(std::string message) { return Error::make(ErrorKind::InvalidArgument, std::move(message)); }

}  // namespace

FuturesConfig Exchange::futures_config(const std::string& key) const {
  std::lock_guard lock(mu_);
  Account* a = account_of(*state_, key);
  return a ? a->futures : FuturesConfig{};
}

Status Exchange::set_leverage(const std::string& key, const std::string& symbol, int leverage) {
  std::lock_guard lock(mu_);
  State& s = *state_;
  Account* a = account_of(s, key);
  if (!a) return bad("unknown key");
  auto path = s.paths.find(path_key(a->key.venue, symbol));
  if (path == s.paths.end() || !path->second.market.perpetual) return bad("unknown perpetual symbol: " + symbol);
  if (leverage < 1 || leverage > kMaxLeverage) return bad("leverage must be between 1 and 125");
  int before = a->futures.leverage_of(symbol);
  a->futures.leverage[symbol] = leverage;
  for (const auto& [_, pos] : a->positions) {  // in hedge mode the long and the short of the symbol
    if (pos.symbol != symbol || pos.amount.is_zero()) continue;
    Balance& quote = a->balances[path->second.market.quote];
    Decimal moved = position_margin(pos, leverage) - position_margin(pos, before);
    quote.reserved = (quote.reserved + moved).normalized();
  }
  return ok_status();
}

Status Exchange::set_isolated(const std::string& key, const std::string& symbol, bool isolated) {
  std::lock_guard lock(mu_);
  Account* a = account_of(*state_, key);
  if (!a) return bad("unknown key");
  if (isolated) a->futures.isolated.insert(symbol);
  else a->futures.isolated.erase(symbol);
  return ok_status();
}

Status Exchange::set_hedge_mode(const std::string& key, bool hedge) {
  std::lock_guard lock(mu_);
  Account* a = account_of(*state_, key);
  if (!a) return bad("unknown key");
  a->futures.hedge_mode = hedge;
  return ok_status();
}

}  // namespace tb::exsim
