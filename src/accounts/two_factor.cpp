#include "accounts/two_factor.hpp"

#include <nlohmann/json.hpp>

#include "auth/totp.hpp"
#include "core/failure_log.hpp"
#include "crypto/secret.hpp"

namespace tb::accounts {

namespace {

int64_t unix_seconds(const Clock& clock) { return clock.now_ms() / 1000; }

std::string limiter_key(int64_t user_id) { return "user:" + std::to_string(user_id); }

}  // namespace

Error second_factor_missing(std::string_view action) {
  return Error::about(ErrorKind::SecondFactorRequired, "totp_code",
                      "two-factor authentication is on: " + std::string(action) +
                          " needs the current 6-digit code from your authenticator app (or a recovery code)");
}

Error second_factor_wrong() {
  return Error::about(ErrorKind::SecondFactorRequired, "totp_code",
                      "that code is wrong or was used already; enter the current one from your authenticator app");
}

TwoFactorService::TwoFactorService(store::Store& store, std::shared_ptr<const vault::Vault> vault, const Clock& clock,
                                   auth::LoginLimits limits, std::string issuer)
    : store_(store), vault_(std::move(vault)), clock_(clock), wrong_codes_(clock, limits), issuer_(std::move(issuer)) {}

TwoFactorService::TwoFactorService(store::Store& store, std::shared_ptr<const vault::Vault> vault, const Clock& clock,
                                   auth::LimitEntries& limit_entries, auth::LoginLimits limits, std::string issuer)
    : store_(store),
      vault_(std::move(vault)),
      clock_(clock),
      wrong_codes_(clock, limit_entries, "2fa", limits),
      issuer_(std::move(issuer)) {}

vault::FieldContext totp_secret_field(int64_t user_id) { return {user_id, 0, "", "totp_secret"}; }

void TwoFactorService::audit(const Actor& actor, std::string_view action, std::string detail_json) {
  // A record, not a step: an unwritten entry is logged and the change it describes stands.
  logged("audit a two-factor change", store_.append_audit(audit_entry(actor, action, std::nullopt, std::move(detail_json))));
}

Result<TwoFactorState> TwoFactorService::state(int64_t user_id) {
  auto row = store_.find_two_factor(user_id);
  if (!row) return row.error();
  TwoFactorState s;
  if (!row->has_value()) return s;
  s.enabled = (*row)->enabled;
  s.pending = !(*row)->enabled;
  s.enabled_ms = (*row)->enabled_ms;
  if (s.enabled) {
    auto left = store_.count_recovery_codes(user_id);
    if (!left) return left.error();
    s.recovery_codes_left = *left;
  }
  return s;
}

Result<bool> TwoFactorService::enabled(int64_t user_id) {
  auto row = store_.find_two_factor(user_id);
  if (!row) return row.error();
  return row->has_value() && (*row)->enabled;
}

Result<TotpEnrolment> TwoFactorService::setup(const Actor& actor, std::string_view account_label) {
  auto row = store_.find_two_factor(actor.user_id);
  if (!row) return row.error();
  if (row->has_value() && (*row)->enabled)
    return Error::make(ErrorKind::Conflict, "two-factor authentication is on already; turn it off first to set up a new app");
  std::string raw(auth::kTotpSecretBytes, '\0');
  auth::SystemRandom::instance().fill({reinterpret_cast<unsigned char*>(raw.data()), raw.size()});
  TotpEnrolment out;
  out.secret_base32 = auth::base32(raw);
  out.otpauth_uri = auth::otpauth_uri(issuer_, account_label, out.secret_base32);
  auto sealed = vault_->seal(totp_secret_field(actor.user_id), crypto::Secret(std::move(raw)));
  if (!sealed) return sealed.error();
  store::TwoFactor t;
  t.user_id = actor.user_id;
  t.sealed_secret = sealed->to_text();
  t.master_version = sealed->master_version;
  if (auto st = store_.save_two_factor(t); !st) return st.error();
  audit(actor, "2fa.setup");
  return out;
}

Result<TwoFactorService::Check> TwoFactorService::match(const store::TwoFactor& row, std::optional<std::string_view> code,
                                                        bool allow_recovery) {
  if (!code || code->empty()) return Check::Missing;
  std::string typed = auth::squeeze_code(*code);
  if (allow_recovery && auth::looks_like_recovery_code(typed)) {
    auto used = store_.use_recovery_code(row.user_id, auth::recovery_code_hash(typed));
    if (!used) return used.error();
    return *used ? Check::Accepted : Check::Wrong;
  }
  auto sealed = vault::SealedField::from_text(row.sealed_secret);
  if (!sealed) return sealed.error();
  auto secret = vault_->open(totp_secret_field(row.user_id), *sealed);
  if (!secret) return secret.error();
  auto step = auth::match_totp(*secret, typed, unix_seconds(clock_), row.last_step);
  if (!step) return Check::Wrong;
  auto taken = store_.use_totp_step(row.user_id, *step);  // a second request with the same code loses here
  if (!taken) return taken.error();
  return *taken ? Check::Accepted : Check::Wrong;
}

Result<TwoFactorService::Check> TwoFactorService::check(int64_t user_id, std::optional<std::string_view> code) {
  auto row = store_.find_two_factor(user_id);
  if (!row) return row.error();
  if (!row->has_value() || !(*row)->enabled) return Check::Off;
  return match(**row, code, true);
}

std::optional<Error> TwoFactorService::locked_out(const Actor& actor) {
  auto d = wrong_codes_.check(limiter_key(actor.user_id), actor.ip);
  if (d.allowed) return std::nullopt;
  if (d.failure) return *d.failure;
  Error e = Error::make(ErrorKind::RateLimited, "too many wrong codes: try again in " + auth::wait_in_words(d.retry_after));
  e.retry_after = d.retry_after;
  return e;
}

Result<bool> TwoFactorService::require(const Actor& actor, std::optional<std::string_view> code) {
  if (auto e = locked_out(actor)) return *e;
  auto c = check(actor.user_id, code);
  if (!c) return c.error();
  switch (*c) {
    case Check::Off: return false;
    case Check::Accepted: wrong_codes_.record_success(limiter_key(actor.user_id)); return true;
    case Check::Missing: return second_factor_missing("this");
    case Check::Wrong: break;
  }
  wrong_codes_.record_failure(limiter_key(actor.user_id), actor.ip);
  audit(actor, "2fa.code_rejected");
  return second_factor_wrong();
}

Result<std::vector<std::string>> TwoFactorService::enable(const Actor& actor, std::string_view code) {
  auto row = store_.find_two_factor(actor.user_id);
  if (!row) return row.error();
  if (!row->has_value()) return Error::make(ErrorKind::Conflict, "nothing to confirm: set up two-factor authentication first");
  if ((*row)->enabled) return Error::make(ErrorKind::Conflict, "two-factor authentication is on already");
  if (auto e = locked_out(actor)) return *e;
  auto c = match(**row, code, false);  // no recovery codes exist yet
  if (!c) return c.error();
  if (*c != Check::Accepted) {
    if (*c == Check::Wrong) wrong_codes_.record_failure(limiter_key(actor.user_id), actor.ip);
    return Error::invalid("totp_code",
                          "that is not the current code of the new secret; check the app's clock and enter the "
                          "6 digits it shows now");
  }
  wrong_codes_.record_success(limiter_key(actor.user_id));
  // Read again: match() took the code's time step in the store, and a second setup may have replaced the
  // secret meanwhile (then this code confirmed the old one, which turns nothing on).
  auto fresh = store_.find_two_factor(actor.user_id);
  if (!fresh) return fresh.error();
  if (!fresh->has_value() || (*fresh)->sealed_secret != (*row)->sealed_secret)
    return Error::make(ErrorKind::Conflict, "the secret was set up again meanwhile: scan the new QR code and try again");
  std::vector<std::string> codes = auth::new_recovery_codes();
  std::vector<std::string> hashes;
  for (const auto& rc : codes) hashes.push_back(auth::recovery_code_hash(rc));
  store::TwoFactor on = **fresh;
  on.enabled = true;
  on.enabled_ms = clock_.now_ms();
  Status st = store_.with_transaction([&](store::Store& s) -> Status {
    if (auto r = s.save_two_factor(on); !r) return r;
    return s.replace_recovery_codes(actor.user_id, hashes);
  });
  if (!st) return st.error();
  audit(actor, "2fa.enabled");
  return codes;
}

Status TwoFactorService::disable(const Actor& actor, std::optional<std::string_view> code) {
  auto on = require(actor, code);
  if (!on) return on.error();
  if (!*on) return Error::make(ErrorKind::Conflict, "two-factor authentication is off already");
  if (auto st = store_.delete_two_factor(actor.user_id); !st) return st;
  audit(actor, "2fa.disabled");
  return ok_status();
}

Result<std::vector<std::string>> TwoFactorService::renew_recovery_codes(const Actor& actor, std::optional<std::string_view> code) {
  auto on = require(actor, code);
  if (!on) return on.error();
  if (!*on) return Error::make(ErrorKind::Conflict, "two-factor authentication is off: there are no recovery codes");
  std::vector<std::string> codes = auth::new_recovery_codes();
  std::vector<std::string> hashes;
  for (const auto& rc : codes) hashes.push_back(auth::recovery_code_hash(rc));
  if (auto st = store_.replace_recovery_codes(actor.user_id, hashes); !st) return st.error();
  audit(actor, "2fa.recovery_codes_renewed");
  return codes;
}

}  // namespace tb::accounts
