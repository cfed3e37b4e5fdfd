#pragma once
// The Telegram bot as the REST API sees it (routes_telegram.cpp): serve plugs the running bot in through
// ApiOptions::telegram; without one the Telegram routes do not exist. Keeps web/ free of telegram/.
#include <utility>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "net/transport.hpp"

namespace tb::web {

class TelegramPort {
 public:
  virtual ~TelegramPort() = default;

  struct LinkCode {
    std::string code;
    int64_t expires_ms = 0;
  };
  struct Linked {
    std::string username;  // Telegram @username, may be empty
    std::string first_name;
    int64_t linked_ms = 0;
  };

  virtual std::string bot_username() const = 0;  // empty until Telegram told the bot who it is
  // A one-time code the user sends to the bot (/start CODE or /link CODE) to link this web account.
  virtual Result<LinkCode> issue_link_code(int64_t user_id) = 0;
  virtual Result<std::optional<Linked>> linked(int64_t user_id) = 0;
  virtual Status unlink(int64_t user_id) = 0;
  virtual bool webhook_enabled() const = 0;
  virtual bool webhook_secret_matches(std::string_view header) const = 0;  // constant-time
  virtual net::Task<Status> deliver(std::string update_json) = 0;          // one webhook delivery
};

}  // namespace tb::web
