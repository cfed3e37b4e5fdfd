#pragma once
// Private to the PostgreSQL backend: the rows an account or a key test owns (balances, positions, steps,
// warnings), written in full with their parent and read for many parents in one query per table.
#include <vector>

#include "store/pg/pg_conn.hpp"
#include "store/store.hpp"

namespace tb::store::pg {

Status write_portfolio(PgConn& c, int64_t account_id, const Portfolio& portfolio);
// Fills the portfolio of each of `accounts` (one query per table for all of them).
Status read_portfolios(PgConn& c, std::vector<Account>& accounts);

Status write_test_parts(PgConn& c, const KeyTest& test);
Status read_test_parts(PgConn& c, std::vector<KeyTest>& tests);

}  // namespace tb::store::pg
