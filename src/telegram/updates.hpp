#pragma once
// What the Bot API sends us, parsed once at the edge into typed values (reference/telegram.md §2). Only
// the fields the bot uses; unknown fields and update kinds are ignored, optional ones stay optional.
#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "core/error.hpp"

namespace tb::telegram {

struct User {
  int64_t id = 0;
  bool is_bot = false;
  std::string first_name;
  std::string username;                      // empty when the user has none
  bool can_read_all_group_messages = false;  // getMe only: true when the bot's privacy mode is off
};

struct Chat {
  int64_t id = 0;
  std::string type;  // "private", "group", "supergroup", "channel"
  bool is_private() const { return type == "private"; }
};

struct Message {
  int64_t message_id = 0;
  std::optional<User> from;
  Chat chat;
  int64_t date = 0;  // 0: an inaccessible message (a callback's message older than the bot can see)
  std::optional<std::string> text;
  // A command when the text starts with a bot_command entity: "/start" (lower case, "@bot" cut off).
  std::string command;
  std::string command_args;  // the text after the command, trimmed
};

struct CallbackQuery {
  std::string id;
  User from;
  std::optional<Message> message;  // the bot's message that carried the button
  std::string data;                // client-controlled: always re-validated
};

// The bot's own membership changed: in a private chat, the user blocked ("kicked") or unblocked ("member").
struct ChatMemberUpdate {
  Chat chat;
  User from;
  std::string new_status;
};

struct Update {
  int64_t update_id = 0;
  std::optional<Message> message;  // message or edited_message
  bool edited = false;
  std::optional<CallbackQuery> callback_query;
  std::optional<ChatMemberUpdate> my_chat_member;

  // The chat the update belongs to (0 when none: an update kind the bot does not handle).
  int64_t chat_id() const;
  // Who sent it (nullptr when unknown).
  const User* sender() const;
};

// InvalidArgument when the object is not an update (no integer update_id); kinds the bot does not handle
// parse to an Update with only update_id set.
Result<Update> parse_update(const nlohmann::json& j);
Result<User> parse_user(const nlohmann::json& j);
Result<Message> parse_message(const nlohmann::json& j);

}  // namespace tb::telegram
