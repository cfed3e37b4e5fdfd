#pragma once
// The Telegram bot's rows: links to platform users, identities, link codes, update offsets. Part of the store's door (store.hpp).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "store/user_store.hpp"  // User: the bot makes a Telegram user's own

namespace tb::store {

// A Telegram user known to the bot, tied to one platform user (a user has at most one), with the state
// of the bot's conversation in their private chat. The dialog never holds a secret.
struct TelegramLink {
  int64_t telegram_user_id = 0;
  int64_t chat_id = 0;
  int64_t user_id = 0;
  std::string username;
  std::string first_name;
  std::string dialog_json = "{}";
  int64_t last_update_id = 0;  // the newest update handled in this chat: a redelivered one is skipped
  bool blocked = false;        // the user blocked the bot: nothing is sent until they write again
  int64_t created_ms = 0;
  int64_t updated_ms = 0;
};

class TelegramStore {
 public:
  virtual ~TelegramStore() = default;

  // telegram
  // Inserts or updates the row of link.telegram_user_id (created_ms kept, updated_ms from the clock). A row
  // of another Telegram user holding the same user_id is removed first: the newest link wins.
  virtual Result<TelegramLink> save_telegram_link(const TelegramLink& link) = 0;
  virtual Result<std::optional<TelegramLink>> find_telegram_link(int64_t telegram_user_id) = 0;
  virtual Result<std::optional<TelegramLink>> find_telegram_link_by_user(int64_t user_id) = 0;
  virtual Status delete_telegram_link(int64_t telegram_user_id) = 0;
  // A Telegram user's own platform user (made on their first /start): a new user with no email and no
  // password, and its telegram_identities row, in one transaction. InvalidArgument when one exists already.
  virtual Result<User> create_telegram_user(int64_t telegram_user_id) = 0;
  // That user, found by the Telegram user id only; empty when the bot never made one (or it was deleted).
  virtual Result<std::optional<User>> find_telegram_user(int64_t telegram_user_id) = 0;
  // One-time codes that link a web account to a Telegram user; only a hash of the code is kept.
  virtual Status add_telegram_link_code(std::string_view code_hash, int64_t user_id, int64_t expires_ms) = 0;
  // The code's user if it exists and has not expired; the code is used up either way, and expired codes go.
  virtual Result<std::optional<int64_t>> take_telegram_link_code(std::string_view code_hash) = 0;
  // The getUpdates offset of a bot (its id is the token's numeric part): the first update not yet handled.
  virtual Result<int64_t> telegram_update_offset(int64_t bot_id) = 0;  // 0 when none is stored
  virtual Status set_telegram_update_offset(int64_t bot_id, int64_t next_update_id) = 0;
};

}  // namespace tb::store
