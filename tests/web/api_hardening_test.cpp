// The API's door against hostile input and failing parts, in-process: no client string becomes a metrics
// label, and a failing store answers 500 with a request id that the log line names, and nothing internal.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <boost/asio/thread_pool.hpp>

#include "accounts/service_world.hpp"
#include "support/harness.hpp"
#include "web/api.hpp"

namespace tb::web {
namespace {

struct World {
  World() {
    ApiOptions o;
    o.cookie.secure = false;
    api = std::make_unique<Api>(ApiDeps{users, *w.service, metrics, pool, {}}, o);
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
  net::Header sign_in() {
    std::string creds = R"({"email":"a@example.com","password":"correct horse battery"})";
    EXPECT_EQ(call("POST", "/api/v1/auth/register", creds).status, 201);
    auto in = call("POST", "/api/v1/auth/login", creds);
    EXPECT_EQ(in.status, 200) << in.body;
    return {"Authorization", "Bearer " + nlohmann::json::parse(in.body)["token"].get<std::string>()};
  }

  accounts::test::ServiceWorld w{"kraken"};
  auth::LoginLimiter limiter{w.sim.harness.clock};
  auth::CsrfTokens csrf_tokens = *auth::CsrfTokens::make(crypto::Secret(std::string(32, 'k')));
  UserService users{*w.store, w.sim.harness.clock, limiter, csrf_tokens, UserOptions{auth::PasswordCost::fast()}};
  MetricsRegistry metrics;
  boost::asio::thread_pool pool{1};
  std::unique_ptr<Api> api;
};

TEST(ApiHardening, MetricsTakeNoLabelValueFromTheClient) {
  World a;
  EXPECT_EQ(a.call("FOOBAR", "/zq7x-random-path-91").status, 404);
  EXPECT_EQ(a.call("FOOBAR", "/healthz").status, 405);
  EXPECT_EQ(a.call("GET", "/api/v1/zq7x-unknown").status, 404);
  std::string text = a.metrics.render();
  EXPECT_EQ(text.find("FOOBAR"), std::string::npos) << text;
  EXPECT_EQ(text.find("zq7x"), std::string::npos) << text;
  EXPECT_NE(text.find(R"(tradebridge_http_requests_total{method="other",route="unmatched",status="404"} 1)"), std::string::npos) << text;
  EXPECT_NE(text.find(R"(tradebridge_http_requests_total{method="GET",route="unmatched",status="404"} 1)"), std::string::npos) << text;
}

TEST(ApiHardening, AFailingStoreAnswers500WithARequestIdAndLogsIt) {
  World a;
  auto auth = a.sign_in();
  ASSERT_EQ(a.call("GET", "/api/v1/exchange-accounts", {}, {auth}).status, 200);
  // Another connection takes the table away under the running store.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(a.w.db.path().c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "PRAGMA foreign_keys=OFF; DROP TABLE accounts", nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
  sqlite3_close(db);

  testing::internal::CaptureStderr();
  auto r = a.call("GET", "/api/v1/exchange-accounts", {}, {auth});
  std::string log = testing::internal::GetCapturedStderr();
  ASSERT_EQ(r.status, 500) << r.body;
  auto error = nlohmann::json::parse(r.body)["error"];
  EXPECT_EQ(error["code"], "internal");
  std::string id = error["request_id"];
  EXPECT_EQ(id.size(), 16u);
  EXPECT_NE(error["message"].get<std::string>().find(id), std::string::npos) << r.body;
  for (const char* internal : {"accounts", "table", "SELECT", "store", "sqlite"})
    EXPECT_EQ(r.body.find(internal), std::string::npos) << internal << " in " << r.body;
  EXPECT_NE(log.find("request id " + id + ": store:"), std::string::npos) << log;
}

}  // namespace
}  // namespace tb::web
