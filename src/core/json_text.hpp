#pragma once
// Appends `s` as a JSON string literal (quoted, escaped). For bodies written on hot paths (order requests,
// the simulator's answers), where building a json object and serialising it costs more than the rest.
#include <string>
#include <string_view>

namespace tb {

void append_json_string(std::string& out, std::string_view s);

}  // namespace tb
