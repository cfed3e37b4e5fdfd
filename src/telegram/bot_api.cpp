#include "telegram/bot_api.hpp"

namespace tb::telegram {

namespace {

Error api_error(int code, const std::string& method, std::string description, std::optional<int64_t> retry_after) {
  ErrorKind kind = ErrorKind::BadResponse;
  if (code == 429) kind = ErrorKind::RateLimited;
  else if (code == 401) kind = ErrorKind::Unauthenticated;
  else if (code == 404) kind = ErrorKind::NotFound;  // a base URL that is no Bot API, or a method it lacks
  else if (code == 403) kind = ErrorKind::PermissionDenied;
  else if (code == 409) kind = ErrorKind::Conflict;
  else if (code == 400) kind = ErrorKind::InvalidArgument;
  else if (code >= 500) kind = ErrorKind::ExchangeUnavailable;
  Error e = Error::make(kind, "telegram " + method + ": " + (description.empty() ? "HTTP " + std::to_string(code) : description));
  e.http_status = code;
  e.venue_code = std::to_string(code);
  e.venue_message = std::move(description);
  if (retry_after) e.retry_after = std::chrono::seconds(*retry_after);
  return e;
}

std::optional<int64_t> header_seconds(const net::HttpResponse& r, const char* name) {
  const std::string* h = r.header(name);
  if (!h || h->empty() || h->size() > 9) return std::nullopt;
  int64_t v = 0;
  for (char c : *h) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

}  // namespace

Result<int64_t> token_bot_id(std::string_view token) {
  auto invalid = [] {
    return Error::make(ErrorKind::InvalidArgument, "telegram token: not a bot token (<bot id>:<secret>, from @BotFather)");
  };
  if (token.empty() || token.size() > 80 || token.find('/') != std::string_view::npos) return invalid();
  auto colon = token.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == token.size() || token[0] == '0') return invalid();
  int64_t id = 0;
  for (char c : token.substr(0, colon)) {
    if (c < '0' || c > '9' || id > (int64_t{1} << 54) / 10) return invalid();
    id = id * 10 + (c - '0');
  }
  if (id <= 0 || id >= (int64_t{1} << 54)) return invalid();
  for (char c : token.substr(colon + 1)) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    if (!ok) return invalid();
  }
  return id;
}

bool is_not_modified(const Error& e) {
  return e.http_status == 400 && e.venue_message.find("message is not modified") != std::string::npos;
}

bool is_already_deleted(const Error& e) {
  return e.http_status == 400 && e.venue_message.find("message to delete not found") != std::string::npos;
}

BotApi::BotApi(net::HttpTransport& transport, crypto::Secret token, BotApiOptions options)
    : transport_(transport), token_(std::move(token)), options_(std::move(options)) {
  while (!options_.base_url.empty() && options_.base_url.back() == '/') options_.base_url.pop_back();
  auto id = token_bot_id(token_.reveal());
  bot_id_ = id ? *id : 0;
}

std::string BotApi::url(std::string_view method) const {
  std::string u = options_.base_url;
  u += "/bot";
  u += token_.reveal();
  u += '/';
  u += method;
  return u;
}

std::string BotApi::redacted_url(std::string_view method) const {
  return options_.base_url + "/bot" + std::to_string(bot_id_) + ":[REDACTED]/" + std::string(method);
}

// Transport errors may quote what they were given; the token must not travel on in them.
Error BotApi::redact(Error e) const {
  auto scrub = [this](std::string& s) {
    std::string_view t = token_.reveal();
    if (t.empty()) return;
    for (size_t at = s.find(t); at != std::string::npos; at = s.find(t, at)) s.replace(at, t.size(), "[REDACTED]");
  };
  scrub(e.message);
  scrub(e.venue_message);
  return e;
}

net::Task<Result<nlohmann::json>> BotApi::call(std::string method, nlohmann::json params) {
  co_return co_await call(std::move(method), std::move(params), options_.request_timeout);
}

net::Task<Result<nlohmann::json>> BotApi::call(std::string method, nlohmann::json params, std::chrono::milliseconds timeout) {
  net::HttpRequest req;
  req.method = "POST";
  req.url = url(method);
  req.headers.push_back({"Content-Type", "application/json"});
  req.headers.push_back({"Accept", "application/json"});
  req.body = params.is_null() ? std::string("{}") : params.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  net::RequestOptions o;
  o.total_timeout = timeout;
  o.max_response_bytes = 16 * 1024 * 1024;
  auto r = co_await transport_.send(std::move(req), o);
  if (!r) {
    Error e = redact(r.error());
    e.message = "telegram " + method + ": " + e.message;
    co_return e;
  }
  auto body = nlohmann::json::parse(r->body, nullptr, false);
  if (body.is_discarded() || !body.is_object() || !body.contains("ok") || !body["ok"].is_boolean()) {
    // Telegram's proxies answer 5xx with HTML: a status without the envelope.
    if (r->status >= 400) co_return api_error(r->status, method, "", header_seconds(*r, "Retry-After"));
    Error e = Error::make(ErrorKind::BadResponse, "telegram " + method + ": the answer is not the Bot API's JSON");
    e.http_status = r->status;
    co_return e;
  }
  if (body["ok"].get<bool>()) co_return body.contains("result") ? body["result"] : nlohmann::json(true);
  int code = r->status;
  if (auto c = body.find("error_code"); c != body.end() && c->is_number_integer()) code = c->get<int>();
  std::string description = body.contains("description") && body["description"].is_string() ? body["description"].get<std::string>() : "";
  std::optional<int64_t> retry_after;
  if (auto p = body.find("parameters"); p != body.end() && p->is_object())
    if (auto ra = p->find("retry_after"); ra != p->end() && ra->is_number_integer()) retry_after = ra->get<int64_t>();
  if (!retry_after) retry_after = header_seconds(*r, "Retry-After");
  if (code == 429 && !retry_after) retry_after = 1;
  co_return redact(api_error(code, method, std::move(description), retry_after));
}

net::Task<Result<User>> BotApi::get_me() {
  std::string method = "getMe";  // named: GCC 12 mishandles literals in a co_await expression
  nlohmann::json none = nlohmann::json::object();
  auto r = co_await call(std::move(method), std::move(none));
  if (!r) co_return r.error();
  auto u = parse_user(*r);
  if (!u) co_return Error::make(ErrorKind::BadResponse, "telegram getMe: " + u.error().message);
  co_return *u;
}

net::Task<Result<BotApi::Updates>> BotApi::get_updates(int64_t offset, int timeout_s, int limit,
                                                       const std::vector<std::string>& allowed_updates) {
  nlohmann::json params = {{"timeout", timeout_s}, {"limit", limit}, {"allowed_updates", allowed_updates}};
  if (offset != 0) params["offset"] = offset;
  std::string method = "getUpdates";
  std::chrono::milliseconds http_timeout = std::chrono::seconds(timeout_s) + std::chrono::seconds(15);
  auto r = co_await call(std::move(method), std::move(params), http_timeout);
  if (!r) co_return r.error();
  if (!r->is_array()) co_return Error::make(ErrorKind::BadResponse, "telegram getUpdates: the result is not an array");
  Updates out;
  for (const auto& item : *r) {
    if (item.is_object() && item.contains("update_id") && item["update_id"].is_number_integer())
      out.last_update_id = std::max(out.last_update_id, item["update_id"].get<int64_t>());
    auto u = parse_update(item);
    if (u) out.updates.push_back(std::move(*u));
  }
  co_return out;
}

}  // namespace tb::telegram
