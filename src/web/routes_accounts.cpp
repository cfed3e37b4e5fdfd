// The exchanges guide, exchange accounts, the portfolio and the audit log.
#include "accounts/key_guide.hpp"
#include "accounts/key_input.hpp"
#include "web/account_json.hpp"
#include "web/route_helpers.hpp"

namespace tb::web {

namespace {

using routes::actor;
using routes::error_response;
using routes::path_id;

constexpr size_t kMaxName = 64;
constexpr size_t kMaxKeyField = 512;  // far above any venue's format; the key test names the exact one

// A key or secret pasted into the name would be shown on every page and in every chat: refused, not echoed.
std::optional<ApiError> key_like_name(const std::optional<std::string>& name) {
  if (!name || !accounts::looks_like_key(*name)) return std::nullopt;
  return invalid_argument(
      "name: this looks like an API key or secret, not a name, so it was not kept; if it is one, "
      "treat it as exposed and choose a name with words",
      "name");
}

net::HttpResponse add_account(accounts::AccountService& s, accounts::TwoFactorService& tf, RequestContext& ctx) {
  auto body = JsonBody::parse(ctx.request);
  if (!body) return to_response(body.error());
  accounts::NewAccount in;
  in.name = body->optional_string("name", kMaxName);
  in.exchange = body->required_string("exchange", 64);
  in.key = body->required_string("key", kMaxKeyField);
  in.secret = body->required_secret("secret", kMaxKeyField);
  auto code = body->optional_string("totp_code", routes::kMaxTotpCode);
  std::optional<ApiError> refused = body->finish();
  if (!refused) refused = key_like_name(in.name);
  if (refused) return to_response(*refused);
  accounts::Actor who = actor(ctx);
  if (auto denied = routes::second_factor(tf, who, code)) return *denied;
  auto v = s.add(who, in);
  if (!v) return error_response(v.error());
  net::HttpResponse r = json_response(202, to_json(*v));
  r.headers.push_back({"Location", "/api/v1/exchange-accounts/" + std::to_string(v->account.id)});
  return r;
}

net::HttpResponse replace_keys(accounts::AccountService& s, accounts::TwoFactorService& tf, RequestContext& ctx) {
  auto id = path_id(ctx);
  if (!id) return to_response(id.error());
  auto body = JsonBody::parse(ctx.request);
  if (!body) return to_response(body.error());
  std::string key = body->required_string("key", kMaxKeyField);
  crypto::Secret secret = body->required_secret("secret", kMaxKeyField);
  auto code = body->optional_string("totp_code", routes::kMaxTotpCode);
  if (auto e = body->finish()) return to_response(*e);
  accounts::Actor who = actor(ctx);
  if (auto denied = routes::second_factor(tf, who, code)) return *denied;
  auto v = s.replace_keys(who, *id, key, secret);
  if (!v) return error_response(v.error());
  return json_response(202, to_json(*v));
}

net::HttpResponse rename(accounts::AccountService& s, RequestContext& ctx) {
  auto id = path_id(ctx);
  if (!id) return to_response(id.error());
  auto body = JsonBody::parse(ctx.request);
  if (!body) return to_response(body.error());
  std::string name = body->required_string("name", kMaxName);
  if (auto e = body->finish()) return to_response(*e);
  if (auto e = key_like_name(name)) return to_response(*e);
  auto v = s.rename(actor(ctx), *id, name);
  if (!v) return error_response(v.error());
  return json_response(200, to_json(*v));
}

net::HttpResponse portfolio(accounts::AccountService& s, RequestContext& ctx) {
  auto p = s.portfolio(actor(ctx).user_id);
  if (!p) return error_response(p.error());
  nlohmann::json accounts = nlohmann::json::array();
  for (const auto& a : p->accounts) {
    accounts.push_back(
        {{"id", a.id},
         {"name", a.name},
         {"exchange", a.venue},
         {"usd_total", a.usd_total.to_plain_string()},
         {"balances", a.portfolio.balances},
         {"positions", a.portfolio.positions},
         {"last_checked_at", a.last_checked_ms ? nlohmann::json(accounts::iso_time(*a.last_checked_ms)) : nlohmann::json(nullptr)}});
  }
  return json_response(200, {{"usd_total", p->usd_total.to_plain_string()}, {"accounts", accounts}});
}

// ?days=N (1-365, default 30): hourly points up to a week, daily beyond.
net::HttpResponse history(accounts::AccountService& s, const Clock& clock, RequestContext& ctx) {
  int64_t days = 30;
  if (auto q = ctx.query("days")) {
    auto n = parse_id(*q);
    if (!n || *n > 365) return to_response(invalid_argument("days: a whole number from 1 to 365", "days"));
    days = *n;
  }
  const int64_t hour = 3'600'000, day = 24 * hour;
  int64_t to = clock.now_ms();
  int64_t bucket = days <= 7 ? hour : day;
  auto points = s.portfolio_history(actor(ctx).user_id, to - days * day, to, bucket);
  if (!points) return error_response(points.error());
  nlohmann::json out = nlohmann::json::array();
  for (const auto& p : *points) out.push_back({{"at", accounts::iso_time(p.at_ms)}, {"usd_total", p.usd_total.to_plain_string()}});
  return json_response(200, {{"bucket", days <= 7 ? "hour" : "day"}, {"points", out}});
}

net::HttpResponse audit(accounts::AccountService& s, int default_limit, RequestContext& ctx) {
  int limit = default_limit;
  if (auto q = ctx.query("limit")) {
    auto n = parse_id(*q);
    if (!n || *n > 1000) return to_response(invalid_argument("limit: a whole number from 1 to 1000", "limit"));
    limit = static_cast<int>(*n);
  }
  auto entries = s.audit(actor(ctx).user_id, limit);
  if (!entries) return error_response(entries.error());
  nlohmann::json out = nlohmann::json::array();
  for (const auto& e : *entries) {
    auto detail = nlohmann::json::parse(e.detail_json, nullptr, false);
    out.push_back({{"id", e.id},
                   {"action", e.action},
                   {"account_id", e.account_id ? nlohmann::json(*e.account_id) : nlohmann::json(nullptr)},
                   {"ip", e.ip},
                   {"channel", e.channel},
                   {"telegram_user_id", e.telegram_user_id ? nlohmann::json(*e.telegram_user_id) : nlohmann::json(nullptr)},
                   {"detail", detail.is_discarded() ? nlohmann::json::object() : detail},
                   {"at", accounts::iso_time(e.at_ms)}});
  }
  return json_response(200, {{"entries", out}});
}

// The venue's failure to list them is told in its words (502): the user may act on it (a key's rights, an outage).
net::Task<net::HttpResponse> open_orders(accounts::AccountService& s, RequestContext& ctx) {
  auto id = path_id(ctx);
  if (!id) co_return to_response(id.error());
  auto got = co_await s.open_orders(actor(ctx).user_id, *id);
  if (!got) {
    const Error& e = got.error();
    const bool ours = e.kind == ErrorKind::NotFound || e.kind == ErrorKind::Conflict || e.kind == ErrorKind::Internal;
    if (ours) co_return error_response(e);
    co_return to_response(ApiError{502, "exchange_error", "the exchange did not list the open orders: " + venue_reason(e)});
  }
  nlohmann::json out = nlohmann::json::array();
  for (const auto& o : *got) out.push_back(account_order_json(o));
  co_return json_response(200, {{"orders", out}});
}

}  // namespace

void Api::add_account_routes() {
  using routes::object_schema;
  using routes::sync;
  accounts::AccountService& s = deps_.accounts;
  const nlohmann::json account = {{"$ref", "#/components/schemas/Account"}};

  RouteInfo guide{"Supported exchanges: the fields, key formats and how to create a key with the right permissions", "exchanges", false,
                  false};
  guide.response_schema = {{"type", "object"}};
  router_.add("GET", "/api/v1/exchanges",
              sync([&s](RequestContext&) { return json_response(200, accounts::exchanges_json(s.guide_options())); }), guide);

  RouteInfo list{"The caller's exchange accounts: status, reason, test steps, masked key, balances", "exchange-accounts"};
  list.response_schema = {{"type", "object"}, {"properties", {{"accounts", {{"type", "array"}, {"items", account}}}}}};
  // Rendered through a ViewRenderer: accounts that did not change since the last list reuse their text.
  auto renderer = std::make_shared<ViewRenderer>();
  router_.add("GET", "/api/v1/exchange-accounts", sync([&s, renderer](RequestContext& c) {
                auto views = s.list(actor(c).user_id);
                if (!views) return error_response(views.error());
                std::string body = "{\"accounts\":[";
                for (size_t i = 0; i < views->size(); ++i) {
                  if (i) body += ',';
                  body += renderer->render((*views)[i]);
                }
                body += "],\"key_test_steps\":" + accounts::key_test_steps_json().dump() + "}";
                return json_response(200, std::move(body));
              }),
              list);

  RouteInfo add{"Add a key pair: answered at once with status testing; the key test runs in the background", "exchange-accounts"};
  add.request_schema = object_schema({"exchange", "key", "secret"}, {"name", "totp_code"});
  add.response_schema = account;
  add.success_status = 202;
  add.errors = {{400, "bad input, named in error.field; a name that looks like an API key or secret is refused (field name)"},
                {403, "totp_required: two-factor authentication is on and totp_code is missing or wrong"},
                {409, "the name is taken"},
                {429, "the user's cap on accounts or on key tests per hour is reached: wait Retry-After seconds"}};
  router_.add("POST", "/api/v1/exchange-accounts", sync([&s, &tf = deps_.two_factor](RequestContext& c) { return add_account(s, tf, c); }),
              add);

  RouteInfo one{"One exchange account", "exchange-accounts"};
  one.response_schema = account;
  router_.add("GET", "/api/v1/exchange-accounts/{id}", sync([&s](RequestContext& c) {
                auto id = path_id(c);
                if (!id) return to_response(id.error());
                auto v = s.get(actor(c).user_id, *id);
                if (!v) return error_response(v.error());
                return json_response(200, to_json(*v));
              }),
              one);

  RouteInfo ren{"Rename (names are unique per user)", "exchange-accounts"};
  ren.request_schema = object_schema({"name"});
  ren.response_schema = account;
  ren.errors = {{400, "bad input, named in error.field; a name that looks like an API key or secret is refused (field name)"},
                {409, "the name is taken"}};
  router_.add("PATCH", "/api/v1/exchange-accounts/{id}", sync([&s](RequestContext& c) { return rename(s, c); }), ren);

  RouteInfo keys{"Replace the key pair and test it again (refused while robots run on the account)", "exchange-accounts"};
  keys.request_schema = object_schema({"key", "secret"}, {"totp_code"});
  keys.response_schema = account;
  keys.success_status = 202;
  keys.errors = {{403, "totp_required: two-factor authentication is on and totp_code is missing or wrong"},
                 {409, "robots run on the account, or a key test is running"},
                 {429, "the user's cap on key tests per hour is reached"}};
  router_.add("PUT", "/api/v1/exchange-accounts/{id}/keys",
              sync([&s, &tf = deps_.two_factor](RequestContext& c) { return replace_keys(s, tf, c); }), keys);

  RouteInfo check{"Test the stored key again", "exchange-accounts"};
  check.response_schema = account;
  check.success_status = 202;
  check.errors = {{409, "a key test is running, or the refused key was not kept"},
                  {429, "the user's cap on key tests per hour is reached"}};
  router_.add("POST", "/api/v1/exchange-accounts/{id}/check", sync([&s](RequestContext& c) {
                auto id = path_id(c);
                if (!id) return to_response(id.error());
                auto v = s.check(actor(c), *id);
                if (!v) return error_response(v.error());
                return json_response(202, to_json(*v));
              }),
              check);

  RouteInfo orders{
      "The account's open orders on the exchange, each with its real type (venue_type: the exchange's name), trigger and limit "
      "prices, and ours: placed by tradebridge (user_robot_id: by which user robot) or by hand outside it",
      "exchange-accounts"};
  orders.response_schema = {{"type", "object"}, {"properties", {{"orders", {{"type", "array"}, {"items", {{"type", "object"}}}}}}}};
  orders.errors = {{409, "the account is not enabled (field account_id says why)"},
                   {502, "exchange_error: the exchange did not answer the list; the message gives its reason"}};
  router_.add(
      "GET", "/api/v1/exchange-accounts/{id}/orders", [&s](RequestContext& c) { return open_orders(s, c); }, orders);

  RouteInfo del{"Delete the account and its encrypted keys (refused while robots run on it)", "exchange-accounts"};
  del.success_status = 204;
  del.errors = {{409, "robots run on the account"}};
  router_.add("DELETE", "/api/v1/exchange-accounts/{id}", sync([&s](RequestContext& c) {
                auto id = path_id(c);
                if (!id) return to_response(id.error());
                if (auto st = s.remove(actor(c), *id); !st) return error_response(st.error());
                return no_content();
              }),
              del);

  RouteInfo port{"Balances of every enabled account and their total in USD", "portfolio"};
  port.response_schema = {{"type", "object"}};
  router_.add("GET", "/api/v1/portfolio", sync([&s](RequestContext& c) { return portfolio(s, c); }), port);

  RouteInfo hist{"The USD total of the enabled accounts over time, from the balance snapshots of tests and re-checks", "portfolio"};
  hist.response_schema = {{"type", "object"}};
  hist.query.push_back(
      {"days", "how far back (1-365, default 30); hourly points up to 7 days, daily beyond", {{"type", "integer"}}, false});
  router_.add("GET", "/api/v1/portfolio/history", sync([&s](RequestContext& c) { return history(s, SystemClock::instance(), c); }), hist);

  RouteInfo aud{
      "The caller's audit log, newest first: keys added, tested, renamed, replaced, deleted, used to trade; by which "
      "door (channel web: a cookie session, api: a Bearer token, telegram: the bot, with the Telegram user's id "
      "instead of an IP; system: background checks)",
      "audit"};
  const nlohmann::json nullable_int = {{"type", "integer"}, {"nullable", true}};
  const nlohmann::json entry = {{"type", "object"},
                                {"properties",
                                 {{"id", {{"type", "integer"}}},
                                  {"action", {{"type", "string"}}},
                                  {"account_id", nullable_int},
                                  {"ip", {{"type", "string"}}},
                                  {"channel", {{"type", "string"}, {"enum", {"web", "api", "telegram", "system", ""}}}},
                                  {"telegram_user_id", nullable_int},
                                  {"detail", {{"type", "object"}}},
                                  {"at", {{"type", "string"}, {"format", "date-time"}}}}}};
  aud.response_schema = {{"type", "object"}, {"properties", {{"entries", {{"type", "array"}, {"items", entry}}}}}};
  aud.query.push_back({"limit", "how many entries (1-1000, default 100)", {{"type", "integer"}}, false});
  router_.add("GET", "/api/v1/audit", sync([this, &s](RequestContext& c) { return audit(s, options_.default_audit_limit, c); }), aud);
}

}  // namespace tb::web
