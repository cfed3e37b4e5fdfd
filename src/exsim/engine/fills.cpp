// Fills on demand: a test fills part of a resting order now, as the market would have, to see what the
// platform makes of a partial fill. The fill itself is the engine's (apply_fill), so balances, positions
// and fees are those of any other fill.
#include "exsim/engine/state.hpp"

namespace tb::exsim {

using namespace detail;

namespace {

Error bad(const std::string& field, const std::string& message) { return Error::make(ErrorKind::InvalidArgument, field + ": " + message); }

// The order a venue id, or a client order id (among open orders, of one key or the venue's only one), names.
Result<size_t> find_open(State& s, const std::string& venue, uint64_t id, const std::string& client_order_id, const std::string& key) {
  if (client_order_id.empty()) {
    auto& by_id = s.books[venue].by_id;
    auto it = by_id.find(id);
    if (it == by_id.end()) return bad("order_id", "no order " + std::to_string(id) + " on " + venue);
    return it->second;
  }
  std::optional<size_t> found;
  for (auto& [k, a] : s.accounts) {
    if (a.key.venue != venue || (!key.empty() && k != key)) continue;
    auto c = a.open_by_client_id.find(client_order_id);
    if (c == a.open_by_client_id.end()) continue;
    if (found) return bad("client_order_id", "open on several keys of " + venue + "; give the key or the order_id");
    found = c->second;
  }
  if (!found) return bad("client_order_id", "no open order '" + client_order_id + "' on " + venue);
  return *found;
}

// What a part fill needs of the order: resting at a limit price, and a quantity the market allows.
Status check_part(const SimOrder& o, const SimMarket& m, const Decimal& qty, const std::string& field) {
  if (o.status != SimOrderStatus::Open) return bad(field, "the order is " + std::string(to_string(o.status)) + ", not open");
  if (!o.price || (o.trigger_price && !o.triggered))
    return bad(field, "the order rests at no limit price yet (a conditional not triggered)");
  if (!qty.is_positive()) return bad("amount", "must be a positive decimal");
  if (!qty.is_multiple_of(m.step)) return bad("amount", "must be a multiple of the market's step " + m.step.to_string());
  const Decimal remaining = o.amount - o.filled;
  if (qty > remaining) return bad("amount", "more than the " + remaining.normalized().to_string() + " still open");
  return ok_status();
}

}  // namespace

Result<SimOrder> Exchange::fill_part(const std::string& venue, uint64_t id, const std::string& client_order_id, const std::string& key,
                                     const Decimal& qty) {
  std::lock_guard lock(mu_);
  State& s = *state_;
  const int64_t now = clock_.now_ms();
  advance_venue(s, venue, now);  // what the market filled meanwhile comes first
  auto idx = find_open(s, venue, id, client_order_id, key);
  if (!idx) return idx.error();
  const std::string field = client_order_id.empty() ? "order_id" : "client_order_id";
  SimOrder& o = s.orders[*idx];
  auto path = s.paths.find(path_key(o.venue, o.symbol));
  Account* a = account_of(s, o.key);
  if (path == s.paths.end() || !a) return bad(field, "the order's market or account is gone");
  const SimMarket& m = path->second.market;
  if (auto checked = check_part(o, m, qty, field); !checked) return checked.error();
  if (o.reduce_only && !reduces(*a, m, o.side, o.position_side, qty))
    return Error::make(ErrorKind::Conflict, "amount: a reduce-only order would not reduce the position by it");
  apply_fill(s, *idx, *o.price, /*maker=*/true, now, qty);
  return s.orders[*idx];
}

}  // namespace tb::exsim
