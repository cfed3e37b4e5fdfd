#pragma once
// Private to the PostgreSQL backend: libpq behind RAII. A connection, a result, statements prepared once per
// connection (cached by their text) and run with every parameter as text (NULL for an empty optional), and
// libpq's errors mapped to tb::Error. Not thread-safe by itself: PgPool hands a connection to one user at a time.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/error.hpp"

struct pg_conn;
struct pg_result;

namespace tb::store::pg {

// Parameters in text form, as libpq sends them; std::nullopt is SQL NULL.
class PgParams {
 public:
  PgParams() = default;
  template <typename... A>
  explicit PgParams(const A&... a) {
    values_.reserve(sizeof...(a));
    (add(a), ...);
  }
  void add(int64_t v) { values_.emplace_back(std::to_string(v)); }
  void add(int v) { add(static_cast<int64_t>(v)); }
  void add(bool v) { values_.emplace_back(v ? "true" : "false"); }
  void add(std::string_view v) { values_.emplace_back(std::string(v)); }
  void add(const std::string& v) { values_.emplace_back(v); }
  void add(const char* v) { values_.emplace_back(std::string(v)); }
  void add(const std::optional<int64_t>& v) {
    if (v) add(*v);
    else values_.emplace_back(std::nullopt);
  }
  void add(const std::optional<std::string>& v) { values_.push_back(v); }
  const std::vector<std::optional<std::string>>& values() const { return values_; }

 private:
  std::vector<std::optional<std::string>> values_;
};

// One row of a result, read by column.
class PgRow {
 public:
  PgRow(const pg_result* r, int row) : r_(r), row_(row) {}
  bool is_null(int col) const;
  int64_t int_at(int col) const;  // 0 for NULL
  bool bool_at(int col) const;    // a boolean column ("t"/"f")
  std::string text_at(int col) const;
  std::optional<int64_t> opt_int_at(int col) const;
  std::optional<std::string> opt_text_at(int col) const;

 private:
  const pg_result* r_;
  int row_;
};

class PgResult {
 public:
  explicit PgResult(pg_result* r) : r_(r) {}
  PgResult(PgResult&& o) noexcept : r_(o.r_) { o.r_ = nullptr; }
  PgResult& operator=(PgResult&& o) noexcept;
  PgResult(const PgResult&) = delete;
  PgResult& operator=(const PgResult&) = delete;
  ~PgResult();

  int rows() const;
  PgRow row(int i) const { return PgRow(r_, i); }
  int64_t affected() const;  // rows an INSERT, UPDATE or DELETE touched
  const pg_result* get() const { return r_; }

 private:
  pg_result* r_;
};

class PgConn {
 public:
  // conninfo: a libpq connection string or a postgresql:// URI.
  static Result<std::unique_ptr<PgConn>> connect(const std::string& conninfo);
  ~PgConn();
  PgConn(const PgConn&) = delete;
  PgConn& operator=(const PgConn&) = delete;

  // One statement, prepared on first use on this connection and cached by its text; `what` names it in errors.
  Result<PgResult> run(std::string_view sql, const PgParams& params = PgParams(), std::string_view what = "query");
  // Several statements, not prepared (migrations, BEGIN, COMMIT).
  Status script(const std::string& sql, std::string_view what = "script");
  // One statement, not prepared, with its rows (a cursor's FETCH, which cannot be prepared).
  Result<PgResult> query(const std::string& sql, std::string_view what = "query");
  bool healthy() const;         // the connection is up
  bool in_transaction() const;  // a transaction is open (or failed and not yet rolled back)
  int socket() const;           // to wait on for notifications
  // NOTIFYs on channels this session LISTENs to, its own among them, read from what the socket holds
  // without waiting. An Error when the connection is lost.
  struct Notified {
    std::string channel;
    std::string payload;
    bool own = false;  // sent by this session
  };
  Result<std::vector<Notified>> notifications();

 private:
  explicit PgConn(pg_conn* c) : c_(c) {}
  Result<std::string> prepared(std::string_view sql, std::string_view what);

  pg_conn* c_;
  std::unordered_map<std::string, std::string> names_;  // statement text -> its prepared name
};

// The tb::Error for a failed result (or a null one: the connection's error): a unique or foreign-key violation
// is the caller's (InvalidArgument naming the column), anything else the store's; the SQLSTATE is venue_code.
Error pg_error(const pg_result* r, const pg_conn* c, std::string_view what);

}  // namespace tb::store::pg
