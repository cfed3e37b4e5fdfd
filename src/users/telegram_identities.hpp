#pragma once
// Who a Telegram user is on the platform. A Telegram user who starts the bot gets a platform user of their
// own (found again by their Telegram id only, never by an email anyone could have registered: the store's
// telegram_identities), and their chat a link to it. A web user links a chat to their account with a
// one-time code: issued here for the web (stored as a hash, single use, expires), sent to the bot, taken
// here; a few wrong codes per Telegram user, then a pause. The bot (telegram/) talks to people and says
// what happened; this decides it.
//
// Threads: one at a time (the bot and the API's routes run on serve's io thread).
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "auth/tokens.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "store/store.hpp"

namespace tb::users {

struct TelegramIdentityOptions {
  std::chrono::milliseconds link_code_ttl{10 * 60 * 1000};
  int max_wrong_codes = 5;                                      // per Telegram user, then a pause
  std::chrono::milliseconds wrong_code_window{10 * 60 * 1000};  // the pause, and how long failures count
};

struct LinkCode {
  std::string code;  // 10 characters of A-Z and 2-9 (no I, O, 0, 1): typed or sent as /start CODE
  int64_t expires_ms = 0;
};

// Why a code did not link a chat.
enum class LinkRefusal {
  TooManyTries,   // too many wrong codes lately: nothing was looked at
  NotACode,       // cannot be a code (counted as wrong)
  HoldsAccounts,  // the chat's own Telegram-only user holds exchange accounts linking would leave behind
  UnknownCode,    // unknown, used or expired (counted as wrong)
};

struct LinkOutcome {
  std::optional<LinkRefusal> refused;  // empty: linked
  size_t accounts_held = 0;            // HoldsAccounts: how many
  store::TelegramLink link;            // linked: the chat's link as saved
  std::string email;                   // linked: the web account's
};

class TelegramIdentities {
 public:
  TelegramIdentities(store::Store& store, const Clock& clock, auth::RandomSource& random, TelegramIdentityOptions options = {});

  // The Telegram user's own platform user (made now on their first start), and `chat`'s link to it: chat
  // carries telegram_user_id, chat_id, username, first_name and last_update_id; user_id is filled here.
  Result<store::TelegramLink> register_chat(store::TelegramLink chat);
  // The web side: a code that links user_id's account to the chat that sends it.
  Result<LinkCode> issue_link_code(int64_t user_id);
  // Links `chat` (its link now, or a new one with user_id 0, with the dialog to store) to the account whose
  // code `raw` is. A refusal is an outcome; an Error is the store's failure.
  Result<LinkOutcome> link_with_code(store::TelegramLink chat, std::string_view raw);
  Result<std::optional<store::TelegramLink>> link_of(int64_t user_id);
  // Removes user_id's link; the link removed, if there was one (its chat is to be told).
  Result<std::optional<store::TelegramLink>> unlink(int64_t user_id);

 private:
  std::optional<size_t> accounts_left_behind(const store::TelegramLink& chat);  // nullopt: none, or not Telegram-only
  // Wrong codes are counted in the store (limit entries "telegram.link_code", per Telegram user), so every
  // serve process counts the same ones; the window starts at the first wrong code.
  Result<int64_t> wrong_codes(int64_t telegram_user_id, int64_t now_ms);
  Status count_wrong_code(int64_t telegram_user_id, int64_t now_ms);

  store::Store& store_;
  const Clock& clock_;
  auth::RandomSource& random_;
  TelegramIdentityOptions options_;
};

// sha256 of the normalized code, hex: the only form a link code is stored in.
std::string link_code_hash(std::string_view code);
// Upper case without spaces and dashes; nullopt when it cannot be a code.
std::optional<std::string> normalize_link_code(std::string_view raw);

}  // namespace tb::users
