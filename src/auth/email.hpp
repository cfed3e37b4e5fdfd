#pragma once
// The email is the login name, so it is normalised once, here, before it is stored, looked up or counted
// by the login limiter: surrounding spaces trimmed and the whole address lower-cased. (The RFC lets a local
// part be case-sensitive, but the store compares addresses ignoring case, so "A@x.io" and "a@x.io" are one
// account; a limiter that kept the case would give each spelling fresh tries.) Validation is deliberately
// basic: it catches typos, not every RFC 5321 corner (quoted local parts and non-ASCII addresses are refused
// with a message saying so). Reserved top-level domains (.invalid, .test, .example, .localhost, .local, ...)
// never receive mail and once named the Telegram bot's users, so no address in them is accepted.
#include <cstddef>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace tb::auth {

inline constexpr size_t kMaxEmailLength = 254;      // RFC 5321 path limit minus the angle brackets
inline constexpr size_t kMaxEmailLocalLength = 64;  // RFC 5321 local-part limit

// The normalised address, or InvalidArgument with a message naming what is wrong.
Result<std::string> normalize_email(std::string_view raw);

// Whether the domain ends in a top-level domain reserved for tests, documentation or local networks.
bool is_reserved_domain(std::string_view domain);

}  // namespace tb::auth
