#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace tb::crypto {

std::string hex(std::string_view bytes);                        // lower case
std::optional<std::string> from_hex(std::string_view text);     // either case; nullopt if malformed
std::string base64(std::string_view bytes);                     // standard alphabet, padded
std::optional<std::string> from_base64(std::string_view text);  // standard alphabet, padding required

}  // namespace tb::crypto
