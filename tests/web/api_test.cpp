// The REST API's door, in-process: routes, authentication (bearer and cookie), CSRF, errors and the
// static web app, over the real account service, store, vault and simulated venue.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "api_world.hpp"

namespace tb::web {
namespace {

using accounts::test::SimWorld;

class ApiTest : public ::testing::Test {
 protected:
  ApiWorld a;
};

TEST_F(ApiTest, RegisterValidatesAndRefusesADuplicate) {
  auto bad = a.call("POST", "/api/v1/auth/register", R"({"email":"nope","password":"correct horse battery"})");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(ApiWorld::json(bad)["error"]["field"], "email");
  auto weak = a.call("POST", "/api/v1/auth/register", R"({"email":"a@example.com","password":"short"})");
  EXPECT_EQ(weak.status, 400);
  EXPECT_EQ(ApiWorld::json(weak)["error"]["field"], "password");
  EXPECT_EQ(ApiWorld::json(weak)["error"]["message"].get<std::string>().find("short\""), std::string::npos);
  a.sign_up("a@example.com");
  auto dup = a.call("POST", "/api/v1/auth/register", R"({"email":"A@EXAMPLE.com","password":"correct horse battery"})");
  EXPECT_EQ(dup.status, 409) << dup.body;
  EXPECT_EQ(ApiWorld::json(dup)["error"]["field"], "email");
}

TEST_F(ApiTest, LoginGivesATokenAndAStrictCookieAndWrongPasswordsAreThrottled) {
  auto login = a.sign_up("a@example.com");
  std::string cookie = login["cookie"];
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos);
  EXPECT_EQ(login["token"].get<std::string>().size(), 43u);
  auto unknown = a.call("POST", "/api/v1/auth/login", R"({"email":"ghost@example.com","password":"correct horse battery"})");
  auto wrong = a.call("POST", "/api/v1/auth/login", R"({"email":"a@example.com","password":"wrong horse battery"})");
  EXPECT_EQ(unknown.status, 401);
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(ApiWorld::json(unknown)["error"]["message"], ApiWorld::json(wrong)["error"]["message"]);  // no account probing
  net::HttpResponse last;
  for (int i = 0; i < 6; ++i) last = a.call("POST", "/api/v1/auth/login", R"({"email":"a@example.com","password":"wrong horse battery"})");
  EXPECT_EQ(last.status, 429) << last.body;
  EXPECT_NE(last.header("Retry-After"), nullptr);
  // Locked out: even the right password waits.
  EXPECT_EQ(a.call("POST", "/api/v1/auth/login", R"({"email":"a@example.com","password":"correct horse battery"})").status, 429);
}

TEST_F(ApiTest, BearerOrCookieAuthenticateAndCookieWritesNeedTheCsrfHeader) {
  auto login = a.sign_up("a@example.com");
  EXPECT_EQ(a.call("GET", "/api/v1/me").status, 401);
  EXPECT_EQ(a.call("GET", "/api/v1/me", {}, {{"Authorization", "Bearer nonsense"}}).status, 401);
  auto me = a.call("GET", "/api/v1/me", {}, {ApiWorld::cookie(login)});
  ASSERT_EQ(me.status, 200);
  EXPECT_EQ(ApiWorld::json(me)["user"]["email"], "a@example.com");
  EXPECT_EQ(ApiWorld::json(me)["csrf_token"], login["csrf_token"]);

  auto k = a.w.sim.key(SimWorld::trading());
  std::string body = nlohmann::json{{"exchange", "kraken"}, {"key", k.key}, {"secret", k.secret}}.dump();
  auto no_csrf = a.call("POST", "/api/v1/exchange-accounts", body, {ApiWorld::cookie(login)});
  EXPECT_EQ(no_csrf.status, 403);
  EXPECT_EQ(ApiWorld::json(no_csrf)["error"]["code"], "csrf_required");
  auto forged = a.call("POST", "/api/v1/exchange-accounts", body, {ApiWorld::cookie(login), {"X-CSRF-Token", "x"}});
  EXPECT_EQ(forged.status, 403);
  EXPECT_TRUE(a.w.service->list(login["user"]["id"])->empty());  // nothing was added
  auto with_csrf = a.call("POST", "/api/v1/exchange-accounts", body, {ApiWorld::cookie(login), ApiWorld::csrf(login)});
  EXPECT_EQ(with_csrf.status, 202) << with_csrf.body;
  EXPECT_EQ(ApiWorld::json(with_csrf)["status"], "testing");
  EXPECT_EQ(with_csrf.body.find(k.secret), std::string::npos);
  auto k2 = a.w.sim.key(SimWorld::trading());
  std::string body2 = nlohmann::json{{"exchange", "kraken"}, {"key", k2.key}, {"secret", k2.secret}}.dump();
  EXPECT_EQ(a.call("POST", "/api/v1/exchange-accounts", body2, {ApiWorld::bearer(login)}).status, 202);

  EXPECT_EQ(a.call("POST", "/api/v1/auth/logout", {}, {ApiWorld::bearer(login)}).status, 204);
  EXPECT_EQ(a.call("GET", "/api/v1/me", {}, {ApiWorld::bearer(login)}).status, 401);
}

TEST_F(ApiTest, AnotherUsersAccountLooksExactlyLikeNoAccount) {
  auto alice = a.sign_up("alice@example.com");
  auto bob = a.sign_up("bob@example.com");
  auto k = a.w.sim.key(SimWorld::trading());
  auto added = a.call("POST", "/api/v1/exchange-accounts",
                      nlohmann::json{{"exchange", "kraken"}, {"key", k.key}, {"secret", k.secret}}.dump(), {ApiWorld::bearer(alice)});
  ASSERT_EQ(added.status, 202);
  std::string id = std::to_string(ApiWorld::json(added)["id"].get<int64_t>());
  std::string missing = std::to_string(ApiWorld::json(added)["id"].get<int64_t>() + 1000);
  struct Case {
    std::string method, suffix, body;
  };
  for (const Case& c : {Case{"GET", "", ""}, Case{"PATCH", "", R"({"name":"x"})"}, Case{"DELETE", "", ""},
                        Case{"PUT", "/keys", nlohmann::json{{"key", k.key}, {"secret", k.secret}}.dump()}, Case{"POST", "/check", ""}}) {
    auto theirs = a.call(c.method, "/api/v1/exchange-accounts/" + id + c.suffix, c.body, {ApiWorld::bearer(bob)});
    auto none = a.call(c.method, "/api/v1/exchange-accounts/" + missing + c.suffix, c.body, {ApiWorld::bearer(bob)});
    EXPECT_EQ(theirs.status, 404) << c.method << c.suffix << theirs.body;
    // The same words, apart from the id itself.
    std::string t = ApiWorld::json(theirs)["error"]["message"], n = ApiWorld::json(none)["error"]["message"];
    EXPECT_EQ(t.substr(0, t.find(id)), n.substr(0, n.find(missing))) << c.method << c.suffix;
  }
  for (const char* bad : {"/api/v1/exchange-accounts/abc", "/api/v1/exchange-accounts/0", "/api/v1/exchange-accounts/-1"})
    EXPECT_EQ(a.call("GET", bad, {}, {ApiWorld::bearer(bob)}).status, 404) << bad;
  EXPECT_EQ(a.call("GET", "/api/v1/exchange-accounts/" + id, {}, {ApiWorld::bearer(alice)}).status, 200);
}

TEST_F(ApiTest, BadBodiesAreRefusedWithTheFieldNamed) {
  auto login = a.sign_up("a@example.com");
  auto post = [&](std::string body, std::vector<net::Header> h = {}) {
    h.push_back(ApiWorld::bearer(login));
    return a.call("POST", "/api/v1/exchange-accounts", std::move(body), h);
  };
  auto unknown = post(R"({"exchange":"kraken","key":"k","secret":"s","secert":"x"})");
  EXPECT_EQ(unknown.status, 400);
  auto missing = post(R"({"exchange":"kraken","key":"k"})");
  EXPECT_EQ(ApiWorld::json(missing)["error"]["field"], "secret");
  auto typed = post(R"({"exchange":"kraken","key":7,"secret":"s"})");
  EXPECT_EQ(ApiWorld::json(typed)["error"]["field"], "key");
  auto garbage = post("{not json");
  EXPECT_EQ(garbage.status, 400);
  auto venue = post(R"({"exchange":"mtgox","key":"k","secret":"s"})");
  EXPECT_EQ(venue.status, 400);
  EXPECT_EQ(ApiWorld::json(venue)["error"]["field"], "exchange");
  auto format = post(R"({"exchange":"kraken","key":"short","secret":"s3cr3t-value-never-echoed"})");
  EXPECT_EQ(format.status, 400);
  EXPECT_EQ(ApiWorld::json(format)["error"]["field"], "key");
  EXPECT_EQ(format.body.find("s3cr3t-value-never-echoed"), std::string::npos);
  auto huge = post(nlohmann::json{{"exchange", "kraken"}, {"key", std::string(70'000, 'a')}, {"secret", "s"}}.dump());
  EXPECT_EQ(huge.status, 413);
  EXPECT_EQ(a.call("DELETE", "/api/v1/exchanges", {}, {ApiWorld::bearer(login)}).status, 405);
  EXPECT_TRUE(a.w.service->list(login["user"]["id"])->empty());
}

TEST_F(ApiTest, TheWholeFlowShowsProgressPortfolioAuditAndMetrics) {
  auto login = a.sign_up("a@example.com");
  auto k = a.w.sim.key(SimWorld::trading());
  auto added = a.call("POST", "/api/v1/exchange-accounts",
                      nlohmann::json{{"exchange", "kraken"}, {"key", k.key}, {"secret", k.secret}}.dump(), {ApiWorld::bearer(login)});
  ASSERT_EQ(added.status, 202);
  EXPECT_EQ(*added.header("Location"), "/api/v1/exchange-accounts/" + std::to_string(ApiWorld::json(added)["id"].get<int64_t>()));
  a.w.run_jobs();
  auto list = ApiWorld::json(a.call("GET", "/api/v1/exchange-accounts", {}, {ApiWorld::bearer(login)}));
  ASSERT_EQ(list["accounts"].size(), 1u);
  EXPECT_EQ(list["accounts"][0]["status"], "enabled");
  EXPECT_EQ(list["accounts"][0]["name"], "Kraken");
  auto portfolio = ApiWorld::json(a.call("GET", "/api/v1/portfolio", {}, {ApiWorld::bearer(login)}));
  EXPECT_EQ(portfolio["usd_total"], list["accounts"][0]["usd_total"]);
  auto history = ApiWorld::json(a.call("GET", "/api/v1/portfolio/history?days=1", {}, {ApiWorld::bearer(login)}));
  EXPECT_EQ(history["bucket"], "hour");
  auto audit = ApiWorld::json(a.call("GET", "/api/v1/audit?limit=2", {}, {ApiWorld::bearer(login)}));
  ASSERT_EQ(audit["entries"].size(), 2u);
  EXPECT_EQ(audit["entries"][0]["action"], "key.tested");
  EXPECT_EQ(audit["entries"][1]["action"], "key.added");
  EXPECT_EQ(audit["entries"][1]["ip"], "198.51.100.7");
  EXPECT_EQ(a.call("GET", "/api/v1/audit?limit=0", {}, {ApiWorld::bearer(login)}).status, 400);
  auto guide = ApiWorld::json(a.call("GET", "/api/v1/exchanges"));
  ASSERT_EQ(guide["exchanges"].size(), 3u);
  EXPECT_NE(guide["exchanges"][0]["ip_whitelist"]["advice"].get<std::string>().find("203.0.113.7"), std::string::npos);
  auto metrics = a.call("GET", "/metrics");
  EXPECT_NE(metrics.body.find(R"(tradebridge_http_requests_total{method="GET",route="/api/v1/exchange-accounts",status="200"} 1)"),
            std::string::npos)
      << metrics.body;
  auto doc = ApiWorld::json(a.call("GET", "/api/openapi.json"));
  EXPECT_EQ(doc["openapi"], "3.0.3");
  for (const auto& route : a.api->router().routes()) EXPECT_TRUE(doc["paths"].contains(route.pattern)) << route.pattern;
}

class StaticTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = std::filesystem::temp_directory_path() / ("tb-web-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir / "js");
    std::filesystem::create_directories(dir / ".git");
    std::ofstream(dir / "index.html") << "<!doctype html><title>tradebridge</title>";
    std::ofstream(dir / "js" / "app.js") << "export const x = 1;";
    std::ofstream(dir / ".git" / "config") << "private";
    auto files = StaticFiles::load(dir.string());
    ASSERT_TRUE(files) << files.error().message;
    ApiOptions o;
    o.static_files = std::make_shared<StaticFiles>(std::move(*files));
    a.api = std::make_unique<Api>(ApiDeps{a.users, a.two_factor, *a.w.service, a.robot_board, a.metrics, a.pool, {}}, o);
  }
  void TearDown() override { std::filesystem::remove_all(dir); }
  std::filesystem::path dir;
  ApiWorld a;
};

TEST_F(StaticTest, ServesTheAppWithAStrictPolicyAndNothingElse) {
  auto index = a.call("GET", "/");
  ASSERT_EQ(index.status, 200);
  EXPECT_NE(index.body.find("<title>tradebridge"), std::string::npos);
  EXPECT_EQ(*index.header("Content-Type"), "text/html; charset=utf-8");
  const std::string* csp = index.header("Content-Security-Policy");
  ASSERT_NE(csp, nullptr);
  EXPECT_NE(csp->find("script-src 'self'"), std::string::npos);
  EXPECT_NE(csp->find("frame-ancestors 'none'"), std::string::npos);
  EXPECT_EQ(a.call("GET", "/profile").body, index.body);  // an app route
  auto js = a.call("GET", "/js/app.js");
  EXPECT_EQ(*js.header("Content-Type"), "text/javascript; charset=utf-8");
  auto again = a.call("GET", "/js/app.js", {}, {{"If-None-Match", *js.header("ETag")}});
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());
  for (const char* hidden : {"/.git/config", "/js/missing.js", "/../etc/passwd", "/js/../../etc/passwd", "/%2e%2e/etc/passwd"}) {
    auto r = a.call("GET", hidden);
    EXPECT_EQ(r.body.find("private"), std::string::npos) << hidden;
    EXPECT_EQ(r.body.find("root:"), std::string::npos) << hidden;
    EXPECT_NE(r.status, 200) << hidden;
  }
  // The API keeps its JSON answers; it never falls back to the page.
  auto api = a.call("GET", "/api/v1/nothing-here");
  EXPECT_EQ(api.status, 404);
  EXPECT_EQ(ApiWorld::json(api)["error"]["code"], "not_found");
  EXPECT_EQ(a.call("POST", "/profile", "{}").status, 404);
}

}  // namespace
}  // namespace tb::web

namespace tb::web {
namespace {

TEST(UserSessions, KeptBrieflyForgottenAtLogoutAndNeverPastExpiry) {
  ApiWorld a;
  auto& clock = a.w.sim.harness.clock;
  auto login = a.sign_up("cache@example.com");
  std::string token = login["token"];
  ASSERT_TRUE(a.users.authenticate(token));
  // Deleted behind the service's back (another process): served from memory for at most the cache's TTL.
  ASSERT_TRUE(a.w.store->delete_session(auth::token_hash(token)));
  EXPECT_TRUE(a.users.authenticate(token));
  clock.advance_ms(users::UserOptions{}.session_cache_ttl.count());
  EXPECT_FALSE(a.users.authenticate(token));

  // Logout through the service: refused at once, though it was just confirmed.
  auto again = a.call("POST", "/api/v1/auth/login", R"({"email":"cache@example.com","password":"correct horse battery"})");
  ASSERT_EQ(again.status, 200) << again.body;
  std::string second = ApiWorld::json(again)["token"];
  ASSERT_TRUE(a.users.authenticate(second));
  ASSERT_TRUE(a.users.logout(second));
  EXPECT_FALSE(a.users.authenticate(second));

  // An expired session is refused even when it was confirmed a moment ago. Used every 6 hours, so the
  // idle timeout never ends it: the absolute expiry does.
  auto third = a.call("POST", "/api/v1/auth/login", R"({"email":"cache@example.com","password":"correct horse battery"})");
  std::string t3 = ApiWorld::json(third)["token"];
  const int64_t six_hours = 6 * 3'600'000;
  int64_t left = users::UserOptions{}.session_ttl.count() - 1000;
  for (; left > six_hours; left -= six_hours) {
    clock.advance_ms(six_hours);
    ASSERT_TRUE(a.users.authenticate(t3));
  }
  clock.advance_ms(left);
  ASSERT_TRUE(a.users.authenticate(t3));
  clock.advance_ms(1000);
  EXPECT_FALSE(a.users.authenticate(t3));
}

}  // namespace
}  // namespace tb::web
