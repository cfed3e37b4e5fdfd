#pragma once
// Time-based one-time passwords (RFC 6238, on HOTP of RFC 4226) for two-factor sign-in, and the one-time
// recovery codes that stand in for a lost authenticator. Pure functions: the secret's sealing, the replay
// guard (a code's time step is used once) and the lockout live with the caller.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/tokens.hpp"
#include "crypto/secret.hpp"

namespace tb::auth {

enum class TotpAlgo { Sha1, Sha256, Sha512 };

inline constexpr int64_t kTotpStepSeconds = 30;
inline constexpr int kTotpDigits = 6;
inline constexpr size_t kTotpSecretBytes = 20;  // 160 bits, RFC 4226 § 4's recommendation for SHA-1

// RFC 4648 base32 (A-Z2-7), unpadded: how authenticator apps take a secret. Decoding ignores case, spaces
// and '=' padding; empty for anything else.
std::string base32(std::string_view bytes);
std::optional<std::string> from_base32(std::string_view text);

// The HOTP value of `counter`, zero-padded to `digits` (6 to 8).
std::string hotp(std::string_view key, uint64_t counter, int digits = kTotpDigits, TotpAlgo algo = TotpAlgo::Sha1);
// The time step of a Unix time (seconds), and the TOTP value at that time.
int64_t totp_step(int64_t unix_seconds);
std::string totp(std::string_view key, int64_t unix_seconds, int digits = kTotpDigits, TotpAlgo algo = TotpAlgo::Sha1);

// The step whose code `code` is, looking `window` steps either side of now (clock drift and typing time),
// newest first, and only at steps after `used_step` (a code opens once). Compared in constant time. The key
// comes as the vault opened it and is unwrapped only here, where its bytes key the MAC.
std::optional<int64_t> match_totp(const crypto::Secret& key, std::string_view code, int64_t unix_seconds, int64_t used_step,
                                  int window = 1);

// A code as people type it: spaces and dashes dropped. Six digits is a TOTP code; anything else is not.
std::string squeeze_code(std::string_view typed);
bool looks_like_totp(std::string_view squeezed);

// otpauth://totp/ISSUER:ACCOUNT?secret=...&issuer=ISSUER&algorithm=SHA1&digits=6&period=30 — what the QR
// code holds (the Key Uri Format of Google Authenticator, which every authenticator app reads).
std::string otpauth_uri(std::string_view issuer, std::string_view account, std::string_view secret_base32);

// Ten recovery codes of 60 random bits each, shown as "xxxx-xxxx-xxxx" (base32 lower case); stored only as
// recovery_code_hash() of their squeezed lower-case form, so a typed code matches however it is spaced.
inline constexpr int kRecoveryCodes = 10;
std::vector<std::string> new_recovery_codes(RandomSource& random = SystemRandom::instance(), int count = kRecoveryCodes);
std::string recovery_code_hash(std::string_view typed);  // hex SHA-256 of the normalised code
bool looks_like_recovery_code(std::string_view squeezed);

}  // namespace tb::auth
