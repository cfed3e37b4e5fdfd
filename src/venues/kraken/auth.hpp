#pragma once
// Kraken API-Sign, and nothing else (exchanges.md §3.2):
//   API-Sign = base64( HMAC-SHA512( base64decode(secret), uri_path ‖ SHA256(nonce ‖ body) ) )
// The connector hands the exact bytes to a Signer; the secret never leaves it.
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "crypto/signer.hpp"
#include "net/http.hpp"

namespace tb::venues::kraken {

// The bytes the HMAC runs over: uri_path followed by the 32 raw bytes of SHA256(nonce ‖ body).
std::string sign_message(std::string_view uri_path, std::string_view nonce, std::string_view body);

// base64 API-Sign; InvalidArgument (without the secret in it) when the secret is not valid base64.
Result<std::string> api_sign(const crypto::Signer& signer, std::string_view uri_path, std::string_view nonce, std::string_view body);

// Headers of a private call, in send order: API-Key, API-Sign, Content-Type.
Result<std::vector<net::Header>> private_headers(const crypto::Signer& signer, std::string_view uri_path, std::string_view nonce,
                                                 std::string_view body);

}  // namespace tb::venues::kraken
