#include "support/harness.hpp"

#include "support/wire_relay.hpp"

namespace tb::test {

net::Task<Result<net::HttpResponse>> ScriptedTransport::send(net::HttpRequest request, net::RequestOptions options) {
  Handler h;
  Gate gate;
  {
    std::lock_guard lock(mu_);
    requests_.push_back(request);
    h = handler_;
    gate = gate_;
  }
  if (gate) co_await gate(request);
  if (over_loopback()) co_return co_await relay(std::move(request), options, std::move(h));
  co_return h(request);
}

std::vector<net::HttpRequest> ScriptedTransport::requests() const {
  std::lock_guard lock(mu_);
  return requests_;
}

void ScriptedTransport::set_handler(Handler h) {
  std::lock_guard lock(mu_);
  handler_ = std::move(h);
}

void ScriptedTransport::set_gate(Gate g) {
  std::lock_guard lock(mu_);
  gate_ = std::move(g);
}

net::Task<void> InstantSleeper::sleep(std::chrono::milliseconds d) {
  waits.push_back(d);
  clock_.advance_ms(d.count());
  co_return;
}

net::HttpResponse json_response(int status, std::string body, std::vector<net::Header> headers) {
  net::HttpResponse r;
  r.status = status;
  r.headers = std::move(headers);
  r.headers.push_back({"Content-Type", "application/json"});
  r.body = std::move(body);
  return r;
}

}  // namespace tb::test
