#include "exsim/kraken/kraken_sim.hpp"

#include <algorithm>

#include "crypto/encoding.hpp"
#include "crypto/hash.hpp"
#include "exsim/gateway_pages.hpp"
#include "exsim/kraken/auth.hpp"
#include "exsim/kraken/methods.hpp"
#include "exsim/kraken/rate_limits.hpp"

namespace tb::exsim {
namespace kraken {

net::HttpResponse ok(json result) {
  json body = {{"error", json::array()}, {"result", std::move(result)}};
  return {200, {{"Content-Type", "application/json; charset=utf-8"}}, body.dump()};
}

net::HttpResponse fail(std::string_view error, int status) {
  json body = {{"error", json::array({std::string(error)})}};
  return {status, {{"Content-Type", "application/json; charset=utf-8"}}, body.dump()};
}

PairBook::PairBook(const std::vector<SimMarket>& markets) {
  for (auto& m : markets) pairs_.push_back(pair_of(m));
}

const Pair* PairBook::find(std::string_view name) const {
  for (auto& p : pairs_)
    if (p.market.id == name || p.altname == name) return &p;
  return nullptr;
}

namespace {

constexpr std::string_view kPublicPrefix = "/0/public/";
constexpr std::string_view kPrivatePrefix = "/0/private/";

class KrakenSim final : public VenueSim {
 public:
  explicit KrakenSim(Exchange& exchange) : exchange_(exchange), pairs_(exchange.markets("kraken")) {}

  std::string_view venue() const override { return "kraken"; }
  bool owns(std::string_view path) const override { return path.starts_with("/0/"); }

  std::string endpoint(std::string_view path) const override {
    auto slash = path.find_last_of('/');
    return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
  }

  std::vector<std::string> endpoint_names() const override { return method_names(); }

  net::HttpResponse handle(const SimRequest& r) override {
    std::string_view path = r.path;
    if (path.starts_with(kPublicPrefix)) return handle_public(r, path.substr(kPublicPrefix.size()));
    if (path.starts_with(kPrivatePrefix)) return handle_private(r, path.substr(kPrivatePrefix.size()));
    return unknown_method();
  }

  net::HttpResponse rate_limited() const override { return fail("EAPI:Rate limit exceeded"); }
  // Public calls are limited per IP; order entry has its own trading limiter, apart from the REST
  // counter of the other private calls (exchanges.md §3.4).
  net::HttpResponse rate_limited_on(std::string_view endpoint) const override {
    if (find_public(endpoint)) return fail("EGeneral:Too many requests");
    if (endpoint == "AddOrder" || endpoint == "CancelOrder") return fail("EOrder:Rate limit exceeded");
    return rate_limited();
  }
  net::HttpResponse maintenance() const override { return fail("EService:Unavailable"); }
  // Kraken's errors ride on HTTP 200; a 500 carries the same envelope with its internal-error string.
  net::HttpResponse internal_error() const override { return fail("EGeneral:Internal error", 500); }
  net::HttpResponse bad_gateway() const override { return cloudflare_bad_gateway_answer("api.kraken.com"); }

 private:
  static net::HttpResponse unknown_method() { return fail("EGeneral:Unknown method", 404); }

  net::HttpResponse handle_public(const SimRequest& r, std::string_view name) {
    auto method = find_public(name);
    if (!method) return unknown_method();
    // Public methods take GET with a query, or POST with a form body.
    auto params = r.method == "POST" ? parse_params(r.body, r.header("Content-Type")) : parse_params(r.query, nullptr);
    if (!params) return fail("EGeneral:Invalid arguments");
    if (!limits_.admit("ip:" + r.peer_ip, kPublicRule, 1, exchange_.clock().now_ms())) return fail("EGeneral:Too many requests");
    return method->handler(PublicCall{exchange_, pairs_, *params});
  }

  // In Kraken's order: the key, the signature over the raw body, the nonce, where the call comes from,
  // what the key may do, and the key's call counter.
  net::HttpResponse handle_private(const SimRequest& r, std::string_view name) {
    auto method = find_private(name);
    if (!method) return unknown_method();
    if (r.method != "POST") return fail("EGeneral:Invalid arguments");
    auto key_header = r.header("API-Key");
    auto key = key_header ? exchange_.find_key("kraken", *key_header) : std::nullopt;
    if (!key) return fail("EAPI:Invalid key");
    auto params = parse_params(r.body, r.header("Content-Type"));
    if (!params) return fail("EGeneral:Invalid arguments");
    auto nonce_it = params->find("nonce");
    if (nonce_it == params->end()) return fail("EAPI:Invalid nonce");
    auto nonce = parse_nonce(nonce_it->second);
    if (!nonce) return fail("EAPI:Invalid nonce");
    if (auto e = check_signature(r, *key, nonce_it->second)) return fail(*e);
    if (!exchange_.accept_nonce(key->key, *nonce)) return fail("EAPI:Invalid nonce");
    if (!key->ip_whitelist.empty() && std::find(key->ip_whitelist.begin(), key->ip_whitelist.end(), r.peer_ip) == key->ip_whitelist.end())
      return fail("EGeneral:Permission denied");
    if (!has_right(key->permissions, method->right)) return fail("EGeneral:Permission denied");
    if (!limits_.admit("key:" + key->key, kKeyRule, method->cost, exchange_.clock().now_ms())) return fail("EAPI:Rate limit exceeded");
    return method->handler(PrivateCall{exchange_, pairs_, *params, *key, limits_, nonce_it->second});
  }

  // A signature that cannot be one (absent, not base64 of 64 bytes) is "Invalid signature"; a well-formed
  // one made with another secret is what Kraken calls a key/secret mismatch: "Invalid key".
  static std::optional<std::string> check_signature(const SimRequest& r, const ApiKey& key, std::string_view nonce) {
    auto sent = r.header("API-Sign");
    if (!sent) return "EAPI:Invalid signature";
    auto raw = crypto::from_base64(*sent);
    if (!raw || raw->size() != 64) return "EAPI:Invalid signature";
    auto expected = expected_api_sign(key.secret, r.path, nonce, r.body);
    if (!expected || !crypto::constant_time_equal(*expected, *sent)) return "EAPI:Invalid key";
    return std::nullopt;
  }

  Exchange& exchange_;
  PairBook pairs_;
  DecayCounters limits_;
};

}  // namespace
}  // namespace kraken

std::unique_ptr<VenueSim> make_kraken_sim(Exchange& exchange) { return std::make_unique<kraken::KrakenSim>(exchange); }

}  // namespace tb::exsim
