#pragma once
// Kraken's asset and pair names (exchanges.md §3.5). Legacy assets carry class prefixes (XXBT, ZUSD) and
// Kraken calls bitcoin XBT and dogecoin XDG; balances may show read-only views with suffixes (.S, .M,
// .B, .F, .T). Requests accept a pair's id (XXBTZUSD) or its altname (XBTUSD); results are keyed by id.
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace tb::venues::kraken {

// "XXBT" / "XBT" -> "BTC", "ZUSD" -> "USD", "XXDG" / "XDG" -> "DOGE", "ETH2.S" -> "ETH2", "USDT" -> "USDT".
std::string unified_asset(std::string_view kraken_asset);
// The asset without its read-only view suffix, and whether it had one.
std::string_view strip_view_suffix(std::string_view kraken_asset, bool* had_suffix = nullptr);

// id <-> altname of the pairs seen in AssetPairs; safe to share between coroutines on several threads.
class PairBook {
 public:
  void add(const std::string& id, const std::string& altname);
  // The pair id for an id or altname, if known.
  std::optional<std::string> id_of(std::string_view id_or_altname) const;
  bool same_pair(std::string_view a, std::string_view b) const;

 private:
  mutable std::mutex mu_;
  std::map<std::string, std::string, std::less<>> to_id_;  // id and altname -> id
};

// The value of a pair-keyed result object (Ticker, OHLC) for the pair we asked about, whichever of id or
// altname we sent: the exact key, the key the book maps it to, or the only pair key present.
// nullptr when none fits.
const nlohmann::json* pair_entry(const nlohmann::json& result, std::string_view symbol, const PairBook& book,
                                 std::string* key_out = nullptr);

}  // namespace tb::venues::kraken
