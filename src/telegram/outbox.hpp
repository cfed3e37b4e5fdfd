#pragma once
// Everything the bot sends goes through here, within Telegram's limits (reference/telegram.md §6): about
// 30 calls a second overall (spread evenly), and per chat a short burst then one message a second. Each
// chat has its own queue, sent in order by one worker, so a chat that waits delays no other chat. A 429
// is waited out for as long as its retry_after says, then the same call is made again; Telegram's 5xx and
// lost answers are retried with backoff where repeating cannot duplicate a message. An edit of a message
// whose previous edit is still queued replaces that edit: only the newest text matters.
//
// Threads: every call on the executor's thread (serve's io thread). Waiting goes through the injected
// Sleeper and Clock, so tests never sleep.
#include <utility>

#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include <boost/asio/any_io_executor.hpp>
#include <nlohmann/json.hpp>

#include "core/clock.hpp"
#include "telegram/bot_api.hpp"

namespace tb::telegram {

using Log = std::function<void(std::string_view line)>;

struct RateLimits {
  int global_per_second = 30;
  std::chrono::milliseconds chat_interval{1000};  // one message per chat per interval, after the burst
  int chat_burst = 3;
  int max_attempts = 8;                         // per call, 429s and retried failures included
  std::chrono::milliseconds max_wait{120'000};  // a retry_after longer than this is cut to it
};

class Outbox {
 public:
  Outbox(BotApi& api, const Clock& clock, net::Sleeper& sleeper, boost::asio::any_io_executor executor, RateLimits limits = {},
         Log log = {});
  ~Outbox();
  Outbox(const Outbox&) = delete;
  Outbox& operator=(const Outbox&) = delete;

  // In the chat's order and within its limits; the method's result. "Not modified" and "already deleted"
  // come back as success.
  net::Task<Result<nlohmann::json>> to_chat(int64_t chat_id, std::string method, nlohmann::json params);
  // The same without waiting for the answer; a failure is logged.
  void post(int64_t chat_id, std::string method, nlohmann::json params);
  // Outside the chat's queue, within the global rate: answers to button presses and deleting a message
  // (a user's secret goes at once, not after the bot's replies).
  net::Task<Result<nlohmann::json>> now(std::string method, nlohmann::json params);

  // Called for a 403 in a chat (the user blocked the bot, or deleted their account).
  void on_forbidden(std::function<void(int64_t chat_id)> f) { on_forbidden_ = std::move(f); }

  size_t pending() const { return pending_; }  // calls queued or in flight
  // Returns when nothing is pending, or after `at_most`.
  net::Task<void> drained(std::chrono::milliseconds at_most);
  // Returns once everything queued for the chat so far is sent (or has failed for good): the bot confirms
  // an update only then, so a process killed with replies still queued leaves the update to be redelivered.
  net::Task<void> chat_sent(int64_t chat_id);

 private:
  struct Waiter;
  struct Item;
  struct ChatQueue;
  // Generic cell rate: a slot `interval` apart after a burst; returns how long to wait for the slot taken.
  struct Pace {
    int64_t next_us = 0;  // theoretical arrival time
    std::chrono::microseconds take(int64_t now_us, int64_t interval_us, int burst);
  };

  net::Task<void> run_chat(int64_t chat_id);
  net::Task<Result<nlohmann::json>> send(int64_t chat_id, const std::string& method, const nlohmann::json& params);
  void enqueue(int64_t chat_id, std::shared_ptr<Item> item);
  void log(const std::string& line) const;

  BotApi& api_;
  const Clock& clock_;
  net::Sleeper& sleeper_;
  boost::asio::any_io_executor executor_;
  RateLimits limits_;
  Log log_;
  std::function<void(int64_t)> on_forbidden_;
  Pace global_;
  std::map<int64_t, std::unique_ptr<ChatQueue>> chats_;
  size_t pending_ = 0;
  uint64_t enqueued_ = 0;
};

}  // namespace tb::telegram
