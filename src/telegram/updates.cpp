#include "telegram/updates.hpp"

#include <nlohmann/json.hpp>

namespace tb::telegram {

namespace {

Error bad(std::string what) { return Error::make(ErrorKind::InvalidArgument, "telegram update: " + std::move(what)); }

std::optional<int64_t> int_field(const nlohmann::json& j, const char* name) {
  auto it = j.find(name);
  if (it == j.end() || !it->is_number_integer()) return std::nullopt;
  return it->get<int64_t>();
}

std::string string_field(const nlohmann::json& j, const char* name) {
  auto it = j.find(name);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string lower(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

std::string trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\n' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\n' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return std::string(s);
}

// A bot_command entity at offset 0 makes the text a command. Offsets are UTF-16 units; a command is ASCII,
// so its length in units is its length in bytes.
void find_command(const nlohmann::json& j, Message& m) {
  if (!m.text) return;
  auto entities = j.find("entities");
  if (entities == j.end() || !entities->is_array()) return;
  for (const auto& e : *entities) {
    if (!e.is_object() || string_field(e, "type") != "bot_command") continue;
    auto offset = int_field(e, "offset"), length = int_field(e, "length");
    if (!offset || !length || *offset != 0 || *length < 2 || static_cast<size_t>(*length) > m.text->size()) continue;
    std::string cmd = m.text->substr(0, static_cast<size_t>(*length));
    if (auto at = cmd.find('@'); at != std::string::npos) cmd.resize(at);
    m.command = lower(cmd);
    m.command_args = trim(std::string_view(*m.text).substr(static_cast<size_t>(*length)));
    return;
  }
}

Result<Chat> parse_chat(const nlohmann::json& j) {
  if (!j.is_object()) return bad("chat is not an object");
  auto id = int_field(j, "id");
  if (!id) return bad("chat without id");
  return Chat{*id, string_field(j, "type")};
}

}  // namespace

int64_t Update::chat_id() const {
  if (message) return message->chat.id;
  if (callback_query) return callback_query->message ? callback_query->message->chat.id : callback_query->from.id;
  if (my_chat_member) return my_chat_member->chat.id;
  return 0;
}

const User* Update::sender() const {
  if (message) return message->from ? &*message->from : nullptr;
  if (callback_query) return &callback_query->from;
  if (my_chat_member) return &my_chat_member->from;
  return nullptr;
}

Result<User> parse_user(const nlohmann::json& j) {
  if (!j.is_object()) return bad("user is not an object");
  auto id = int_field(j, "id");
  if (!id) return bad("user without id");
  User u;
  u.id = *id;
  auto is_bot = j.find("is_bot");
  u.is_bot = is_bot != j.end() && is_bot->is_boolean() && is_bot->get<bool>();
  u.first_name = string_field(j, "first_name");
  u.username = string_field(j, "username");
  auto all = j.find("can_read_all_group_messages");
  u.can_read_all_group_messages = all != j.end() && all->is_boolean() && all->get<bool>();
  return u;
}

Result<Message> parse_message(const nlohmann::json& j) {
  if (!j.is_object()) return bad("message is not an object");
  auto id = int_field(j, "message_id");
  if (!id) return bad("message without message_id");
  auto chat = j.find("chat");
  if (chat == j.end()) return bad("message without chat");
  auto c = parse_chat(*chat);
  if (!c) return c.error();
  Message m;
  m.message_id = *id;
  m.chat = *c;
  m.date = int_field(j, "date").value_or(0);
  if (auto from = j.find("from"); from != j.end()) {
    auto u = parse_user(*from);
    if (u) m.from = *u;
  }
  if (auto text = j.find("text"); text != j.end() && text->is_string()) m.text = text->get<std::string>();
  find_command(j, m);
  return m;
}

Result<Update> parse_update(const nlohmann::json& j) {
  if (!j.is_object()) return bad("not an object");
  auto id = int_field(j, "update_id");
  if (!id) return bad("no update_id");
  Update u;
  u.update_id = *id;
  for (const char* kind : {"message", "edited_message"}) {
    auto it = j.find(kind);
    if (it == j.end()) continue;
    auto m = parse_message(*it);
    if (!m) return m.error();
    u.message = std::move(*m);
    u.edited = std::string_view(kind) == "edited_message";
    return u;
  }
  if (auto it = j.find("callback_query"); it != j.end()) {
    if (!it->is_object()) return bad("callback_query is not an object");
    CallbackQuery q;
    q.id = string_field(*it, "id");
    if (q.id.empty()) return bad("callback_query without id");
    auto from = it->find("from");
    if (from == it->end()) return bad("callback_query without from");
    auto user = parse_user(*from);
    if (!user) return user.error();
    q.from = *user;
    if (auto msg = it->find("message"); msg != it->end()) {
      auto m = parse_message(*msg);
      if (m) q.message = std::move(*m);
    }
    q.data = string_field(*it, "data");
    u.callback_query = std::move(q);
    return u;
  }
  if (auto it = j.find("my_chat_member"); it != j.end() && it->is_object()) {
    auto chat = it->find("chat");
    auto from = it->find("from");
    auto member = it->find("new_chat_member");
    if (chat == it->end() || from == it->end()) return u;
    auto c = parse_chat(*chat);
    auto f = parse_user(*from);
    if (!c || !f) return u;
    ChatMemberUpdate cm{*c, *f, member != it->end() && member->is_object() ? string_field(*member, "status") : ""};
    u.my_chat_member = std::move(cm);
  }
  return u;
}

}  // namespace tb::telegram
