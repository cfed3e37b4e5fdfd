// A user's own sessions: the idle timeout, listing, signing out everywhere else, changing the password,
// and purging the expired ones. Every session ended here is told to the SessionEndListener, so event
// streams of that session end at once rather than when they next look.
#include <algorithm>

#include <nlohmann/json.hpp>

#include "crypto/encoding.hpp"
#include "crypto/hash.hpp"
#include "users/user_service.hpp"

namespace tb::users {

int64_t UserService::expiry_of(const store::Session& s) const {
  return std::min(s.expires_ms, s.last_seen_ms + options_.session_idle.count());
}

void UserService::on_session_end(SessionEndListener listener) { on_end_ = std::move(listener); }

void UserService::ended(const std::vector<std::string>& token_hashes) {
  for (const auto& hash : token_hashes) {
    forget_session(hash);
    if (on_end_) on_end_(hash);
    if (relay_) relay_(hash);
  }
}

void UserService::session_ended_elsewhere(const std::string& token_hash) {
  forget_session(token_hash);
  if (on_end_) on_end_(token_hash);
}

std::string UserService::session_id(std::string_view token_hash) {
  // One-way and domain-separated: the id names a session to its owner and cannot be turned back into
  // the hash the store looks sessions up by.
  return crypto::hex(crypto::sha256("tradebridge session id\n" + std::string(token_hash))).substr(0, 32);
}

bool UserService::session_alive(std::string_view token_hash) {
  auto s = store_.find_session(token_hash);
  if (!s) return true;  // a store hiccup is not a sign-out: the next look decides
  return s->has_value() && expiry_of(**s) > clock_.now_ms();
}

Result<std::vector<SessionView>> UserService::sessions(const Caller& caller) {
  auto rows = store_.list_user_sessions(caller.user_id);
  if (!rows) return rows.error();
  const int64_t now = clock_.now_ms();
  std::vector<SessionView> out;
  for (const auto& s : *rows) {
    if (expiry_of(s) <= now) continue;  // ended, only not purged yet
    out.push_back(SessionView{session_id(s.token_hash), s.created_ms, s.last_seen_ms, expiry_of(s), s.ip, s.user_agent,
                              s.token_hash == caller.token_hash});
  }
  return out;
}

Result<int64_t> UserService::end_other_sessions(const Caller& caller, std::string_view ip) {
  auto gone = store_.delete_user_sessions_except(caller.user_id, caller.token_hash);
  if (!gone) return gone.error();
  ended(*gone);
  audit(caller.user_id, "user.signed_out_elsewhere", ip, nlohmann::json{{"sessions_ended", gone->size()}}.dump());
  return static_cast<int64_t>(gone->size());
}

Result<bool> UserService::end_session(const Caller& caller, std::string_view id, std::string_view ip) {
  auto rows = store_.list_user_sessions(caller.user_id);
  if (!rows) return rows.error();
  auto it = std::find_if(rows->begin(), rows->end(), [&](const store::Session& s) { return session_id(s.token_hash) == id; });
  if (it == rows->end()) return Error::make(ErrorKind::NotFound, "no such session: it has ended already, or is not yours");
  if (auto st = logout_hash(it->token_hash); !st) return st.error();
  audit(caller.user_id, "user.session_ended", ip, nlohmann::json{{"session", std::string(id)}}.dump());
  return it->token_hash == caller.token_hash;
}

Result<int64_t> UserService::change_password(const Caller& caller, std::string_view current, std::string_view next, std::string_view ip) {
  auto user = this->user(caller.user_id);
  if (!user) return user.error();
  if (auto st = auth::check_password_policy(next, user->email); !st) return Error::invalid("new_password", st.error().message);
  // A stolen session must not become a password-guessing oracle: wrong current passwords count as failed
  // sign-ins of this account.
  auto decision = limiter_.check(user->email, ip);
  if (!decision.allowed) {
    if (decision.failure) return *decision.failure;
    Error e = Error::make(ErrorKind::RateLimited, auth::retry_message(decision));
    e.retry_after = decision.retry_after;
    return e;
  }
  if (!auth::verify_password(user->password_hash, current)) {
    limiter_.record_failure(user->email, ip);
    audit(user->id, "user.password_change_failed", ip);
    return Error::invalid("current_password", "that is not your current password");
  }
  limiter_.record_success(user->email);
  if (current == next) return Error::invalid("new_password", "the same as the current one; choose another");
  auto hash = auth::hash_password(next, options_.cost);
  if (!hash) return hash.error();
  if (auto st = store_.set_password_hash(user->id, *hash); !st) return st.error();
  auto gone = store_.delete_user_sessions_except(user->id, caller.token_hash);
  if (!gone) return gone.error();
  ended(*gone);
  audit(user->id, "user.password_changed", ip, nlohmann::json{{"sessions_ended", gone->size()}}.dump());
  return static_cast<int64_t>(gone->size());
}

Result<int64_t> UserService::purge_expired_sessions() {
  auto expired = store_.delete_expired_sessions();
  if (!expired) return expired.error();
  auto idle = store_.delete_idle_sessions(clock_.now_ms() - options_.session_idle.count());
  if (!idle) return idle.error();
  return *expired + *idle;
}

}  // namespace tb::users
