#include "exsim/kraken/names.hpp"

#include <array>
#include <cctype>

namespace tb::exsim::kraken {
namespace {

struct AssetRow {
  std::string_view unified, id, altname;
  int decimals, display_decimals;
};

// Kraken's legacy X/Z class prefixes; newer assets (SOL, USDT) carry none.
constexpr std::array<AssetRow, 9> kAssets{{
    {"BTC", "XXBT", "XBT", 10, 5},
    {"ETH", "XETH", "ETH", 10, 5},
    {"XRP", "XXRP", "XRP", 8, 5},
    {"SOL", "SOL", "SOL", 10, 5},
    {"USD", "ZUSD", "USD", 4, 2},
    {"EUR", "ZEUR", "EUR", 4, 2},
    {"USDT", "USDT", "USDT", 8, 4},
    {"LTC", "XLTC", "LTC", 10, 5},
    {"DOGE", "XXDG", "XDG", 8, 2},
}};

const AssetRow* row_of(std::string_view unified) {
  for (auto& r : kAssets)
    if (r.unified == unified) return &r;
  return nullptr;
}

constexpr std::string_view kAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
constexpr uint64_t kScramble = 0x9E3779B97F4A7C15ull;  // odd: a bijection on 64-bit ids

uint64_t inverse_of_odd(uint64_t a) {
  uint64_t x = a;  // Newton's iteration doubles the correct low bits each step
  for (int i = 0; i < 6; ++i) x *= 2 - a * x;
  return x;
}

// Two check characters so that a txid we never issued is recognised as unknown, not as another order.
std::pair<char, char> check_chars(uint64_t v) {
  uint64_t h = (v ^ (v >> 29)) * 0xBF58476D1CE4E5B9ull;
  h ^= h >> 32;
  return {kAlphabet[h % 26 + 10], kAlphabet[(h / 26) % 36]};
}

}  // namespace

std::string asset_id(std::string_view unified) {
  auto r = row_of(unified);
  return r ? std::string(r->id) : std::string(unified);
}

std::string asset_altname(std::string_view unified) {
  auto r = row_of(unified);
  return r ? std::string(r->altname) : std::string(unified);
}

std::optional<std::string> unified_asset(std::string_view name) {
  for (auto& r : kAssets)
    if (r.id == name || r.altname == name || r.unified == name) return std::string(r.unified);
  return std::nullopt;
}

int asset_decimals(std::string_view unified) {
  auto r = row_of(unified);
  return r ? r->decimals : 8;
}

int asset_display_decimals(std::string_view unified) {
  auto r = row_of(unified);
  return r ? r->display_decimals : 5;
}

std::string pair_altname(std::string_view base, std::string_view quote) { return asset_altname(base) + asset_altname(quote); }

int decimals_of(const Decimal& step) { return step.normalized().scale(); }

std::string fixed(const Decimal& d, int decimals) { return d.to_fixed(decimals, Rounding::HalfEven); }

std::string txid_of(uint64_t id) {
  uint64_t v = id * kScramble;
  std::string digits(13, '0');  // 36^13 > 2^64
  uint64_t x = v;
  for (int i = 12; i >= 0; --i) {
    digits[i] = kAlphabet[x % 36];
    x /= 36;
  }
  auto [c1, c2] = check_chars(v);
  std::string s =
      "O" + std::string(1, c1) + digits.substr(0, 4) + "-" + digits.substr(4, 5) + "-" + digits.substr(9, 4) + std::string(1, c2) + "A";
  return s;
}

bool looks_like_txid(std::string_view t) {
  if (t.size() != 19 || t[6] != '-' || t[12] != '-') return false;
  for (size_t i = 0; i < t.size(); ++i) {
    if (i == 6 || i == 12) continue;
    unsigned char c = static_cast<unsigned char>(t[i]);
    if (!std::isdigit(c) && !std::isupper(c)) return false;
  }
  return true;
}

std::optional<uint64_t> id_of_txid(std::string_view t) {
  if (!looks_like_txid(t) || t[0] != 'O' || t[18] != 'A') return std::nullopt;
  std::string digits = std::string(t.substr(2, 4)) + std::string(t.substr(7, 5)) + std::string(t.substr(13, 4));
  __extension__ typedef unsigned __int128 U128;  // 13 base-36 digits may exceed 64 bits in a forged id
  U128 v = 0;
  for (char c : digits) {
    auto pos = kAlphabet.find(c);
    if (pos == std::string_view::npos) return std::nullopt;
    v = v * 36 + pos;
  }
  if (v > UINT64_MAX) return std::nullopt;
  uint64_t scrambled = static_cast<uint64_t>(v);
  auto [c1, c2] = check_chars(scrambled);
  if (t[1] != c1 || t[17] != c2) return std::nullopt;
  return scrambled * inverse_of_odd(kScramble);
}

std::vector<std::string> split_commas(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size()) {
    auto end = s.find(',', start);
    if (end == std::string::npos) end = s.size();
    if (end > start) out.push_back(s.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

}  // namespace tb::exsim::kraken
