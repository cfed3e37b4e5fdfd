// Two-factor authentication through the API: enrolment, sign-in with a code, a code opening once, recovery
// codes, the keys and Telegram gates, and the sealed secret. Codes are computed from the secret the setup
// answer gave, at the world's manual clock.
#include <gtest/gtest.h>

#include "auth/totp.hpp"
#include "web/api_world.hpp"

namespace tb::web {
namespace {

constexpr const char* kPassword = "correct horse battery";

struct TwoFactorWorld : ApiWorld {
  ManualClock& clock = w.sim.harness.clock;

  std::string code(const std::string& secret_b32, int64_t offset_s = 0) const {
    return auth::totp(*auth::from_base32(secret_b32), clock.now_ms() / 1000 + offset_s);
  }
  net::HttpResponse post(const std::string& url, const nlohmann::json& body, const nlohmann::json& login) {
    return call("POST", url, body.dump(), {bearer(login)});
  }
  net::HttpResponse sign_in(const std::string& email, std::optional<std::string> totp = std::nullopt) {
    nlohmann::json b = {{"email", email}, {"password", kPassword}};
    if (totp) b["totp_code"] = *totp;
    return call("POST", "/api/v1/auth/login", b.dump());
  }
  // Enrols the user; returns the base32 secret and keeps the recovery codes.
  std::string enrol(const nlohmann::json& login) {
    auto setup = call("POST", "/api/v1/auth/2fa/setup", {}, {bearer(login)});
    EXPECT_EQ(setup.status, 200) << setup.body;
    std::string secret = json(setup)["secret"];
    auto on = post("/api/v1/auth/2fa/enable", {{"totp_code", code(secret)}}, login);
    EXPECT_EQ(on.status, 200) << on.body;
    recovery = json(on)["recovery_codes"].get<std::vector<std::string>>();
    clock.advance_ms(30'000);  // the next code is another time step's
    return secret;
  }
  nlohmann::json key_body() {
    auto k = w.sim.key(accounts::test::SimWorld::trading());
    return {{"exchange", "kraken"}, {"key", k.key}, {"secret", k.secret}};
  }
  size_t accounts_of(const nlohmann::json& login) {
    return json(call("GET", "/api/v1/exchange-accounts", {}, {bearer(login)}))["accounts"].size();
  }
  std::vector<std::string> recovery;
};

TEST(TwoFactor, EnrolmentShowsASecretAndTurnsOnOnlyWithItsCurrentCode) {
  TwoFactorWorld t;
  auto ann = t.sign_up("ann@example.com");
  EXPECT_EQ(TwoFactorWorld::json(t.call("GET", "/api/v1/auth/2fa", {}, {ApiWorld::bearer(ann)}))["enabled"], false);
  auto setup = t.call("POST", "/api/v1/auth/2fa/setup", {}, {ApiWorld::bearer(ann)});
  ASSERT_EQ(setup.status, 200) << setup.body;
  auto s = TwoFactorWorld::json(setup);
  std::string secret = s["secret"];
  EXPECT_EQ(auth::from_base32(secret)->size(), auth::kTotpSecretBytes);
  EXPECT_EQ(s["otpauth_uri"], auth::otpauth_uri("tradebridge", "ann@example.com", secret));
  EXPECT_EQ(*setup.header("Cache-Control"), "no-store");

  auto wrong = t.post("/api/v1/auth/2fa/enable", {{"totp_code", t.code(secret, -90)}}, ann);
  EXPECT_EQ(wrong.status, 400) << wrong.body;
  EXPECT_EQ(TwoFactorWorld::json(wrong)["error"]["field"], "totp_code");
  auto state = TwoFactorWorld::json(t.call("GET", "/api/v1/auth/2fa", {}, {ApiWorld::bearer(ann)}));
  EXPECT_EQ(state["enabled"], false);
  EXPECT_EQ(state["pending"], true);

  auto on = t.post("/api/v1/auth/2fa/enable", {{"totp_code", t.code(secret)}}, ann);
  ASSERT_EQ(on.status, 200) << on.body;
  auto codes = TwoFactorWorld::json(on)["recovery_codes"];
  ASSERT_EQ(codes.size(), 10u);
  state = TwoFactorWorld::json(t.call("GET", "/api/v1/auth/2fa", {}, {ApiWorld::bearer(ann)}));
  EXPECT_EQ(state["enabled"], true);
  EXPECT_EQ(state["recovery_codes_left"], 10);
  EXPECT_EQ(t.call("POST", "/api/v1/auth/2fa/setup", {}, {ApiWorld::bearer(ann)}).status, 409);  // on: disable first

  // Sealed by the vault: the row holds neither the raw secret nor its base32, and opens to it.
  auto row = t.w.store->find_two_factor(TwoFactorWorld::json(t.call("GET", "/api/v1/me", {}, {ApiWorld::bearer(ann)}))["user"]["id"]);
  ASSERT_TRUE(row.ok() && row->has_value());
  EXPECT_EQ((*row)->sealed_secret.find(secret), std::string::npos);
  auto sealed = vault::SealedField::from_text((*row)->sealed_secret);
  ASSERT_TRUE(sealed.ok());
  auto opened = t.w.vault->open({(*row)->user_id, 0, "", "totp_secret"}, *sealed);
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(auth::base32(opened->reveal()), secret);
  auto audit = TwoFactorWorld::json(t.call("GET", "/api/v1/audit", {}, {ApiWorld::bearer(ann)}));
  EXPECT_EQ(audit["entries"][0]["action"], "2fa.enabled");
  EXPECT_EQ(audit.dump().find(secret), std::string::npos);
}

TEST(TwoFactor, ASecondSetupReplacesThePendingSecret) {
  TwoFactorWorld t;
  auto ann = t.sign_up("ann@example.com");
  std::string first = TwoFactorWorld::json(t.call("POST", "/api/v1/auth/2fa/setup", {}, {ApiWorld::bearer(ann)}))["secret"];
  std::string second = TwoFactorWorld::json(t.call("POST", "/api/v1/auth/2fa/setup", {}, {ApiWorld::bearer(ann)}))["secret"];
  EXPECT_NE(first, second);
  EXPECT_EQ(t.post("/api/v1/auth/2fa/enable", {{"totp_code", t.code(first)}}, ann).status, 400);
  EXPECT_EQ(t.post("/api/v1/auth/2fa/enable", {{"totp_code", t.code(second)}}, ann).status, 200);
}

TEST(TwoFactor, SignInAsksForTheCodeAfterTheRightPasswordAndEachCodeOpensOnce) {
  TwoFactorWorld t;
  auto ann = t.sign_up("ann@example.com");
  std::string secret = t.enrol(ann);

  auto bad_password = t.call("POST", "/api/v1/auth/login", nlohmann::json{{"email", "ann@example.com"}, {"password", "wrong one!"}}.dump());
  EXPECT_EQ(bad_password.status, 401);  // the code is asked only of who knows the password
  auto asked = t.sign_in("ann@example.com");
  EXPECT_EQ(asked.status, 403) << asked.body;
  EXPECT_EQ(TwoFactorWorld::json(asked)["error"]["code"], "totp_required");
  EXPECT_EQ(TwoFactorWorld::json(asked)["error"]["field"], "totp_code");
  EXPECT_FALSE(asked.header("Set-Cookie"));

  std::string now = t.code(secret);
  auto in = t.sign_in("ann@example.com", now);
  ASSERT_EQ(in.status, 200) << in.body;
  EXPECT_TRUE(in.header("Set-Cookie"));
  auto replay = t.sign_in("ann@example.com", now);
  EXPECT_EQ(replay.status, 403);  // the same code, the same time step: used
  EXPECT_NE(TwoFactorWorld::json(replay)["error"]["message"].get<std::string>().find("used already"), std::string::npos);
  t.clock.advance_ms(30'000);
  EXPECT_EQ(t.sign_in("ann@example.com", " " + t.code(secret).insert(3, " ")).status, 200);  // typed with spaces

  // A recovery code opens once, however it is typed.
  std::string rc = t.recovery[3];
  std::string upper;
  for (char c : rc) upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_EQ(t.sign_in("ann@example.com", upper).status, 200);
  EXPECT_EQ(t.sign_in("ann@example.com", rc).status, 403);
  EXPECT_EQ(TwoFactorWorld::json(t.call("GET", "/api/v1/auth/2fa", {}, {ApiWorld::bearer(ann)}))["recovery_codes_left"], 9);
}

TEST(TwoFactor, WrongCodesAtSignInCountLikeWrongPasswords) {
  TwoFactorWorld t;
  auto ann = t.sign_up("ann@example.com");
  std::string secret = t.enrol(ann);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(t.sign_in("ann@example.com", "000000").status, 403);
  auto locked = t.sign_in("ann@example.com", t.code(secret));
  EXPECT_EQ(locked.status, 429) << locked.body;
  EXPECT_TRUE(locked.header("Retry-After"));
}

TEST(TwoFactor, AddingOrReplacingKeysNeedsACurrentCodeAtTheApiAndInTheService) {
  TwoFactorWorld t;
  auto ann = t.sign_up("ann@example.com");
  auto before = t.post("/api/v1/exchange-accounts", t.key_body(), ann);
  ASSERT_EQ(before.status, 202) << before.body;  // off: no code asked
  std::string id = std::to_string(TwoFactorWorld::json(before)["id"].get<int64_t>());
  std::string secret = t.enrol(ann);

  auto missing = t.post("/api/v1/exchange-accounts", t.key_body(), ann);
  EXPECT_EQ(missing.status, 403) << missing.body;
  EXPECT_EQ(TwoFactorWorld::json(missing)["error"]["code"], "totp_required");
  auto body = t.key_body();
  body["totp_code"] = "123456";
  EXPECT_EQ(t.post("/api/v1/exchange-accounts", body, ann).status, 403);
  EXPECT_EQ(t.accounts_of(ann), 1u);  // nothing added
  body["totp_code"] = t.code(secret);
  EXPECT_EQ(t.post("/api/v1/exchange-accounts", body, ann).status, 202);
  EXPECT_EQ(t.accounts_of(ann), 2u);

  auto keys = t.key_body();
  keys.erase("exchange");
  EXPECT_EQ(t.call("PUT", "/api/v1/exchange-accounts/" + id + "/keys", keys.dump(), {ApiWorld::bearer(ann)}).status, 403);
  t.clock.advance_ms(30'000);
  keys["totp_code"] = t.code(secret);
  auto replaced = t.call("PUT", "/api/v1/exchange-accounts/" + id + "/keys", keys.dump(), {ApiWorld::bearer(ann)});
  EXPECT_TRUE(replaced.status == 202 || replaced.status == 409) << replaced.body;  // 409: its first test still runs
  EXPECT_NE(replaced.status, 403);

  // Renaming and reading need no code.
  EXPECT_EQ(t.call("PATCH", "/api/v1/exchange-accounts/" + id, R"({"name":"Main"})", {ApiWorld::bearer(ann)}).status, 200);

  // The service refuses too, whichever channel forgets to ask (the bot asks the same way).
  accounts::Actor chat{TwoFactorWorld::json(t.call("GET", "/api/v1/me", {}, {ApiWorld::bearer(ann)}))["user"]["id"], "", "telegram", 42};
  accounts::NewAccount in;
  auto k = t.w.sim.key(accounts::test::SimWorld::trading());
  in.exchange = "kraken";
  in.key = k.key;
  in.secret = crypto::Secret(k.secret);
  auto refused = t.w.service->add(chat, in);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind, ErrorKind::SecondFactorRequired);
}

TEST(TwoFactor, DisablingNeedsACodeAndThenSignInNeedsNone) {
  TwoFactorWorld t;
  auto ann = t.sign_up("ann@example.com");
  std::string secret = t.enrol(ann);
  EXPECT_EQ(t.call("POST", "/api/v1/auth/2fa/disable", {}, {ApiWorld::bearer(ann)}).status, 403);
  EXPECT_EQ(t.post("/api/v1/auth/2fa/disable", {{"totp_code", "999999"}}, ann).status, 403);
  auto off = t.post("/api/v1/auth/2fa/disable", {{"totp_code", t.code(secret)}}, ann);
  ASSERT_EQ(off.status, 200) << off.body;
  EXPECT_EQ(t.sign_in("ann@example.com").status, 200);
  EXPECT_EQ(*t.w.store->count_recovery_codes(TwoFactorWorld::json(t.call("GET", "/api/v1/me", {}, {ApiWorld::bearer(ann)}))["user"]["id"]),
            0);
  EXPECT_EQ(t.post("/api/v1/auth/2fa/disable", {{"totp_code", t.code(secret)}}, ann).status, 409);
}

TEST(TwoFactor, RenewedRecoveryCodesReplaceTheOldOnes) {
  TwoFactorWorld t;
  auto ann = t.sign_up("ann@example.com");
  std::string secret = t.enrol(ann);
  auto renewed = t.post("/api/v1/auth/2fa/recovery-codes", {{"totp_code", t.code(secret)}}, ann);
  ASSERT_EQ(renewed.status, 200) << renewed.body;
  auto fresh = TwoFactorWorld::json(renewed)["recovery_codes"].get<std::vector<std::string>>();
  EXPECT_EQ(t.sign_in("ann@example.com", t.recovery[0]).status, 403);
  EXPECT_EQ(t.sign_in("ann@example.com", fresh[0]).status, 200);
}

TEST(TwoFactor, ManyWrongCodesAtTheGatesLockThemOut) {
  TwoFactorWorld t;
  auto ann = t.sign_up("ann@example.com");
  std::string secret = t.enrol(ann);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(t.post("/api/v1/auth/2fa/recovery-codes", {{"totp_code", "111111"}}, ann).status, 403);
  auto locked = t.post("/api/v1/auth/2fa/recovery-codes", {{"totp_code", t.code(secret)}}, ann);
  EXPECT_EQ(locked.status, 429) << locked.body;
}

}  // namespace
}  // namespace tb::web
