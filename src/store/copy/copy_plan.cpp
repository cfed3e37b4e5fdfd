#include "store/copy/copy_plan.hpp"

#include <algorithm>
#include <set>

namespace tb::store::copy {

namespace {

Error plan_error(const std::string& message) { return Error::make(ErrorKind::InvalidArgument, "db copy: " + message); }

const Column* find(const std::vector<Column>& columns, const std::string& name) {
  auto it = std::find_if(columns.begin(), columns.end(), [&](const Column& c) { return c.name == name; });
  return it == columns.end() ? nullptr : &*it;
}

// A side's rowid can stand in for the other side's identity column when the table has one and no column of
// its own already names it (an INTEGER PRIMARY KEY is the rowid under another name).
bool rowid_free(const std::vector<Column>& columns, bool has_rowid) {
  return has_rowid && std::none_of(columns.begin(), columns.end(), [](const Column& c) { return c.identity; });
}

const ColumnRef kRowid{"rowid", Kind::Integer, true};

}  // namespace

Result<std::vector<std::string>> parents_first(const std::map<std::string, std::vector<std::string>>& parents) {
  std::vector<std::string> out;
  std::set<std::string> placed;
  while (out.size() < parents.size()) {
    bool progress = false;
    for (const auto& entry : parents) {  // by name: a std::map
      const std::string& table = entry.first;
      if (placed.count(table)) continue;
      const bool ready = std::all_of(entry.second.begin(), entry.second.end(), [&](const std::string& p) {
        return p == table || placed.count(p) || !parents.count(p);  // itself, placed, or not copied at all
      });
      if (!ready) continue;
      out.push_back(table);
      placed.insert(table);
      progress = true;
      break;  // the next round starts from the first name again: ties go by name
    }
    if (!progress) return plan_error("the tables' foreign keys form a cycle; no order copies them");
  }
  return out;
}

Result<TablePlan> pair_columns(const std::string& table, const std::vector<Column>& source, bool source_has_rowid,
                               const std::vector<Column>& target, bool target_has_rowid) {
  TablePlan plan{table, {}, {}};
  std::set<std::string> used;
  for (const auto& t : target) {
    if (const Column* s = find(source, t.name)) {
      plan.source.push_back({s->name, s->kind, false});
      used.insert(s->name);
    } else if (t.identity && rowid_free(source, source_has_rowid)) {
      plan.source.push_back(kRowid);
    } else {
      return plan_error("table " + table + ": column " + t.name + " is in the target but not in the source");
    }
    plan.target.push_back({t.name, t.kind, false});
  }
  for (const auto& s : source) {
    if (used.count(s.name)) continue;
    if (!s.identity || !rowid_free(target, target_has_rowid))
      return plan_error("table " + table + ": column " + s.name + " is in the source but not in the target");
    plan.source.push_back({s.name, s.kind, false});
    plan.target.push_back(kRowid);
  }
  return plan;
}

namespace {

Result<TablePlan> plan_table(Side& source, Side& target, const std::string& table) {
  auto sc = source.columns(table);
  if (!sc) return sc.error();
  auto tc = target.columns(table);
  if (!tc) return tc.error();
  auto s_rowid = source.has_rowid(table);
  if (!s_rowid) return s_rowid.error();
  auto t_rowid = target.has_rowid(table);
  if (!t_rowid) return t_rowid.error();
  return pair_columns(table, *sc, *s_rowid, *tc, *t_rowid);
}

}  // namespace

Result<std::vector<TablePlan>> plan_copy(Side& source, Side& target) {
  auto from = source.tables();
  if (!from) return from.error();
  auto to = target.tables();
  if (!to) return to.error();
  for (const auto& t : *from)
    if (std::find(to->begin(), to->end(), t) == to->end()) return plan_error("table " + t + " is in the source but not in the target");
  std::map<std::string, std::vector<std::string>> parents;
  for (const auto& t : *to) {
    if (std::find(from->begin(), from->end(), t) == from->end())
      return plan_error("table " + t + " is in the target but not in the source");
    auto p = target.parents(t);
    if (!p) return p.error();
    parents[t] = std::move(*p);
  }
  auto order = parents_first(parents);
  if (!order) return order.error();
  std::vector<TablePlan> plans;
  for (const auto& t : *order) {
    auto plan = plan_table(source, target, t);
    if (!plan) return plan.error();
    plans.push_back(std::move(*plan));
  }
  return plans;
}

}  // namespace tb::store::copy
