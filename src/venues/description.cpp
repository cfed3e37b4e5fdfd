#include "venues/description.hpp"

namespace tb::venues {

std::string_view to_string(Alphabet a) { return a == Alphabet::Alnum ? "letters and digits" : "base64"; }

std::string ws_api_url(const VenueDescription& v, const std::optional<std::string>& base_url) {
  if (v.ws_api_url.empty()) return {};
  if (!base_url) return std::string(v.ws_api_url);
  std::string url = *base_url;
  while (url.ends_with("/")) url.pop_back();
  if (url.starts_with("http://")) url.replace(0, 4, "ws");
  else if (url.starts_with("https://")) url.replace(0, 5, "wss");
  return url + std::string(v.ws_api_path);
}

}  // namespace tb::venues
