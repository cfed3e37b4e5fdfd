#pragma once
// Account settings of a futures venue that its trading depends on: the position mode (one-way or hedge,
// where orders name the position they act on), and per symbol the leverage and margin type. A Venue that
// has them answers them from Venue::futures_settings(); the others answer nullptr.
#include <optional>
#include <string>
#include <string_view>

#include "core/core.hpp"
#include "crypto/signer.hpp"
#include "net/transport.hpp"
#include "venues/futures_types.hpp"
#include "venues/venue.hpp"

namespace tb::venues {

class FuturesSettings {
 public:
  virtual ~FuturesSettings() = default;
  virtual net::Task<Result<PositionMode>> position_mode(const crypto::Signer& signer) = 0;
  virtual net::Task<Result<SymbolSettings>> symbol_settings(const crypto::Signer& signer, std::string symbol) = 0;
  // Each answers the settings in effect afterwards. Asking for what is already set is no error.
  virtual net::Task<Result<SymbolSettings>> set_leverage(const crypto::Signer& signer, std::string symbol, int leverage) = 0;
  virtual net::Task<Result<SymbolSettings>> set_margin_type(const crypto::Signer& signer, std::string symbol, MarginType type) = 0;
  // The request a setting action sends first (reads without `leverage`/`margin_type`, else the change).
  virtual Result<net::HttpRequest> prepare_setting(SettingAction action, const ActionParams& params, const crypto::Signer* signer,
                                                   const RequestStamp& stamp) = 0;
};

// The venue's settings (through any wrapper), or nullptr when it has none.
FuturesSettings* futures_settings(Venue& venue);

}  // namespace tb::venues
