#pragma once
// Bitfinex v2 request signing, and nothing else (exchanges.md §4.2):
//   bfx-signature = hex HMAC-SHA384(secret as raw bytes, "/api/" + path + nonce + body)
// The secret stays inside the Signer; these functions only see the bytes to sign.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/signer.hpp"
#include "net/http.hpp"

namespace tb::venues::bitfinex {

// path is the URL path without its leading slash ("v2/auth/r/wallets"); body the exact JSON sent.
std::string signature_payload(std::string_view path, std::string_view nonce, std::string_view body);
// "AUTH" + nonce, what the authenticated WebSocket signs.
std::string ws_auth_payload(std::string_view nonce);
// Lower-case hex HMAC-SHA384 of payload; empty if the signer could not sign.
std::string sign_hex(const crypto::Signer& signer, std::string_view payload);
// The four headers of an authenticated request, in the order they are sent:
// Content-Type, bfx-nonce, bfx-apikey, bfx-signature. Empty if the signer could not sign.
std::vector<net::Header> auth_headers(const crypto::Signer& signer, std::string_view path, uint64_t nonce, std::string_view body);

}  // namespace tb::venues::bitfinex
