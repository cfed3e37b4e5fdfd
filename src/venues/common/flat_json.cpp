#include "venues/common/flat_json.hpp"

#include <charconv>
#include <cstdint>

namespace tb::venues {

namespace {

// As nlohmann reads a number: a non-negative integer unsigned, a negative one signed, either beyond 64 bits
// or with a fraction or exponent a double. nullopt where that double is out of range (1e400, 1e-400): the
// document refuses an overflow and reads an underflow as strtod does, so such an answer is left to it.
std::optional<json> number_of(std::string_view text) {
  const bool integral = text.find_first_of(".eE") == std::string_view::npos;
  if (integral && text[0] != '-') {
    uint64_t u = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), u);
    if (ec == std::errc() && end == text.data() + text.size()) return json(u);
  } else if (integral) {
    int64_t v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec == std::errc() && end == text.data() + text.size()) return json(v);
  }
  double d = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), d);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return json(d);
}

struct Reader {
  std::string_view s;
  size_t i = 0;

  void space() {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) ++i;
  }
  bool take(char c) {
    space();
    if (i >= s.size() || s[i] != c) return false;
    ++i;
    return true;
  }
  // A string without escapes or control characters; its characters.
  std::optional<std::string_view> string() {
    if (!take('"')) return std::nullopt;
    const size_t from = i;
    for (; i < s.size(); ++i) {
      const auto c = static_cast<unsigned char>(s[i]);
      if (c == '"') return s.substr(from, i++ - from);
      if (c == '\\' || c < 0x20 || c >= 0x80) return std::nullopt;  // escaped or not ASCII: the document checks it
    }
    return std::nullopt;
  }
  // JSON's number grammar: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
  std::optional<std::string_view> number() {
    const size_t from = i;
    auto digits = [&] {
      const size_t d = i;
      while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
      return i > d;
    };
    if (i < s.size() && s[i] == '-') ++i;
    if (i < s.size() && s[i] == '0') ++i;
    else if (!digits()) return std::nullopt;
    if (i < s.size() && s[i] == '.' && (++i, !digits())) return std::nullopt;
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
      ++i;
      if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
      if (!digits()) return std::nullopt;
    }
    return s.substr(from, i - from);
  }
  std::optional<FlatJson::Value> value() {
    space();
    if (i >= s.size()) return std::nullopt;
    if (s[i] == '"') {
      auto str = string();
      if (!str) return std::nullopt;
      return FlatJson::Value{FlatJson::Value::String, *str};
    }
    for (auto [word, kind] : {std::pair{std::string_view("true"), FlatJson::Value::Boolean},
                              {"false", FlatJson::Value::Boolean},
                              {"null", FlatJson::Value::Null}})
      if (s.substr(i, word.size()) == word) {
        i += word.size();
        return FlatJson::Value{kind, word};
      }
    auto n = number();
    if (!n || !number_of(*n)) return std::nullopt;
    return FlatJson::Value{FlatJson::Value::Number, *n};
  }
};

}  // namespace

std::optional<FlatJson> FlatJson::parse(std::string_view text) {
  Reader r{text};
  FlatJson out;
  if (!r.take('{')) return std::nullopt;
  out.fields_.reserve(32);  // a venue's order has about twenty: one allocation, not six
  if (!r.take('}')) {
    do {
      auto key = r.string();
      if (!key || !r.take(':')) return std::nullopt;
      auto value = r.value();
      if (!value) return std::nullopt;
      out.fields_.emplace_back(*key, *value);
    } while (r.take(','));
    if (!r.take('}')) return std::nullopt;
  }
  r.space();
  if (r.i != text.size()) return std::nullopt;
  return out;
}

const FlatJson::Value* FlatJson::find(std::string_view key) const {
  for (auto it = fields_.rbegin(); it != fields_.rend(); ++it)
    if (it->first == key) return &it->second;
  return nullptr;
}

std::optional<json> FlatJson::scalar(std::string_view key) const {
  const Value* v = find(key);
  if (!v) return std::nullopt;
  switch (v->kind) {
    case Value::String: return json(std::string(v->text));
    case Value::Number: return *number_of(v->text);  // parse() kept only numbers it reads
    case Value::Boolean: return json(v->text == "true");
    case Value::Null: break;
  }
  return json(nullptr);
}

const std::string_view* FlatJson::string(std::string_view key) const {
  const Value* v = find(key);
  return v && v->kind == Value::String ? &v->text : nullptr;
}

}  // namespace tb::venues
