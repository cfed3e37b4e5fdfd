// The Telegram bot's doors on the API: linking a web account (a one-time code for the bot, the link's
// state, unlinking) and, when the bot runs with a webhook, Telegram's deliveries.
#include <utility>

#include "accounts/account_view.hpp"
#include "web/route_helpers.hpp"
#include "web/telegram_port.hpp"

namespace tb::web {

namespace {

constexpr std::string_view kSecretHeader = "X-Telegram-Bot-Api-Secret-Token";

std::optional<std::string> bot_link(const TelegramPort& t, const std::string& code = {}) {
  std::string name = t.bot_username();
  if (name.empty()) return std::nullopt;
  return "https://t.me/" + name + (code.empty() ? "" : "?start=" + code);
}

nlohmann::json or_null(const std::optional<std::string>& s) { return s ? nlohmann::json(*s) : nlohmann::json(nullptr); }

net::HttpResponse state(TelegramPort* t, RequestContext& ctx) {
  auto l = t->linked(routes::actor(ctx).user_id);
  if (!l) return routes::error_response(l.error());
  nlohmann::json who = nullptr;
  if (*l)
    who = {{"username", (*l)->username.empty() ? nlohmann::json(nullptr) : nlohmann::json((*l)->username)},
           {"first_name", (*l)->first_name},
           {"linked_at", accounts::iso_time((*l)->linked_ms)}};
  std::string name = t->bot_username();
  return json_response(200, {{"enabled", true},  // the route exists only when a bot runs
                             {"bot_username", name.empty() ? nlohmann::json(nullptr) : nlohmann::json(name)},
                             {"bot_link", or_null(bot_link(*t))},
                             {"linked", l->has_value()},
                             {"telegram", who}});
}

// A link lets the chat add keys: with two-factor on, it takes a current code like adding keys does.
net::HttpResponse link_code(TelegramPort* t, accounts::TwoFactorService& tf, RequestContext& ctx) {
  auto totp = routes::code_only_body(ctx.request);
  if (!totp) return to_response(totp.error());
  accounts::Actor who = routes::actor(ctx);
  if (auto denied = routes::second_factor(tf, who, *totp)) return *denied;
  auto code = t->issue_link_code(who.user_id);
  if (!code) return routes::error_response(code.error());
  std::string name = t->bot_username();
  return json_response(201, {{"code", code->code},
                             {"expires_at", accounts::iso_time(code->expires_ms)},
                             {"bot_username", name.empty() ? nlohmann::json(nullptr) : nlohmann::json(name)},
                             {"bot_link", or_null(bot_link(*t, code->code))},
                             {"command", "/link " + code->code}});
}

net::HttpResponse unlink(TelegramPort* t, RequestContext& ctx) {
  if (auto st = t->unlink(routes::actor(ctx).user_id); !st) return routes::error_response(st.error());
  return no_content();
}

net::Task<net::HttpResponse> webhook(TelegramPort* t, RequestContext& ctx) {
  if (!t->webhook_enabled()) co_return to_response(not_found("no Telegram webhook is set on this server"));
  const std::string* secret = ctx.request.header(kSecretHeader);
  if (!secret || !t->webhook_secret_matches(*secret))
    co_return to_response(unauthorized("wrong or missing X-Telegram-Bot-Api-Secret-Token"));
  std::string body = std::move(ctx.request.body);
  Status st = co_await t->deliver(std::move(body));
  if (!st) co_return to_response(invalid_argument("not a Telegram update"));
  co_return json_response(200, nlohmann::json::object());
}

}  // namespace

// Registered only when a bot runs: the web app shows "Link Telegram" when the OpenAPI document lists the
// link-code route, and a server without a bot answers these paths 404.
void Api::add_telegram_routes() {
  using routes::sync;
  TelegramPort* t = options_.telegram.get();
  if (!t) return;
  nlohmann::json object = {{"type", "object"}};

  RouteInfo get{"Whether a Telegram bot runs here, its username, and whether the caller's account is linked to Telegram", "telegram"};
  get.response_schema = object;
  router_.add("GET", "/api/v1/telegram", sync([t](RequestContext& c) { return state(t, c); }), get);

  RouteInfo code{
      "A one-time code (10 minutes, single use) that links this account to Telegram: send /link CODE to the bot, or open bot_link",
      "telegram"};
  code.request_schema = routes::object_schema({}, {"totp_code"});
  code.response_schema = object;
  code.success_status = 201;
  code.errors = {{403, "totp_required: two-factor authentication is on and totp_code is missing or wrong"}};
  router_.add("POST", "/api/v1/telegram/link-code", sync([t, &tf = deps_.two_factor](RequestContext& c) { return link_code(t, tf, c); }),
              code);

  RouteInfo del{"Unlink the caller's Telegram account", "telegram"};
  del.success_status = 204;
  router_.add("DELETE", "/api/v1/telegram/link", sync([t](RequestContext& c) { return unlink(t, c); }), del);

  RouteInfo hook{"Telegram's webhook deliveries (one Update each), checked by the X-Telegram-Bot-Api-Secret-Token header", "telegram",
                 false, false};
  hook.request_schema = object;
  hook.response_schema = object;
  hook.errors = {{401, "wrong or missing X-Telegram-Bot-Api-Secret-Token"}, {404, "no webhook is set: the bot polls"}};
  router_.add(
      "POST", "/api/v1/telegram/webhook", [t](RequestContext& c) { return webhook(t, c); }, hook);
}

}  // namespace tb::web
