#include "app/telegram_wiring.hpp"

#include <cstdlib>
#include <ctime>
#include <fstream>
#include <ostream>

#include <boost/asio/io_context.hpp>

#include "net/http.hpp"
#include "telegram/telegram.hpp"
#include "users/telegram_identities.hpp"
#include "web/telegram_port.hpp"

namespace tb::app {

namespace {

class BotPort final : public web::TelegramPort {
 public:
  BotPort(telegram::Bot& bot, users::TelegramIdentities& identities) : bot_(bot), identities_(identities) {}
  std::string bot_username() const override { return bot_.username(); }
  Result<LinkCode> issue_link_code(int64_t user_id) override {
    auto c = identities_.issue_link_code(user_id);
    if (!c) return c.error();
    return LinkCode{c->code, c->expires_ms};
  }
  Result<std::optional<Linked>> linked(int64_t user_id) override {
    auto l = identities_.link_of(user_id);
    if (!l) return l.error();
    if (!l->has_value()) return std::optional<Linked>();
    return std::optional<Linked>(Linked{(*l)->username, (*l)->first_name, (*l)->created_ms});
  }
  Status unlink(int64_t user_id) override { return bot_.unlink(user_id); }
  bool webhook_enabled() const override { return bot_.webhook_enabled(); }
  bool webhook_secret_matches(std::string_view header) const override { return bot_.webhook_secret_matches(header); }
  net::Task<Status> deliver(std::string update_json) override { return bot_.deliver(std::move(update_json)); }

 private:
  telegram::Bot& bot_;
  users::TelegramIdentities& identities_;
};

Error config_error(std::string message) { return Error::make(ErrorKind::InvalidArgument, std::move(message)); }

Result<std::string> read_token(const TelegramSettings& s) {
  std::string token;
  if (!s.token_file.empty()) {
    std::ifstream in(s.token_file);
    if (!in) return config_error("--telegram-token-file: cannot read " + s.token_file);
    std::getline(in, token);
  } else if (const char* t = std::getenv("TRADEBRIDGE_TELEGRAM_TOKEN")) {
    token = t;
  }
  while (!token.empty() && (token.back() == '\r' || token.back() == ' ' || token.back() == '\n')) token.pop_back();
  return token;
}

// "2026-11-26T12:38:47Z telegram: ..." on serve's log.
void write_line(std::ostream& out, std::string_view line) {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
  out << stamp << ' ' << line << '\n' << std::flush;
}

}  // namespace

struct ServeTelegram::Impl {
  std::unique_ptr<users::TelegramIdentities> identities;  // before the bot, which uses it
  std::unique_ptr<telegram::Bot> bot;
  std::shared_ptr<BotPort> port;
  std::string description;
};

ServeTelegram::ServeTelegram(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ServeTelegram::~ServeTelegram() = default;

Result<std::unique_ptr<ServeTelegram>> ServeTelegram::make(const TelegramSettings& s, Deps deps) {
  auto token = read_token(s);
  if (!token) return token.error();
  if (token->empty()) return std::unique_ptr<ServeTelegram>();
  auto bot_id = telegram::token_bot_id(*token);
  if (!bot_id) return bot_id.error();
  if (!net::parse_url(s.api_url)) return config_error("--telegram-api-url: not an http(s) URL");
  if (!s.webhook_url.empty()) {
    auto u = net::parse_url(s.webhook_url);
    if (!u || u->scheme != "https")
      return config_error("--telegram-webhook-url: Telegram delivers only to an https:// URL (it must reach /api/v1/telegram/webhook)");
  }
  if (!s.webhook_secret.empty()) {
    bool allowed = s.webhook_secret.size() <= 256;
    for (char c : s.webhook_secret)
      allowed &= (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    if (!allowed) return config_error("--telegram-webhook-secret: 1 to 256 of A-Z a-z 0-9 _ - (Telegram's rule)");
  }
  telegram::BotOptions o;
  o.api.base_url = s.api_url;
  o.webhook_url = s.webhook_url;
  o.webhook_secret = s.webhook_secret;
  o.poll_timeout_s = s.poll_timeout_s;
  o.limits.chat_interval = std::chrono::milliseconds(s.chat_interval_ms);
  o.limits.global_per_second = s.rate_per_second;
  o.egress_ip = deps.egress_ip;
  std::ostream* log = &deps.log;
  o.log = [log](std::string_view line) { write_line(*log, line); };
  auto impl = std::make_unique<Impl>();
  impl->identities = std::make_unique<users::TelegramIdentities>(deps.store, deps.clock, auth::SystemRandom::instance());
  telegram::BotDeps bd{deps.store,
                       deps.accounts,
                       deps.two_factor,
                       deps.events,
                       deps.transport,
                       deps.clock,
                       deps.sleeper,
                       deps.io.get_executor(),
                       auth::SystemRandom::instance(),
                       *impl->identities,
                       deps.robots,
                       deps.user_robots};
  impl->bot = std::make_unique<telegram::Bot>(bd, crypto::Secret(std::move(*token)), o);
  impl->bot->set_notifying(false);  // until start(): this process may not own the bot (cluster/node.hpp)
  impl->port = std::make_shared<BotPort>(*impl->bot, *impl->identities);
  impl->description = "bot " + std::to_string(*bot_id) + " via " + s.api_url + ", " +
                      (s.webhook_url.empty() ? std::string("long polling") : "webhook " + s.webhook_url);
  return std::unique_ptr<ServeTelegram>(new ServeTelegram(std::move(impl)));
}

std::shared_ptr<web::TelegramPort> ServeTelegram::port() const { return impl_->port; }
void ServeTelegram::start() {
  impl_->bot->set_notifying(true);
  impl_->bot->start();
}
void ServeTelegram::introduce() { impl_->bot->introduce(); }
void ServeTelegram::stop(std::function<void()> done) {
  impl_->bot->set_notifying(false);
  impl_->bot->stop(std::move(done));
}
std::string ServeTelegram::describe() const { return impl_->description; }

}  // namespace tb::app
