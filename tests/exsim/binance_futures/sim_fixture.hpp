#pragma once
// The simulated Binance over a fresh engine with a fixed clock, and tradebridge's own connector wired to it:
// each request the connector sends is handed to the VenueSim as the server would hand it (raw path, query,
// body, headers, peer address). Also raw, hand-signed requests straight to the sim.
#include <utility>

#include <stdexcept>

#include <nlohmann/json.hpp>

#include "crypto/encoding.hpp"
#include "crypto/hash.hpp"
#include "exsim/binance_futures/binance_futures_sim.hpp"
#include "exsim/binance_futures/render.hpp"
#include "support/harness.hpp"
#include "venues/binance_futures/errors.hpp"
#include "venues/registry.hpp"

namespace tb::exsim::bf_test {

using venues::Venue;

inline constexpr const char* kBase = "http://127.0.0.1:8081";
inline constexpr const char* kLocalIp = "127.0.0.1";

// The server's side of the seam: an absolute-URL HttpRequest as the sim receives it.

struct Sim {
  Sim()
      : harness([this](const net::HttpRequest& r) -> Result<net::HttpResponse> { return sim->handle(to_sim_request(r, peer_ip)); }),
        exchange(harness.clock, 1),
        sim(make_binance_futures_sim(exchange)) {}

  std::unique_ptr<Venue> connector(int max_attempts = 3) {
    venues::VenueConfig cfg;
    cfg.base_url = kBase;
    cfg.max_attempts = max_attempts;
    return venues::make_venue("binance_futures", harness.context(), cfg);
  }

  ApiKey key(KeyPermissions perms, std::string usdt = "10000", std::vector<std::string> ips = {}) {
    NewKey spec;
    spec.venue = "binance_futures";
    spec.label = "test";
    spec.permissions = perms;
    spec.ip_whitelist = std::move(ips);
    spec.balances["USDT"] = *Decimal::parse(usdt);
    auto k = exchange.create_key(spec);
    if (!k) throw std::runtime_error(k.error().describe());
    return *k;
  }
  ApiKey trading_key(std::string usdt = "10000") { return key({.read = true, .trade = true, .futures = true, .withdraw = false}, usdt); }

  // A raw request straight to the sim, signed with `secret` when given.
  net::HttpResponse raw(std::string method, std::string path, std::string query, const ApiKey* k = nullptr, std::string body = {}) {
    SimRequest s;
    s.method = std::move(method);
    s.path = std::move(path);
    s.query = std::move(query);
    s.body = std::move(body);
    s.peer_ip = peer_ip;
    if (k) s.headers.push_back({"X-MBX-APIKEY", k->key});
    return sim->handle(s);
  }
  std::string signed_query(const ApiKey& k, std::string params) {
    return params + "&signature=" + crypto::hex(crypto::hmac_sha256(k.secret, params));
  }
  std::string ts() const { return "timestamp=" + std::to_string(harness.clock.now_ms()); }

  std::string peer_ip = kLocalIp;
  test::VenueHarness harness;
  Exchange exchange;
  std::unique_ptr<VenueSim> sim;
};

inline crypto::LocalSigner signer_for(const ApiKey& k) { return crypto::LocalSigner(k.key, crypto::Secret(k.secret)); }

inline OrderRequest limit_buy(std::string price, std::string qty = "0.010") {
  OrderRequest r;
  r.symbol = "BTCUSDT";
  r.side = Side::Buy;
  r.type = OrderType::Limit;
  r.amount = *Decimal::parse(qty);
  r.price = *Decimal::parse(price);
  return r;
}

inline const tb::Balance* find_balance(const Portfolio& p, std::string_view asset) {
  for (auto& b : p.balances)
    if (b.asset == asset) return &b;
  return nullptr;
}

inline nlohmann::json body_of(const net::HttpResponse& r) { return nlohmann::json::parse(r.body); }

}  // namespace tb::exsim::bf_test
