#pragma once
// The REST API in-process over the real account service, store, vault and simulated venue: requests go
// straight to Api::handle from a fixed client address (198.51.100.7).
#include <gtest/gtest.h>

#include <boost/asio/thread_pool.hpp>

#include "accounts/service_world.hpp"
#include "robots/board.hpp"
#include "support/harness.hpp"
#include "web/api.hpp"

namespace tb::web {

using accounts::test::ServiceWorld;

struct ApiWorld {
  explicit ApiWorld(users::UserOptions options = users::UserOptions{auth::PasswordCost::fast()}) : user_options(options) {
    ApiOptions o;
    o.cookie.secure = false;
    o.egress_ip = "203.0.113.7";
    api = std::make_unique<Api>(ApiDeps{users, two_factor, *w.service, robot_board, metrics, pool, {}}, o);
  }

  net::HttpResponse call(std::string method, std::string url, std::string body = {}, std::vector<net::Header> headers = {}) {
    net::HttpRequest r;
    r.method = std::move(method);
    r.url = std::move(url);
    r.body = std::move(body);
    r.headers = std::move(headers);
    r.headers.push_back({"X-Peer-Addr", "198.51.100.7:5555"});
    if (!r.body.empty()) r.headers.push_back({"Content-Type", "application/json"});
    return tb::test::run_on(w.io, api->handle(std::move(r)));
  }
  static nlohmann::json json(const net::HttpResponse& r) { return nlohmann::json::parse(r.body); }

  // Registers and signs in; returns the login answer.
  nlohmann::json sign_up(const std::string& email) {
    std::string creds = nlohmann::json{{"email", email}, {"password", "correct horse battery"}}.dump();
    auto reg = call("POST", "/api/v1/auth/register", creds);
    EXPECT_EQ(reg.status, 201) << reg.body;
    auto in = call("POST", "/api/v1/auth/login", creds);
    EXPECT_EQ(in.status, 200) << in.body;
    auto j = json(in);
    j["cookie"] = *in.header("Set-Cookie");
    return j;
  }
  static net::Header bearer(const nlohmann::json& login) { return {"Authorization", "Bearer " + login["token"].get<std::string>()}; }
  static net::Header cookie(const nlohmann::json& login) { return {"Cookie", "tb_session=" + login["token"].get<std::string>()}; }
  static net::Header csrf(const nlohmann::json& login) { return {"X-CSRF-Token", login["csrf_token"].get<std::string>()}; }

  ServiceWorld w{"kraken"};
  auth::LoginLimiter limiter{w.sim.harness.clock};
  auth::CsrfTokens csrf_tokens = *auth::CsrfTokens::make(crypto::Secret(std::string(32, 'k')));
  users::UserOptions user_options;
  accounts::TwoFactorService two_factor{*w.store, w.vault, w.sim.harness.clock};
  users::UserService users{*w.store, w.sim.harness.clock, limiter, two_factor, csrf_tokens, user_options};
  observability::MetricsRegistry metrics;
  boost::asio::thread_pool pool{1};
  // The robots' markets: the simulated venue's BTC market.
  robots::RobotBoard robot_board{
      *w.store,
      {{"kraken", "XXBTZUSD", "BTC", false, robots::MarketRules{*Decimal::parse("0.0001"), *Decimal::parse("0.0001"), Decimal(), false},
        *Decimal::parse("0.0026")}}};
  std::unique_ptr<Api> api;
};

}  // namespace tb::web
