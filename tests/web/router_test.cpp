#include "web/router.hpp"

#include <gtest/gtest.h>

#include <utility>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

namespace tb::web {
namespace {

// A handler that answers with its tag and the parameters it saw, so tests can tell which route ran.
net::Task<net::HttpResponse> reply(std::string tag, RequestContext& ctx) {
  net::HttpResponse r;
  r.status = 200;
  r.body = tag;
  for (auto& [k, v] : ctx.path_params) r.body += " " + k + "=" + v;
  co_return r;
}

Handler tagged(std::string tag) {
  return [tag = std::move(tag)](RequestContext& ctx) { return reply(tag, ctx); };
}

net::Task<void> run_into(net::HttpResponse* out, Handler h, RequestContext* ctx) { *out = co_await h(*ctx); }

net::HttpResponse run(const Handler& h, RequestContext& ctx) {
  boost::asio::io_context io;
  net::HttpResponse out;
  boost::asio::co_spawn(io, run_into(&out, h, &ctx), boost::asio::detached);
  io.run();
  return out;
}

// Matches and runs the handler: the response body is the handler's tag and parameters.
std::string dispatch(const Router& r, std::string method, std::string target) {
  auto m = r.match(method, target);
  if (!m.found()) return "<" + std::to_string(m.error().status) + ">";
  const Route* route = m.route;
  net::HttpRequest req;
  req.method = method;
  req.url = target;
  auto ctx = Router::context(std::move(req), std::move(m));
  if (!ctx) return "<" + std::to_string(ctx.error().status) + ">";
  return run(route->handler, *ctx).body;
}

Router accounts_router() {
  Router r;
  r.add("GET", "/api/v1/exchange-accounts", tagged("list"));
  r.add("POST", "/api/v1/exchange-accounts", tagged("create"));
  r.add("GET", "/api/v1/exchange-accounts/{id}", tagged("get"));
  r.add("PATCH", "/api/v1/exchange-accounts/{id}", tagged("rename"));
  r.add("DELETE", "/api/v1/exchange-accounts/{id}", tagged("delete"));
  r.add("PUT", "/api/v1/exchange-accounts/{id}/keys", tagged("keys"));
  r.add("POST", "/api/v1/auth/login", tagged("login"), RouteInfo{.auth = false});
  r.add("GET", "/", tagged("root"));
  EXPECT_TRUE(r.status().ok());
  return r;
}

TEST(Router, MatchesLiteralAndParameterSegments) {
  auto r = accounts_router();
  EXPECT_EQ(dispatch(r, "GET", "/api/v1/exchange-accounts"), "list");
  EXPECT_EQ(dispatch(r, "POST", "/api/v1/exchange-accounts"), "create");
  EXPECT_EQ(dispatch(r, "GET", "/api/v1/exchange-accounts/42"), "get id=42");
  EXPECT_EQ(dispatch(r, "DELETE", "/api/v1/exchange-accounts/42"), "delete id=42");
  EXPECT_EQ(dispatch(r, "PUT", "/api/v1/exchange-accounts/7/keys"), "keys id=7");
  EXPECT_EQ(dispatch(r, "POST", "/api/v1/auth/login"), "login");
  EXPECT_EQ(dispatch(r, "GET", "/"), "root");
}

TEST(Router, ExactSegmentCounts) {
  auto r = accounts_router();
  EXPECT_EQ(dispatch(r, "GET", "/api/v1"), "<404>");
  EXPECT_EQ(dispatch(r, "GET", "/api/v1/exchange-accounts/42/keys/more"), "<404>");
  EXPECT_EQ(dispatch(r, "GET", "/api/v1/exchange-accounts/42/other"), "<404>");
  EXPECT_EQ(dispatch(r, "GET", "/api/v2/exchange-accounts"), "<404>");
  EXPECT_EQ(dispatch(r, "GET", ""), "<404>");
  EXPECT_EQ(dispatch(r, "GET", "api/v1/exchange-accounts"), "<404>");
  EXPECT_EQ(dispatch(r, "GET", "*"), "<404>");
}

TEST(Router, TrailingSlashAndEmptySegmentsDoNotMatch) {
  auto r = accounts_router();
  EXPECT_EQ(dispatch(r, "GET", "/api/v1/exchange-accounts/"), "<404>");  // not the list, not {id}=""
  EXPECT_EQ(dispatch(r, "GET", "/api/v1/exchange-accounts/42/"), "<404>");
  EXPECT_EQ(dispatch(r, "GET", "/api/v1//exchange-accounts"), "<404>");
  EXPECT_EQ(dispatch(r, "GET", "//"), "<404>");
  EXPECT_EQ(dispatch(r, "PUT", "/api/v1/exchange-accounts//keys"), "<404>");
}

TEST(Router, QueryAndFragmentAreNotPartOfThePath) {
  auto r = accounts_router();
  EXPECT_EQ(dispatch(r, "GET", "/api/v1/exchange-accounts?limit=5"), "list");
  EXPECT_EQ(dispatch(r, "GET", "/api/v1/exchange-accounts/9?x=/y/z"), "get id=9");
  EXPECT_EQ(dispatch(r, "GET", "/api/v1/exchange-accounts/9#frag"), "get id=9");
  EXPECT_EQ(dispatch(r, "GET", "/?"), "root");
}

TEST(Router, PercentDecodingPerSegment) {
  auto r = accounts_router();
  EXPECT_EQ(dispatch(r, "GET", "/api/v1/exchange%2Daccounts/4%32"), "get id=42");
  EXPECT_EQ(dispatch(r, "GET", "/api/v1/exchange-accounts/a%2Fb"), "get id=a/b");  // %2F stays in the segment
  EXPECT_EQ(dispatch(r, "GET", "/api/v1/exchange-accounts/a+b"), "get id=a+b");    // '+' is not a space in paths
  EXPECT_EQ(dispatch(r, "GET", "/api/v1/exchange-accounts/a%20b"), "get id=a b");
  EXPECT_EQ(dispatch(r, "GET", "/api/v1/exchange-accounts/caf%C3%A9"), "get id=caf\xC3\xA9");
  EXPECT_EQ(dispatch(r, "GET", "/api/v1/exchange-accounts/%"), "<404>");
  EXPECT_EQ(dispatch(r, "GET", "/api/v1/exchange-accounts/%4"), "<404>");
  EXPECT_EQ(dispatch(r, "GET", "/api/v1/exchange-accounts/%zz"), "<404>");
  EXPECT_EQ(dispatch(r, "GET", "/api/v1/exchange-accounts/%FF"), "<404>");  // not UTF-8
}

TEST(Router, NotFoundVersusMethodNotAllowed) {
  auto r = accounts_router();
  auto m = r.match("POST", "/api/v1/exchange-accounts/42");
  EXPECT_EQ(m.outcome, RouteMatch::Outcome::MethodNotAllowed);
  EXPECT_EQ(m.allowed, (std::vector<std::string>{"DELETE", "GET", "PATCH"}));
  auto e = m.error();
  EXPECT_EQ(e.status, 405);
  auto resp = to_response(e);
  ASSERT_NE(resp.header("Allow"), nullptr);
  EXPECT_EQ(*resp.header("Allow"), "DELETE, GET, PATCH");

  m = r.match("GET", "/api/v1/exchange-accounts/42/keys");
  EXPECT_EQ(m.outcome, RouteMatch::Outcome::MethodNotAllowed);
  EXPECT_EQ(m.allowed, (std::vector<std::string>{"PUT"}));

  m = r.match("get", "/api/v1/exchange-accounts");  // methods are case-sensitive
  EXPECT_EQ(m.outcome, RouteMatch::Outcome::MethodNotAllowed);
  EXPECT_EQ(m.allowed, (std::vector<std::string>{"GET", "POST"}));

  m = r.match("GET", "/api/v1/nothing");
  EXPECT_EQ(m.outcome, RouteMatch::Outcome::NotFound);
  EXPECT_EQ(m.error().status, 404);
  EXPECT_EQ(m.error().code, "not_found");
  EXPECT_TRUE(m.error().headers.empty());
}

TEST(Router, LiteralBeatsParameterWhicheverIsAddedFirst) {
  for (bool literal_first : {true, false}) {
    Router r;
    auto add_literal = [&] { r.add("GET", "/things/new", tagged("new")); };
    auto add_param = [&] {
      r.add("GET", "/things/{id}", tagged("one"));
      r.add("DELETE", "/things/{id}", tagged("del"));
    };
    if (literal_first) {
      add_literal();
      add_param();
    } else {
      add_param();
      add_literal();
    }
    ASSERT_TRUE(r.status().ok());
    EXPECT_EQ(dispatch(r, "GET", "/things/new"), "new");
    EXPECT_EQ(dispatch(r, "GET", "/things/5"), "one id=5");
    // The parameter route also matches "new", so DELETE /things/new reaches it.
    EXPECT_EQ(dispatch(r, "DELETE", "/things/new"), "del id=new");
    // At the first differing segment: /a/{x}/c is more specific than /{y}/b/c for "/a/b/c".
    r.add("GET", "/{y}/b/c", tagged("ybc"));
    r.add("GET", "/a/{x}/c", tagged("axc"));
    EXPECT_EQ(dispatch(r, "GET", "/a/b/c"), "axc x=b");
    EXPECT_EQ(dispatch(r, "GET", "/z/b/c"), "ybc y=z");
  }
}

TEST(Router, ContextHoldsParamsQueryRouteAndUser) {
  Router r;
  RouteInfo info;
  info.summary = "Keys of an account";
  r.add("PUT", "/api/v1/exchange-accounts/{id}/keys/{key_name}", tagged("k"), info);
  auto m = r.match("PUT", "/api/v1/exchange-accounts/12/keys/main%20key?limit=5&name=a+b%26c&limit=6&flag");
  ASSERT_TRUE(m.found());
  net::HttpRequest req;
  req.method = "PUT";
  req.url = "/api/v1/exchange-accounts/12/keys/main%20key?limit=5&name=a+b%26c&limit=6&flag";
  req.body = "{}";
  auto ctx = Router::context(req, m);
  ASSERT_TRUE(ctx.ok());
  EXPECT_EQ(ctx->param("id"), "12");
  EXPECT_EQ(ctx->param("key_name"), "main key");
  EXPECT_EQ(ctx->param("nope"), "");
  EXPECT_EQ(ctx->query("limit"), "5");  // the first one
  EXPECT_EQ(ctx->query("name"), "a b&c");
  EXPECT_EQ(ctx->query("flag"), "");
  EXPECT_EQ(ctx->query("absent"), std::nullopt);
  EXPECT_EQ(ctx->request.body, "{}");
  ASSERT_NE(ctx->route, nullptr);
  EXPECT_EQ(ctx->route->summary, "Keys of an account");

  struct User {
    int64_t id;
  };
  EXPECT_EQ(ctx->user_as<User>(), nullptr);
  ctx->user = User{99};
  ASSERT_NE(ctx->user_as<User>(), nullptr);
  EXPECT_EQ(ctx->user_as<User>()->id, 99);
  EXPECT_EQ(ctx->user_as<int>(), nullptr);

  req.url = "/api/v1/exchange-accounts/12/keys/x?bad=%zz";
  auto bad = Router::context(req, r.match("PUT", req.url));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().status, 400);
}

TEST(Router, RoutesAreListedInOrderWithCsrfClearedOnSafeMethods) {
  auto r = accounts_router();
  const auto& routes = r.routes();
  ASSERT_EQ(routes.size(), 8u);
  EXPECT_EQ(routes[0].method, "GET");
  EXPECT_EQ(routes[0].pattern, "/api/v1/exchange-accounts");
  EXPECT_EQ(routes[5].pattern, "/api/v1/exchange-accounts/{id}/keys");
  EXPECT_EQ(routes[5].param_names(), (std::vector<std::string>{"id"}));
  EXPECT_TRUE(routes[0].info.auth);   // secure by default
  EXPECT_FALSE(routes[0].info.csrf);  // GET changes nothing
  EXPECT_TRUE(routes[1].info.csrf);   // POST does
  EXPECT_TRUE(routes[4].info.csrf);   // DELETE does
  EXPECT_FALSE(routes[6].info.auth);  // login
}

TEST(Router, WiringMistakesAreReportedNotThrown) {
  struct Case {
    const char* method;
    const char* pattern;
  };
  const Case bad[] = {
      {"get", "/x"},    {"", "/x"},        {"GET", "x"},        {"GET", ""},         {"GET", "/x/"},
      {"GET", "/x//y"}, {"GET", "/x/{}"},  {"GET", "/x/{a-b}"}, {"GET", "/x/v{id}"}, {"GET", "/x/{id}/{id}"},
      {"GET", "/x?y"},  {"GET", "/x/%41"}, {"GET", "/x/a b"},   {"GET", "/x/{1id}"},
  };
  for (auto& c : bad) {
    Router r;
    r.add(c.method, c.pattern, tagged("x"));
    EXPECT_FALSE(r.status().ok()) << c.method << " " << c.pattern;
    EXPECT_TRUE(r.routes().empty()) << c.method << " " << c.pattern;
  }
  Router r;
  r.add("GET", "/x/{id}", tagged("a"));
  r.add("GET", "/x/{other}", tagged("b"));  // same shape
  EXPECT_FALSE(r.status().ok());
  EXPECT_NE(r.status().error().message.find("/x/{other}"), std::string::npos);
  EXPECT_EQ(r.routes().size(), 1u);

  Router r2;
  r2.add("GET", "/x", Handler{});
  EXPECT_FALSE(r2.status().ok());
  Router r3;
  r3.add("GET", "/x", tagged("a"), RouteInfo{.success_status = 0});
  EXPECT_FALSE(r3.status().ok());
  // The first mistake is kept.
  Router r4;
  r4.add("GET", "bad1", tagged("a"));
  r4.add("GET", "bad2", tagged("a"));
  EXPECT_NE(r4.status().error().message.find("bad1"), std::string::npos);
}

TEST(ParseId, AcceptsOnlyCanonicalPositiveInt64) {
  EXPECT_EQ(parse_id("1"), 1);
  EXPECT_EQ(parse_id("42"), 42);
  EXPECT_EQ(parse_id("9223372036854775807"), INT64_MAX);
  for (auto s : {"", "0", "00", "01", "-1", "+1", " 1", "1 ", "1.0", "1e3", "0x10", "１", "9223372036854775808", "99999999999999999999",
                 "12a", "a12", "1_000"})
    EXPECT_EQ(parse_id(s), std::nullopt) << s;
  EXPECT_EQ(parse_id(std::string_view("12\0", 3)), std::nullopt);
}

}  // namespace
}  // namespace tb::web
