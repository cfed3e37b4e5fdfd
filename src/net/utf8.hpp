#pragma once
// UTF-8 checks shared by the router (path segments) and the web API's body reader.
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace tb::net {

// Whether s is well-formed UTF-8 (no overlong forms, no surrogates, nothing above U+10FFFF).
bool is_valid_utf8(std::string_view s);
// Decodes the code point at s[i] and moves i past it; false (i unchanged) for an ill-formed sequence.
bool next_code_point(std::string_view s, size_t& i, uint32_t& cp);
// C0 controls, DEL and C1 controls: U+0000..U+001F, U+007F..U+009F.
inline bool is_control(uint32_t cp) { return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f); }

}  // namespace tb::net
