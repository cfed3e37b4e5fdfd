#include "exsim/server/simulator.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

#include "exsim/server/admin_api.hpp"
#include "exsim/server/fault_answers.hpp"
#include "exsim/server/page.hpp"
#include "net/asio_sleeper.hpp"
#include "net/websocket_session.hpp"

namespace tb::exsim {
namespace {

namespace asio = boost::asio;

// A request on a venue's WebSocket API is one JSON object; the venues' own are a few hundred bytes.
constexpr size_t kMaxWsMessageBytes = 64 * 1024;

// "/fapi/v1/order?symbol=X" -> path and raw query. An absolute-form target keeps only its path.
std::pair<std::string, std::string> split_target(const std::string& target) {
  std::string_view t = target;
  if (!t.starts_with("/")) {
    if (auto url = net::parse_url(t)) return {url->path(), url->query()};
  }
  auto q = t.find('?');
  if (q == std::string_view::npos) return {std::string(t), {}};
  return {std::string(t.substr(0, q)), std::string(t.substr(q + 1))};
}

// "127.0.0.1:54321" or "[::1]:54321" -> "127.0.0.1" or "::1".
std::string peer_ip(const std::vector<net::Header>& headers) {
  for (auto& h : headers) {
    if (!net::iequals(h.name, net::kPeerAddrHeader)) continue;
    std::string_view v = h.value;
    if (v.starts_with("[")) {
      auto close = v.find(']');
      return std::string(v.substr(1, close == std::string_view::npos ? std::string_view::npos : close - 1));
    }
    auto colon = v.rfind(':');
    return std::string(colon == std::string_view::npos ? v : v.substr(0, colon));
  }
  return {};
}

net::HttpResponse page_answer() {
  net::HttpResponse r;
  r.status = 200;
  r.headers = {{"Content-Type", "text/html; charset=utf-8"},
               {"Content-Security-Policy", "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'"},
               {"X-Frame-Options", "DENY"},
               {"Cache-Control", "no-store"}};
  r.body = std::string(api_management_page());
  return r;
}

}  // namespace

struct Simulator::SaveTimer {
  explicit SaveTimer(asio::io_context& io) : timer(io) {}
  asio::steady_timer timer;
  std::atomic<bool> stopped{false};
};

Simulator::Simulator(asio::io_context& io, SimulatorOptions options, const Clock& clock, const VenueFactory& venues, net::Sleeper* sleeper)
    : io_(io),
      options_(std::move(options)),
      exchange_(std::make_unique<Exchange>(clock, options_.seed)),
      venues_(venues(*exchange_)),
      own_sleeper_(sleeper ? nullptr : std::make_unique<net::AsioSleeper>()),
      sleeper_(sleeper ? sleeper : own_sleeper_.get()) {
  std::vector<VenueEndpoints> endpoints;
  for (auto& v : venues_) endpoints.push_back({std::string(v->venue()), v->endpoint_names()});
  admin_ = std::make_unique<AdminApi>(*exchange_, std::move(endpoints));
  net::HttpServerOptions server_options;
  server_options.address = options_.address;
  server_options.port = options_.port;
  // Keep-alive clients (ccxt, our own pool) may sit idle between test steps for a while.
  server_options.idle_timeout = std::chrono::milliseconds(120'000);
  server_options.max_connections = 10'000;  // a platform testing a thousand keys at once holds as many
  server_ = std::make_unique<net::HttpServer>(io_, server_options, [this](net::HttpRequest r) { return handle(std::move(r)); });
}

Simulator::~Simulator() { stop(); }

Status Simulator::start() {
  if (!options_.state_file.empty()) {
    std::error_code ec;
    if (std::filesystem::exists(options_.state_file, ec)) {
      auto loaded = exchange_->load(options_.state_file);
      if (!loaded)
        return Error::make(ErrorKind::InvalidArgument, "cannot load state file '" + options_.state_file + "': " + loaded.error().message);
    }
  }
  auto listening = server_->start();
  if (!listening) return listening;
  running_ = true;
  if (!options_.state_file.empty() && options_.save_interval.count() > 0) {
    save_timer_ = std::make_shared<SaveTimer>(io_);
    asio::co_spawn(io_, save_loop(save_timer_), asio::detached);
  }
  return ok_status();
}

void Simulator::stop() {
  if (!running_.exchange(false)) return;
  server_->stop();
  if (save_timer_) {
    save_timer_->stopped = true;
    asio::dispatch(io_, [t = save_timer_] { t->timer.cancel(); });
  }
  if (auto saved = save_state(); !saved) std::cerr << "exsim: " << saved.error().message << "\n";
}

uint16_t Simulator::port() const { return server_->port(); }

std::string Simulator::base_url() const {
  std::string host = options_.address;
  if (host == "0.0.0.0" || host.empty()) host = "127.0.0.1";
  else if (host == "::") host = "[::1]";
  else if (host.find(':') != std::string::npos) host = "[" + host + "]";
  return "http://" + host + ":" + std::to_string(port());
}

Status Simulator::save_state() {
  if (options_.state_file.empty()) return ok_status();
  dirty_ = false;
  // Written beside the file and renamed over it, so a crash mid-write never leaves half a state.
  std::string tmp = options_.state_file + ".tmp";
  auto saved = exchange_->save(tmp);
  if (!saved) return Error::make(saved.error().kind, "cannot save state to '" + options_.state_file + "': " + saved.error().message);
  std::error_code ec;
  std::filesystem::rename(tmp, options_.state_file, ec);
  if (ec) return Error::make(ErrorKind::InvalidArgument, "cannot save state to '" + options_.state_file + "': " + ec.message());
  return ok_status();
}

net::Task<void> Simulator::save_loop(std::shared_ptr<SaveTimer> t) {
  for (;;) {
    t->timer.expires_after(options_.save_interval);
    boost::system::error_code ec;
    co_await t->timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    if (t->stopped) co_return;  // checked before touching `this`: the simulator may be gone
    if (dirty_.exchange(false))
      if (auto saved = save_state(); !saved) std::cerr << "exsim: " << saved.error().message << "\n";
  }
}

VenueSim* Simulator::venue_for(std::string_view path) const {
  for (auto& v : venues_)
    if (v->owns(path)) return v.get();
  return nullptr;
}

net::Task<net::HttpResponse> Simulator::handle(net::HttpRequest request) {
  auto [path, query] = split_target(request.url);
  if (path.starts_with("/exsim/")) {
    auto answer = admin_->handle(request.method, path, query, request.body);
    if (answer.changed)
      if (auto saved = save_state(); !saved) std::cerr << "exsim: " << saved.error().message << "\n";
    co_return std::move(answer.response);
  }
  if (path == "/" || path == "/index.html") co_return page_answer();
  for (auto& v : venues_)
    if (!v->ws_api_path().empty() && path == v->ws_api_path()) co_return accept_ws(*v, request);
  if (auto* sim = venue_for(path)) co_return co_await handle_venue(*sim, std::move(request), std::move(path), std::move(query));
  co_return json_answer(404, nlohmann::json{{"error", "no such endpoint: " + path}}.dump());
}

// A venue's WebSocket API: each text frame is answered as the venue answers that request, after the faults
// injected for the endpoint it mirrors. Timeouts, resets and a CDN's 502 leave it unanswered (the venue's
// connection gives no HTTP status to show); the waits of latency faults apply to HTTP requests only.
net::HttpResponse Simulator::accept_ws(VenueSim& sim, const net::HttpRequest& request) {
  VenueSim::WsFaults faults = [this, &sim](std::string_view endpoint) {
    using What = VenueSim::WsFault::What;
    auto injected = exchange_->fire_fault(std::string(sim.venue()), std::string(endpoint));
    auto fault = injected ? parse_fault_kind(injected->kind) : std::nullopt;
    if (!fault) return VenueSim::WsFault{};
    switch (fault->kind) {
      case FaultKind::Http500: return VenueSim::WsFault{What::Answer, sim.internal_error()};
      case FaultKind::RateLimit: return VenueSim::WsFault{What::Answer, sim.rate_limited_on(endpoint)};
      case FaultKind::Maintenance: return VenueSim::WsFault{What::Answer, sim.maintenance()};
      case FaultKind::Timeout:
      case FaultKind::Reset:
      case FaultKind::Http502Html: return VenueSim::WsFault{What::NoAnswer, {}};
      case FaultKind::BadJson: return VenueSim::WsFault{What::Truncate, {}};
      default: return VenueSim::WsFault{};
    }
  };
  auto session = std::make_shared<net::WsSession>(io_.get_executor(), kMaxWsMessageBytes,
                                                  [this, &sim, faults, ip = peer_ip(request.headers)](std::string_view text) {
                                                    dirty_ = true;
                                                    return sim.ws_request(text, ip, faults);
                                                  });
  return net::accept_websocket(request, session);
}

net::Task<net::HttpResponse> Simulator::handle_venue(VenueSim& sim, net::HttpRequest request, std::string path, std::string query) {
  std::string endpoint = sim.endpoint(path);
  auto injected = exchange_->fire_fault(std::string(sim.venue()), endpoint);
  std::optional<ParsedFault> fault = injected ? parse_fault_kind(injected->kind) : std::nullopt;
  if (options_.latency.count() > 0) co_await sleeper_->sleep(options_.latency);
  if (fault) {
    switch (fault->kind) {
      case FaultKind::Latency: co_await sleeper_->sleep(fault->latency); break;
      case FaultKind::AnswerLatency: break;  // handled first, the answer held below
      case FaultKind::Http500: co_return sim.internal_error();
      case FaultKind::Http502Html: co_return sim.bad_gateway();
      case FaultKind::RateLimit: co_return sim.rate_limited_on(endpoint);
      case FaultKind::Maintenance: co_return sim.maintenance();
      case FaultKind::Reset: co_return net::HttpResponse{};  // status 0: hang up unanswered
      case FaultKind::Timeout:
        // The request is never processed; the client gives up long before the hold ends.
        co_await sleeper_->sleep(injected->hold_ms ? std::chrono::milliseconds(*injected->hold_ms) : options_.timeout_hold);
        co_return net::HttpResponse{};
      case FaultKind::BadJson: break;  // processed, then the answer is cut on its way back
    }
  }
  SimRequest sr;
  sr.method = std::move(request.method);
  sr.path = std::move(path);
  sr.query = std::move(query);
  sr.body = std::move(request.body);
  sr.peer_ip = peer_ip(request.headers);
  sr.headers = std::move(request.headers);
  net::HttpResponse answer;
  try {
    answer = sim.handle(sr);
  } catch (const std::exception& e) {
    std::cerr << "exsim: " << sim.venue() << " failed on " << sr.path << ": " << e.what() << "\n";
    answer = sim.internal_error();
  }
  dirty_ = true;
  if (fault && fault->kind == FaultKind::BadJson) answer = truncated_answer(std::move(answer));
  if (fault && fault->kind == FaultKind::AnswerLatency) co_await sleeper_->sleep(fault->latency);
  co_return answer;
}

}  // namespace tb::exsim
