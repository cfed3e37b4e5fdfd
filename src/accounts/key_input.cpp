#include "accounts/key_input.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include "crypto/encoding.hpp"

namespace tb::accounts {
namespace {

enum class Alphabet { Alnum, Base64 };

struct FieldRule {
  size_t length;
  Alphabet alphabet;
  size_t decoded_bytes = 0;  // base64 secrets: the length once decoded
};

struct VenueRules {
  std::string_view id;
  FieldRule key;
  FieldRule secret;
  VenueKeyFacts facts;
};

const std::array<VenueRules, 3> kVenues{{
    {"binance_futures", {64, Alphabet::Alnum}, {64, Alphabet::Alnum},
     {ClientIdStyle::Dashed36,
      "In Binance, API Management, edit this key and untick \"Enable Withdrawals\", then test again.",
      "In Binance, API Management, edit this key and tick \"Enable Futures\" (trading), then test again."}},
    {"kraken", {56, Alphabet::Base64}, {88, Alphabet::Base64, 64},
     {ClientIdStyle::Short18,
      "In Kraken, Settings > API, edit this key and remove the \"Withdraw Funds\" permission, then test again.",
      "In Kraken, Settings > API, edit this key and add \"Create & Modify Orders\" and \"Cancel & Close Orders\", then test again."}},
    {"bitfinex", {43, Alphabet::Alnum}, {43, Alphabet::Alnum},
     {ClientIdStyle::Integer,
      "In Bitfinex, Account > API Keys, create a key without the \"Withdraw\" permission (it cannot be edited), then add it here.",
      "In Bitfinex, Account > API Keys, create a key with the \"Orders\" write permission, then add it here."}},
}};

const VenueRules* rules_for(std::string_view id) {
  for (const auto& v : kVenues)
    if (v.id == id) return &v;
  return nullptr;
}

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
std::optional<Error> check_field(std::string_view field, std::string_view value, const FieldRule* rule) {
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
  for (const auto& v : kVenues)
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
  const VenueRules* rules = rules_for(venue_id);
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

std::optional<KeyFormat> key_format(std::string_view venue_id) {
  const VenueRules* r = rules_for(venue_id);
  if (!r) return std::nullopt;
  auto text = [](Alphabet a) -> std::string_view { return a == Alphabet::Alnum ? "letters and digits" : "base64"; };
  return KeyFormat{{r->key.length, text(r->key.alphabet)}, {r->secret.length, text(r->secret.alphabet)}};
}

const VenueKeyFacts& key_facts(std::string_view venue_id) {
  static const VenueKeyFacts kNeutral{ClientIdStyle::Short18, "Turn off the withdrawal right of this key at the exchange, then test again.",
                                      "Turn on the trading right of this key at the exchange, then test again."};
  const VenueRules* r = rules_for(venue_id);
  return r ? r->facts : kNeutral;
}

std::string make_client_order_id(std::string_view venue_id, uint64_t unique) {
  switch (key_facts(venue_id).client_id) {
    case ClientIdStyle::Integer: return std::to_string(unique % 35'184'372'088'831ULL + 1);  // Bitfinex: int45
    case ClientIdStyle::Short18: return "tbk" + std::to_string(unique % 1'000'000'000'000'000ULL);  // <= 18 chars
    case ClientIdStyle::Dashed36: return "tb-keytest-" + std::to_string(unique);
  }
  return std::to_string(unique);
}

}  // namespace tb::accounts
