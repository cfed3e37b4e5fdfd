#include "app/store_limit_entries.hpp"

#include <charconv>

namespace tb::app {

namespace {

// A sliding window's event times as the store keeps them: decimal ms, space-separated, oldest first.
std::string times_text(const std::vector<int64_t>& times) {
  std::string out;
  for (int64_t t : times) out += (out.empty() ? "" : " ") + std::to_string(t);
  return out;
}

std::vector<int64_t> times_of(std::string_view text) {
  std::vector<int64_t> out;
  const char* p = text.data();
  const char* end = p + text.size();
  while (p < end) {
    int64_t t = 0;
    auto [next, ec] = std::from_chars(p, end, t);
    if (ec != std::errc()) break;  // not ours: what was read so far
    out.push_back(t);
    p = next;
    while (p < end && *p == ' ') ++p;
  }
  return out;
}

std::optional<auth::LimitEntry> entry_of(const std::optional<store::LimitEntry>& row) {
  if (!row) return std::nullopt;
  return auth::LimitEntry{row->hits,    row->window_start_ms, row->locked_until_ms, row->level, times_of(row->times),
                          row->seen_ms, row->expires_ms};
}

std::optional<store::LimitEntry> row_of(const std::optional<auth::LimitEntry>& e) {
  if (!e) return std::nullopt;
  return store::LimitEntry{"",         "",           e->hits, e->window_start_ms, e->locked_until_ms, e->level, times_text(e->times),
                           e->seen_ms, e->expires_ms};
}

}  // namespace

Result<std::optional<auth::LimitEntry>> StoreLimitEntries::change(std::string_view table, std::string_view key, const Change& change) {
  auto kept = store_.change_limit_entry(table, key, [&](std::optional<store::LimitEntry>& row) {
    std::optional<auth::LimitEntry> entry = entry_of(row);
    change(entry);
    row = row_of(entry);
  });
  if (!kept) return kept.error();
  return entry_of(*kept);
}

Result<std::optional<auth::LimitEntry>> StoreLimitEntries::find(std::string_view table, std::string_view key) {
  auto row = store_.find_limit_entry(table, key);
  if (!row) return row.error();
  return entry_of(*row);
}

Result<size_t> StoreLimitEntries::size(std::string_view table) {
  auto n = store_.count_limit_entries(table);
  if (!n) return n.error();
  return static_cast<size_t>(*n);
}

}  // namespace tb::app
