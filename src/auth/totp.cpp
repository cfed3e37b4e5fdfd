#include "auth/totp.hpp"

#include <algorithm>
#include <cctype>

#include "crypto/encoding.hpp"
#include "crypto/hash.hpp"
#include "crypto/secret.hpp"

namespace tb::auth {

namespace {

constexpr std::string_view kBase32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

std::string mac(TotpAlgo algo, std::string_view key, std::string_view message) {
  switch (algo) {
    case TotpAlgo::Sha1: return crypto::hmac_sha1(key, message);
    case TotpAlgo::Sha256: return crypto::hmac_sha256(key, message);
    case TotpAlgo::Sha512: return crypto::hmac_sha512(key, message);
  }
  return {};
}

}  // namespace

std::string base32(std::string_view bytes) {
  std::string out;
  uint32_t buffer = 0;
  int bits = 0;
  for (unsigned char c : bytes) {
    buffer = (buffer << 8) | c;
    bits += 8;
    while (bits >= 5) {
      out += kBase32[(buffer >> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += kBase32[(buffer << (5 - bits)) & 31];
  return out;
}

std::optional<std::string> from_base32(std::string_view text) {
  std::string out;
  uint32_t buffer = 0;
  int bits = 0;
  for (char raw : text) {
    if (raw == ' ' || raw == '=') continue;
    char c = static_cast<char>(std::toupper(static_cast<unsigned char>(raw)));
    size_t v = kBase32.find(c);
    if (v == std::string_view::npos) return std::nullopt;
    buffer = (buffer << 5) | static_cast<uint32_t>(v);
    bits += 5;
    if (bits >= 8) {
      out += static_cast<char>((buffer >> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return out;
}

std::string hotp(std::string_view key, uint64_t counter, int digits, TotpAlgo algo) {
  digits = std::clamp(digits, 6, 8);
  unsigned char msg[8];
  for (int i = 7; i >= 0; --i, counter >>= 8) msg[i] = static_cast<unsigned char>(counter & 0xff);
  std::string h = mac(algo, key, std::string_view(reinterpret_cast<char*>(msg), sizeof msg));
  // Dynamic truncation (RFC 4226 § 5.3): four bytes at the offset the last nibble names, top bit cleared.
  size_t offset = static_cast<unsigned char>(h.back()) & 0x0f;
  uint32_t bin = (static_cast<uint32_t>(static_cast<unsigned char>(h[offset]) & 0x7f) << 24) |
                 (static_cast<uint32_t>(static_cast<unsigned char>(h[offset + 1])) << 16) |
                 (static_cast<uint32_t>(static_cast<unsigned char>(h[offset + 2])) << 8) |
                 static_cast<uint32_t>(static_cast<unsigned char>(h[offset + 3]));
  crypto::secure_zero(h);
  uint32_t mod = 1;
  for (int i = 0; i < digits; ++i) mod *= 10;
  std::string code = std::to_string(bin % mod);
  return std::string(static_cast<size_t>(digits) - code.size(), '0') + code;
}

int64_t totp_step(int64_t unix_seconds) { return unix_seconds / kTotpStepSeconds; }

std::string totp(std::string_view key, int64_t unix_seconds, int digits, TotpAlgo algo) {
  return hotp(key, static_cast<uint64_t>(totp_step(unix_seconds)), digits, algo);
}

std::optional<int64_t> match_totp(const crypto::Secret& key, std::string_view code, int64_t unix_seconds, int64_t used_step, int window) {
  if (!looks_like_totp(code)) return std::nullopt;
  const int64_t now = totp_step(unix_seconds);
  std::optional<int64_t> found;
  // Every step in the window is computed, whichever matches, so the time taken tells nothing.
  for (int64_t step = now + window; step >= now - window; --step) {
    if (step < 0) continue;
    std::string expected = hotp(key.reveal(), static_cast<uint64_t>(step));
    if (crypto::constant_time_equal(expected, code) && step > used_step && !found) found = step;
  }
  return found;
}

std::string squeeze_code(std::string_view typed) {
  std::string out;
  for (char c : typed)
    if (c != ' ' && c != '-' && c != '\t') out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool looks_like_totp(std::string_view squeezed) {
  return squeezed.size() == static_cast<size_t>(kTotpDigits) &&
         std::all_of(squeezed.begin(), squeezed.end(), [](char c) { return c >= '0' && c <= '9'; });
}

namespace {

// RFC 3986 unreserved characters pass; everything else is %XX.
std::string percent_encode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

}  // namespace

std::string otpauth_uri(std::string_view issuer, std::string_view account, std::string_view secret_base32) {
  return "otpauth://totp/" + percent_encode(issuer) + ":" + percent_encode(account) + "?secret=" + std::string(secret_base32) +
         "&issuer=" + percent_encode(issuer) + "&algorithm=SHA1&digits=" + std::to_string(kTotpDigits) +
         "&period=" + std::to_string(kTotpStepSeconds);
}

std::vector<std::string> new_recovery_codes(RandomSource& random, int count) {
  std::vector<std::string> codes;
  for (int i = 0; i < count; ++i) {
    unsigned char bytes[8];
    random.fill(bytes);
    uint64_t v = 0;
    for (unsigned char b : bytes) v = (v << 8) | b;
    std::string code;
    for (int c = 0; c < 12; ++c, v >>= 5) {
      if (c == 4 || c == 8) code += '-';
      code += static_cast<char>(std::tolower(static_cast<unsigned char>(kBase32[v & 31])));
    }
    codes.push_back(std::move(code));
    crypto::secure_zero(bytes, sizeof bytes);
  }
  return codes;
}

bool looks_like_recovery_code(std::string_view squeezed) {
  return squeezed.size() == 12 &&
         std::all_of(squeezed.begin(), squeezed.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= '2' && c <= '7'); });
}

std::string recovery_code_hash(std::string_view typed) { return crypto::hex(crypto::sha256(squeeze_code(typed))); }

}  // namespace tb::auth
