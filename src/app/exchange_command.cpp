#include "app/exchange_command.hpp"

#include <utility>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <nlohmann/json.hpp>
#include <ostream>

#include "crypto/signer.hpp"
#include "net/asio_sleeper.hpp"
#include "net/http_client.hpp"
#include "venues/common/params.hpp"
#include "venues/registry.hpp"

namespace tb::app {
namespace {

using json = nlohmann::ordered_json;
using venues::Action;

int fail(std::ostream& err, const Error& e) {
  nlohmann::json j = e;
  err << nlohmann::json{{"error", j}}.dump(2) << "\n";
  return e.kind == ErrorKind::InvalidArgument ? 2 : 1;
}

json request_json(const net::HttpRequest& r) {
  json headers = json::object();
  for (auto& h : r.headers) headers[h.name] = h.value;
  return json{{"method", r.method}, {"url", r.url}, {"headers", headers}, {"body", r.body}};
}

template <typename T>
net::Task<Result<nlohmann::json>> as_json(net::Task<Result<T>> task) {
  auto r = co_await std::move(task);
  if (!r) co_return r.error();
  co_return nlohmann::json(*r);
}

// Runs the action against the venue and returns its parsed result as JSON.
net::Task<Result<nlohmann::json>> call(venues::Venue& v, Action action, const venues::ActionParams& p, const crypto::Signer* s) {
  using namespace venues;
  switch (action) {
    case Action::ServerTime: {
      auto r = co_await v.server_time();
      if (!r) co_return r.error();
      co_return nlohmann::json{{"server_time", *r}};
    }
    case Action::Markets: co_return co_await as_json(v.markets());
    case Action::Ticker: {
      auto sym = required_param(p, "symbol");
      if (!sym) co_return sym.error();
      co_return co_await as_json(v.ticker(*sym));
    }
    case Action::Candles: {
      auto q = parse_candle_query(p);
      if (!q) co_return q.error();
      co_return co_await as_json(v.candles(*q));
    }
    case Action::Balances: co_return co_await as_json(v.balances(*s));
    case Action::CreateOrder: {
      auto o = parse_order_request(p);
      if (!o) co_return o.error();
      co_return co_await as_json(v.create_order(*s, *o));
    }
    case Action::CancelOrder: {
      auto ref = parse_order_ref(p);
      if (!ref) co_return ref.error();
      co_return co_await as_json(v.cancel_order(*s, *ref));
    }
    case Action::FetchOrder: {
      auto ref = parse_order_ref(p);
      if (!ref) co_return ref.error();
      co_return co_await as_json(v.fetch_order(*s, *ref));
    }
    case Action::OpenOrders: co_return co_await as_json(v.open_orders(*s, optional_param(p, "symbol")));
    case Action::Permissions: co_return co_await as_json(v.permissions(*s));
  }
  co_return venues::invalid_argument("unknown action");
}

// co_spawn needs a default-constructible result type; Result has none, so the outcome goes into a slot.
net::Task<void> call_into(std::optional<Result<nlohmann::json>>* slot, venues::Venue* v, Action action,
                          const venues::ActionParams* p, const crypto::Signer* s) {
  slot->emplace(co_await call(*v, action, *p, s));
}

}  // namespace

int run_exchange(ExchangeOptions o, std::ostream& out, std::ostream& err) {
  auto action = venues::parse_action(o.action);
  if (!action)
    return fail(err, venues::invalid_argument("unknown action '" + o.action +
                                               "'; one of server-time markets ticker candles balances create-order "
                                               "cancel-order fetch-order open-orders permissions"));
  bool has_venue = false;
  for (auto& info : venues::supported_venues()) has_venue |= info.id == o.venue;
  if (!has_venue) return fail(err, venues::invalid_argument("unknown venue '" + o.venue + "'; one of binance_futures kraken bitfinex"));

  std::unique_ptr<crypto::LocalSigner> signer;
  if (!o.key.empty() || !o.secret.empty()) {
    if (o.key.empty() || o.secret.empty()) return fail(err, venues::invalid_argument("--key and --secret go together"));
    signer = std::make_unique<crypto::LocalSigner>(o.key, crypto::Secret(std::move(o.secret)));
    crypto::secure_zero(o.secret);
  }
  if (venues::needs_key(*action) && !signer)
    return fail(err, venues::invalid_argument("action '" + o.action + "' needs --key and --secret"));

  boost::asio::io_context io;
  net::HttpClientOptions client_options;
  client_options.proxy = o.proxy.value_or("");
  net::HttpClient client(io, client_options);
  net::AsioSleeper sleeper;
  venues::NonceSource nonces(SystemClock::instance());
  venues::VenueConfig config;
  config.base_url = o.base_url;
  config.request.total_timeout = std::chrono::milliseconds(o.timeout_ms);
  auto venue = venues::make_venue(o.venue, {&client, &sleeper, &SystemClock::instance(), &nonces}, config);
  if (!venue) return fail(err, venues::invalid_argument("venue '" + o.venue + "' is not available"));

  if (o.dry_run) {
    auto req = venue->prepare(*action, o.params, signer.get(), {o.nonce, o.timestamp_ms});
    if (!req) return fail(err, req.error());
    out << request_json(*req).dump(2) << "\n";
    return 0;
  }

  std::optional<Result<nlohmann::json>> result;
  boost::asio::co_spawn(io, call_into(&result, venue.get(), *action, &o.params, signer.get()), [&](std::exception_ptr e) {
    if (e) result.emplace(Error::make(ErrorKind::BadResponse, "internal error while calling the venue"));
  });
  io.run();
  if (!result) return fail(err, Error::make(ErrorKind::NetworkError, "the call did not complete"));
  if (!*result) return fail(err, result->error());
  out << result->value().dump(2) << "\n";
  return 0;
}

}  // namespace tb::app
