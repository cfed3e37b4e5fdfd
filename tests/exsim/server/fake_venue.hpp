#pragma once
// A stand-in venue protocol for the server's tests: owns /fapi/..., echoes what the server handed it, and
// answers faults with recognisable bodies. The server under test is real; only the venue is scripted.
#include <atomic>
#include <memory>
#include <nlohmann/json.hpp>
#include <vector>

#include "exsim/server/fault_answers.hpp"
#include "exsim/venue_sim.hpp"

namespace tb::exsim::test {

class FakeVenue final : public VenueSim {
 public:
  std::string_view venue() const override { return "binance_futures"; }
  bool owns(std::string_view path) const override { return path.starts_with("/fapi/"); }
  std::string endpoint(std::string_view path) const override {
    ++endpoint_calls;  // the server asks just before it looks for a fault: tests see a request arrive
    return std::string(path.substr(path.rfind('/') + 1));
  }
  std::vector<std::string> endpoint_names() const override { return {"order", "time", "exchangeInfo"}; }
  net::HttpResponse handle(const SimRequest& r) override {
    ++handled;
    if (clock) handled_at_ms = clock->now_ms();
    nlohmann::json echo{{"method", r.method},   {"path", r.path},
                        {"query", r.query},     {"body", r.body},
                        {"peer_ip", r.peer_ip}, {"api_key", r.header("X-MBX-APIKEY") ? *r.header("X-MBX-APIKEY") : ""}};
    return {200, {{"Content-Type", "application/json"}}, echo.dump()};
  }
  net::HttpResponse rate_limited() const override {
    return {429, {{"Content-Type", "application/json"}, {"Retry-After", "7"}}, R"({"code":-1003,"msg":"Too many requests"})"};
  }
  net::HttpResponse maintenance() const override {
    return {503, {{"Content-Type", "application/json"}}, R"({"code":-1001,"msg":"maintenance"})"};
  }
  net::HttpResponse internal_error() const override {
    return {500, {{"Content-Type", "application/json"}}, R"({"code":-1000,"msg":"fake internal error"})"};
  }
  net::HttpResponse bad_gateway() const override { return bad_gateway_html_answer(); }
  std::atomic<int> handled{0};
  const Clock* clock = nullptr;  // the engine's: when the last request was handled
  std::atomic<int64_t> handled_at_ms{0};
  mutable std::atomic<int> endpoint_calls{0};
};

// A VenueFactory that builds one FakeVenue and lets the test see it.
struct FakeVenues {
  FakeVenue* last = nullptr;
  std::vector<std::unique_ptr<VenueSim>> operator()(Exchange& e) {
    auto v = std::make_unique<FakeVenue>();
    v->clock = &e.clock();
    last = v.get();
    std::vector<std::unique_ptr<VenueSim>> out;
    out.push_back(std::move(v));
    return out;
  }
};

}  // namespace tb::exsim::test
