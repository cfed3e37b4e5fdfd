#include "venues/kraken/symbols.hpp"

#include <array>
#include <utility>

namespace tb::venues::kraken {
namespace {

// Kraken's names that differ from the common codes, prefixed and bare.
constexpr std::array<std::pair<std::string_view, std::string_view>, 22> kRenames{{
    {"XXBT", "BTC"}, {"XBT", "BTC"},  {"XXDG", "DOGE"}, {"XDG", "DOGE"}, {"XETH", "ETH"}, {"XETC", "ETC"}, {"XLTC", "LTC"}, {"XXRP", "XRP"},
    {"XXLM", "XLM"}, {"XXMR", "XMR"}, {"XZEC", "ZEC"},  {"XREP", "REP"}, {"XMLN", "MLN"}, {"ZUSD", "USD"}, {"ZEUR", "EUR"}, {"ZGBP", "GBP"},
    {"ZJPY", "JPY"}, {"ZCAD", "CAD"}, {"ZAUD", "AUD"},  {"ZCHF", "CHF"}, {"XTZ", "XTZ"},  {"XXTZ", "XTZ"},
}};

}  // namespace

std::string_view strip_view_suffix(std::string_view asset, bool* had_suffix) {
  static constexpr std::string_view kSuffixes[] = {".S", ".M", ".B", ".F", ".T", ".P"};
  for (auto s : kSuffixes) {
    if (asset.size() > s.size() && asset.substr(asset.size() - s.size()) == s) {
      if (had_suffix) *had_suffix = true;
      return asset.substr(0, asset.size() - s.size());
    }
  }
  if (had_suffix) *had_suffix = false;
  return asset;
}

std::string unified_asset(std::string_view kraken_asset) {
  auto base = strip_view_suffix(kraken_asset);
  for (auto& [from, to] : kRenames)
    if (base == from) return std::string(to);
  return std::string(base);
}

void PairBook::add(const std::string& id, const std::string& altname) {
  std::lock_guard lock(mu_);
  to_id_[id] = id;
  if (!altname.empty()) to_id_[altname] = id;
}

std::optional<std::string> PairBook::id_of(std::string_view id_or_altname) const {
  std::lock_guard lock(mu_);
  auto it = to_id_.find(id_or_altname);
  if (it == to_id_.end()) return std::nullopt;
  return it->second;
}

bool PairBook::same_pair(std::string_view a, std::string_view b) const {
  if (a == b) return true;
  auto ia = id_of(a), ib = id_of(b);
  return ia && ib && *ia == *ib;
}

const nlohmann::json* pair_entry(const nlohmann::json& result, std::string_view symbol, const PairBook& book, std::string* key_out) {
  if (!result.is_object()) return nullptr;
  auto found = [&](const std::string& key) -> const nlohmann::json* {
    if (key_out) *key_out = key;
    return &result.at(key);
  };
  std::string sym(symbol);
  if (result.contains(sym)) return found(sym);
  if (auto id = book.id_of(symbol); id && result.contains(*id)) return found(*id);
  // One pair asked, one pair answered: that is ours even if we have not loaded the markets.
  const std::string* only = nullptr;
  for (auto it = result.begin(); it != result.end(); ++it) {
    if (it.key() == "last") continue;  // OHLC's poll cursor, not a pair
    if (only) return nullptr;
    only = &it.key();
  }
  return only ? found(*only) : nullptr;
}

}  // namespace tb::venues::kraken
