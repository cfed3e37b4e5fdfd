#include "support/wire_relay.hpp"

#include <atomic>
#include <cstdlib>
#include <map>
#include <mutex>

#include "support/loopback.hpp"

namespace tb::test {
namespace {

constexpr const char* kId = "X-Tb-Relay-Id";
constexpr const char* kUrl = "X-Tb-Original-Url";
constexpr const char* kFailed = "X-Tb-Relay-Error";

// Headers the wire adds that the venue did not send; stripped before the handler sees the request.
bool added_by_wire(const std::string& name) {
  for (const char* n : {"Host", "User-Agent", "Content-Length", "X-Peer-Addr", kId, kUrl})
    if (net::iequals(name, n)) return true;
  return false;
}

class Relay {
 public:
  static Relay& instance() {
    static Relay relay;
    return relay;
  }

  net::Task<Result<net::HttpResponse>> send(net::HttpRequest request, net::RequestOptions options, Handler handler) {
    auto url = net::parse_url(request.url);
    if (!url) co_return Error::make(ErrorKind::InvalidArgument, "relay: bad url " + request.url);
    std::string id = std::to_string(++next_id_);
    {
      std::lock_guard lock(mu_);
      handlers_[id] = std::move(handler);
    }
    request.headers.push_back({kId, id});
    request.headers.push_back({kUrl, request.url});
    request.url = server_.base_url() + url->target;
    auto r = co_await client_.client.send(std::move(request), options);
    std::lock_guard lock(mu_);
    handlers_.erase(id);
    if (r && r->header(kFailed)) {
      auto e = std::move(errors_[id]);
      errors_.erase(id);
      co_return e;
    }
    co_return r;
  }

 private:
  Relay() : server_([this](const net::HttpRequest& r) { return Result<net::HttpResponse>(answer(r)); }) {}

  net::HttpResponse answer(const net::HttpRequest& received) {
    const std::string* id = received.header(kId);
    const std::string* url = received.header(kUrl);
    Handler h;
    {
      std::lock_guard lock(mu_);
      if (id) h = handlers_[*id];
    }
    if (!id || !url || !h) return json_response(500, R"({"relay":"unknown request"})");
    net::HttpRequest original;
    original.method = received.method;
    original.url = *url;
    original.body = received.body;
    for (auto& hd : received.headers)
      if (!added_by_wire(hd.name)) original.headers.push_back(hd);
    auto r = h(original);
    if (r) return std::move(*r);
    std::lock_guard lock(mu_);
    errors_[*id] = r.error();
    net::HttpResponse failed;
    failed.status = 599;
    failed.headers.push_back({kFailed, "1"});
    return failed;
  }

  std::atomic<uint64_t> next_id_{0};
  std::mutex mu_;
  std::map<std::string, Handler> handlers_;
  std::map<std::string, Error> errors_;
  LoopbackServer server_;
  LoopbackClient client_;
};

}  // namespace

bool over_loopback() {
  const char* v = std::getenv("TB_TEST_OVER_LOOPBACK");
  return v && std::string(v) == "1";
}

net::Task<Result<net::HttpResponse>> relay(net::HttpRequest request, net::RequestOptions options, Handler handler) {
  return Relay::instance().send(std::move(request), options, std::move(handler));
}

}  // namespace tb::test
