// Sessions through the API's door, in-process over the real store: the idle timeout, the list of a user's
// sessions, sign out everywhere else, the password change, and event streams that end with their session
// (sign-out, expiry) and are capped per user.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/thread_pool.hpp>

#include "accounts/service_world.hpp"
#include "auth/tokens.hpp"
#include "support/harness.hpp"
#include "web/api.hpp"

namespace tb::web {
namespace {

using accounts::test::ServiceWorld;

constexpr const char* kPassword = "correct horse battery";

struct SessionsWorld {
  explicit SessionsWorld(ApiOptions o = quiet()) {
    o.cookie.secure = false;
    api = std::make_unique<Api>(ApiDeps{users, two_factor, *w.service, robot_board, metrics, pool, {}}, o);
  }
  // No store look-ups by open streams: a test's io_context then runs dry while its streams are open.
  static ApiOptions quiet() {
    ApiOptions o;
    o.session_check_interval = std::chrono::milliseconds(0);
    return o;
  }
  static users::UserOptions user_options() {
    users::UserOptions o{auth::PasswordCost::fast()};
    o.session_idle = std::chrono::hours(1);
    return o;
  }

  static net::HttpRequest request(std::string method, std::string url, std::string body, std::vector<net::Header> headers,
                                  std::string user_agent) {
    net::HttpRequest r;
    r.method = std::move(method);
    r.url = std::move(url);
    r.body = std::move(body);
    r.headers = std::move(headers);
    r.headers.push_back({"X-Peer-Addr", "198.51.100.7:5555"});
    r.headers.push_back({"User-Agent", std::move(user_agent)});
    if (!r.body.empty()) r.headers.push_back({"Content-Type", "application/json"});
    return r;
  }
  net::HttpResponse call(std::string method, std::string url, std::string body = {}, std::vector<net::Header> headers = {},
                         std::string user_agent = "TestAgent/1.0") {
    return tb::test::run_on(
        w.io, api->handle(request(std::move(method), std::move(url), std::move(body), std::move(headers), std::move(user_agent))));
  }
  // The answer alone, while the io_context keeps other work (a stream's watcher) for later.
  net::HttpResponse call_leaving_work(std::string method, std::string url, std::vector<net::Header> headers) {
    std::optional<net::HttpResponse> out;
    boost::asio::co_spawn(w.io, api->handle(request(std::move(method), std::move(url), {}, std::move(headers), "TestAgent/1.0")),
                          [&out](std::exception_ptr, net::HttpResponse r) { out = std::move(r); });
    w.io.restart();
    while (!out) w.io.run_one();
    return std::move(*out);
  }
  static nlohmann::json json(const net::HttpResponse& r) { return nlohmann::json::parse(r.body); }
  static net::Header bearer(const std::string& token) { return {"Authorization", "Bearer " + token}; }

  void sign_up(const std::string& email) {
    std::string creds = nlohmann::json{{"email", email}, {"password", kPassword}}.dump();
    ASSERT_EQ(call("POST", "/api/v1/auth/register", creds).status, 201);
  }
  // A new session of the user; returns its token.
  std::string sign_in(const std::string& email, const std::string& password = kPassword, std::string agent = "TestAgent/1.0") {
    auto in = call("POST", "/api/v1/auth/login", nlohmann::json{{"email", email}, {"password", password}}.dump(), {}, std::move(agent));
    EXPECT_EQ(in.status, 200) << in.body;
    return in.status == 200 ? json(in)["token"].get<std::string>() : std::string();
  }
  int me(const std::string& token) { return call("GET", "/api/v1/me", {}, {bearer(token)}).status; }

  std::shared_ptr<net::ResponseStream> open_stream(const std::string& token) {
    auto r = call("GET", "/api/v1/events", {}, {bearer(token)});
    EXPECT_EQ(r.status, 200) << r.body;
    return r.stream;
  }
  // Everything the stream says until it ends (or `limit` chunks: a stream that never ends fails the test).
  std::string drain(const std::shared_ptr<net::ResponseStream>& stream, int limit = 5) {
    std::string out;
    for (int i = 0; i < limit; ++i) {
      auto chunk = tb::test::run_on(w.io, stream->next());
      if (!chunk) return out;
      out += *chunk;
    }
    ADD_FAILURE() << "the stream did not end; it said: " << out;
    return out;
  }

  ServiceWorld w{"kraken"};
  ManualClock& clock = w.sim.harness.clock;
  auth::LoginLimiter limiter{clock};
  auth::CsrfTokens csrf_tokens = *auth::CsrfTokens::make(crypto::Secret(std::string(32, 'k')));
  accounts::TwoFactorService two_factor{*w.store, w.vault, clock};
  users::UserService users{*w.store, clock, limiter, two_factor, csrf_tokens, user_options()};
  observability::MetricsRegistry metrics;
  boost::asio::thread_pool pool{1};
  robots::RobotBoard robot_board{*w.store, {}};
  std::unique_ptr<Api> api;
};

TEST(SessionStreams, LogoutEndsTheOpenStreamWithSessionEnded) {
  SessionsWorld s;
  s.sign_up("a@example.com");
  std::string token = s.sign_in("a@example.com");
  auto stream = s.open_stream(token);
  ASSERT_TRUE(stream);
  EXPECT_EQ(s.call("POST", "/api/v1/auth/logout", {}, {SessionsWorld::bearer(token)}).status, 204);
  std::string said = s.drain(stream);
  EXPECT_NE(said.find("event: session.ended\ndata: {\"reason\":\"signed_out\"}\n\n"), std::string::npos) << said;
  EXPECT_EQ(s.me(token), 401);
}

TEST(SessionStreams, AnExpiredSessionsStreamEndsAtTheNextLook) {
  ApiOptions o = SessionsWorld::quiet();
  o.session_check_interval = std::chrono::milliseconds(5);
  SessionsWorld s(o);
  s.sign_up("a@example.com");
  std::string token = s.sign_in("a@example.com");
  auto opened = s.call_leaving_work("GET", "/api/v1/events", {SessionsWorld::bearer(token)});
  ASSERT_EQ(opened.status, 200) << opened.body;
  auto stream = opened.stream;
  s.clock.advance_ms(std::chrono::milliseconds(std::chrono::hours(1)).count());  // idle for the whole idle timeout
  std::string said = s.drain(stream);
  EXPECT_NE(said.find("event: session.ended\ndata: {\"reason\":\"expired\"}"), std::string::npos) << said;
}

TEST(SessionStreams, AtMostFivePerUserTheSixthIs429WithRetryAfter) {
  SessionsWorld s;
  s.sign_up("a@example.com");
  s.sign_up("b@example.com");
  std::string a = s.sign_in("a@example.com");
  std::vector<std::shared_ptr<net::ResponseStream>> open;
  for (int i = 0; i < 5; ++i) open.push_back(s.open_stream(a));
  auto sixth = s.call("GET", "/api/v1/events", {}, {SessionsWorld::bearer(a)});
  EXPECT_EQ(sixth.status, 429);
  EXPECT_FALSE(sixth.stream);
  ASSERT_NE(sixth.header("Retry-After"), nullptr);
  EXPECT_EQ(SessionsWorld::json(sixth)["error"]["code"], "rate_limited");
  EXPECT_NE(SessionsWorld::json(sixth)["error"]["message"].get<std::string>().find("at most 5 event streams"), std::string::npos);
  // Another session of the same user counts too; another user does not.
  EXPECT_EQ(s.call("GET", "/api/v1/events", {}, {SessionsWorld::bearer(s.sign_in("a@example.com"))}).status, 429);
  EXPECT_TRUE(s.open_stream(s.sign_in("b@example.com")));
  open.front()->close();  // a tab closed: its slot is free
  EXPECT_TRUE(s.open_stream(a));
}

TEST(Sessions, IdleOnesEndButUseKeepsThemAlive) {
  SessionsWorld s;
  s.sign_up("a@example.com");
  std::string used = s.sign_in("a@example.com");
  std::string idle = s.sign_in("a@example.com");
  const int64_t minute = 60'000;
  s.clock.advance_ms(50 * minute);
  EXPECT_EQ(s.me(used), 200);
  s.clock.advance_ms(50 * minute);  // 100 minutes since sign-in: `idle` has not been used for more than an hour
  EXPECT_EQ(s.me(used), 200);
  EXPECT_EQ(s.me(idle), 401);
  s.clock.advance_ms(61 * minute);
  EXPECT_EQ(s.me(used), 401);
  // Both are gone from the table at the next purge.
  EXPECT_EQ(*s.users.purge_expired_sessions(), 2);
  EXPECT_EQ(*s.users.purge_expired_sessions(), 0);
}

TEST(Sessions, ListedWithAnOpaqueIdAndOneCanBeEnded) {
  SessionsWorld s;
  s.sign_up("a@example.com");
  s.sign_up("b@example.com");
  std::string phone = s.sign_in("a@example.com", kPassword, "Phone/2");
  s.clock.advance_ms(1'000);
  std::string laptop = s.sign_in("a@example.com", kPassword, "Laptop/3");
  auto r = s.call("GET", "/api/v1/sessions", {}, {SessionsWorld::bearer(laptop)});
  ASSERT_EQ(r.status, 200) << r.body;
  auto list = SessionsWorld::json(r)["sessions"];
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0]["user_agent"], "Laptop/3");
  EXPECT_EQ(list[0]["current"], true);
  EXPECT_EQ(list[1]["user_agent"], "Phone/2");
  EXPECT_EQ(list[1]["current"], false);
  EXPECT_EQ(list[1]["ip"], "198.51.100.7");
  for (const char* f : {"created_at", "last_seen_at", "expires_at"}) EXPECT_TRUE(list[1][f].is_string()) << f;
  for (const auto& token : {phone, laptop}) {  // neither the token nor its hash, in any form
    EXPECT_EQ(r.body.find(token), std::string::npos);
    EXPECT_EQ(r.body.find(auth::token_hash(token)), std::string::npos);
    EXPECT_EQ(r.body.find(auth::token_hash(token).substr(0, 16)), std::string::npos);
  }
  std::string phone_id = list[1]["id"];
  EXPECT_EQ(phone_id.size(), 32u);

  // Another user cannot end it, nor tell it from a session that does not exist.
  std::string bob = s.sign_in("b@example.com");
  auto theirs = s.call("DELETE", "/api/v1/sessions/" + phone_id, {}, {SessionsWorld::bearer(bob)});
  EXPECT_EQ(theirs.status, 404);
  EXPECT_EQ(s.call("DELETE", "/api/v1/sessions/nonexistent", {}, {SessionsWorld::bearer(laptop)}).status, 404);
  EXPECT_EQ(s.me(phone), 200);

  auto phone_stream = s.open_stream(phone);
  EXPECT_EQ(s.call("DELETE", "/api/v1/sessions/" + phone_id, {}, {SessionsWorld::bearer(laptop)}).status, 204);
  EXPECT_EQ(s.me(phone), 401);
  EXPECT_NE(s.drain(phone_stream).find("event: session.ended"), std::string::npos);
  EXPECT_EQ(s.me(laptop), 200);
  EXPECT_EQ(SessionsWorld::json(s.call("GET", "/api/v1/sessions", {}, {SessionsWorld::bearer(laptop)}))["sessions"].size(), 1u);
}

TEST(Sessions, SignOutEverywhereElseEndsTheOthersAndTheirStreamsButNotThisOne) {
  SessionsWorld s;
  s.sign_up("a@example.com");
  s.sign_up("b@example.com");
  std::string here = s.sign_in("a@example.com");
  std::string other1 = s.sign_in("a@example.com");
  std::string other2 = s.sign_in("a@example.com");
  std::string bob = s.sign_in("b@example.com");
  EXPECT_EQ(s.me(other1), 200);  // confirmed, so kept for a while by the session cache
  auto here_stream = s.open_stream(here);
  auto other_stream = s.open_stream(other1);
  auto bob_stream = s.open_stream(bob);

  auto r = s.call("DELETE", "/api/v1/sessions", {}, {SessionsWorld::bearer(here)});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(SessionsWorld::json(r)["ended"], 2);
  EXPECT_EQ(s.me(other1), 401);  // at once, cache or not
  EXPECT_EQ(s.me(other2), 401);
  EXPECT_EQ(s.me(here), 200);
  EXPECT_EQ(s.me(bob), 200);
  EXPECT_NE(s.drain(other_stream).find("event: session.ended"), std::string::npos);
  auto here_said = std::dynamic_pointer_cast<net::QueueStream>(here_stream);
  ASSERT_TRUE(here_said);
  EXPECT_FALSE(here_said->closed());
  EXPECT_EQ(here_said->queued(), 0u);  // nothing was said to the session that stays
  EXPECT_EQ(std::dynamic_pointer_cast<net::QueueStream>(bob_stream)->queued(), 0u);
}

TEST(Sessions, ChangingThePasswordChecksBothFieldsAndEndsEveryOtherSession) {
  SessionsWorld s;
  s.sign_up("a@example.com");
  std::string here = s.sign_in("a@example.com");
  std::string other = s.sign_in("a@example.com");
  auto other_stream = s.open_stream(other);
  auto change = [&](const std::string& current, const std::string& next) {
    return s.call("POST", "/api/v1/auth/password", nlohmann::json{{"current_password", current}, {"new_password", next}}.dump(),
                  {SessionsWorld::bearer(here)});
  };

  auto wrong = change("not my password at all", "a brand new passphrase");
  EXPECT_EQ(wrong.status, 400);
  EXPECT_EQ(SessionsWorld::json(wrong)["error"]["field"], "current_password");
  auto weak = change(kPassword, "short");
  EXPECT_EQ(weak.status, 400);
  EXPECT_EQ(SessionsWorld::json(weak)["error"]["field"], "new_password");
  EXPECT_EQ(weak.body.find("short\""), std::string::npos);  // the password is not echoed
  auto missing = s.call("POST", "/api/v1/auth/password", R"({"new_password":"a brand new passphrase"})", {SessionsWorld::bearer(here)});
  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(SessionsWorld::json(missing)["error"]["field"], "current_password");
  EXPECT_EQ(s.me(other), 200);  // nothing changed yet
  EXPECT_FALSE(s.sign_in("a@example.com", kPassword).empty());

  auto ok = change(kPassword, "a brand new passphrase");
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(SessionsWorld::json(ok)["sessions_ended"], 2);  // `other` and the one signed in just above
  EXPECT_EQ(s.me(other), 401);
  EXPECT_EQ(s.me(here), 200);
  EXPECT_NE(s.drain(other_stream).find("event: session.ended"), std::string::npos);
  EXPECT_EQ(s.call("POST", "/api/v1/auth/login", nlohmann::json{{"email", "a@example.com"}, {"password", kPassword}}.dump()).status, 401);
  EXPECT_FALSE(s.sign_in("a@example.com", "a brand new passphrase").empty());
}

TEST(Sessions, WrongCurrentPasswordsAreThrottledLikeSignIns) {
  SessionsWorld s;
  s.sign_up("a@example.com");
  std::string here = s.sign_in("a@example.com");
  net::HttpResponse last;
  for (int i = 0; i < 8 && last.status != 429; ++i)
    last =
        s.call("POST", "/api/v1/auth/password",
               nlohmann::json{{"current_password", "guess number " + std::to_string(i)}, {"new_password", "a brand new passphrase"}}.dump(),
               {SessionsWorld::bearer(here)});
  EXPECT_EQ(last.status, 429) << last.body;
  EXPECT_NE(last.header("Retry-After"), nullptr);
}

}  // namespace
}  // namespace tb::web
