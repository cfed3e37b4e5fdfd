#pragma once
// Binance request signing, and nothing else: HMAC-SHA256 (hex, lower case) over totalParams, which is the
// query string (without '?') immediately followed by the raw body, with no separator between them.
// The secret stays inside the Signer; this code only sees the bytes to sign and the MAC.
#include <string>
#include <string_view>

#include "crypto/signer.hpp"

namespace tb::venues::binance_futures {

inline constexpr std::string_view kApiKeyHeader = "X-MBX-APIKEY";

// Lower-case hex HMAC-SHA256 of `total_params`; empty if the signer could not sign.
std::string signature(const crypto::Signer& signer, std::string_view total_params);

// `params` with "&signature=<hex>" appended as the last parameter (no '&' when params is empty).
// `signed_prefix` is any part that travels elsewhere but is covered too (the query, when the params
// shown here are the body): the signature is over signed_prefix ‖ params.
std::string append_signature(const crypto::Signer& signer, std::string_view params, std::string_view signed_prefix = {});

}  // namespace tb::venues::binance_futures
