#pragma once
// The Telegram bot inside `serve`: its settings (flags and TRADEBRIDGE_TELEGRAM_* variables), the bot over
// serve's HTTP client and account service, and its door for the REST API (link codes, webhook).
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>

#include "core/error.hpp"

namespace tb::accounts {
class AccountService;
class EventBus;
class TwoFactorService;
}  // namespace tb::accounts
namespace tb::store {
class Store;
}  // namespace tb::store
namespace tb::robots {
class RobotBoard;
}  // namespace tb::robots
namespace tb::trading {
class UserRobotService;
}  // namespace tb::trading
namespace tb::net {
class HttpTransport;
class Sleeper;
}  // namespace tb::net
namespace tb::web {
class TelegramPort;
}  // namespace tb::web
namespace boost::asio {
class io_context;
}  // namespace boost::asio

namespace tb {
class Clock;
}

namespace tb::app {

struct TelegramSettings {
  std::string api_url = "https://api.telegram.org";
  std::string token_file;      // the bot token; else TRADEBRIDGE_TELEGRAM_TOKEN; neither: no bot
  std::string webhook_url;     // set: webhook mode (Telegram posts to serve's /api/v1/telegram/webhook)
  std::string webhook_secret;  // the secret token header's value; random when empty
  int poll_timeout_s = 25;
  int chat_interval_ms = 1000;  // one message per chat per interval after a short burst
  int rate_per_second = 30;     // messages per second over all chats
};

class ServeTelegram {
 public:
  struct Deps {
    store::Store& store;
    accounts::AccountService& accounts;
    accounts::TwoFactorService& two_factor;
    accounts::EventBus& events;
    robots::RobotBoard& robots;
    net::HttpTransport& transport;
    const Clock& clock;
    net::Sleeper& sleeper;
    boost::asio::io_context& io;
    std::optional<std::string> egress_ip;
    std::ostream& log;
    trading::UserRobotService* user_robots = nullptr;  // 🤖 My Robots in the bot
  };
  // Null when no token is configured; an error for a token that cannot be one or a bad URL.
  static Result<std::unique_ptr<ServeTelegram>> make(const TelegramSettings& settings, Deps deps);
  ~ServeTelegram();

  std::shared_ptr<web::TelegramPort> port() const;
  void start();
  void introduce();  // every process: the bot's username, for the web app's links
  void stop(std::function<void()> done);
  std::string describe() const;  // "bot 123 via https://api.telegram.org, long polling"

  struct Impl;

 private:
  explicit ServeTelegram(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace tb::app
