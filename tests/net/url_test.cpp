#include <gtest/gtest.h>

#include "net/http.hpp"

namespace tb::net {
namespace {

TEST(ParseUrl, SplitsSchemeHostPortAndTarget) {
  auto u = parse_url("https://fapi.binance.com/fapi/v1/order?symbol=BTCUSDT&side=BUY");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->scheme, "https");
  EXPECT_EQ(u->host, "fapi.binance.com");
  EXPECT_EQ(u->port, 443);
  EXPECT_EQ(u->target, "/fapi/v1/order?symbol=BTCUSDT&side=BUY");
  EXPECT_EQ(u->path(), "/fapi/v1/order");
  EXPECT_EQ(u->query(), "symbol=BTCUSDT&side=BUY");
  EXPECT_EQ(u->origin(), "https://fapi.binance.com");
}

TEST(ParseUrl, PortsDefaultsAndIpv6) {
  auto u = parse_url("HTTP://127.0.0.1:8080");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->scheme, "http");
  EXPECT_EQ(u->port, 8080);
  EXPECT_EQ(u->target, "/");
  EXPECT_EQ(u->origin(), "http://127.0.0.1:8080");
  EXPECT_EQ(parse_url("http://h")->port, 80);
  EXPECT_EQ(parse_url("https://h:443/x")->origin(), "https://h");
  EXPECT_EQ(parse_url("http://h?a=1")->target, "/?a=1");
  auto v6 = parse_url("http://[::1]:9000/p");
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->port, 9000);
  EXPECT_EQ(v6->origin(), "http://[::1]:9000");
}

TEST(ParseUrl, RejectsWhatIsNotAnAbsoluteHttpUrl) {
  for (const char* bad : {"", "/relative", "ftp://h/", "http://", "http://:80/", "http://h:0/", "http://h:65536/", "http://h:80x/",
                          "http://user@h/", "http://[::1/", "http://[::1]x/"})
    EXPECT_FALSE(parse_url(bad)) << bad;
}

TEST(UrlEncode, KeepsUnreservedAndEscapesTheRestUppercase) {
  EXPECT_EQ(url_encode("AZaz09-_.~"), "AZaz09-_.~");
  EXPECT_EQ(url_encode("a b&c=d/é"), "a%20b%26c%3Dd%2F%C3%A9");
  EXPECT_EQ(url_decode("a%20b+c%2f"), "a b c/");
  EXPECT_FALSE(url_decode("%4"));
  EXPECT_FALSE(url_decode("%zz"));
}

TEST(FormEncoding, RoundTripsInOrder) {
  std::vector<std::pair<std::string, std::string>> params{{"symbol", "BTC/USD"}, {"price", "30000.10"}, {"note", "a&b=c d"}, {"empty", ""}};
  std::string encoded = form_encode(params);
  EXPECT_EQ(encoded, "symbol=BTC%2FUSD&price=30000.10&note=a%26b%3Dc%20d&empty=");
  auto decoded = form_decode(encoded);
  ASSERT_TRUE(decoded);
  EXPECT_EQ(*decoded, params);
  auto loose = form_decode("a=1&&b&c=x+y");
  ASSERT_TRUE(loose);
  ASSERT_EQ(loose->size(), 3u);
  EXPECT_EQ((*loose)[1], (std::pair<std::string, std::string>{"b", ""}));
  EXPECT_EQ((*loose)[2].second, "x y");
  EXPECT_FALSE(form_decode("a=%G1"));
}

TEST(Headers, LookupIsCaseInsensitiveAndFirstWins) {
  HttpRequest r;
  r.headers = {{"X-MBX-APIKEY", "k1"}, {"x-mbx-apikey", "k2"}};
  ASSERT_NE(r.header("x-mbx-APIKEY"), nullptr);
  EXPECT_EQ(*r.header("x-mbx-APIKEY"), "k1");
  EXPECT_EQ(r.header("Other"), nullptr);
}

}  // namespace
}  // namespace tb::net
