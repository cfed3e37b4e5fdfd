// PgStore: the rows an account or a key test owns.
#include "store/pg/pg_owned_rows.hpp"

#include <unordered_map>

#include "store/pg/pg_rows.hpp"

namespace tb::store::pg {

namespace {

// The ids of `owners` as a PostgreSQL array literal, bound as one parameter: "{3,5,8}".
template <typename Owner>
std::string id_array(const std::vector<Owner>& owners) {
  std::string out = "{";
  for (const auto& o : owners) out += (out.size() > 1 ? "," : "") + std::to_string(o.id);
  return out + "}";
}

// The rows `sql` selects ($1: the owners' ids; the owner's id first, ordered by owner and seq), each handed to
// `read` with its owner.
template <typename Owner, typename Read>
Status read_owned(PgConn& c, std::vector<Owner>& owners, std::string_view sql, Read read) {
  if (owners.empty()) return ok_status();
  std::unordered_map<int64_t, Owner*> by_id;
  for (auto& o : owners) by_id[o.id] = &o;
  auto res = c.run(sql, PgParams(id_array(owners)));
  if (!res) return res.error();
  for (int i = 0; i < res->rows(); ++i) {
    PgRow r = res->row(i);
    auto it = by_id.find(r.int_at(0));
    if (it == by_id.end()) continue;
    if (auto st = read(r, *it->second); !st) return st;
  }
  return ok_status();
}

Status read_balance(const PgRow& r, Account& a) {
  auto total = decimal_at(r, 2, "account_balances.total");
  auto free = decimal_at(r, 3, "account_balances.free");
  auto used = decimal_at(r, 4, "account_balances.used");
  if (!total || !free || !used) return Error::make(ErrorKind::Internal, "store: account_balances has a bad decimal");
  a.portfolio.balances.push_back(Balance{r.text_at(1), *total, *free, *used});
  return ok_status();
}

Status read_position(const PgRow& r, Account& a) {
  Position p;
  p.symbol = r.text_at(1);
  auto amount = decimal_at(r, 2, "account_positions.amount");
  auto entry = decimal_at(r, 3, "account_positions.entry_price");
  auto pnl = decimal_at(r, 4, "account_positions.unrealized_pnl");
  if (!amount || !entry || !pnl) return Error::make(ErrorKind::Internal, "store: account_positions has a bad decimal");
  if (!r.is_null(5)) {
    auto leverage = decimal_at(r, 5, "account_positions.leverage");
    if (!leverage) return leverage.error();
    p.leverage = *leverage;
  }
  p.amount = *amount;
  p.entry_price = *entry;
  p.unrealized_pnl = *pnl;
  a.portfolio.positions.push_back(std::move(p));
  return ok_status();
}

Status read_step(const PgRow& r, KeyTest& t) {
  auto name = parse_step_name(r.text_at(1));
  auto state = parse_step_state(r.text_at(2));
  if (!name || !state) return Error::make(ErrorKind::Internal, "store: key_test_steps has an unknown name or state");
  t.steps.push_back(KeyTestStep{*name, *state, r.text_at(3), r.int_at(4)});
  return ok_status();
}

Status read_warning(const PgRow& r, KeyTest& t) {
  t.warnings.push_back(r.text_at(1));
  return ok_status();
}

}  // namespace

Status write_portfolio(PgConn& c, int64_t account_id, const Portfolio& p) {
  if (auto st = exec(c, "DELETE FROM account_balances WHERE account_id = $1", PgParams(account_id)); !st) return st;
  if (auto st = exec(c, "DELETE FROM account_positions WHERE account_id = $1", PgParams(account_id)); !st) return st;
  int64_t seq = 0;
  for (const auto& b : p.balances)
    if (auto st = exec(c, "INSERT INTO account_balances (account_id, seq, asset, total, free, used) VALUES ($1, $2, $3, $4, $5, $6)",
                       PgParams(account_id, seq++, b.asset, b.total.to_string(), b.free.to_string(), b.used.to_string()));
        !st)
      return st;
  seq = 0;
  for (const auto& x : p.positions) {
    std::optional<std::string> leverage;
    if (x.leverage) leverage = x.leverage->to_string();
    if (auto st = exec(
            c,
            "INSERT INTO account_positions (account_id, seq, symbol, amount, entry_price, unrealized_pnl, leverage) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7)",
            PgParams(account_id, seq++, x.symbol, x.amount.to_string(), x.entry_price.to_string(), x.unrealized_pnl.to_string(), leverage));
        !st)
      return st;
  }
  return ok_status();
}

Status read_portfolios(PgConn& c, std::vector<Account>& accounts) {
  for (auto& a : accounts) a.portfolio = {};
  if (auto st = read_owned(c, accounts,
                           "SELECT account_id, asset, total, free, used FROM account_balances WHERE account_id = ANY($1::bigint[]) "
                           "ORDER BY account_id, seq",
                           read_balance);
      !st)
    return st;
  return read_owned(c, accounts,
                    "SELECT account_id, symbol, amount, entry_price, unrealized_pnl, leverage FROM account_positions "
                    "WHERE account_id = ANY($1::bigint[]) ORDER BY account_id, seq",
                    read_position);
}

Status write_test_parts(PgConn& c, const KeyTest& t) {
  if (auto st = exec(c, "DELETE FROM key_test_steps WHERE test_id = $1", PgParams(t.id)); !st) return st;
  if (auto st = exec(c, "DELETE FROM key_test_warnings WHERE test_id = $1", PgParams(t.id)); !st) return st;
  int64_t seq = 0;
  for (const auto& s : t.steps)
    if (auto st = exec(c, "INSERT INTO key_test_steps (test_id, seq, name, state, message, duration_ms) VALUES ($1, $2, $3, $4, $5, $6)",
                       PgParams(t.id, seq++, to_string(s.name), to_string(s.state), s.message, s.duration_ms));
        !st)
      return st;
  seq = 0;
  for (const auto& w : t.warnings)
    if (auto st = exec(c, "INSERT INTO key_test_warnings (test_id, seq, text) VALUES ($1, $2, $3)", PgParams(t.id, seq++, w)); !st)
      return st;
  return ok_status();
}

Status read_test_parts(PgConn& c, std::vector<KeyTest>& tests) {
  for (auto& t : tests) {
    t.steps.clear();
    t.warnings.clear();
  }
  if (auto st = read_owned(c, tests,
                           "SELECT test_id, name, state, message, duration_ms FROM key_test_steps WHERE test_id = ANY($1::bigint[]) "
                           "ORDER BY test_id, seq",
                           read_step);
      !st)
    return st;
  return read_owned(c, tests, "SELECT test_id, text FROM key_test_warnings WHERE test_id = ANY($1::bigint[]) ORDER BY test_id, seq",
                    read_warning);
}

}  // namespace tb::store::pg
