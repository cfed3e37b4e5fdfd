#pragma once
// The page at "/": a venue's "API Management" screen over the admin API, so a person can create a key and
// paste it into tradebridge. One self-contained HTML document, no external resources: page.html beside
// this header, compiled into the binary (cmake/embed.cmake) and served from memory. Every value the page
// shows goes through textContent, never innerHTML: labels are user input.
#include <string_view>

namespace tb::exsim {

// page.html, byte for byte.
std::string_view api_management_page();

}  // namespace tb::exsim
