#pragma once
// Test support: run a coroutine to completion, stand in for the network with a handler, wait without
// sleeping. The venue under test is real; only the far side of the wire is scripted.
#include <utility>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <functional>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <vector>

#include "core/core.hpp"
#include "net/transport.hpp"
#include "venues/common/nonce.hpp"
#include "venues/venue.hpp"

namespace tb::test {

// Runs one task on a fresh io_context and returns its value (rethrows what it threw). The value goes
// through a slot because Boost 1.74's co_spawn wants a default-constructible result, which Result is not.
template <typename T>
net::Task<void> run_into(std::optional<T>* slot, net::Task<T> task) {
  slot->emplace(co_await std::move(task));
}

// On the given io_context, until the task and everything else on it finish.
template <typename T>
T run_on(boost::asio::io_context& io, net::Task<T> task) {
  std::optional<T> out;
  std::exception_ptr error;
  boost::asio::co_spawn(io, run_into(&out, std::move(task)), [&](std::exception_ptr e) { error = e; });
  io.restart();
  io.run();
  if (error) std::rethrow_exception(error);
  if (!out) throw std::runtime_error("task did not finish");
  return std::move(*out);
}

template <typename T>
T run(net::Task<T> task) {
  boost::asio::io_context io;
  return run_on(io, std::move(task));
}

using Handler = std::function<Result<net::HttpResponse>(const net::HttpRequest&)>;

// A transport that answers from a handler in-process and records every request.
class ScriptedTransport final : public net::HttpTransport {
 public:
  explicit ScriptedTransport(Handler h) : handler_(std::move(h)) {}
  net::Task<Result<net::HttpResponse>> send(net::HttpRequest request, net::RequestOptions options) override;
  using net::HttpTransport::send;
  std::vector<net::HttpRequest> requests() const;
  void set_handler(Handler h);
  // Awaited before each request reaches the handler: a test holds some requests back while others go on.
  using Gate = std::function<net::Task<void>(const net::HttpRequest&)>;
  void set_gate(Gate g);

 private:
  mutable std::mutex mu_;
  Handler handler_;
  Gate gate_;
  std::vector<net::HttpRequest> requests_;
};

// Waits by moving the clock, at once.
class InstantSleeper final : public net::Sleeper {
 public:
  explicit InstantSleeper(ManualClock& clock) : clock_(clock) {}
  net::Task<void> sleep(std::chrono::milliseconds d) override;
  std::vector<std::chrono::milliseconds> waits;

 private:
  ManualClock& clock_;
};

net::HttpResponse json_response(int status, std::string body, std::vector<net::Header> headers = {});

// Everything a venue needs, with a fixed clock and a scripted far side.
struct VenueHarness {
  explicit VenueHarness(Handler h) : transport(std::move(h)) {}
  ManualClock clock{1'700'000'000'000};
  InstantSleeper sleeper{clock};
  venues::NonceSource nonces{clock};
  ScriptedTransport transport;
  venues::VenueContext context() { return {&transport, &sleeper, &clock, &nonces}; }
};

}  // namespace tb::test
