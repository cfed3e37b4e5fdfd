// Coordination over PostgreSQL: session advisory locks and LISTEN/NOTIFY on one connection of its own (the
// pool's connections come and go; a lock must live exactly as long as the session that took it).
#include "store/pg/pg_coordination.hpp"
#include "store/open_store.hpp"
#include "store/pg/pg_conn.hpp"

namespace tb::store::pg {

namespace {

// A channel name as an SQL identifier: LISTEN takes no parameter.
std::string quoted(std::string_view channel) {
  std::string out = "\"";
  for (char c : channel) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

class PgCoordination final : public Coordination {
 public:
  PgCoordination(std::string conninfo, std::unique_ptr<PgConn> conn) : conninfo_(std::move(conninfo)), conn_(std::move(conn)) {}

  bool shared() const override { return true; }

  Result<bool> try_lock(int64_t key) override {
    auto r = conn_->run("SELECT pg_try_advisory_lock($1)", PgParams(key), "advisory lock");
    if (!r) return r.error();
    return r->row(0).bool_at(0);
  }

  Status unlock(int64_t key) override {
    auto r = conn_->run("SELECT pg_advisory_unlock($1)", PgParams(key), "advisory unlock");
    if (!r) return r.error();
    return ok_status();
  }

  Status listen(std::string_view channel) override {
    if (auto st = conn_->script("LISTEN " + quoted(channel), "listen"); !st) return st;
    channels_.emplace_back(channel);
    return ok_status();
  }

  Status notify(std::string_view channel, std::string_view payload) override {
    auto r = conn_->run("SELECT pg_notify($1, $2)", PgParams(channel, payload), "notify");
    if (!r) return r.error();
    return ok_status();
  }

  int socket() const override { return conn_->socket(); }

  Result<std::vector<Notification>> take() override {
    auto got = conn_->notifications();
    if (!got) return got.error();
    std::vector<Notification> out;
    out.reserve(got->size());
    for (auto& n : *got) out.push_back({std::move(n.channel), std::move(n.payload), n.own});
    return out;
  }

  Result<bool> check() override {
    if (conn_->healthy() && conn_->run("SELECT 1", {}, "coordination check")) return true;
    auto fresh = PgConn::connect(conninfo_);
    if (!fresh) return fresh.error();
    conn_ = std::move(*fresh);
    for (const auto& channel : channels_)
      if (auto st = conn_->script("LISTEN " + quoted(channel), "listen"); !st) return st.error();
    return false;
  }

 private:
  std::string conninfo_;
  std::unique_ptr<PgConn> conn_;
  std::vector<std::string> channels_;
};

}  // namespace

Result<std::unique_ptr<Coordination>> open_pg_coordination(const std::string& conninfo) {
  auto conn = PgConn::connect(conninfo);
  if (!conn) return conn.error();
  return std::unique_ptr<Coordination>(new PgCoordination(conninfo, std::move(*conn)));
}

}  // namespace tb::store::pg
