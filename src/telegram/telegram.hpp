#pragma once
// The Telegram bot (issue 6): the key flow of the web app in chat, with menus, and notifications.
//
//   Bot API ⇄ BotApi (client) ⇄ Outbox (rate limits, 429s) ⇄ Bot (updates → dialogs → AccountService)
//
// Updates come by long polling (getUpdates; the offset is stored after each batch and each chat keeps the
// newest update it handled, so a restart neither loses nor repeats one) or by webhook (serve's
// POST /api/v1/telegram/webhook, checked by its secret token header, handed to deliver()). Updates of one
// chat are handled one at a time and in order; chats run concurrently. A chat's dialog state is stored;
// no secret ever is: an API key waits for its secret in memory, the messages that carried them are deleted
// as soon as they are read, and nothing the user typed is logged or echoed.
//
// Threads: everything on the executor's thread (serve's io thread), where AccountService lives too.
#include <utility>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/any_io_executor.hpp>

#include "accounts/account_service.hpp"
#include "accounts/events.hpp"
#include "accounts/two_factor.hpp"
#include "auth/tokens.hpp"
#include "crypto/secret.hpp"
#include "net/transport.hpp"
#include "robots/board.hpp"
#include "store/store.hpp"
#include "telegram/bot_api.hpp"
#include "telegram/outbox.hpp"
#include "telegram/updates.hpp"
#include "trading/user_robots.hpp"
#include "users/telegram_identities.hpp"

namespace tb::telegram {

struct BotOptions {
  BotApiOptions api;           // base URL (default https://api.telegram.org), request timeout
  std::string webhook_url;     // set: Telegram posts updates there (setWebhook); empty: long polling
  std::string webhook_secret;  // the X-Telegram-Bot-Api-Secret-Token value; random when empty
  int poll_timeout_s = 25;     // getUpdates long-poll seconds (Telegram allows 0-50)
  RateLimits limits;
  std::chrono::milliseconds key_wait{15 * 60 * 1000};  // an API key typed waits this long for its secret
  std::optional<std::string> egress_ip;                // this server's IP, for the keys' IP whitelist
  Log log;                                             // one line per event; never a text the user typed
};

struct BotDeps {
  store::Store& store;
  accounts::AccountService& accounts;
  accounts::TwoFactorService& two_factor;  // a chat adding keys gives a current code when it is on
  accounts::EventBus& events;
  net::HttpTransport& transport;  // to the Bot API
  const Clock& clock;
  net::Sleeper& sleeper;
  boost::asio::any_io_executor executor;
  auth::RandomSource& random;                        // the webhook secret
  users::TelegramIdentities& identities;             // who a Telegram user is: registration, link codes
  robots::RobotBoard& robots;                        // the robots' catalogue and statistics (🤖 Robots → 🔎 Find Robots)
  trading::UserRobotService* user_robots = nullptr;  // 🤖 My Robots; null: the bot offers no user robots
};

class Bot {
 public:
  // The token must pass token_bot_id().
  Bot(BotDeps deps, crypto::Secret token, BotOptions options = {});
  ~Bot();
  Bot(const Bot&) = delete;
  Bot& operator=(const Bot&) = delete;

  // Asks Telegram who the bot is (again and again while it cannot be reached; a rejected token is logged
  // and ends the bot), sets the command list, then sets the webhook or starts long polling.
  void start();
  // Stops polling; an update being handled is finished and its replies are sent (for a few seconds at
  // most) before `done` runs. Updates not yet handled stay with Telegram for the next start.
  void stop(std::function<void()> done);
  // Whether events (key tests, trades, pauses) are told to linked chats; on unless turned off. Of several
  // serve processes over one database, which all hear every event, only the poller's owner tells them, so
  // a chat is told once.
  void set_notifying(bool on);
  // Only asks Telegram who the bot is (its username, for links on the web): what a process that does not
  // run the bot needs of it.
  void introduce();

  int64_t bot_id() const;
  std::string username() const;  // empty until Telegram answered getMe
  bool webhook_enabled() const;
  // Constant-time comparison with the webhook secret; false when no webhook is set.
  bool webhook_secret_matches(std::string_view header) const;
  // A webhook delivery: one Update as JSON. InvalidArgument when it is not one.
  net::Task<Status> deliver(std::string body);

  // The web app's side of unlinking (codes and the link's state are users::TelegramIdentities'): the
  // link goes, and its chat is told.
  Status unlink(int64_t user_id);

  // Handles one update as if it came from Telegram (webhook and polling both end here).
  net::Task<void> handle(Update update);
  // Handles a batch as polling does: chats concurrently, each chat's updates in order; returns when all
  // are done.
  net::Task<void> handle_batch(std::vector<Update> updates);

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace tb::telegram
