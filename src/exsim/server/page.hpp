#pragma once
// The page at "/": a venue's "API Management" screen over the admin API, so a person can create a key and
// paste it into tradebridge. One self-contained HTML document, no external resources.
#include <string_view>

namespace tb::exsim {

std::string_view api_management_page();

}  // namespace tb::exsim
