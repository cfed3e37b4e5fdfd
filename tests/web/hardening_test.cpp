// Issue 10's hardening at the API's door: reserved addresses, one spelling of an email for the login
// limiter, secrets typed into the wrong field, the audit log's channel, registrations limited per IP.
#include <gtest/gtest.h>

#include "api_world.hpp"

namespace tb::web {
namespace {

using accounts::test::SimWorld;
using nlohmann::json;

std::string creds(const std::string& email, const std::string& password = "correct horse battery") {
  return json{{"email", email}, {"password", password}}.dump();
}

TEST(Hardening, TheBotsOldAddressesAndOtherReservedDomainsCannotRegisterOrSignIn) {
  ApiWorld a;
  for (const char* email : {"tg-1@telegram.invalid", "TG-1@Telegram.Invalid", "ann@mail.test", "ann@printer.local"}) {
    auto r = a.call("POST", "/api/v1/auth/register", creds(email));
    EXPECT_EQ(r.status, 400) << email << " " << r.body;
    EXPECT_EQ(ApiWorld::json(r)["error"]["field"], "email") << email;
    auto in = a.call("POST", "/api/v1/auth/login", creds(email));
    EXPECT_EQ(in.status, 400) << email << " " << in.body;
    EXPECT_EQ(ApiWorld::json(in)["error"]["field"], "email") << email;
  }
  EXPECT_FALSE(a.w.store->find_user_by_email("tg-1@telegram.invalid")->has_value());  // nothing written
}

TEST(Hardening, EveryLetterCaseOfAnEmailSharesOneLockout) {
  ApiWorld a;
  a.sign_up("a@x.io");
  for (int i = 0; i < 5; ++i) EXPECT_EQ(a.call("POST", "/api/v1/auth/login", creds("A@x.io", "wrong horse battery")).status, 401);
  auto other_case = a.call("POST", "/api/v1/auth/login", creds("a@X.IO", "wrong horse battery"));
  EXPECT_EQ(other_case.status, 429) << other_case.body;
  EXPECT_EQ(a.call("POST", "/api/v1/auth/login", creds("a@x.io")).status, 429);  // even the right password waits
}

TEST(Hardening, AKeyOrSecretAsAnAccountNameIsRefusedAndNotRepeated) {
  ApiWorld a;
  auto login = a.sign_up("a@x.io");
  auto k = a.w.sim.key(SimWorld::trading());
  auto added =
      a.call("POST", "/api/v1/exchange-accounts",
             json{{"name", k.secret}, {"exchange", "kraken"}, {"key", k.key}, {"secret", k.secret}}.dump(), {ApiWorld::bearer(login)});
  EXPECT_EQ(added.status, 400) << added.body;
  EXPECT_EQ(ApiWorld::json(added)["error"]["field"], "name");
  EXPECT_EQ(added.body.find(k.secret.substr(0, 12)), std::string::npos);
  const int64_t user = login["user"]["id"];
  EXPECT_TRUE(a.w.service->list(user)->empty());  // nothing written

  auto ok = a.call("POST", "/api/v1/exchange-accounts", json{{"exchange", "kraken"}, {"key", k.key}, {"secret", k.secret}}.dump(),
                   {ApiWorld::bearer(login)});
  ASSERT_EQ(ok.status, 202) << ok.body;
  const std::string id = std::to_string(ApiWorld::json(ok)["id"].get<int64_t>());
  auto renamed = a.call("PATCH", "/api/v1/exchange-accounts/" + id, json{{"name", k.key}}.dump(), {ApiWorld::bearer(login)});
  EXPECT_EQ(renamed.status, 400) << renamed.body;
  EXPECT_EQ(ApiWorld::json(renamed)["error"]["field"], "name");
  EXPECT_EQ(renamed.body.find(k.key.substr(0, 12)), std::string::npos);
  EXPECT_EQ((*a.w.service->list(user))[0].account.name, "Kraken");
  EXPECT_EQ(a.call("PATCH", "/api/v1/exchange-accounts/" + id, json{{"name", "Main-Kraken-2024"}}.dump(), {ApiWorld::bearer(login)}).status,
            200);
}

TEST(Hardening, AnUnknownExchangeRepeatsNoLongInput) {
  ApiWorld a;
  auto login = a.sign_up("a@x.io");
  auto k = a.w.sim.key(SimWorld::trading());
  auto r = a.call("POST", "/api/v1/exchange-accounts", json{{"exchange", k.secret}, {"key", k.key}, {"secret", "x"}}.dump(),
                  {ApiWorld::bearer(login)});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(ApiWorld::json(r)["error"]["field"], "exchange");
  EXPECT_EQ(r.body.find(k.secret.substr(0, 12)), std::string::npos) << r.body;
  auto longer = a.call("POST", "/api/v1/exchange-accounts",
                       json{{"exchange", std::string(33, 'x')}, {"key", k.key}, {"secret", "x"}}.dump(), {ApiWorld::bearer(login)});
  EXPECT_EQ(longer.body.find("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"), std::string::npos) << longer.body;
  auto mtgox = a.call("POST", "/api/v1/exchange-accounts", json{{"exchange", "mtgox"}, {"key", k.key}, {"secret", "x"}}.dump(),
                      {ApiWorld::bearer(login)});
  EXPECT_NE(mtgox.body.find("unknown exchange 'mtgox'"), std::string::npos) << mtgox.body;
}

TEST(Hardening, TheAuditLogSaysWhetherACookieOrABearerTokenActed) {
  ApiWorld a;
  auto login = a.sign_up("a@x.io");
  auto k = a.w.sim.key(SimWorld::trading());
  auto added = a.call("POST", "/api/v1/exchange-accounts", json{{"exchange", "kraken"}, {"key", k.key}, {"secret", k.secret}}.dump(),
                      {ApiWorld::cookie(login), ApiWorld::csrf(login)});
  ASSERT_EQ(added.status, 202) << added.body;
  const std::string id = std::to_string(ApiWorld::json(added)["id"].get<int64_t>());
  ASSERT_EQ(a.call("PATCH", "/api/v1/exchange-accounts/" + id, json{{"name", "Main"}}.dump(), {ApiWorld::bearer(login)}).status, 200);
  auto entries = ApiWorld::json(a.call("GET", "/api/v1/audit", {}, {ApiWorld::bearer(login)}))["entries"];
  std::map<std::string, json> by_action;
  for (const auto& e : entries) by_action.emplace(e["action"].get<std::string>(), e);
  EXPECT_EQ(by_action["key.added"]["channel"], "web");
  EXPECT_EQ(by_action["key.renamed"]["channel"], "api");
  EXPECT_EQ(by_action["key.renamed"]["ip"], "198.51.100.7");
  EXPECT_TRUE(by_action["key.renamed"]["telegram_user_id"].is_null());
  EXPECT_EQ(by_action["user.login"]["channel"], "web");
}

TEST(Hardening, RegistrationsPerIpAreLimitedWithRetryAfter) {
  users::UserOptions o{auth::PasswordCost::fast()};
  o.register_limit = 2;
  ApiWorld a(o);
  EXPECT_EQ(a.call("POST", "/api/v1/auth/register", creds("u1@x.io")).status, 201);
  // A refused password or a taken address costs no hash, so it spends none of the allowance.
  EXPECT_EQ(a.call("POST", "/api/v1/auth/register", creds("u2@x.io", "short")).status, 400);
  EXPECT_EQ(a.call("POST", "/api/v1/auth/register", creds("u1@x.io")).status, 409);
  EXPECT_EQ(a.call("POST", "/api/v1/auth/register", creds("u2@x.io")).status, 201);
  auto third = a.call("POST", "/api/v1/auth/register", creds("u3@x.io"));
  EXPECT_EQ(third.status, 429) << third.body;
  ASSERT_NE(third.header("Retry-After"), nullptr);
  EXPECT_EQ(*third.header("Retry-After"), "3600");
  EXPECT_FALSE(a.w.store->find_user_by_email("u3@x.io")->has_value());
  // Another address is not held back.
  auto elsewhere = a.call("POST", "/api/v1/auth/register", creds("u4@x.io"), {{"X-Peer-Addr", "203.0.113.9:4000"}});
  EXPECT_EQ(elsewhere.status, 201) << elsewhere.body;
  a.w.sim.harness.clock.advance_ms(3'600'000);
  EXPECT_EQ(a.call("POST", "/api/v1/auth/register", creds("u3@x.io")).status, 201);
}

}  // namespace
}  // namespace tb::web
