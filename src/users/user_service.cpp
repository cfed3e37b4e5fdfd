#include "users/user_service.hpp"

#include <sodium.h>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "core/failure_log.hpp"

namespace tb::users {

namespace {

Error unauthenticated(std::string message) { return Error::make(ErrorKind::Unauthenticated, std::move(message)); }

auth::WindowLimit registrations(const Clock& clock, const UserOptions& o) {
  if (o.limit_entries) return auth::WindowLimit(clock, *o.limit_entries, "register.ip", o.register_limit, o.register_window);
  return auth::WindowLimit(clock, o.register_limit, o.register_window);
}

}  // namespace

UserService::UserService(store::Store& store, const Clock& clock, auth::LoginLimiter& limiter, accounts::TwoFactorService& two_factor,
                         auth::CsrfTokens csrf, UserOptions options)
    : store_(store),
      clock_(clock),
      limiter_(limiter),
      two_factor_(two_factor),
      registrations_(registrations(clock, options)),
      csrf_(std::move(csrf)),
      options_(options) {}

void UserService::audit(int64_t user_id, std::string_view action, std::string_view ip, std::string detail_json) {
  // Registering, signing in and the session routes come through the web door. The log is a record, not a
  // step: a failed append never undoes the action.
  logged("audit a sign-in event",
         store_.append_audit(accounts::audit_entry({user_id, std::string(ip), "web"}, action, std::nullopt, std::move(detail_json))));
}

const std::string& UserService::dummy_hash() {
  std::call_once(dummy_once_, [&] {
    auto h = auth::hash_password("not the password of anyone", options_.cost);
    dummy_hash_ = h ? *h : std::string();
  });
  return dummy_hash_;
}

Result<store::User> UserService::register_user(std::string_view raw_email, std::string_view password, std::string_view ip) {
  auto email = auth::normalize_email(raw_email);
  if (!email) return Error::invalid("email", email.error().message);
  if (auto st = auth::check_password_policy(password, *email); !st) return Error::invalid("password", st.error().message);
  if (auto existing = store_.find_user_by_email(*email); existing && existing->has_value())
    return Error::about(ErrorKind::Conflict, "email", "an account with this email already exists; sign in instead");
  // Counted here, just before the costly hash: typos and taken addresses spend none of the allowance.
  if (auto d = registrations_.take(ip); !d.allowed) {
    if (d.failure) return *d.failure;
    Error e =
        Error::make(ErrorKind::RateLimited, "too many new accounts from this address: try again in " + auth::wait_in_words(d.retry_after));
    e.retry_after = d.retry_after;
    return e;
  }
  auto hash = auth::hash_password(password, options_.cost);
  if (!hash) return hash.error();
  auto user = store_.create_user(*email, *hash);
  if (!user) {
    if (user.error().kind == ErrorKind::InvalidArgument)  // registered by a concurrent request meanwhile
      return Error::about(ErrorKind::Conflict, "email", "an account with this email already exists; sign in instead");
    return user.error();
  }
  audit(user->id, "user.registered", ip);
  return user;
}

Result<SignedIn> UserService::login(std::string_view raw_email, std::string_view password, std::string_view ip, std::string_view user_agent,
                                    std::optional<std::string_view> code) {
  // Refused before any count or hash: an address that cannot be anyone's (bad form, reserved domain)
  // guesses nothing. The normalised form is the one key of the store and the limiter alike.
  auto email = auth::normalize_email(raw_email);
  if (!email) return Error::invalid("email", email.error().message);
  const std::string& account_key = *email;
  auto decision = limiter_.check(account_key, ip);
  if (!decision.allowed) {
    if (decision.failure) return *decision.failure;
    Error e = Error::make(ErrorKind::RateLimited, auth::retry_message(decision));
    e.retry_after = decision.retry_after;
    return e;
  }
  auto found = store_.find_user_by_email(*email);
  if (!found) return found.error();
  std::optional<store::User> user = std::move(*found);
  if (user && store::is_telegram_only(*user)) user.reset();  // no address reaches them; should one ever, it opens nothing
  // An unknown email costs the same hash as a known one: timing tells nothing.
  bool ok = auth::verify_password(user ? user->password_hash : dummy_hash(), password) && user.has_value();
  if (!ok) {
    limiter_.record_failure(account_key, ip);
    if (user) audit(user->id, "user.login_failed", ip);
    return unauthenticated("wrong email or password");
  }
  auto second = two_factor_.check(user->id, code);
  if (!second) return second.error();
  if (*second == accounts::TwoFactorService::Check::Missing) return accounts::second_factor_missing("signing in");
  if (*second == accounts::TwoFactorService::Check::Wrong) {
    limiter_.record_failure(account_key, ip);
    audit(user->id, "user.login_failed", ip, R"({"reason":"second factor"})");
    return accounts::second_factor_wrong();
  }
  limiter_.record_success(account_key);
  if (auth::needs_rehash(user->password_hash, options_.cost))
    if (auto h = auth::hash_password(password, options_.cost); h && store_.set_password_hash(user->id, *h)) user->password_hash = *h;

  SignedIn in;
  in.token = auth::new_session_token();
  in.user = *user;
  in.expires_ms = clock_.now_ms() + options_.session_ttl.count();
  store::Session s;
  s.token_hash = auth::token_hash(in.token);
  s.user_id = user->id;
  s.csrf_token = in.csrf_token = csrf_.issue(s.token_hash);
  s.expires_ms = in.expires_ms;
  s.ip = std::string(ip);
  s.user_agent = std::string(user_agent.substr(0, 256));
  s.last_seen_ms = clock_.now_ms();
  if (auto st = store_.create_session(s); !st) return st.error();
  audit(user->id, "user.login", ip);
  return in;
}

void UserService::forget_session(std::string_view token_hash) {
  std::lock_guard lock(sessions_mu_);
  if (auto it = sessions_.find(std::string(token_hash)); it != sessions_.end()) sessions_.erase(it);
}

Status UserService::logout(std::string_view token) {
  if (!auth::looks_like_session_token(token)) return ok_status();
  return logout_hash(auth::token_hash(token));
}

Status UserService::logout_hash(std::string_view token_hash) {
  forget_session(token_hash);
  if (auto st = store_.delete_session(token_hash); !st) return st;
  ended({std::string(token_hash)});
  return ok_status();
}

Result<Caller> UserService::authenticate(std::string_view token) {
  if (!auth::looks_like_session_token(token)) return unauthenticated("sign in first: no valid session token");
  std::string hash = auth::token_hash(token);
  const int64_t now = clock_.now_ms();
  if (options_.session_cache_ttl.count() > 0) {
    std::lock_guard lock(sessions_mu_);
    if (auto it = sessions_.find(hash); it != sessions_.end()) {
      const CachedSession& c = it->second;
      if (c.expires_ms > now && now >= c.found_ms && now - c.found_ms < options_.session_cache_ttl.count()) return c.caller;
      sessions_.erase(it);
    }
  }
  auto s = store_.find_session(hash);
  if (!s) return s.error();
  if (!s->has_value() || expiry_of(**s) <= now) return unauthenticated("the session has expired or was signed out; sign in again");
  store::Session& found = **s;
  const int64_t touch_every = std::min(options_.session_touch_interval.count(), options_.session_idle.count() / 10);
  if (now - found.last_seen_ms >= touch_every && store_.touch_session(hash, now)) found.last_seen_ms = now;
  Caller caller{found.user_id, std::move(hash), found.csrf_token};
  if (options_.session_cache_ttl.count() > 0) {
    std::lock_guard lock(sessions_mu_);
    if (sessions_.size() >= options_.session_cache_max) sessions_.clear();
    sessions_[caller.token_hash] = CachedSession{caller, expiry_of(found), now};
  }
  return caller;
}

Result<store::User> UserService::user(int64_t id) {
  auto u = store_.find_user(id);
  if (!u) return u.error();
  if (!u->has_value()) return unauthenticated("the user no longer exists");
  return **u;
}

bool UserService::csrf_matches(const Caller& caller, std::string_view header) {
  return !caller.csrf_token.empty() && header.size() == caller.csrf_token.size() &&
         sodium_memcmp(header.data(), caller.csrf_token.data(), header.size()) == 0;
}

}  // namespace tb::users
