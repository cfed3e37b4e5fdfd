#pragma once
// Private to the telegram module: how the dialogs read what the user typed and word what the service said.
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace tb::telegram {

// Without the spaces, tabs and line breaks around it.
std::string trim(std::string_view s);
// The service's message without its field: "key: API key should be ..." → "API key should be ..." (the
// field as the error names it; a message without one is kept whole).
std::string without_field(const Error& error);

}  // namespace tb::telegram
