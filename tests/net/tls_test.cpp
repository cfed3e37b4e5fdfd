// HTTPS against a CA and a certificate for "localhost" made at test time with the openssl command.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "net/websocket_session.hpp"
#include "net/ws_client.hpp"
#include "net_test_util.hpp"

namespace tb::test {
namespace {

namespace fs = std::filesystem;

class Https : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    char tmpl[] = "/tmp/tb_net_tls_XXXXXX";
    if (!::mkdtemp(tmpl)) return;
    dir_ = new std::string(tmpl);
    std::ofstream(*dir_ + "/ext.cnf") << "subjectAltName=DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n";
    std::string d = *dir_;
    std::string ec = "-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";
    std::string script =
        "cd " + d + " && openssl req -x509 " + ec + " -keyout ca.key -out ca.pem -days 2 -subj /CN=tradebridge-test-ca" +
        " -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign" + " && openssl req " + ec +
        " -keyout server.key -out server.csr -subj /CN=localhost" +
        " && openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 2 -extfile ext.cnf" +
        " > openssl.log 2>&1";
    ok_ = std::system(script.c_str()) == 0;
  }
  static void TearDownTestSuite() {
    if (dir_) fs::remove_all(*dir_);
    delete dir_;
    dir_ = nullptr;
  }
  void SetUp() override {
    if (!ok_) GTEST_SKIP() << "the openssl command could not make test certificates";
  }
  static std::string file(const char* name) { return *dir_ + "/" + name; }
  static net::HttpServerOptions tls_options() { return {.tls_cert_file = file("server.pem"), .tls_key_file = file("server.key")}; }

  static inline std::string* dir_ = nullptr;
  static inline bool ok_ = false;
};

Result<net::HttpResponse> secret_body(const net::HttpRequest& r) {
  net::HttpResponse out;
  out.status = 200;
  out.body = "over tls " + r.url;
  return out;
}

net::HttpRequest get(std::string url) {
  net::HttpRequest r;
  r.url = std::move(url);
  return r;
}

TEST_F(Https, VerifiesAgainstTheAddedCaAndKeepsTheConnection) {
  LoopbackServer server(secret_body, tls_options());
  asio::io_context io;
  net::HttpClient client(io, {.extra_ca_file = file("ca.pem")});
  std::string base = "https://localhost:" + std::to_string(server.port());
  for (int i = 0; i < 3; ++i) {
    auto r = run_on(io, client.send(get(base + "/s" + std::to_string(i))));
    ASSERT_TRUE(r) << r.error().describe();
    EXPECT_EQ(r->body, "over tls /s" + std::to_string(i));
  }
  EXPECT_EQ(server.connections_accepted(), 1u);
}

TEST_F(Https, FailsWithoutTheCa) {
  LoopbackServer server(secret_body, tls_options());
  asio::io_context io;
  net::HttpClient client(io);  // the system store only: it does not know the test CA
  auto r = run_on(io, client.send(get("https://localhost:" + std::to_string(server.port()) + "/")));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::NetworkError);
  EXPECT_EQ(r.error().message.rfind("TLS certificate verification failed for host localhost: ", 0), 0u) << r.error().message;
  EXPECT_FALSE(r.error().outcome_unknown);
  EXPECT_TRUE(server.requests().empty());
}

TEST_F(Https, FailsWhenTheNameDoesNotMatch) {
  LoopbackServer server(secret_body, tls_options());
  asio::io_context io;
  net::HttpClient client(io, {.extra_ca_file = file("ca.pem")});
  auto r = run_on(io, client.send(get(server.base_url() + "/")));  // https://127.0.0.1: the cert names localhost only
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::NetworkError);
  EXPECT_EQ(r.error().message, "TLS certificate verification failed for host 127.0.0.1: IP address mismatch");
  EXPECT_TRUE(server.requests().empty());
}

TEST_F(Https, PlainHttpToATlsServerIsAnError) {
  LoopbackServer server(secret_body, tls_options());
  asio::io_context io;
  net::HttpClient client(io);
  auto r = run_on(io, client.send(get("http://127.0.0.1:" + std::to_string(server.port()) + "/")));
  ASSERT_FALSE(r);
  EXPECT_TRUE(server.requests().empty());
}

TEST_F(Https, GoesThroughAConnectProxy) {
  LoopbackServer server(secret_body, tls_options());
  ConnectProxy proxy;
  asio::io_context io;
  net::HttpClient client(io, {.proxy = proxy.url(), .extra_ca_file = file("ca.pem")});
  auto r = run_on(io, client.send(get("https://localhost:" + std::to_string(server.port()) + "/p")));
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_EQ(r->body, "over tls /p");
  EXPECT_EQ(proxy.request_lines(), (std::vector<std::string>{"CONNECT localhost:" + std::to_string(server.port()) + " HTTP/1.1"}));
}

// The WebSocket client opens its connections as the HTTP client does: TLS checked against the CA for the
// host, and refused without it before anything is sent.
TEST_F(Https, WebSocketCallsGoOverTlsCheckedForTheHost) {
  IoThread sessions;  // the sessions' queues live on it; it outlives the server
  LoopbackServer server(
      [&](const net::HttpRequest& r) -> Result<net::HttpResponse> {
        auto session = std::make_shared<net::WsSession>(sessions.io().get_executor(), 4096,
                                                        [](std::string_view text) { return std::string(text) + " over tls"; });
        return net::accept_websocket(r, session);
      },
      tls_options());
  auto first_number = [](std::string_view answer) -> std::optional<uint64_t> { return answer.starts_with("7") ? 7 : 0; };
  const std::string url = "wss://localhost:" + std::to_string(server.port()) + "/ws";
  asio::io_context io;
  auto client = std::make_unique<net::WsClient>(io, net::HttpClientOptions{.extra_ca_file = file("ca.pem")}, url, first_number);
  auto ask = [&]() -> net::Task<Result<std::string>> {
    auto answer = co_await client->call(7, "7 asks", std::chrono::seconds(5));
    client.reset();  // its connection closes, so the io_context runs out of work
    co_return answer;
  };
  auto r = run_on(io, ask());
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_EQ(*r, "7 asks over tls");
  net::WsClient untrusting(io, {}, url, first_number);
  auto refused = run_on(io, untrusting.call(7, "7 asks", std::chrono::seconds(5)));
  ASSERT_FALSE(refused);
  EXPECT_FALSE(refused.error().outcome_unknown) << "refused before the request was written";
  EXPECT_NE(refused.error().message.find("TLS certificate verification failed for host localhost"), std::string::npos)
      << refused.error().message;
}

TEST_F(Https, MissingServerCertificateIsAStartError) {
  asio::io_context io;
  net::HttpServer server(io, {.tls_cert_file = file("nope.pem"), .tls_key_file = file("server.key")},
                         net::SyncHandler([](const net::HttpRequest&) { return net::HttpResponse{}; }));
  auto started = server.start();
  ASSERT_FALSE(started);
  EXPECT_NE(started.error().message.find("cannot load TLS certificate"), std::string::npos);
}

}  // namespace
}  // namespace tb::test
