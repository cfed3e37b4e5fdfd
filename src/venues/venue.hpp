#pragma once
// The Venue interface: one exchange, spoken exactly as its REST API documents it. Implementations live
// in one folder per venue (listed by registry.hpp), each with the same files: auth (pure signing),
// endpoints (paths, weights, base URLs), requests (what each action sends), parse (venue JSON -> core
// types), errors (code -> ErrorKind), symbols, description (the venue as data) and the connector.
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/core.hpp"
#include "crypto/signer.hpp"
#include "net/transport.hpp"
#include "venues/common/nonce.hpp"
#include "venues/common/rate_limit.hpp"

namespace tb::net {
class WsClient;
}  // namespace tb::net

namespace tb::venues {

using net::Task;
class FuturesSettings;  // futures_settings.hpp

// The CLI's actions; every venue offers all of them.
enum class Action { ServerTime, Markets, Ticker, Candles, Balances, CreateOrder, CancelOrder, FetchOrder, OpenOrders, Permissions };
std::string_view to_string(Action);  // "server-time", "create-order", ...
std::optional<Action> parse_action(std::string_view);
bool needs_key(Action);

// Parameters by name, the same for every venue: symbol, side, type, amount, price, post_only,
// reduce_only, client_order_id, order_id, timeframe, since, limit.
using ActionParams = std::map<std::string, std::string, std::less<>>;  // transparent: look-ups by string_view allocate nothing

struct CandleQuery {
  std::string symbol;  // venue id
  Timeframe timeframe = Timeframe::M1;
  std::optional<int64_t> since_ms;
  std::optional<int> limit;
};

// Fixes what a signed request would otherwise take from the clock, so a request can be reproduced
// byte for byte (--dry-run --nonce N --timestamp MS, and tests).
struct RequestStamp {
  std::optional<uint64_t> nonce;
  std::optional<int64_t> timestamp_ms;
};

// What a venue needs from the outside world; all of it injected.
struct VenueContext {
  net::HttpTransport* transport = nullptr;
  net::Sleeper* sleeper = nullptr;
  const Clock* clock = nullptr;
  NonceSource* nonces = nullptr;  // shared by every venue object of the process: one sequence per key
  LimitBook* limits = nullptr;    // where rate budgets outlive the process; none: in memory only
  // The venue's WebSocket API, where a connector that speaks it sends its orders; none: over HTTP. Awaited
  // on the io_context it was made on.
  net::WsClient* ws_api = nullptr;
};

struct VenueConfig {
  // Replaces every base URL of the venue (the simulator, a proxy, a test server).
  std::optional<std::string> base_url;
  std::chrono::milliseconds recv_window{5'000};  // venues that sign a timestamp: how old a request may be
  int max_attempts = 3;                          // for calls that are safe to repeat; never for create/cancel
  // A longer wait for the client-side budget (a 429's Retry-After, a ban) is not slept through inside a
  // call but answered as RateLimited with the wait, for the caller to honour (serve defers the key test).
  std::optional<std::chrono::milliseconds> max_throttle_wait;
  net::RequestOptions request;
};

class Venue {
 public:
  virtual ~Venue() = default;
  virtual std::string_view id() const = 0;            // its folder's name
  virtual std::string_view display_name() const = 0;  // as users know it

  virtual Task<Result<int64_t>> server_time() = 0;  // ms since the epoch
  virtual Task<Result<std::vector<Market>>> markets() = 0;
  virtual Task<Result<Ticker>> ticker(std::string symbol) = 0;
  virtual Task<Result<std::vector<Candle>>> candles(CandleQuery query) = 0;
  virtual Task<Result<Portfolio>> balances(const crypto::Signer& signer) = 0;
  virtual Task<Result<Order>> create_order(const crypto::Signer& signer, OrderRequest request) = 0;
  // The venue's answer where it echoes the order; otherwise the id and status Canceled.
  virtual Task<Result<Order>> cancel_order(const crypto::Signer& signer, OrderRef ref) = 0;
  virtual Task<Result<Order>> fetch_order(const crypto::Signer& signer, OrderRef ref) = 0;
  virtual Task<Result<std::vector<Order>>> open_orders(const crypto::Signer& signer, std::optional<std::string> symbol) = 0;
  virtual Task<Result<KeyPermissions>> permissions(const crypto::Signer& signer) = 0;
  // The fills of one order with the fee of each, where the venue lists them: the fee of a venue whose order
  // answers carry none. InvalidArgument where the venue lists none (its orders carry their fee). ref needs the symbol and the venue's order
  // id. Wrappers pass their venue's through.
  virtual Task<Result<std::vector<Trade>>> order_trades(const crypto::Signer& signer, OrderRef ref);
  // A futures venue's account settings (position mode, leverage, margin type); nullptr where it has none.
  // Wrappers pass their venue's through.
  virtual FuturesSettings* futures_settings() { return nullptr; }

  // The exact request `action` sends first, signed (when signer is given) with the stamp; nothing is sent.
  // InvalidArgument names the parameter when params are missing or malformed.
  virtual Result<net::HttpRequest> prepare(Action action, const ActionParams& params, const crypto::Signer* signer,
                                           const RequestStamp& stamp) = 0;
};

}  // namespace tb::venues
