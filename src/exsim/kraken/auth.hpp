#pragma once
// Reading a private call as Kraken does (exchanges.md §3.2): the parameters from the raw body (form or
// JSON), the nonce as the characters sent, and API-Sign recomputed over exactly the bytes received:
//   base64( HMAC-SHA512( base64decode(secret), uri_path ‖ SHA256(nonce ‖ body) ) )
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace tb::exsim::kraken {

using Params = std::map<std::string, std::string, std::less<>>;

// Form-encoded ("a=1&b=2") or, when the content type says JSON or the body starts with '{', a JSON object
// whose values become strings (numbers as printed, booleans as true/false). nullopt when malformed.
std::optional<Params> parse_params(std::string_view body, const std::string* content_type);

// The signature Kraken expects; nullopt when the secret is not base64.
std::optional<std::string> expected_api_sign(std::string_view secret_b64, std::string_view uri_path, std::string_view nonce,
                                             std::string_view body);

// A nonce is an unsigned 64-bit decimal integer.
std::optional<uint64_t> parse_nonce(std::string_view text);

}  // namespace tb::exsim::kraken
