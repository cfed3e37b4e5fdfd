#include "net/forwarded.hpp"

#include <boost/asio/ip/address.hpp>

#include <algorithm>

#include "net/http.hpp"

namespace tb::net {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::string canonical_ip(std::string_view text) {
  text = trim(text);
  if (text.size() >= 2 && text.front() == '[' && text.back() == ']') text = text.substr(1, text.size() - 2);
  boost::system::error_code ec;
  auto address = boost::asio::ip::make_address(std::string(text), ec);
  if (ec) return {};
  if (!address.is_v6()) return address.to_string();
  auto v6 = address.to_v6();
  if (v6.is_v4_mapped()) return boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, v6).to_string();
  // A zone index names an interface of the machine that wrote it, nothing here; Asio reads one leniently
  // ("%2038555555550.0" became another number), so the canonical text was not canonical again.
  v6.scope_id(0);
  return v6.to_string();
}

std::string forwarded_client(std::string_view forwarded_for, const std::vector<std::string>& trusted) {
  while (!forwarded_for.empty()) {
    auto comma = forwarded_for.rfind(',');
    std::string_view entry = comma == std::string_view::npos ? forwarded_for : forwarded_for.substr(comma + 1);
    forwarded_for = comma == std::string_view::npos ? std::string_view() : forwarded_for.substr(0, comma);
    std::string ip = canonical_ip(entry);
    if (ip.empty()) return {};
    if (std::find(trusted.begin(), trusted.end(), ip) == trusted.end()) return ip;
  }
  return {};
}

bool is_forwarding_header(std::string_view name) {
  return iequals(name, "X-Forwarded-For") || iequals(name, "X-Forwarded-Proto") || iequals(name, "X-Forwarded-Host") ||
         iequals(name, "Forwarded");
}

}  // namespace tb::net
