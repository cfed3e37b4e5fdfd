#include "app/serve_options.hpp"

#include <gtest/gtest.h>

namespace tb::app {
namespace {

TEST(ServeOptions, ListenTakesAddressAndPortIpv6InBracketsAndAnEmptyHostAsLoopback) {
  auto v4 = parse_listen("0.0.0.0:8080");
  ASSERT_TRUE(v4);
  EXPECT_EQ(v4->address, "0.0.0.0");
  EXPECT_EQ(v4->port, 8080);
  auto v6 = parse_listen("[::1]:0");
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->address, "::1");
  EXPECT_EQ(v6->port, 0);
  auto bare = parse_listen(":65535");
  ASSERT_TRUE(bare);
  EXPECT_EQ(bare->address, "127.0.0.1");
  EXPECT_EQ(bare->port, 65535);
}

TEST(ServeOptions, ListenRefusesAMissingOrBadPortNamingTheFlag) {
  auto none = parse_listen("localhost");
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().kind, ErrorKind::InvalidArgument);
  EXPECT_EQ(none.error().message, "--listen takes ADDRESS:PORT (127.0.0.1:8080), got 'localhost'");
  EXPECT_FALSE(parse_listen("127.0.0.1:"));
  for (const char* bad : {"127.0.0.1:65536", "127.0.0.1:99999999999", "127.0.0.1:8o", "127.0.0.1:-1"}) {
    auto r = parse_listen(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().message, std::string("--listen: bad port in '") + bad + "'");
  }
}

TEST(ServeOptions, PlainHttpBeyondLoopbackIsRefusedUnlessTlsOrAProxyIsNamed) {
  ServeOptions o;
  o.listen = "0.0.0.0:8080";
  auto refusal = plain_http_refusal(o, Listen{"0.0.0.0", 8080});
  ASSERT_TRUE(refusal);
  EXPECT_NE(refusal->find("refusing to serve plain HTTP on 0.0.0.0:8080 beyond loopback"), std::string::npos);
  EXPECT_FALSE(plain_http_refusal(o, Listen{"127.0.0.1", 8080}));
  EXPECT_FALSE(plain_http_refusal(o, Listen{"::1", 8080}));
  EXPECT_FALSE(plain_http_refusal(o, Listen{"localhost", 8080}));
  ServeOptions tls = o;
  tls.tls_cert = "cert.pem";
  EXPECT_FALSE(plain_http_refusal(tls, Listen{"0.0.0.0", 8080}));
  ServeOptions proxied = o;
  proxied.behind_proxy = {"10.0.0.1"};
  EXPECT_FALSE(plain_http_refusal(proxied, Listen{"0.0.0.0", 8080}));
}

TEST(ServeOptions, CheckedOptionsCarryTheMetricsAddressAndEachVenueUrl) {
  ServeOptions o;
  o.metrics_listen = "127.0.0.1:9100";
  o.password_cost = "fast";
  o.venue_urls = {"kraken=http://127.0.0.1:1", "bitfinex=https://example.test/x"};
  auto checked = check_options(o, Listen{"127.0.0.1", 8080});
  ASSERT_TRUE(checked) << checked.error().message;
  EXPECT_EQ(checked->listen.port, 8080);
  ASSERT_TRUE(checked->metrics_listen);
  EXPECT_EQ(checked->metrics_listen->port, 9100);
  EXPECT_EQ(checked->cost.ops_limit, auth::PasswordCost::fast().ops_limit);
  EXPECT_EQ(checked->venue_urls,
            (std::map<std::string, std::string>{{"bitfinex", "https://example.test/x"}, {"kraken", "http://127.0.0.1:1"}}));
}

TEST(ServeOptions, TheFirstWrongOptionIsTheErrorInFlagOrder) {
  ServeOptions o;
  o.metrics_listen = "nowhere";
  o.password_cost = "slow";
  o.venue_urls = {"nope"};
  auto r = check_options(o, Listen{});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "--metrics-listen takes ADDRESS:PORT, got 'nowhere'");
  o.metrics_listen.clear();
  r = check_options(o, Listen{});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "--password-cost takes interactive or fast");
  o.password_cost = "interactive";
  r = check_options(o, Listen{});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "--venue-url takes VENUE=URL, got 'nope'");
}

TEST(ServeOptions, VenueUrlNamesAKnownVenueAndAnHttpUrl) {
  ServeOptions o;
  o.venue_urls = {"nosuch=http://127.0.0.1:1"};
  auto unknown = check_options(o, Listen{});
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().message.rfind("--venue-url: unknown venue 'nosuch' (", 0), 0u);
  o.venue_urls = {"kraken=ftp://127.0.0.1"};
  auto not_http = check_options(o, Listen{});
  ASSERT_FALSE(not_http);
  EXPECT_EQ(not_http.error().message, "--venue-url kraken: not an http(s) URL");
  o.venue_urls = {"kraken="};
  auto empty = check_options(o, Listen{});
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().message, "--venue-url takes VENUE=URL, got 'kraken='");
}

}  // namespace
}  // namespace tb::app
