#include "app/serve_options.hpp"

#include <boost/asio/ip/address.hpp>

#include "net/http_client.hpp"
#include "venues/registry.hpp"

namespace tb::app {

namespace {

Error config_error(std::string message) { return Error::make(ErrorKind::InvalidArgument, std::move(message)); }

Result<auth::PasswordCost> parse_password_cost(const std::string& text) {
  if (text == "interactive") return auth::PasswordCost::interactive();
  if (text == "fast") return auth::PasswordCost::fast();
  return config_error("--password-cost takes interactive or fast");
}

Result<std::map<std::string, std::string>> parse_venue_urls(const std::vector<std::string>& specs) {
  std::map<std::string, std::string> venue_urls;
  for (const auto& spec : specs) {
    auto eq = spec.find('=');
    std::string venue = spec.substr(0, eq);
    if (eq == std::string::npos || eq + 1 == spec.size()) return config_error("--venue-url takes VENUE=URL, got '" + spec + "'");
    if (!venues::find_venue(venue)) return config_error("--venue-url: unknown venue '" + venue + "' (" + venues::venue_ids() + ")");
    if (!net::parse_url(spec.substr(eq + 1))) return config_error("--venue-url " + venue + ": not an http(s) URL");
    venue_urls[venue] = spec.substr(eq + 1);
  }
  return venue_urls;
}

}  // namespace

Result<Listen> parse_listen(const std::string& text) {
  auto colon = text.rfind(':');
  if (colon == std::string::npos || colon + 1 == text.size())
    return config_error("--listen takes ADDRESS:PORT (127.0.0.1:8080), got '" + text + "'");
  std::string host = text.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  int port = 0;
  for (char c : text.substr(colon + 1)) {
    if (c < '0' || c > '9' || port > 65535) return config_error("--listen: bad port in '" + text + "'");
    port = port * 10 + (c - '0');
  }
  if (port > 65535) return config_error("--listen: bad port in '" + text + "'");
  return Listen{host.empty() ? "127.0.0.1" : host, static_cast<uint16_t>(port)};
}

bool is_loopback(const std::string& address) {
  if (address == "localhost") return true;
  boost::system::error_code ec;
  auto a = boost::asio::ip::make_address(address, ec);
  return !ec && a.is_loopback();
}

std::optional<std::string> plain_http_refusal(const ServeOptions& o, const Listen& listen) {
  if (is_loopback(listen.address) || !o.tls_cert.empty() || !o.behind_proxy.empty()) return std::nullopt;
  return "tradebridge: refusing to serve plain HTTP on " + o.listen +
         " beyond loopback: give --tls-cert and --tls-key, or --behind-proxy IP[,IP...] naming the TLS-terminating proxy in front";
}

Result<CheckedOptions> check_options(const ServeOptions& options, Listen listen) {
  CheckedOptions checked{std::move(listen), std::nullopt, {}, {}};
  if (!options.metrics_listen.empty()) {
    auto m = parse_listen(options.metrics_listen);
    if (!m) return config_error("--metrics-listen takes ADDRESS:PORT, got '" + options.metrics_listen + "'");
    checked.metrics_listen = *m;
  }
  auto cost = parse_password_cost(options.password_cost);
  if (!cost) return cost.error();
  checked.cost = *cost;
  auto venue_urls = parse_venue_urls(options.venue_urls);
  if (!venue_urls) return venue_urls.error();
  checked.venue_urls = std::move(*venue_urls);
  return checked;
}

}  // namespace tb::app
