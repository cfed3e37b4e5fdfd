#include <gtest/gtest.h>

#include "net/wire.hpp"

namespace tb::net {
namespace {

TEST(SerializeRequest, HostUserAgentHeadersInOrderThenLengthAndBody) {
  HttpRequest r;
  r.method = "POST";
  r.url = "http://127.0.0.1:8080/api/v1?x=1";
  r.headers = {{"X-B", "2"}, {"X-A", "1"}, {"Content-Length", "999"}, {"Content-Type", "application/x-www-form-urlencoded"}};
  r.body = "a=1&b=2";
  auto wire = serialize_request(r, *parse_url(r.url), "tradebridge/0.1");
  ASSERT_TRUE(wire);
  EXPECT_EQ(*wire,
            "POST /api/v1?x=1 HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nUser-Agent: tradebridge/0.1\r\nX-B: 2\r\nX-A: 1\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 7\r\n\r\na=1&b=2");
}

TEST(SerializeRequest, DefaultPortIsLeftOutAndGetHasNoLength) {
  HttpRequest r;
  r.url = "https://api.kraken.com/0/public/Time";
  auto wire = serialize_request(r, *parse_url(r.url), "ua");
  ASSERT_TRUE(wire);
  EXPECT_EQ(*wire, "GET /0/public/Time HTTP/1.1\r\nHost: api.kraken.com\r\nUser-Agent: ua\r\n\r\n");
  r.method = "POST";
  EXPECT_NE(serialize_request(r, *parse_url(r.url), "ua")->find("Content-Length: 0\r\n"), std::string::npos);
}

TEST(SerializeRequest, RefusesHeaderInjection) {
  HttpRequest r;
  r.url = "http://h/";
  r.headers = {{"X-Key", "abc\r\nX-Evil: 1"}};
  auto wire = serialize_request(r, *parse_url(r.url), "ua");
  ASSERT_FALSE(wire);
  EXPECT_EQ(wire.error().kind, ErrorKind::InvalidArgument);
  r.headers = {{"Bad Name", "v"}};
  EXPECT_FALSE(serialize_request(r, *parse_url(r.url), "ua"));
  r.headers.clear();
  r.method = "GET /x";
  EXPECT_FALSE(serialize_request(r, *parse_url(r.url), "ua"));
  r.method = "GET";
  EXPECT_FALSE(serialize_request(r, *parse_url("http://h/a b"), "ua"));
}

TEST(SerializeResponse, ComputesFramingAndDropsUnsafeHeaders) {
  HttpResponse r;
  r.status = 404;
  r.headers = {{"Content-Type", "application/json"}, {"Content-Length", "1"}, {"Connection", "keep-alive"}, {"X-Bad", "a\nb"}};
  r.body = "{}";
  EXPECT_EQ(serialize_response(r, true, false), "HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}");
  EXPECT_EQ(serialize_response(r, false, true),
            "HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n");
  r.status = 204;
  r.headers.clear();
  EXPECT_EQ(serialize_response(r, true, false), "HTTP/1.1 204 No Content\r\n\r\n");
}

}  // namespace
}  // namespace tb::net
