#include "app/exchange_command.hpp"

#include <charconv>
#include <utility>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <nlohmann/json.hpp>
#include <ostream>

#include "crypto/signer.hpp"
#include "net/asio_sleeper.hpp"
#include "net/http_client.hpp"
#include "venues/common/params.hpp"
#include "venues/futures_settings.hpp"
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
net::Task<void> call_into(std::optional<Result<nlohmann::json>>* slot, venues::Venue* v, Action action, const venues::ActionParams* p,
                          const crypto::Signer* s) {
  slot->emplace(co_await call(*v, action, *p, s));
}

// "BTCUSDT (a), XBTUSD or XXBTZUSD (b)"
std::string symbol_examples() {
  std::string out;
  for (const auto& v : venues::supported_venues()) {
    std::string forms;
    for (size_t i = 0; i < v.symbol_examples.size(); ++i) forms += (i == 0 ? "" : " or ") + std::string(v.symbol_examples[i]);
    out += (out.empty() ? "" : ", ") + forms + " (" + std::string(v.id) + ")";
  }
  return out;
}

std::string client_order_id_forms() {
  std::string out;
  for (const auto& v : venues::supported_venues())
    out += (out.empty() ? "" : ";\n                   ") + std::string(v.id) + ": " + std::string(v.client_order_id_form);
  return out;
}

// One ticker example and one signed dry run with a fixed stamp, on the first venues that have them.
std::string examples() {
  const auto& all = venues::supported_venues();
  const venues::VenueDescription& first = all.front();
  const venues::VenueDescription* nonce = &first;
  for (const auto& v : all)
    if (v.replay == venues::ReplayGuard::Nonce) {
      nonce = &v;
      break;
    }
  const bool by_nonce = nonce->replay == venues::ReplayGuard::Nonce;
  return "  tradebridge exchange " + std::string(first.id) + " ticker --param symbol=" + std::string(first.symbol_examples.front()) +
         "\n  tradebridge exchange " + std::string(nonce->id) + " create-order --key K --secret S --dry-run " +
         (by_nonce ? "--nonce 1616492376594" : "--timestamp 1616492376594") +
         " \\\n      --param symbol=" + std::string(nonce->symbol_examples.front()) +
         " --param side=buy --param amount=1.25 --param price=37500\n";
}

}  // namespace

std::string venue_choices() { return venues::venue_ids(" | "); }

std::string venues_using(venues::ReplayGuard guard) {
  std::string out;
  for (const auto& v : venues::supported_venues())
    if (v.replay == guard) out += (out.empty() ? "" : ", ") + std::string(v.id);
  return out;
}

std::string exchange_help() {
  return "Parameters (--param name=value, the same for every venue):\n"
         "  symbol           the venue's own market id: " +
         symbol_examples() +
         "\n"
         "  side             buy | sell\n"
         "  type             limit | market (default limit)\n"
         "  amount           base quantity, a decimal (0.001)\n"
         "  price            limit price, a decimal\n"
         "  post_only        true | false: rejected or cancelled instead of taking liquidity\n"
         "  reduce_only      true | false: futures only, never increases a position\n"
         "  client_order_id  our own id for the order (" +
         client_order_id_forms() +
         ")\n"
         "  order_id         the venue's order id (cancel-order, fetch-order)\n"
         "  timeframe        1m 5m 15m 30m 1h 4h 1d 1w (candles)\n"
         "  since            ms since the epoch (candles)\n"
         "  limit            how many candles\n"
         "  leverage         1-125: sets it (leverage; without it, reads the symbol's settings)\n"
         "  margin_type      cross | isolated: sets it (margin-type; without it, reads)\n"
         "\n"
         "Actions: server-time markets ticker candles balances create-order cancel-order fetch-order open-orders permissions\n"
         "         futures account settings: " +
         std::string(venues::kSettingActions) +
         " (position-mode: one_way or hedge)\n"
         "Venues:  " +
         venues::venue_ids(" ") +
         "\n"
         "\n"
         "The secret may also come from the environment (TRADEBRIDGE_API_SECRET) or a file (--secret-file), which keeps it\n"
         "out of the process list.\n"
         "\n"
         "Examples:\n" +
         examples();
}

namespace {

// The settings actions (position-mode, leverage, margin-type) of a futures venue: each reads, or sets when
// its value is given, and answers the settings in effect.
net::Task<Result<nlohmann::json>> call_setting(venues::FuturesSettings& f, venues::SettingAction a, const venues::ActionParams& p,
                                               const crypto::Signer& s) {
  using venues::SettingAction;
  if (a == SettingAction::PositionMode) {
    auto m = co_await f.position_mode(s);
    if (!m) co_return m.error();
    co_return nlohmann::json{{"position_mode", venues::to_string(*m)}};
  }
  auto symbol = venues::required_param(p, "symbol");
  if (!symbol) co_return symbol.error();
  if (a == SettingAction::Leverage) {
    auto value = venues::optional_param(p, "leverage");
    if (!value) co_return co_await as_json(f.symbol_settings(s, *symbol));
    int leverage = 0;
    auto res = std::from_chars(value->data(), value->data() + value->size(), leverage);
    if (res.ec != std::errc{} || res.ptr != value->data() + value->size())
      co_return venues::invalid_argument("parameter 'leverage' must be a whole number, got '" + *value + "'");
    co_return co_await as_json(f.set_leverage(s, *symbol, leverage));
  }
  auto value = venues::optional_param(p, "margin_type");
  if (!value) co_return co_await as_json(f.symbol_settings(s, *symbol));
  auto type = venues::parse_margin_type(*value);
  if (!type) co_return venues::invalid_argument("parameter 'margin_type' must be cross or isolated, got '" + *value + "'");
  co_return co_await as_json(f.set_margin_type(s, *symbol, *type));
}

net::Task<void> setting_into(std::optional<Result<nlohmann::json>>* slot, venues::FuturesSettings* f, venues::SettingAction a,
                             const venues::ActionParams* p, const crypto::Signer* s) {
  slot->emplace(co_await call_setting(*f, a, *p, *s));
}

}  // namespace

int run_exchange(ExchangeOptions o, std::ostream& out, std::ostream& err) {
  auto action = venues::parse_action(o.action);
  auto setting = venues::parse_setting_action(o.action);
  if (!action && !setting)
    return fail(err, venues::invalid_argument("unknown action '" + o.action +
                                              "'; one of server-time markets ticker candles balances create-order "
                                              "cancel-order fetch-order open-orders permissions " +
                                              std::string(venues::kSettingActions)));
  if (!venues::find_venue(o.venue))
    return fail(err, venues::invalid_argument("unknown venue '" + o.venue + "'; one of " + venues::venue_ids(" ")));

  std::unique_ptr<crypto::LocalSigner> signer;
  if (!o.key.empty() || !o.secret.empty()) {
    if (o.key.empty() || o.secret.empty()) return fail(err, venues::invalid_argument("--key and --secret go together"));
    signer = std::make_unique<crypto::LocalSigner>(o.key, crypto::Secret(std::move(o.secret)));
    crypto::secure_zero(o.secret);
  }
  if ((setting || venues::needs_key(*action)) && !signer)
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
  venues::FuturesSettings* settings = setting ? venues::futures_settings(*venue) : nullptr;
  if (setting && !settings)
    return fail(err, venues::invalid_argument("venue '" + o.venue + "' has no futures account settings (" +
                                              std::string(venues::kSettingActions) + ")"));

  if (o.dry_run) {
    auto req = setting ? settings->prepare_setting(*setting, o.params, signer.get(), {o.nonce, o.timestamp_ms})
                       : venue->prepare(*action, o.params, signer.get(), {o.nonce, o.timestamp_ms});
    if (!req) return fail(err, req.error());
    out << request_json(*req).dump(2) << "\n";
    return 0;
  }

  std::optional<Result<nlohmann::json>> result;
  auto task = setting ? setting_into(&result, settings, *setting, &o.params, signer.get())
                      : call_into(&result, venue.get(), *action, &o.params, signer.get());
  boost::asio::co_spawn(io, std::move(task), [&](std::exception_ptr e) {
    if (e) result.emplace(Error::make(ErrorKind::BadResponse, "internal error while calling the venue"));
  });
  io.run();
  if (!result) return fail(err, Error::make(ErrorKind::NetworkError, "the call did not complete"));
  if (!*result) return fail(err, result->error());
  out << result->value().dump(2) << "\n";
  return 0;
}

}  // namespace tb::app
