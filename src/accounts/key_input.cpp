#include "accounts/key_input.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include "crypto/encoding.hpp"
#include "venues/registry.hpp"

namespace tb::accounts {
namespace {

using venues::Alphabet;
using venues::FieldFormat;

bool is_space(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

constexpr std::string_view kBase64Chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=";

std::string_view chars_of(Alphabet a) { return a == Alphabet::Alnum ? kBase64Chars.substr(0, 62) : kBase64Chars; }

// Typed text asked the questions a crypto::Secret answers without showing its bytes, so one check serves both.
struct PlainField {
  std::string_view text;
  bool empty() const { return text.empty(); }
  size_t size() const { return text.size(); }
  bool contains_whitespace() const { return std::any_of(text.begin(), text.end(), is_space); }
  bool all_in(std::string_view allowed) const { return text.find_first_not_of(allowed) == std::string_view::npos; }
  std::optional<size_t> base64_decoded_size() const {
    auto bytes = crypto::from_base64(text);
    return bytes ? std::optional<size_t>(bytes->size()) : std::nullopt;
  }
};

// One of the pair: its field as the API names it ("key") and as messages name it ("API key").
struct Named {
  std::string_view field;
  std::string_view label;
};

Error field_error(Named name, std::string what) {
  Error e = Error::make(ErrorKind::InvalidArgument, std::string(name.label) + " " + std::move(what));
  e.field = std::string(name.field);
  return e;
}

// Describes what is wrong with one field in words the user can act on; never echoes the value (a
// PlainField or a crypto::Secret).
template <class Field>
std::optional<Error> check_field(Named field, const Field& value, const FieldFormat* rule) {
  if (value.empty()) return field_error(field, "is empty.");
  if (value.contains_whitespace()) return field_error(field, "contains a space or line break; copy it again.");
  if (!rule) return std::nullopt;
  const char* letters = rule->alphabet == Alphabet::Alnum ? "letters and digits" : "base64 characters (A-Z a-z 0-9 + / =)";
  if (value.size() != rule->length)
    return field_error(field, "should be " + std::to_string(rule->length) + " characters, got " + std::to_string(value.size()) +
                                  "; copy it again in full.");
  if (!value.all_in(chars_of(rule->alphabet))) return field_error(field, std::string("should contain only ") + letters + ".");
  if (rule->decoded_bytes && value.base64_decoded_size() != rule->decoded_bytes)
    return field_error(field, "is not valid base64 of the expected length; copy it again.");
  return std::nullopt;
}

bool is_base64_char(char c) { return kBase64Chars.find(c) != std::string_view::npos; }

// A long run of base64 characters that mixes cases and digits, as random keys do and names rarely do.
bool looks_random(std::string_view text) {
  if (text.size() < 24 || !std::all_of(text.begin(), text.end(), is_base64_char)) return false;
  bool upper = false, lower = false, digit = false;
  for (char c : text) {
    upper |= c >= 'A' && c <= 'Z';
    lower |= c >= 'a' && c <= 'z';
    digit |= c >= '0' && c <= '9';
  }
  return upper && lower && digit;
}

}  // namespace

bool looks_like_key(std::string_view text) {
  text = trim(text);
  for (const auto& v : venues::supported_venues())
    if (!check_field({}, PlainField{text}, &v.key) || !check_field({}, PlainField{text}, &v.secret)) return true;
  return looks_random(text);
}

std::optional<std::string> quoted_echo(std::string_view typed) {
  if (typed.size() > kMaxEchoChars || looks_like_key(typed)) return std::nullopt;
  std::string out = "'";
  for (char c : typed) out += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? '?' : c;
  return out + "'";
}

Result<KeyInput> check_key_input(std::string_view venue_id, std::string_view api_key, const crypto::Secret& api_secret) {
  const venues::VenueDescription* rules = venues::find_venue(venue_id);
  if (!rules) {
    auto echo = quoted_echo(venue_id);
    Error e = Error::make(ErrorKind::InvalidArgument, "unknown exchange" + (echo ? " " + *echo : std::string()));
    e.field = "exchange";
    return e;
  }
  auto key = trim(api_key);
  if (auto e = check_field({"key", "API key"}, PlainField{key}, &rules->key)) return *e;
  crypto::Secret secret = api_secret.trimmed();
  if (auto e = check_field({"secret", "API secret"}, secret, &rules->secret)) return *e;
  return KeyInput{std::string(key), std::move(secret)};
}

std::string make_client_order_id(std::string_view venue_id, uint64_t unique) {
  const venues::VenueDescription* v = venues::find_venue(venue_id);
  if (v && v->make_client_order_id) return v->make_client_order_id(unique);
  return "tbk" + std::to_string(unique % 1'000'000'000'000'000ULL);  // <= 18 characters
}

}  // namespace tb::accounts
