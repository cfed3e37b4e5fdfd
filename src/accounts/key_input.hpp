#pragma once
// Step 1 of the key test: the key pair checked against the venue's format (from its description) before
// any network call, and the client order id the test order carries.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "crypto/secret.hpp"

namespace tb::accounts {

struct KeyInput {
  std::string api_key;        // trimmed
  crypto::Secret api_secret;  // trimmed
};

// Trims surrounding whitespace, then checks each field. InvalidArgument naming the field ("API key" or
// "API secret") for empty, whitespace inside, wrong length or alphabet, its Error::field "key" or "secret"
// ("exchange" for an unknown venue). The message never repeats the secret,
// and the check asks the Secret its questions without revealing it; `api_secret` is left as it was.
Result<KeyInput> check_key_input(std::string_view venue_id, std::string_view api_key, const crypto::Secret& api_secret);

// Whether a text (trimmed) looks like an API key or secret, so it is never kept as a name nor repeated: the
// exact format of any venue's key or secret, or any run of 24 or more base64 characters with no space that
// mixes upper case, lower case and digits (a key cut short, or another venue's). Names with words, spaces,
// dashes or underscores are not keys.
bool looks_like_key(std::string_view text);

// How an error message may repeat what a user typed: quoted ('text', control characters as '?') when at most
// kMaxEchoChars bytes and not shaped like a key or secret; otherwise nothing, and the message does without it.
inline constexpr size_t kMaxEchoChars = 32;
std::optional<std::string> quoted_echo(std::string_view typed);

// A client order id the venue accepts, from a number unique enough for one test (the clock's ms); the
// venue's description says how. An unknown venue gets a short neutral one.
std::string make_client_order_id(std::string_view venue_id, uint64_t unique);

}  // namespace tb::accounts
