#pragma once
// Kraken's own words for the engine's unified names: asset ids with class prefixes (XXBT, ZUSD), pair
// altnames (XBTUSD), the decimals Kraken prints, and its order ids (OU22CG-KLAF2-FWUDD7).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/decimal.hpp"

namespace tb::exsim::kraken {

std::string asset_id(std::string_view unified);                            // BTC -> XXBT, USD -> ZUSD, SOL -> SOL
std::string asset_altname(std::string_view unified);                       // BTC -> XBT, USD -> USD
std::optional<std::string> unified_asset(std::string_view id_or_altname);  // XXBT / XBT -> BTC; nullopt if unknown
int asset_decimals(std::string_view unified);                              // Assets.decimals: balances are printed with these
int asset_display_decimals(std::string_view unified);

// Pair altname from the unified base and quote: BTC/USD -> XBTUSD.
std::string pair_altname(std::string_view base, std::string_view quote);

// Decimals of a step or tick: 0.1 -> 1, 0.00000001 -> 8, 1 -> 0.
int decimals_of(const Decimal& step);
// Exactly `decimals` digits, as Kraken pads prices and volumes.
std::string fixed(const Decimal& d, int decimals);

// Order ids: three dash-separated upper-case groups 6-5-6, starting with 'O'. The engine's numeric id is
// scrambled into them reversibly, so ids look like Kraken's and can be read back without a table.
std::string txid_of(uint64_t id);
// nullopt when the text is not one of our txids (wrong shape, wrong check characters).
std::optional<uint64_t> id_of_txid(std::string_view txid);
// The shape alone: 6-5-6 upper-case alphanumerics.
bool looks_like_txid(std::string_view txid);

// Kraken's list parameters (pair, txid, oflags) are comma-separated; empty items are dropped.
std::vector<std::string> split_commas(const std::string& s);

}  // namespace tb::exsim::kraken
