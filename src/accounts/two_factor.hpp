#pragma once
// Two-factor authentication with TOTP (auth/totp.hpp): enrolment (setup → enable with a first code →
// ten recovery codes shown once), disabling, and the check of a current code that sign-in and the actions
// that hand over money's keys (adding or replacing exchange keys, linking Telegram) ask for when it is on.
// The TOTP secret is sealed by the vault like an exchange secret (the user's field "totp_secret"); a code's
// time step opens once (the store takes it in one statement), a recovery code opens once, and wrong codes
// lock the checks out like wrong passwords do. Thread-safe.
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "accounts/account_service.hpp"
#include "auth/login_limiter.hpp"
#include "core/clock.hpp"
#include "store/store.hpp"
#include "vault/vault.hpp"

namespace tb::accounts {

struct TotpEnrolment {
  std::string secret_base32;  // for typing into the app by hand
  std::string otpauth_uri;    // what the QR code holds
};

struct TwoFactorState {
  bool enabled = false;
  bool pending = false;  // set up, waiting for the first code
  int64_t recovery_codes_left = 0;
  std::optional<int64_t> enabled_ms;
};

class TwoFactorService {
 public:
  TwoFactorService(store::Store& store, std::shared_ptr<const vault::Vault> vault, const Clock& clock, auth::LoginLimits limits = {},
                   std::string issuer = "tradebridge");
  // Wrong codes counted in `limit_entries` (serve: the database, so every process counts the same), tables
  // "2fa.account" (per user) and "2fa.ip"; it must outlive the service.
  TwoFactorService(store::Store& store, std::shared_ptr<const vault::Vault> vault, const Clock& clock, auth::LimitEntries& limit_entries,
                   auth::LoginLimits limits = {}, std::string issuer = "tradebridge");

  Result<TwoFactorState> state(int64_t user_id);
  Result<bool> enabled(int64_t user_id);

  // A new secret, pending until enable() sees a code of it (a second setup replaces a pending one).
  // Conflict when two-factor is on already: disable it first.
  Result<TotpEnrolment> setup(const Actor& actor, std::string_view account_label);
  // Turns it on with a current code of the pending secret; returns the recovery codes, shown this once.
  // InvalidArgument "totp_code: ..." for a wrong code; Conflict when nothing is pending or it is on.
  Result<std::vector<std::string>> enable(const Actor& actor, std::string_view code);
  // Turns it off (the secret and the recovery codes go) with a current code or a recovery code.
  Status disable(const Actor& actor, std::optional<std::string_view> code);
  // A fresh set of recovery codes (the old ones stop working), with a current code.
  Result<std::vector<std::string>> renew_recovery_codes(const Actor& actor, std::optional<std::string_view> code);

  // The gate of an action: ok when two-factor is off, or `code` is a current TOTP code (or a recovery
  // code) of the user's, used up by this call. SecondFactorRequired "totp_code: ..." when missing or
  // wrong; RateLimited after too many wrong codes. True when a code was checked (two-factor is on).
  // Passed either way, the caller sets Actor::second_factor.
  Result<bool> require(const Actor& actor, std::optional<std::string_view> code);

  // For sign-in, after the password was right: how the code stood. The caller counts Wrong as a failed
  // sign-in (its limiter), so this one does not.
  enum class Check { Off, Missing, Wrong, Accepted };
  Result<Check> check(int64_t user_id, std::optional<std::string_view> code);

 private:
  Result<Check> match(const store::TwoFactor& row, std::optional<std::string_view> code, bool allow_recovery);
  std::optional<Error> locked_out(const Actor& actor);  // too many wrong codes lately
  void audit(const Actor& actor, std::string_view action, std::string detail_json = "{}");

  store::Store& store_;
  std::shared_ptr<const vault::Vault> vault_;
  const Clock& clock_;
  auth::LoginLimiter wrong_codes_;  // per user (and IP) for the gates; sign-in uses its own limiter
  std::string issuer_;
};

// What a user's TOTP secret is sealed as (the vault's associated data): for the service and `keys`.
vault::FieldContext totp_secret_field(int64_t user_id);

// The words of a missing or wrong code, one place for the API and the bot.
Error second_factor_missing(std::string_view action);
Error second_factor_wrong();

}  // namespace tb::accounts
