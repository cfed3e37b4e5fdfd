#pragma once
// Kraken's methods, each a function from a checked call to the venue's answer. kraken_sim.cpp routes,
// authenticates and counts; these only read and change the engine.
#include <string>
#include <string_view>
#include <vector>

#include "exsim/engine/exchange.hpp"
#include "exsim/kraken/auth.hpp"
#include "exsim/kraken/rate_limits.hpp"
#include "exsim/kraken/render.hpp"
#include "net/http.hpp"

namespace tb::exsim::kraken {

// {"error":[],"result":...} and {"error":["EClass:Message"]}, both HTTP 200 as Kraken answers.
net::HttpResponse ok(json result);
net::HttpResponse fail(std::string_view error, int status = 200);

// The venue's pairs, found by id (XXBTZUSD) or altname (XBTUSD) as Kraken accepts either.
class PairBook {
 public:
  explicit PairBook(const std::vector<SimMarket>& markets);
  const Pair* find(std::string_view id_or_altname) const;
  const std::vector<Pair>& all() const { return pairs_; }

 private:
  std::vector<Pair> pairs_;
};

struct PublicCall {
  Exchange& exchange;
  const PairBook& pairs;
  const Params& params;
};

struct PrivateCall {
  Exchange& exchange;
  const PairBook& pairs;
  const Params& params;
  const ApiKey& key;
  DecayCounters& limits;
  std::string_view nonce;  // as sent
};

using PublicHandler = net::HttpResponse (*)(const PublicCall&);
using PrivateHandler = net::HttpResponse (*)(const PrivateCall&);

enum class Right { None, QueryFunds, QueryOrders, Trade, Withdraw };

struct PublicMethod {
  std::string_view name;
  PublicHandler handler;
};

struct PrivateMethod {
  std::string_view name;
  Right right;
  double cost;  // on the per-key REST counter; order entry is counted per pair instead
  PrivateHandler handler;
};

const PublicMethod* find_public(std::string_view name);
const PrivateMethod* find_private(std::string_view name);
// Every method served, public then private: the names faults use.
std::vector<std::string> public_method_names();
std::vector<std::string> method_names();

// Kraken's permission codes for an engine key (GetApiKeyInfo), and whether a key holds a right.
std::vector<std::string> permission_codes(const KeyPermissions& p);
bool has_right(const KeyPermissions& p, Right r);

}  // namespace tb::exsim::kraken
