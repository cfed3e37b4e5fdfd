#pragma once
// Private to the telegram module: how the dialogs read what the user typed and word what the service said.
#include <string>
#include <string_view>

namespace tb::telegram {

// Without the spaces, tabs and line breaks around it.
std::string trim(std::string_view s);
// The service's message without its field: "key: API key should be ..." → "API key should be ...".
std::string without_field(const std::string& message);

}  // namespace tb::telegram
