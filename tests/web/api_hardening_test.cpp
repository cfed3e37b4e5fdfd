// The API's door against hostile input and failing parts, in-process: no client string becomes a metrics
// label, and a failing store answers 500 with a request id that the log line names, and nothing internal.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <boost/asio/thread_pool.hpp>

#include "web/api_world.hpp"

namespace tb::web {
namespace {

struct World : ApiWorld {
  net::Header sign_in() { return bearer(sign_up("a@example.com")); }
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

// /healthz with the database reported: its backend and schema version beside the status and version it
// always had, and 503 (status unavailable) once the schema cannot be read.
TEST(ApiHardening, HealthzReportsTheDatabaseAndIsUnavailableWhenItsSchemaCannotBeRead) {
  World a;
  DatabaseHealth db{"sqlite", 10, true};
  ApiOptions o;
  o.cookie.secure = false;
  a.api = std::make_unique<Api>(
      ApiDeps{a.users, a.two_factor, *a.w.service, a.robot_board, a.metrics, a.pool, {}, nullptr, {}, [&db] { return db; }}, o);
  auto up = a.call("GET", "/healthz");
  ASSERT_EQ(up.status, 200) << up.body;
  auto j = World::json(up);
  EXPECT_EQ(j["status"], "ok");
  EXPECT_TRUE(j["version"].is_string());
  EXPECT_EQ(j["database"], (nlohmann::json{{"backend", "sqlite"}, {"schema_version", 10}, {"ok", true}}));
  db = DatabaseHealth{"sqlite", 0, false};
  auto down = a.call("GET", "/healthz");
  ASSERT_EQ(down.status, 503) << down.body;
  EXPECT_EQ(World::json(down)["status"], "unavailable");
  EXPECT_EQ(World::json(down)["database"]["ok"], false);
}

}  // namespace
}  // namespace tb::web
