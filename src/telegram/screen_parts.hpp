#pragma once
// Private to the screens: the pieces every menu's screens are built of (screens.cpp defines them).
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/types.hpp"

namespace tb::telegram::screen_parts {

inline std::string str(std::string_view s) { return std::string(s); }
nlohmann::json button(std::string_view text, std::string_view data);
nlohmann::json inline_keyboard(std::vector<std::vector<nlohmann::json>> rows);
// ◀️ Back to `back`, and 🏠 Main Menu.
std::vector<nlohmann::json> nav_row(std::string_view back);
// "  ASSET amount" lines of the non-zero balances, at most max_lines.
std::string balances_lines(const std::vector<Balance>& balances, size_t max_lines = 8);

}  // namespace tb::telegram::screen_parts
