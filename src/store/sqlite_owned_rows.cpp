// SqliteStore: the rows an account or a key test owns.
#include "store/sqlite_owned_rows.hpp"

#include <unordered_map>

#include "store/sqlite_rows.hpp"

namespace tb::store::sqlite_rows {

namespace {

// The rows `sql` selects (the owner's id first, its order second) whose owner `ids` selects, each handed to
// `read` with its owner.
template <typename Owner, typename Read>
Status read_owned(SqliteDb& db, std::vector<Owner>& owners, const std::string& sql, const std::string& ids, std::optional<int64_t> arg,
                  Read read) {
  const std::string owner_col = sql.substr(7, sql.find(',') - 7);  // "SELECT account_id, ..."
  std::unordered_map<int64_t, Owner*> by_id;
  for (auto& o : owners) by_id[o.id] = &o;
  if (by_id.empty()) return ok_status();
  auto s = db.prepare(ids.empty() ? sql + " ORDER BY 1, 2" : sql + " WHERE " + owner_col + " IN (" + ids + ") ORDER BY 1, 2");
  if (!s) return s.error();
  if (arg) s->bind_all(*arg);
  for (;;) {
    auto row = s->step();
    if (!row) return row.error();
    if (!*row) return ok_status();
    auto it = by_id.find(s->int_at(0));
    if (it == by_id.end()) continue;
    if (auto st = read(*s, *it->second); !st) return st;
  }
}

Result<std::optional<Decimal>> optional_decimal(const Stmt& s, int col, std::string_view what) {
  auto text = s.opt_text_at(col);
  if (!text) return std::optional<Decimal>();
  auto d = Decimal::parse(*text);
  if (!d) return Error::make(ErrorKind::Internal, "store: " + std::string(what) + " is not a decimal");
  return std::optional<Decimal>(*d);
}

Status read_balance(const Stmt& s, Account& a) {
  Balance b;
  b.asset = s.text_at(2);
  auto total = decimal_column(s, 3, "account_balances.total");
  auto free = decimal_column(s, 4, "account_balances.free");
  auto used = decimal_column(s, 5, "account_balances.used");
  if (!total || !free || !used) return Error::make(ErrorKind::Internal, "store: account_balances has a bad decimal");
  b.total = *total;
  b.free = *free;
  b.used = *used;
  a.portfolio.balances.push_back(std::move(b));
  return ok_status();
}

Status read_position(const Stmt& s, Account& a) {
  Position p;
  p.symbol = s.text_at(2);
  auto amount = decimal_column(s, 3, "account_positions.amount");
  auto entry = decimal_column(s, 4, "account_positions.entry_price");
  auto pnl = decimal_column(s, 5, "account_positions.unrealized_pnl");
  auto leverage = optional_decimal(s, 6, "account_positions.leverage");
  if (!amount || !entry || !pnl || !leverage) return Error::make(ErrorKind::Internal, "store: account_positions has a bad decimal");
  p.amount = *amount;
  p.entry_price = *entry;
  p.unrealized_pnl = *pnl;
  p.leverage = *leverage;
  a.portfolio.positions.push_back(std::move(p));
  return ok_status();
}

Status read_step(const Stmt& s, KeyTest& t) {
  auto name = parse_step_name(s.text_at(2));
  auto state = parse_step_state(s.text_at(3));
  if (!name || !state) return Error::make(ErrorKind::Internal, "store: key_test_steps has an unknown name or state");
  t.steps.push_back(KeyTestStep{*name, *state, s.text_at(4), s.int_at(5)});
  return ok_status();
}

Status read_warning(const Stmt& s, KeyTest& t) {
  t.warnings.push_back(s.text_at(2));
  return ok_status();
}

Status run(SqliteDb& db, const char* sql, int64_t id) {
  auto s = db.prepare(sql);
  if (!s) return s.error();
  return s->bind_all(id).run();
}

}  // namespace

Status write_portfolio(SqliteDb& db, int64_t account_id, const Portfolio& p) {
  if (auto st = run(db, "DELETE FROM account_balances WHERE account_id = ?", account_id); !st) return st;
  if (auto st = run(db, "DELETE FROM account_positions WHERE account_id = ?", account_id); !st) return st;
  int64_t seq = 0;
  for (const auto& b : p.balances) {
    auto s = db.prepare("INSERT INTO account_balances (account_id, seq, asset, total, free, used) VALUES (?, ?, ?, ?, ?, ?)");
    if (!s) return s.error();
    s->bind_all(account_id, seq++, b.asset, b.total.to_string(), b.free.to_string(), b.used.to_string());
    if (auto st = s->run(); !st) return st;
  }
  seq = 0;
  for (const auto& x : p.positions) {
    auto s = db.prepare(
        "INSERT INTO account_positions (account_id, seq, symbol, amount, entry_price, unrealized_pnl, leverage) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)");
    if (!s) return s.error();
    std::optional<std::string> leverage;
    if (x.leverage) leverage = x.leverage->to_string();
    s->bind_all(account_id, seq++, x.symbol, x.amount.to_string(), x.entry_price.to_string(), x.unrealized_pnl.to_string(), leverage);
    if (auto st = s->run(); !st) return st;
  }
  return ok_status();
}

Status read_portfolios(SqliteDb& db, std::vector<Account>& accounts, const std::string& ids, std::optional<int64_t> arg) {
  for (auto& a : accounts) a.portfolio = {};
  if (auto st = read_owned(db, accounts, "SELECT account_id, seq, asset, total, free, used FROM account_balances", ids, arg, read_balance);
      !st)
    return st;
  return read_owned(db, accounts, "SELECT account_id, seq, symbol, amount, entry_price, unrealized_pnl, leverage FROM account_positions",
                    ids, arg, read_position);
}

Status write_test_parts(SqliteDb& db, const KeyTest& t) {
  if (auto st = run(db, "DELETE FROM key_test_steps WHERE test_id = ?", t.id); !st) return st;
  if (auto st = run(db, "DELETE FROM key_test_warnings WHERE test_id = ?", t.id); !st) return st;
  int64_t seq = 0;
  for (const auto& step : t.steps) {
    auto s = db.prepare("INSERT INTO key_test_steps (test_id, seq, name, state, message, duration_ms) VALUES (?, ?, ?, ?, ?, ?)");
    if (!s) return s.error();
    s->bind_all(t.id, seq++, to_string(step.name), to_string(step.state), step.message, step.duration_ms);
    if (auto st = s->run(); !st) return st;
  }
  seq = 0;
  for (const auto& w : t.warnings) {
    auto s = db.prepare("INSERT INTO key_test_warnings (test_id, seq, text) VALUES (?, ?, ?)");
    if (!s) return s.error();
    if (auto st = s->bind_all(t.id, seq++, w).run(); !st) return st;
  }
  return ok_status();
}

Status read_test_parts(SqliteDb& db, std::vector<KeyTest>& tests, const std::string& ids, std::optional<int64_t> arg) {
  for (auto& t : tests) {
    t.steps.clear();
    t.warnings.clear();
  }
  if (auto st = read_owned(db, tests, "SELECT test_id, seq, name, state, message, duration_ms FROM key_test_steps", ids, arg, read_step);
      !st)
    return st;
  return read_owned(db, tests, "SELECT test_id, seq, text FROM key_test_warnings", ids, arg, read_warning);
}

}  // namespace tb::store::sqlite_rows
