#pragma once
// Private to the screens: the pieces every menu's screens are built of (screens.cpp defines them).
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace tb::telegram::screen_parts {

inline std::string str(std::string_view s) { return std::string(s); }
nlohmann::json button(std::string_view text, std::string_view data);
nlohmann::json inline_keyboard(std::vector<std::vector<nlohmann::json>> rows);
// ◀️ Back to `back`, and 🏠 Main Menu.
std::vector<nlohmann::json> nav_row(std::string_view back);
// A string field of a view; empty when absent or not a string.
std::string text_of(const nlohmann::json& j, const char* name);
// "  ASSET amount" lines of the non-zero balances, at most max_lines.
std::string balances_lines(const nlohmann::json& balances, size_t max_lines = 8);

}  // namespace tb::telegram::screen_parts
