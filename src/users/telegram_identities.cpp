#include "users/telegram_identities.hpp"

#include <algorithm>
#include <utility>

#include "core/failure_log.hpp"
#include "crypto/encoding.hpp"
#include "crypto/hash.hpp"

namespace tb::users {

namespace {

constexpr std::string_view kCodeAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";  // 32: no I, O, 0, 1
constexpr size_t kCodeLength = 10;
constexpr std::string_view kWrongCodes = "telegram.link_code";

}  // namespace

std::string link_code_hash(std::string_view code) {
  return crypto::hex(crypto::sha256("tradebridge telegram link code:" + std::string(code)));
}

std::optional<std::string> normalize_link_code(std::string_view raw) {
  std::string out;
  for (char c : raw) {
    if (c == ' ' || c == '-' || c == '\t') continue;
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (kCodeAlphabet.find(c) == std::string_view::npos) return std::nullopt;
    out += c;
  }
  if (out.size() != kCodeLength) return std::nullopt;
  return out;
}

TelegramIdentities::TelegramIdentities(store::Store& store, const Clock& clock, auth::RandomSource& random, TelegramIdentityOptions options)
    : store_(store), clock_(clock), random_(random), options_(options) {}

Result<store::TelegramLink> TelegramIdentities::register_chat(store::TelegramLink chat) {
  store::TelegramLink saved;
  Status st = store_.with_transaction([&](store::Store& s) -> Status {
    auto existing = s.find_telegram_user(chat.telegram_user_id);
    if (!existing) return existing.error();
    if (existing->has_value()) {
      chat.user_id = (*existing)->id;
    } else {
      auto u = s.create_telegram_user(chat.telegram_user_id);
      if (!u) return u.error();
      chat.user_id = u->id;
    }
    auto r = s.save_telegram_link(chat);
    if (!r) return r.error();
    saved = *r;
    return ok_status();
  });
  if (!st) return st.error();
  return saved;
}

Result<LinkCode> TelegramIdentities::issue_link_code(int64_t user_id) {
  std::string bytes(kCodeLength, '\0');
  random_.fill({reinterpret_cast<unsigned char*>(bytes.data()), bytes.size()});
  LinkCode c;
  for (char b : bytes) c.code += kCodeAlphabet[static_cast<unsigned char>(b) % kCodeAlphabet.size()];  // 256 % 32 == 0: unbiased
  c.expires_ms = clock_.now_ms() + options_.link_code_ttl.count();
  if (auto st = store_.add_telegram_link_code(link_code_hash(c.code), user_id, c.expires_ms); !st) return st.error();
  return c;
}

// A Telegram-only profile that already holds keys would leave them behind when the chat moves to a web
// account. A failed read refuses nothing: the code decides.
std::optional<size_t> TelegramIdentities::accounts_left_behind(const store::TelegramLink& chat) {
  if (chat.user_id == 0) return std::nullopt;
  auto user = store_.find_user(chat.user_id);
  if (!user || !user->has_value() || !store::is_telegram_only(**user)) return std::nullopt;
  auto own = store_.list_accounts(chat.user_id);
  if (!own || own->empty()) return std::nullopt;
  return own->size();
}

Result<LinkOutcome> TelegramIdentities::link_with_code(store::TelegramLink chat, std::string_view raw) {
  const int64_t now = clock_.now_ms();
  auto wrong = wrong_codes(chat.telegram_user_id, now);
  if (!wrong) return wrong.error();
  LinkOutcome out;
  if (*wrong >= options_.max_wrong_codes) {
    out.refused = LinkRefusal::TooManyTries;
    return out;
  }
  auto code = normalize_link_code(raw);
  if (!code) {
    if (auto st = count_wrong_code(chat.telegram_user_id, now); !st) return st.error();
    out.refused = LinkRefusal::NotACode;
    return out;
  }
  if (auto held = accounts_left_behind(chat)) {  // refused before the code is used up
    out.refused = LinkRefusal::HoldsAccounts;
    out.accounts_held = *held;
    return out;
  }
  auto taken = store_.take_telegram_link_code(link_code_hash(*code));
  if (!taken) return taken.error();
  if (!taken->has_value()) {
    if (auto st = count_wrong_code(chat.telegram_user_id, now); !st) return st.error();
    out.refused = LinkRefusal::UnknownCode;
    return out;
  }
  chat.user_id = **taken;
  auto saved = store_.save_telegram_link(chat);
  if (!saved) return saved.error();
  logged("clear a Telegram user's wrong link codes", store_.change_limit_entry(kWrongCodes, std::to_string(chat.telegram_user_id),
                                                                               [](std::optional<store::LimitEntry>& e) { e.reset(); }));
  out.link = *saved;
  if (auto u = store_.find_user(chat.user_id); u && u->has_value()) out.email = (*u)->email;
  return out;
}

Result<int64_t> TelegramIdentities::wrong_codes(int64_t telegram_user_id, int64_t now_ms) {
  auto e = store_.find_limit_entry(kWrongCodes, std::to_string(telegram_user_id));
  if (!e) return e.error();
  if (!e->has_value() || now_ms - (*e)->window_start_ms > options_.wrong_code_window.count()) return int64_t{0};
  return (*e)->hits;
}

Status TelegramIdentities::count_wrong_code(int64_t telegram_user_id, int64_t now_ms) {
  const int64_t window = options_.wrong_code_window.count();
  auto kept = store_.change_limit_entry(kWrongCodes, std::to_string(telegram_user_id), [&](std::optional<store::LimitEntry>& e) {
    if (!e || now_ms - e->window_start_ms > window) {
      e = store::LimitEntry{};
      e->window_start_ms = now_ms;
    }
    e->hits += 1;
    e->seen_ms = now_ms;
    e->expires_ms = e->window_start_ms + window + 1;  // the pause is over
  });
  if (!kept) return kept.error();
  return ok_status();
}

Result<std::optional<store::TelegramLink>> TelegramIdentities::link_of(int64_t user_id) {
  return store_.find_telegram_link_by_user(user_id);
}

Result<std::optional<store::TelegramLink>> TelegramIdentities::unlink(int64_t user_id) {
  auto l = store_.find_telegram_link_by_user(user_id);
  if (!l) return l.error();
  if (!l->has_value()) return l;
  if (auto st = store_.delete_telegram_link((*l)->telegram_user_id); !st) return st.error();
  return l;
}

}  // namespace tb::users
