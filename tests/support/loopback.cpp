#include "support/loopback.hpp"

#include <stdexcept>

namespace tb::test {

IoThread::IoThread() : work_(boost::asio::make_work_guard(io_)), thread_([this] { io_.run(); }) {}

IoThread::~IoThread() { stop(); }

void IoThread::stop() {
  work_.reset();
  io_.stop();
  if (thread_.joinable()) thread_.join();
}

LoopbackServer::LoopbackServer(Handler handler, net::HttpServerOptions options) : handler_(std::move(handler)) {
  options.address = "127.0.0.1";
  options.port = 0;
  tls_ = !options.tls_cert_file.empty();
  server_ = std::make_unique<net::HttpServer>(thread_.io(), std::move(options),
                                              net::SyncHandler([this](const net::HttpRequest& r) { return answer(r); }));
  auto started = server_->start();
  if (!started) throw std::runtime_error("loopback server: " + started.error().describe());
}

LoopbackServer::~LoopbackServer() { server_->stop(); }

std::string LoopbackServer::base_url() const {
  return std::string(tls_ ? "https" : "http") + "://127.0.0.1:" + std::to_string(server_->port());
}

std::vector<net::HttpRequest> LoopbackServer::requests() const {
  std::lock_guard lock(mu_);
  return requests_;
}

void LoopbackServer::set_handler(Handler h) {
  std::lock_guard lock(mu_);
  handler_ = std::move(h);
}

net::HttpResponse LoopbackServer::answer(const net::HttpRequest& request) {
  Handler h;
  {
    std::lock_guard lock(mu_);
    requests_.push_back(request);
    h = handler_;
  }
  auto r = h(request);
  if (r) return std::move(*r);
  net::HttpResponse hang_up;
  hang_up.status = 0;
  return hang_up;
}

}  // namespace tb::test
