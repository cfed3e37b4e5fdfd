#pragma once
// Private to `db copy`: which table goes before which, and how a table's columns pair up between the source
// and the target. Both sides are at one schema version, so their tables and columns have the same names; the
// one difference by design is SQLite's hidden rowid, which PostgreSQL keeps as an identity column of its own
// (sessions.seq: the order sessions were made in).
#include <map>
#include <string>
#include <vector>

#include "store/copy/copy_side.hpp"

namespace tb::store::copy {

struct TablePlan {
  std::string table;
  std::vector<ColumnRef> source;  // read from the source in this order...
  std::vector<ColumnRef> target;  // ...and written to the target's columns at the same places
};

// Tables ordered so each comes after the tables its foreign keys name (a reference to itself aside), ties
// by name. InvalidArgument for a cycle.
Result<std::vector<std::string>> parents_first(const std::map<std::string, std::vector<std::string>>& parents);

// Pairs the columns of one table by name; an identity column on one side only pairs with the other side's
// rowid. InvalidArgument naming the column for any other column found on one side only.
Result<TablePlan> pair_columns(const std::string& table, const std::vector<Column>& source, bool source_has_rowid,
                               const std::vector<Column>& target, bool target_has_rowid);

// The plan of every table, in parents_first order (by the target's foreign keys). InvalidArgument naming a
// table that one side has and the other has not.
Result<std::vector<TablePlan>> plan_copy(Side& source, Side& target);

}  // namespace tb::store::copy
