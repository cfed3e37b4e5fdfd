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

bool in_alphabet(char c, Alphabet a) {
  if (std::isalnum(static_cast<unsigned char>(c))) return true;
  return a == Alphabet::Base64 && (c == '+' || c == '/' || c == '=');
}

Error field_error(std::string_view field, std::string what) {
  return Error::make(ErrorKind::InvalidArgument, std::string(field) + " " + std::move(what));
}

// Describes what is wrong with one field in words the user can act on; never echoes the value.
std::optional<Error> check_field(std::string_view field, std::string_view value, const FieldFormat* rule) {
  if (value.empty()) return field_error(field, "is empty.");
  if (std::any_of(value.begin(), value.end(), is_space)) return field_error(field, "contains a space or line break; copy it again.");
  if (!rule) return std::nullopt;
  const char* letters = rule->alphabet == Alphabet::Alnum ? "letters and digits" : "base64 characters (A-Z a-z 0-9 + / =)";
  if (value.size() != rule->length)
    return field_error(field, "should be " + std::to_string(rule->length) + " characters, got " + std::to_string(value.size()) +
                                  "; copy it again in full.");
  if (!std::all_of(value.begin(), value.end(), [&](char c) { return in_alphabet(c, rule->alphabet); }))
    return field_error(field, std::string("should contain only ") + letters + ".");
  if (rule->decoded_bytes) {
    auto bytes = crypto::from_base64(value);
    if (!bytes || bytes->size() != rule->decoded_bytes) return field_error(field, "is not valid base64 of the expected length; copy it again.");
  }
  return std::nullopt;
}

bool is_base64_char(char c) { return in_alphabet(c, Alphabet::Base64); }

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
    if (!check_field("", text, &v.key) || !check_field("", text, &v.secret)) return true;
  return looks_random(text);
}

std::optional<std::string> quoted_echo(std::string_view typed) {
  if (typed.size() > kMaxEchoChars || looks_like_key(typed)) return std::nullopt;
  std::string out = "'";
  for (char c : typed) out += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? '?' : c;
  return out + "'";
}

Result<KeyInput> check_key_input(std::string_view venue_id, std::string_view api_key, std::string_view api_secret) {
  const venues::VenueDescription* rules = venues::find_venue(venue_id);
  if (!rules) {
    auto echo = quoted_echo(venue_id);
    return Error::make(ErrorKind::InvalidArgument, "unknown exchange" + (echo ? " " + *echo : std::string()));
  }
  auto key = trim(api_key);
  auto secret = trim(api_secret);
  if (auto e = check_field("API key", key, &rules->key)) return *e;
  if (auto e = check_field("API secret", secret, &rules->secret)) return *e;
  return KeyInput{std::string(key), std::string(secret)};
}

std::string make_client_order_id(std::string_view venue_id, uint64_t unique) {
  const venues::VenueDescription* v = venues::find_venue(venue_id);
  if (v && v->make_client_order_id) return v->make_client_order_id(unique);
  return "tbk" + std::to_string(unique % 1'000'000'000'000'000ULL);  // <= 18 characters
}

}  // namespace tb::accounts
