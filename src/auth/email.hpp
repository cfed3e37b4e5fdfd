#pragma once
// The email is the login name, so it is normalised once, before it is stored or looked up: surrounding
// spaces trimmed and the domain lower-cased (domains are case-insensitive; the local part, by the RFC,
// is not, so it is kept as typed). Validation is deliberately basic: it catches typos, not every RFC 5321
// corner (quoted local parts and non-ASCII addresses are refused with a message saying so).
#include <cstddef>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace tb::auth {

inline constexpr size_t kMaxEmailLength = 254;       // RFC 5321 path limit minus the angle brackets
inline constexpr size_t kMaxEmailLocalLength = 64;   // RFC 5321 local-part limit

// The normalised address, or InvalidArgument with a message naming what is wrong.
Result<std::string> normalize_email(std::string_view raw);

}  // namespace tb::auth
