#include "telegram/outbox.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace tb::telegram {

// One caller waiting for a call's result; the timer is cancelled when the result is in.
struct Outbox::Waiter {
  explicit Waiter(const boost::asio::any_io_executor& ex) : done(ex) { done.expires_at(boost::asio::steady_timer::time_point::max()); }
  boost::asio::steady_timer done;
  std::optional<Result<nlohmann::json>> result;
};

struct Outbox::Item {
  std::string method;
  nlohmann::json params;
  std::vector<std::shared_ptr<Waiter>> waiters;  // several when edits were merged
};

// A chat's queue outlives its worker while its pace still matters: a chat that just had its burst gets no
// new one by emptying its queue.
struct Outbox::ChatQueue {
  std::deque<std::shared_ptr<Item>> waiting;  // not yet started
  Pace pace;
  bool running = false;
  std::vector<std::shared_ptr<Waiter>> idle;  // chat_sent() callers, woken when the worker ends
};

namespace {

// Calls Telegram may receive twice without the user seeing two of anything.
bool repeatable(std::string_view method) {
  return method == "editMessageText" || method == "editMessageReplyMarkup" || method == "deleteMessage" || method == "setMyCommands" ||
         method == "getMe" || method == "setWebhook" || method == "deleteWebhook";
}

}  // namespace

std::chrono::microseconds Outbox::Pace::take(int64_t now_us, int64_t interval_us, int burst) {
  int64_t start = std::max(next_us - (std::max(burst, 1) - 1) * interval_us, now_us);
  next_us = std::max(next_us, now_us) + interval_us;
  return std::chrono::microseconds(start - now_us);
}

Outbox::Outbox(BotApi& api, const Clock& clock, net::Sleeper& sleeper, boost::asio::any_io_executor executor, RateLimits limits, Log log)
    : api_(api), clock_(clock), sleeper_(sleeper), executor_(std::move(executor)), limits_(limits), log_(std::move(log)) {}

Outbox::~Outbox() = default;

void Outbox::log(const std::string& line) const {
  if (log_) log_(line);
}

void Outbox::enqueue(int64_t chat_id, std::shared_ptr<Item> item) {
  if (++enqueued_ % 256 == 0) {  // idle chats whose pace has run out are forgotten
    const int64_t now = clock_.now_us();
    for (auto it = chats_.begin(); it != chats_.end();)
      it = !it->second->running && it->second->pace.next_us <= now ? chats_.erase(it) : std::next(it);
  }
  auto& slot = chats_[chat_id];
  if (!slot) slot = std::make_unique<ChatQueue>();
  bool start = !slot->running;
  if (item->method == "editMessageText") {
    for (auto& queued : slot->waiting) {
      if (queued->method == item->method &&
          queued->params.value("message_id", int64_t{0}) == item->params.value("message_id", int64_t{-1})) {
        queued->params = std::move(item->params);
        for (auto& w : item->waiters) queued->waiters.push_back(std::move(w));
        return;
      }
    }
  }
  ++pending_;
  slot->waiting.push_back(std::move(item));
  if (start) {
    slot->running = true;
    boost::asio::co_spawn(executor_, run_chat(chat_id), boost::asio::detached);
  }
}

net::Task<Result<nlohmann::json>> Outbox::to_chat(int64_t chat_id, std::string method, nlohmann::json params) {
  auto waiter = std::make_shared<Waiter>(executor_);
  auto item = std::make_shared<Item>();
  item->method = std::move(method);
  item->params = std::move(params);
  item->waiters.push_back(waiter);
  enqueue(chat_id, std::move(item));
  while (!waiter->result) {
    boost::system::error_code ec;
    co_await waiter->done.async_wait(boost::asio::redirect_error(boost::asio::use_awaitable, ec));
  }
  co_return std::move(*waiter->result);
}

void Outbox::post(int64_t chat_id, std::string method, nlohmann::json params) {
  auto item = std::make_shared<Item>();
  item->method = std::move(method);
  item->params = std::move(params);
  enqueue(chat_id, std::move(item));
}

net::Task<Result<nlohmann::json>> Outbox::now(std::string method, nlohmann::json params) {
  ++pending_;
  auto r = co_await send(0, method, params);
  --pending_;
  co_return r;
}

net::Task<void> Outbox::chat_sent(int64_t chat_id) {
  auto it = chats_.find(chat_id);
  if (it == chats_.end() || !it->second->running) co_return;
  auto waiter = std::make_shared<Waiter>(executor_);
  it->second->idle.push_back(waiter);
  while (!waiter->result) {
    boost::system::error_code ec;
    co_await waiter->done.async_wait(boost::asio::redirect_error(boost::asio::use_awaitable, ec));
  }
}

// One worker per chat with something queued; it ends when the queue is empty.
net::Task<void> Outbox::run_chat(int64_t chat_id) {
  for (;;) {
    auto it = chats_.find(chat_id);
    if (it == chats_.end()) co_return;
    ChatQueue& q = *it->second;
    if (q.waiting.empty()) {
      q.running = false;
      for (auto& w : q.idle) {
        w->result.emplace(nlohmann::json());
        w->done.cancel();
      }
      q.idle.clear();
      if (q.pace.next_us <= clock_.now_us()) chats_.erase(it);
      co_return;
    }
    std::shared_ptr<Item> item = q.waiting.front();
    auto wait = q.pace.take(clock_.now_us(), std::chrono::duration_cast<std::chrono::microseconds>(limits_.chat_interval).count(),
                            limits_.chat_burst);
    if (wait.count() > 0)
      co_await sleeper_.sleep(std::chrono::duration_cast<std::chrono::milliseconds>(wait + std::chrono::microseconds(999)));
    // Taken off the queue only now: an edit arriving while this one waited for its slot merged into it.
    it = chats_.find(chat_id);
    if (it == chats_.end()) co_return;
    it->second->waiting.pop_front();
    auto r = co_await send(chat_id, item->method, item->params);
    --pending_;
    if (!r && item->waiters.empty())
      log("telegram: " + item->method + " in chat " + std::to_string(chat_id) + " failed: " + r.error().message);
    for (auto& w : item->waiters) {
      w->result.emplace(r);
      w->done.cancel();
    }
  }
}

net::Task<Result<nlohmann::json>> Outbox::send(int64_t chat_id, const std::string& method, const nlohmann::json& params) {
  const int64_t global_interval_us = 1'000'000 / std::max(limits_.global_per_second, 1);
  for (int attempt = 1;; ++attempt) {
    auto wait = global_.take(clock_.now_us(), global_interval_us, 1);
    if (wait.count() > 0)
      co_await sleeper_.sleep(std::chrono::duration_cast<std::chrono::milliseconds>(wait + std::chrono::microseconds(999)));
    auto r = co_await api_.call(method, params);
    if (r) co_return r;
    const Error& e = r.error();
    if (is_not_modified(e) || is_already_deleted(e)) co_return nlohmann::json(true);
    if (e.kind == ErrorKind::PermissionDenied) {
      if (chat_id != 0 && on_forbidden_) on_forbidden_(chat_id);
      co_return r;
    }
    const bool flood = e.kind == ErrorKind::RateLimited;
    const bool retry = flood || e.kind == ErrorKind::ExchangeUnavailable ||
                       (e.kind == ErrorKind::NetworkError && (!e.outcome_unknown || repeatable(method)));
    if (!retry || attempt >= limits_.max_attempts) co_return r;
    std::chrono::milliseconds pause =
        flood ? std::chrono::duration_cast<std::chrono::milliseconds>(e.retry_after.value_or(std::chrono::seconds(1)))
              : std::chrono::milliseconds(500LL << std::min(attempt - 1, 6));
    pause = std::min(pause, limits_.max_wait);
    if (flood) {
      // The chat's later messages wait behind this one too: its pace starts after the pause.
      if (auto it = chats_.find(chat_id); it != chats_.end())
        it->second->pace.next_us =
            std::max(it->second->pace.next_us,
                     clock_.now_us() + pause.count() * 1000 + (std::max(limits_.chat_burst, 1) - 1) * limits_.chat_interval.count() * 1000);
      log("telegram: 429 on " + method + (chat_id ? " in chat " + std::to_string(chat_id) : std::string()) + ": waiting " +
          std::to_string(pause.count()) + " ms as Telegram asked (retry_after), then sending it again");
    } else {
      log("telegram: " + method + " failed (" + e.message + "); trying again in " + std::to_string(pause.count()) + " ms");
    }
    co_await sleeper_.sleep(pause);
  }
}

net::Task<void> Outbox::drained(std::chrono::milliseconds at_most) {
  const int64_t until = clock_.now_ms() + at_most.count();
  while (pending_ > 0 && clock_.now_ms() < until) co_await sleeper_.sleep(std::chrono::milliseconds(20));
}

}  // namespace tb::telegram
