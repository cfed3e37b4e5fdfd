#pragma once
// The Telegram Bot API over any net::HttpTransport (reference/telegram.md §1, §3): POST
// <base>/bot<token>/<method> with a JSON body, the {"ok","result"} envelope unwrapped. Failures become a
// tb::Error keeping Telegram's error_code (http_status) and description (venue_message):
//   429 → RateLimited with retry_after          401 → Unauthenticated (a bad token: fatal)
//   403 → PermissionDenied (blocked, deactivated) 409 → Conflict (another poller, or a webhook is set)
//   400 → InvalidArgument                        5xx → ExchangeUnavailable; no answer → NetworkError
// The token is a crypto::Secret: it appears only in the request URL, never in an Error or a log line.
#include <utility>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "crypto/secret.hpp"
#include "net/transport.hpp"
#include "telegram/updates.hpp"

namespace tb::telegram {

inline constexpr const char* kDefaultApiUrl = "https://api.telegram.org";

struct BotApiOptions {
  std::string base_url = kDefaultApiUrl;  // a fake Bot API in tests, a local telegram-bot-api server
  std::chrono::milliseconds request_timeout{15'000};
};

// The numeric bot id of a token "<bot_id>:<secret>", or InvalidArgument when it cannot be a token (the
// server's own rules: no '/', a ':', at most 80 characters, an id from 1 to 2^54 without a leading 0).
// The message never repeats the token.
Result<int64_t> token_bot_id(std::string_view token);

// Telegram's description of an error says whether it is harmless for the call made: editing a message to
// what it already says, deleting one that is already gone.
bool is_not_modified(const Error& e);
bool is_already_deleted(const Error& e);

class BotApi {
 public:
  // `token` must pass token_bot_id (checked by the caller: the constructor does not fail).
  BotApi(net::HttpTransport& transport, crypto::Secret token, BotApiOptions options = {});

  int64_t bot_id() const { return bot_id_; }

  // Any method: params as a JSON object; the `result` value on success.
  net::Task<Result<nlohmann::json>> call(std::string method, nlohmann::json params);
  net::Task<Result<nlohmann::json>> call(std::string method, nlohmann::json params, std::chrono::milliseconds timeout);

  net::Task<Result<User>> get_me();
  // Long polling: waits up to timeout_s on Telegram's side; the HTTP timeout is that plus a margin.
  // offset 0 is left out (the oldest unconfirmed updates). Updates that do not parse are dropped, but
  // `last_update_id` still counts them so the offset moves past them.
  struct Updates {
    std::vector<Update> updates;
    int64_t last_update_id = 0;  // 0 when the batch was empty
  };
  net::Task<Result<Updates>> get_updates(int64_t offset, int timeout_s, int limit, const std::vector<std::string>& allowed_updates);

  // The URL without the token, for logs: "https://api.telegram.org/bot<id>:[REDACTED]/sendMessage".
  std::string redacted_url(std::string_view method) const;

 private:
  std::string url(std::string_view method) const;
  Error redact(Error e) const;

  net::HttpTransport& transport_;
  crypto::Secret token_;
  BotApiOptions options_;
  int64_t bot_id_ = 0;
};

}  // namespace tb::telegram
