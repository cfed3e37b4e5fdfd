#include "auth/tokens.hpp"

#include <sodium.h>

#include "auth/sodium_init.hpp"
#include "crypto/encoding.hpp"

namespace tb::auth {
namespace {

constexpr size_t kMinServerKeyBytes = 32;
constexpr std::string_view kCsrfContext = "tradebridge csrf v1";  // domain separation for the MAC input

bool is_base64url_char(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

std::string set_cookie(const CookieOptions& o, std::string_view value, long long max_age) {
  std::string out = o.name + "=" + std::string(value) + "; Path=/; Max-Age=" + std::to_string(max_age) + "; HttpOnly";
  if (o.secure) out += "; Secure";
  out += "; SameSite=Strict";
  return out;
}

}  // namespace

void SystemRandom::fill(std::span<unsigned char> out) {
  detail::ensure_sodium();
  randombytes_buf(out.data(), out.size());
}

SystemRandom& SystemRandom::instance() {
  static SystemRandom random;
  return random;
}

std::string base64url(std::string_view bytes) {
  constexpr int variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), variant), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), variant);
  out.resize(out.size() - 1);  // the encoded length counts the terminating NUL
  return out;
}

std::string new_session_token(RandomSource& random) {
  unsigned char bytes[kSessionTokenBytes];
  random.fill(bytes);
  std::string token = base64url(std::string_view(reinterpret_cast<const char*>(bytes), sizeof bytes));
  sodium_memzero(bytes, sizeof bytes);
  return token;
}

std::string token_hash(std::string_view token) { return crypto::hex(crypto::sha256(token)); }

bool token_matches(std::string_view token, std::string_view stored_hash) {
  return crypto::constant_time_equal(token_hash(token), stored_hash);
}

bool looks_like_session_token(std::string_view text) {
  if (text.size() != kSessionTokenChars) return false;
  for (unsigned char c : text)
    if (!is_base64url_char(c)) return false;
  return true;
}

Result<CsrfTokens> CsrfTokens::make(const crypto::Secret& server_key) {
  if (server_key.size() < kMinServerKeyBytes)
    return Error::make(ErrorKind::InvalidArgument, "CSRF server key is too short: at least 32 bytes");
  return CsrfTokens(std::make_shared<const crypto::HmacKey>(crypto::HmacAlgo::Sha256, server_key.reveal()));
}

std::string CsrfTokens::issue(std::string_view session_id) const {
  std::string message(kCsrfContext);
  message += '\0';  // the context cannot run into the session id
  message += session_id;
  return base64url(key_->mac(message));
}

bool CsrfTokens::verify(std::string_view session_id, std::string_view token) const {
  if (session_id.empty()) return false;  // no session, nothing a CSRF token could be bound to
  return crypto::constant_time_equal(issue(session_id), token);
}

std::string session_cookie(std::string_view token, const CookieOptions& options) {
  return set_cookie(options, token, static_cast<long long>(options.max_age.count()));
}

std::string clear_session_cookie(const CookieOptions& options) { return set_cookie(options, "", 0); }

std::optional<std::string> find_cookie(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    const size_t semi = header.find(';');
    std::string_view pair = header.substr(0, semi);
    header = semi == std::string_view::npos ? std::string_view() : header.substr(semi + 1);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    while (!pair.empty() && pair.back() == ' ') pair.remove_suffix(1);
    const size_t eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == name) return std::string(pair.substr(eq + 1));
  }
  return std::nullopt;
}

}  // namespace tb::auth
