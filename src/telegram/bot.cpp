// The bot's lifecycle: start (getMe, commands, webhook or polling), the polling loop and its stored offset,
// webhook deliveries, per-chat lanes and batches. Account events are events.cpp's.
#include <utility>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "core/failure_log.hpp"
#include "telegram/bot_impl.hpp"

namespace tb::telegram {

namespace {

const std::vector<std::string> kAllowedUpdates = {"message", "edited_message", "callback_query", "my_chat_member"};

std::string random_text(auth::RandomSource& random, size_t n, std::string_view alphabet) {
  std::string bytes(n, '\0');
  random.fill({reinterpret_cast<unsigned char*>(bytes.data()), bytes.size()});
  std::string out;
  for (char b : bytes) out += alphabet[static_cast<unsigned char>(b) % alphabet.size()];  // 256 % size == 0: unbiased
  return out;
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  for (size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ (i < b.size() ? b[i] : 0));
  return diff == 0;
}

}  // namespace

net::Task<void> Signal::wait() {
  while (!ready) {
    boost::system::error_code ec;
    co_await timer.async_wait(boost::asio::redirect_error(boost::asio::use_awaitable, ec));
  }
}

// ---- Impl ----

Bot::Impl::Impl(BotDeps deps, crypto::Secret token, BotOptions options)
    : d(std::move(deps)),
      o(std::move(options)),
      api(d.transport, std::move(token), o.api),
      outbox(api, d.clock, d.sleeper, d.executor, o.limits, o.log) {
  webhook_secret = o.webhook_secret.empty() ? random_text(d.random, 48, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
                                            : o.webhook_secret;
  outbox.on_forbidden([this](int64_t chat_id) {
    // The user blocked the bot: stop notifying until they write again.
    if (auto l = d.store.find_telegram_link(chat_id); l && l->has_value() && !(*l)->blocked) {
      store::TelegramLink link = **l;
      link.blocked = true;
      if (logged("telegram: pause a blocked chat", d.store.save_telegram_link(link)))
        log("telegram: chat " + std::to_string(chat_id) + " blocked the bot; notifications paused");
    }
  });
}

void Bot::Impl::log(const std::string& line) const {
  if (o.log) o.log(line);
}

net::Task<void> Bot::Impl::fire(std::string method, nlohmann::json params) {
  auto r = co_await outbox.now(method, std::move(params));
  if (!r) log("telegram: " + method + " failed: " + r.error().message);
}

// Asks Telegram who the bot is until it answers; false when it refuses the token (or the bot stops).
net::Task<bool> Bot::Impl::identify() {
  std::chrono::milliseconds backoff(1000);
  for (;;) {
    if (stopping) co_return false;
    auto me = co_await api.get_me();
    if (me) {
      username = me->username;
      if (me->can_read_all_group_messages)
        log("telegram: warning: the bot's privacy mode is off (it reads every group message); turn it on with @BotFather /setprivacy");
      co_return true;
    }
    const Error& e = me.error();
    if (e.kind == ErrorKind::Unauthenticated || e.kind == ErrorKind::NotFound) {
      log("telegram: the Bot API refused the token (" + e.message + "): the bot does not run; check TRADEBRIDGE_TELEGRAM_TOKEN");
      co_return false;
    }
    log("telegram: getMe failed (" + e.message + "); trying again in " + std::to_string(backoff.count() / 1000) + " s");
    co_await d.sleeper.sleep(backoff);
    backoff = std::min(backoff * 2, std::chrono::milliseconds(30'000));
  }
}

net::Task<void> Bot::Impl::introduce() {
  if (username.empty()) co_await identify();
}

net::Task<void> Bot::Impl::run() {
  if (!co_await identify()) co_return;
  log("telegram: bot @" + username + " (id " + std::to_string(api.bot_id()) + ") via " + o.api.base_url);
  std::string method = "setMyCommands";
  nlohmann::json commands = {{"commands", bot_commands()}};
  if (auto r = co_await outbox.now(method, std::move(commands)); !r) log("telegram: setMyCommands failed: " + r.error().message);
  if (!o.webhook_url.empty()) {
    nlohmann::json p = {{"url", o.webhook_url}, {"secret_token", webhook_secret}, {"allowed_updates", kAllowedUpdates}};
    method = "setWebhook";
    auto r = co_await outbox.now(method, std::move(p));
    if (!r) log("telegram: setWebhook failed: " + r.error().message);
    else log("telegram: webhook set; updates arrive at " + o.webhook_url);
    co_return;
  }
  // Polling and a webhook exclude each other: a webhook left from an earlier configuration goes.
  method = "deleteWebhook";
  nlohmann::json none = nlohmann::json::object();
  if (auto r = co_await outbox.now(method, std::move(none)); !r) log("telegram: deleteWebhook failed: " + r.error().message);
  co_await poll();
}

net::Task<void> Bot::Impl::poll() {
  auto stored = d.store.telegram_update_offset(api.bot_id());
  int64_t offset = stored ? *stored : 0;
  log("telegram: long polling from update " + std::to_string(offset));
  std::chrono::milliseconds backoff(1000);
  while (!stopping) {
    auto r = co_await api.get_updates(offset, o.poll_timeout_s, 100, kAllowedUpdates);
    if (stopping) break;  // answered after stop: left with Telegram, handled at the next start
    if (!r) {
      const Error& e = r.error();
      std::chrono::milliseconds wait = backoff;
      if (e.kind == ErrorKind::Unauthenticated || e.kind == ErrorKind::NotFound) {
        log("telegram: getUpdates refused (" + e.message + "): polling stops");
        break;
      }
      if (e.kind == ErrorKind::RateLimited)
        wait = std::chrono::duration_cast<std::chrono::milliseconds>(e.retry_after.value_or(std::chrono::seconds(1)));
      else if (e.kind == ErrorKind::Conflict) wait = std::chrono::milliseconds(5000);
      else backoff = std::min(backoff * 2, std::chrono::milliseconds(30'000));
      log("telegram: getUpdates failed (" + e.message + "); polling again in " + std::to_string(wait.count()) + " ms");
      co_await d.sleeper.sleep(wait);
      continue;
    }
    backoff = std::chrono::milliseconds(1000);
    if (r->last_update_id == 0) continue;
    in_batch = true;
    co_await handle_batch(std::move(r->updates));
    offset = r->last_update_id + 1;
    if (auto st = d.store.set_telegram_update_offset(api.bot_id(), offset); !st)
      log("telegram: could not store the update offset: " + st.error().message);
    in_batch = false;
  }
  if (stopping && on_stopped) co_await finish_stop();
}

net::Task<void> Bot::Impl::finish_stop() {
  co_await outbox.drained(std::chrono::milliseconds(3000));
  auto done = std::move(on_stopped);
  on_stopped = nullptr;
  if (done) done();
}

// A batch stuck behind a long retry_after must not hold the process: after this, stop anyway. Updates not
// yet handled stay with Telegram (the offset was not stored past them).
net::Task<void> Bot::Impl::stop_deadline() {
  co_await d.sleeper.sleep(std::chrono::milliseconds(10'000));
  if (!on_stopped) co_return;
  log("telegram: stopping without waiting longer for the updates in hand");
  auto done = std::move(on_stopped);
  on_stopped = nullptr;
  done();
}

net::Task<void> Bot::Impl::process_counted(Update u, std::shared_ptr<size_t> left, std::shared_ptr<Signal> all_done) {
  co_await process(std::move(u));
  if (--*left == 0) all_done->fire();
}

net::Task<void> Bot::Impl::handle_batch(std::vector<Update> updates) {
  if (updates.empty()) co_return;
  auto left = std::make_shared<size_t>(updates.size());
  auto all_done = std::make_shared<Signal>(d.executor);
  // Spawned in order: each takes its place in its chat's lane before the next starts.
  for (auto& u : updates) boost::asio::co_spawn(d.executor, process_counted(std::move(u), left, all_done), boost::asio::detached);
  co_await all_done->wait();
}

net::Task<void> Bot::Impl::enter(int64_t chat_id) {
  auto [it, fresh] = lanes.try_emplace(chat_id);
  if (fresh) co_return;
  auto turn = std::make_shared<Signal>(d.executor);
  it->second.waiting.push_back(turn);
  co_await turn->wait();
}

void Bot::Impl::leave(int64_t chat_id) {
  auto it = lanes.find(chat_id);
  if (it == lanes.end()) return;
  if (it->second.waiting.empty()) {
    lanes.erase(it);
    return;
  }
  auto next = it->second.waiting.front();
  it->second.waiting.pop_front();
  next->fire();  // the lane passes to it
}

// ---- Bot ----

Bot::Bot(BotDeps deps, crypto::Secret token, BotOptions options)
    : impl_(std::make_unique<Impl>(std::move(deps), std::move(token), std::move(options))) {
  Impl* impl = impl_.get();
  impl_->subscription =
      impl_->d.events.subscribe(accounts::EventBus::kAllUsers, [impl](const accounts::AccountEvent& e) { impl->on_account_event(e); });
}

Bot::~Bot() = default;

void Bot::start() { boost::asio::co_spawn(impl_->d.executor, impl_->run(), boost::asio::detached); }

void Bot::set_notifying(bool on) { impl_->active = on; }

void Bot::introduce() { boost::asio::co_spawn(impl_->d.executor, impl_->introduce(), boost::asio::detached); }

void Bot::stop(std::function<void()> done) {
  impl_->stopping = true;
  impl_->active = false;
  impl_->on_stopped = std::move(done);
  if (!impl_->in_batch) boost::asio::co_spawn(impl_->d.executor, impl_->finish_stop(), boost::asio::detached);
  // else: the poll loop calls finish_stop() once the batch in hand is done — within a bound either way
  boost::asio::co_spawn(impl_->d.executor, impl_->stop_deadline(), boost::asio::detached);
}

int64_t Bot::bot_id() const { return impl_->api.bot_id(); }
std::string Bot::username() const { return impl_->username; }
bool Bot::webhook_enabled() const { return !impl_->o.webhook_url.empty(); }

bool Bot::webhook_secret_matches(std::string_view header) const {
  return webhook_enabled() && constant_time_equal(header, impl_->webhook_secret);
}

net::Task<Status> Bot::deliver(std::string body) {
  auto j = nlohmann::json::parse(body, nullptr, false);
  auto u = parse_update(j);
  if (!u) co_return u.error();
  co_await impl_->process(std::move(*u));
  co_return ok_status();
}

Status Bot::unlink(int64_t user_id) {
  auto l = impl_->d.identities.unlink(user_id);
  if (!l) return l.error();
  if (!l->has_value()) return ok_status();
  impl_->typed_keys.erase((*l)->chat_id);
  Screen s;
  s.text = "This chat was unlinked from your web account. Send /start to use the bot again.";
  s.markup = {{"remove_keyboard", true}};
  impl_->send((*l)->chat_id, s);
  impl_->log("telegram: chat " + std::to_string((*l)->chat_id) + " unlinked from the web");
  return ok_status();
}

net::Task<void> Bot::handle(Update update) { co_await impl_->process(std::move(update)); }

net::Task<void> Bot::handle_batch(std::vector<Update> updates) { co_await impl_->handle_batch(std::move(updates)); }

}  // namespace tb::telegram
