#include "store/pg/pg_conn.hpp"

#include <libpq-fe.h>

#include <charconv>

namespace tb::store::pg {

namespace {

// The column a violated key names, from PostgreSQL's detail: "Key (user_id, lower(name))=(1, ann) already
// exists." -> "name". The last column is the one the caller chose (the others scope it), as in SQLite.
std::string key_column(std::string_view detail) {
  auto open = detail.find("Key (");
  auto close = detail.find(")=(");
  if (open == std::string_view::npos || close == std::string_view::npos || close < open) return {};
  std::string_view cols = detail.substr(open + 5, close - open - 5);
  if (auto comma = cols.rfind(", "); comma != std::string_view::npos) cols = cols.substr(comma + 2);
  if (cols.starts_with("lower(")) cols.remove_prefix(6);  // the unique index of a case-insensitive column
  return std::string(cols.substr(0, cols.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_")));
}

std::string field_of(const pg_result* r, int code) {
  const char* f = r ? PQresultErrorField(r, code) : nullptr;
  return f ? std::string(f) : std::string();
}

}  // namespace

Error pg_error(const pg_result* r, const pg_conn* c, std::string_view what) {
  std::string msg = r ? PQresultErrorMessage(r) : (c ? PQerrorMessage(c) : "no connection");
  while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
  const std::string state = field_of(r, PG_DIAG_SQLSTATE);
  Error e;
  if (state == "23505" || state == "23503") {
    e.kind = ErrorKind::InvalidArgument;
    e.field = key_column(field_of(r, PG_DIAG_MESSAGE_DETAIL));
    const std::string name = e.field.empty() ? std::string(what) : e.field;
    e.message = name + (state == "23505" ? ": already in use" : ": refers to a row that does not exist");
  } else if (state.starts_with("23")) {  // another integrity constraint (check, not null): the caller's values
    e.kind = ErrorKind::InvalidArgument;
    e.message = std::string(what) + ": " + field_of(r, PG_DIAG_MESSAGE_PRIMARY);
  } else {
    e.kind = ErrorKind::Internal;
    e.message = "store: " + std::string(what) + ": " + msg;
  }
  e.venue_code = state;
  return e;
}

// ---- rows and results ----

bool PgRow::is_null(int col) const { return PQgetisnull(r_, row_, col) != 0; }

int64_t PgRow::int_at(int col) const {
  const char* v = PQgetvalue(r_, row_, col);
  int64_t out = 0;
  std::from_chars(v, v + PQgetlength(r_, row_, col), out);
  return out;
}

bool PgRow::bool_at(int col) const { return PQgetvalue(r_, row_, col)[0] == 't'; }

std::string PgRow::text_at(int col) const {
  return std::string(PQgetvalue(r_, row_, col), static_cast<size_t>(PQgetlength(r_, row_, col)));
}

std::optional<int64_t> PgRow::opt_int_at(int col) const { return is_null(col) ? std::nullopt : std::optional<int64_t>(int_at(col)); }

std::optional<std::string> PgRow::opt_text_at(int col) const {
  return is_null(col) ? std::nullopt : std::optional<std::string>(text_at(col));
}

PgResult& PgResult::operator=(PgResult&& o) noexcept {
  if (this != &o) {
    PQclear(r_);
    r_ = o.r_;
    o.r_ = nullptr;
  }
  return *this;
}

PgResult::~PgResult() { PQclear(r_); }

int PgResult::rows() const { return PQntuples(r_); }

int64_t PgResult::affected() const {
  const char* n = PQcmdTuples(r_);
  int64_t out = 0;
  std::from_chars(n, n + std::char_traits<char>::length(n), out);
  return out;
}

// ---- connections ----

Result<std::unique_ptr<PgConn>> PgConn::connect(const std::string& conninfo) {
  PGconn* c = PQconnectdb(conninfo.c_str());
  if (!c || PQstatus(c) != CONNECTION_OK) {
    Error e =
        Error::make(ErrorKind::Internal, std::string("store: cannot connect to PostgreSQL: ") + (c ? PQerrorMessage(c) : "out of memory"));
    while (!e.message.empty() && e.message.back() == '\n') e.message.pop_back();
    PQfinish(c);
    return e;
  }
  // Notices (a NOTICE from CREATE ... IF NOT EXISTS) are not ours to print on stderr.
  PQsetNoticeProcessor(
      c, [](void*, const char*) {}, nullptr);
  return std::unique_ptr<PgConn>(new PgConn(c));
}

PgConn::~PgConn() { PQfinish(c_); }

bool PgConn::healthy() const { return PQstatus(c_) == CONNECTION_OK; }

bool PgConn::in_transaction() const { return PQtransactionStatus(c_) != PQTRANS_IDLE; }

int PgConn::socket() const { return PQsocket(c_); }

Result<std::vector<PgConn::Notified>> PgConn::notifications() {
  if (PQconsumeInput(c_) == 0 || PQstatus(c_) != CONNECTION_OK) return pg_error(nullptr, c_, "notifications");
  std::vector<Notified> out;
  const int self = PQbackendPID(c_);
  while (PGnotify* n = PQnotifies(c_)) {
    out.push_back({n->relname, n->extra, n->be_pid == self});
    PQfreemem(n);
  }
  return out;
}

Result<std::string> PgConn::prepared(std::string_view sql, std::string_view what) {
  std::string text(sql);
  if (auto it = names_.find(text); it != names_.end()) return it->second;
  std::string name = "tb" + std::to_string(names_.size() + 1);
  // Parameter types left to the server: each $n takes the type its place in the statement needs.
  PgResult r(PQprepare(c_, name.c_str(), text.c_str(), 0, nullptr));
  if (PQresultStatus(r.get()) != PGRES_COMMAND_OK) return pg_error(r.get(), c_, what);
  names_.emplace(std::move(text), name);
  return name;
}

Result<PgResult> PgConn::run(std::string_view sql, const PgParams& params, std::string_view what) {
  auto name = prepared(sql, what);
  if (!name) return name.error();
  std::vector<const char*> values;
  values.reserve(params.values().size());
  for (const auto& v : params.values()) values.push_back(v ? v->c_str() : nullptr);
  PgResult r(PQexecPrepared(c_, name->c_str(), static_cast<int>(values.size()), values.data(), nullptr, nullptr, 0));
  const auto status = PQresultStatus(r.get());
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) return pg_error(r.get(), c_, what);
  return r;
}

Status PgConn::script(const std::string& sql, std::string_view what) {
  PgResult r(PQexec(c_, sql.c_str()));
  const auto status = PQresultStatus(r.get());
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) return pg_error(r.get(), c_, what);
  return ok_status();
}

Result<PgResult> PgConn::query(const std::string& sql, std::string_view what) {
  PgResult r(PQexec(c_, sql.c_str()));
  const auto status = PQresultStatus(r.get());
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) return pg_error(r.get(), c_, what);
  return r;
}

}  // namespace tb::store::pg
