#pragma once
// Private to the SQLite backend: the rows an account or a key test owns (balances, positions, steps,
// warnings), written in full with their parent and read for many parents in one query per table.
#include <optional>
#include <string>
#include <vector>

#include "store/sqlite_db.hpp"
#include "store/store.hpp"

namespace tb::store::sqlite_rows {

// Replaces the account's balances and positions by `portfolio`'s.
Status write_portfolio(SqliteDb& db, int64_t account_id, const Portfolio& portfolio);
// Fills the portfolio of each of `accounts` whose id `ids` selects: a subquery of at most one `?`, bound to
// `arg` ("SELECT id FROM accounts WHERE user_id = ?"); empty selects every account.
Status read_portfolios(SqliteDb& db, std::vector<Account>& accounts, const std::string& ids, std::optional<int64_t> arg);

// Replaces the test's steps and warnings by `test`'s.
Status write_test_parts(SqliteDb& db, const KeyTest& test);
// Fills the steps and warnings of each of `tests` whose id `ids` selects (as read_portfolios).
Status read_test_parts(SqliteDb& db, std::vector<KeyTest>& tests, const std::string& ids, std::optional<int64_t> arg);

}  // namespace tb::store::sqlite_rows
