// The route table shared by the REST API and the simulator's admin API. Its policy is tested through the
// web API's Router too (tests/web/router_test.cpp); here: what the table itself hands back.
#include "net/router.hpp"

#include <gtest/gtest.h>

namespace tb::net {
namespace {

TEST(Router, DecodePathSegment) {
  EXPECT_EQ(decode_path_segment("a%2fb%2Fc"), "a/b/c");
  EXPECT_EQ(decode_path_segment("a+b"), "a+b");
  EXPECT_EQ(decode_path_segment(""), "");
  EXPECT_EQ(decode_path_segment("%41%42"), "AB");
  EXPECT_EQ(decode_path_segment("%"), std::nullopt);
  EXPECT_EQ(decode_path_segment("ab%4"), std::nullopt);
  EXPECT_EQ(decode_path_segment("%g1"), std::nullopt);
  EXPECT_EQ(path_of("/a/b?c=d#e"), "/a/b");
  EXPECT_EQ(path_of("/a/b#e?c"), "/a/b");
}

RouteTable keys_table() {
  RouteTable t;
  EXPECT_TRUE(t.add("GET", "/exsim/v1/keys").ok());
  EXPECT_TRUE(t.add("POST", "/exsim/v1/keys").ok());
  EXPECT_TRUE(t.add("DELETE", "/exsim/v1/keys/{key}").ok());
  EXPECT_TRUE(t.add("GET", "/exsim/v1/keys/new").ok());
  return t;
}

TEST(RouteTable, FoundGivesTheIndexInTheOrderAddedAndDecodedParameters) {
  auto t = keys_table();
  auto m = t.match("POST", "/exsim/v1/keys?x=1");
  ASSERT_TRUE(m.found());
  EXPECT_EQ(m.index, 1u);
  m = t.match("DELETE", "/exsim/v1/keys/ab%2Bc+d");  // a base64 key: '+' stays '+', %2B is '+'
  ASSERT_TRUE(m.found());
  EXPECT_EQ(m.index, 2u);
  ASSERT_EQ(m.path_params.size(), 1u);
  EXPECT_EQ(m.path_params[0], (std::pair<std::string, std::string>{"key", "ab+c+d"}));
  m = t.match("GET", "/exsim/v1/keys/new");
  ASSERT_TRUE(m.found());
  EXPECT_EQ(m.index, 3u);
  EXPECT_TRUE(m.path_params.empty());
  EXPECT_EQ(t.routes()[2].param_names(), (std::vector<std::string>{"key"}));
  EXPECT_EQ(t.routes()[2].pattern, "/exsim/v1/keys/{key}");
}

TEST(RouteTable, MethodNotAllowedListsTheMethodsOfThePath) {
  auto t = keys_table();
  auto m = t.match("PUT", "/exsim/v1/keys");
  EXPECT_EQ(m.outcome, PathMatch::Outcome::MethodNotAllowed);
  EXPECT_EQ(m.allowed, (std::vector<std::string>{"GET", "POST"}));
  m = t.match("PUT", "/exsim/v1/keys/new");  // the literal and the {key} route both match the path
  EXPECT_EQ(m.allowed, (std::vector<std::string>{"DELETE", "GET"}));
}

TEST(RouteTable, ABadEscapeIsMalformedAndNotFound) {
  auto t = keys_table();
  for (auto target : {"/exsim/v1/keys/%zz", "/exsim/v1/keys/%4", "/exsim/v1/keys/%FF"}) {
    auto m = t.match("DELETE", target);
    EXPECT_EQ(m.outcome, PathMatch::Outcome::NotFound) << target;
    EXPECT_TRUE(m.malformed) << target;
  }
  auto m = t.match("DELETE", "/exsim/v1/nothing/x");
  EXPECT_EQ(m.outcome, PathMatch::Outcome::NotFound);
  EXPECT_FALSE(m.malformed);
}

TEST(RouteTable, RefusedPatternsSayWhy) {
  RouteTable t;
  auto bad = t.add("GET", "/x/");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message, "route GET /x/: empty segment (a trailing or double '/')");
  EXPECT_FALSE(t.add("get", "/x").ok());
  ASSERT_TRUE(t.add("GET", "/x/{id}").ok());
  auto twice = t.add("GET", "/x/{other}");
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.error().message, "route GET /x/{other}: same as the route GET /x/{id}");
  EXPECT_EQ(t.routes().size(), 1u);
}

}  // namespace
}  // namespace tb::net
