// What one trading call costs us before and after the network: building and signing one create-order
// request per venue (through the public Venue::prepare path, nonce/timestamp from the clock), and parsing
// one order and one balance response per venue (JSON text to core types). scripts/bench.sh runs this
// beside ccxt signing the same requests and writes the table in docs/BENCHMARKS.md.
#include <benchmark/benchmark.h>

#include "core/core.hpp"
#include "crypto/signer.hpp"
#include "venues/binance_futures/parse.hpp"
#include "venues/bitfinex/parse.hpp"
#include "venues/kraken/parse.hpp"
#include "venues/registry.hpp"
#include "venues/venue.hpp"

namespace tb {
namespace {

using venues::ActionParams;

// prepare() never sends; a transport that refuses keeps the benchmark honest about that.
class NoTransport final : public net::HttpTransport {
 public:
  net::Task<Result<net::HttpResponse>> send(net::HttpRequest, net::RequestOptions) override {
    co_return Error::make(ErrorKind::NetworkError, "benchmark sends nothing");
  }
};

struct VenueCase {
  const char* key;
  const char* secret;
  ActionParams order;
};

VenueCase venue_case(const std::string& venue) {
  if (venue == "binance_futures")
    return {"dbefbc809e3e83c283a984c3a1459732ea7db1360ca80c5c2c8867408d28cc83",
            "2b5eb11e18796d12d88f13dc27dbbd02c2cc51ff7059765ed9821957d82bb4d9",
            {{"symbol", "BTCUSDT"},
             {"side", "buy"},
             {"type", "limit"},
             {"amount", "0.010"},
             {"price", "30000.0"},
             {"client_order_id", "tb-1"}}};
  if (venue == "kraken")
    return {
        "kraken-key",
        "kQH5HW/8p1uGOVjbgWA7FunAmGO8lsSUXNsu3eow76sz84Q18fWxnyRzBHCd3pd5nE9qa99HAZtuZuj6F1huXg==",
        {{"symbol", "XBTUSD"}, {"side", "buy"}, {"type", "limit"}, {"amount", "1.25"}, {"price", "37500"}, {"client_order_id", "tb-1"}}};
  return {
      "bitfinex-key",
      "bitfinex-test-secret",
      {{"symbol", "tBTCUSD"}, {"side", "buy"}, {"type", "limit"}, {"amount", "0.001"}, {"price", "30000"}, {"client_order_id", "12345"}}};
}

void SignCreateOrder(benchmark::State& state, std::string venue_id) {
  NoTransport transport;
  venues::NonceSource nonces(SystemClock::instance());
  auto venue = venues::make_venue(venue_id, {&transport, nullptr, &SystemClock::instance(), &nonces});
  auto c = venue_case(venue_id);
  crypto::LocalSigner signer(c.key, crypto::Secret(c.secret));
  for (auto _ : state) {
    auto req = venue->prepare(venues::Action::CreateOrder, c.order, &signer, {});
    if (!req) state.SkipWithError(req.error().describe().c_str());
    benchmark::DoNotOptimize(req);
  }
}

// Documented response shapes (exchanges.md), one order and one balance answer per venue.
constexpr const char* kBinanceOrder =
    R"({"orderId":22542179,"symbol":"BTCUSDT","status":"NEW","clientOrderId":"tb-1","price":"30000.0","avgPrice":"0.00000","origQty":"0.010","executedQty":"0","cumQty":"0","cumQuote":"0","timeInForce":"GTC","type":"LIMIT","origType":"LIMIT","reduceOnly":false,"closePosition":false,"side":"BUY","positionSide":"BOTH","stopPrice":"0","workingType":"CONTRACT_PRICE","priceProtect":false,"priceMatch":"NONE","selfTradePreventionMode":"NONE","goodTillDate":0,"updateTime":1566818724722})";
constexpr const char* kBinanceAccount =
    R"({"feeTier":0,"canTrade":true,"canDeposit":true,"canWithdraw":true,"updateTime":0,"totalWalletBalance":"1000.00000000","availableBalance":"1000.00000000","assets":[{"asset":"USDT","walletBalance":"1000.00000000","unrealizedProfit":"0.00000000","marginBalance":"1000.00000000","maintMargin":"0.00000000","initialMargin":"0.00000000","positionInitialMargin":"0.00000000","openOrderInitialMargin":"0.00000000","crossWalletBalance":"1000.00000000","crossUnPnl":"0.00000000","availableBalance":"1000.00000000","maxWithdrawAmount":"1000.00000000","marginAvailable":true,"updateTime":1617939110373}],"positions":[{"symbol":"BTCUSDT","initialMargin":"0","maintMargin":"0","unrealizedProfit":"0.00000000","positionInitialMargin":"0","openOrderInitialMargin":"0","leverage":"20","isolated":false,"entryPrice":"0.0","maxNotional":"250000","positionSide":"BOTH","positionAmt":"0.000","updateTime":0}]})";
constexpr const char* kKrakenOrder =
    R"({"refid":null,"userref":0,"cl_ord_id":"tb-1","status":"open","opentm":1688666559.8974,"starttm":0,"expiretm":0,"descr":{"pair":"XBTUSD","type":"buy","ordertype":"limit","price":"30010.0","price2":"0","leverage":"none","order":"buy 1.25000000 XBTUSD @ limit 30010.0","close":""},"vol":"1.25000000","vol_exec":"0.00000000","cost":"0.00000","fee":"0.00000","price":"0.00000","stopprice":"0.00000","limitprice":"0.00000","misc":"","oflags":"fciq","trades":[]})";
constexpr const char* kKrakenBalance =
    R"({"ZUSD":{"balance":"25435.21","hold_trade":"8249.76"},"XXBT":{"balance":"1.2435","hold_trade":"0.8423"},"XETH":{"balance":"10.5","hold_trade":"0"}})";
constexpr const char* kBitfinexOrder =
    R"([1234567,null,12345,"tBTCUSD",1700000000000,1700000000001,0.001,0.001,"EXCHANGE LIMIT",null,null,null,0,"ACTIVE",null,null,30000,0,0,0,null,null,null,0,0,null,null,null,"API>BFX",null,null,{}])";
constexpr const char* kBitfinexWallets =
    R"([["exchange","UST",19788.6529257,0,19788.6529257,null,null],["exchange","BTC",0.5,0,0.4,"Exchange 0.1 BTC for UST @ 30000.0",null]])";

template <typename Parse>
void ParseBody(benchmark::State& state, const char* body, Parse parse) {
  std::string text(body);
  for (auto _ : state) {
    auto j = venues::parse_json_body(text, 200);
    auto r = parse(*j);
    if (!r) state.SkipWithError(r.error().describe().c_str());
    benchmark::DoNotOptimize(r);
  }
}

BENCHMARK_CAPTURE(SignCreateOrder, binance_futures, std::string("binance_futures"));
BENCHMARK_CAPTURE(SignCreateOrder, kraken, std::string("kraken"));
BENCHMARK_CAPTURE(SignCreateOrder, bitfinex, std::string("bitfinex"));

void ParseOrder_binance_futures(benchmark::State& s) { ParseBody(s, kBinanceOrder, venues::binance_futures::parse_order); }
// The fan-out's path: the answer read in place (parse_order_body), no document built.
void ParseOrderInPlace_binance_futures(benchmark::State& state) {
  std::string text(kBinanceOrder);
  for (auto _ : state) {
    auto r = venues::binance_futures::parse_order_body(text, 200);
    if (!r) state.SkipWithError(r.error().describe().c_str());
    benchmark::DoNotOptimize(r);
  }
}
void ParseOrder_kraken(benchmark::State& s) {
  ParseBody(s, kKrakenOrder, [](const venues::json& j) { return venues::kraken::parse_order("OQCLML-BW3P3-BUCMWZ", j); });
}
void ParseOrder_bitfinex(benchmark::State& s) { ParseBody(s, kBitfinexOrder, venues::bitfinex::parse_order); }
void ParseBalance_binance_futures(benchmark::State& s) { ParseBody(s, kBinanceAccount, venues::binance_futures::parse_account); }
void ParseBalance_kraken(benchmark::State& s) { ParseBody(s, kKrakenBalance, venues::kraken::parse_balances); }
void ParseBalance_bitfinex(benchmark::State& s) { ParseBody(s, kBitfinexWallets, venues::bitfinex::parse_wallets); }
BENCHMARK(ParseOrder_binance_futures)->Name("ParseOrder/binance_futures");
BENCHMARK(ParseOrderInPlace_binance_futures)->Name("ParseOrder/binance_futures_in_place");
BENCHMARK(ParseOrder_kraken)->Name("ParseOrder/kraken");
BENCHMARK(ParseOrder_bitfinex)->Name("ParseOrder/bitfinex");
BENCHMARK(ParseBalance_binance_futures)->Name("ParseBalance/binance_futures");
BENCHMARK(ParseBalance_kraken)->Name("ParseBalance/kraken");
BENCHMARK(ParseBalance_bitfinex)->Name("ParseBalance/bitfinex");

}  // namespace
}  // namespace tb

// The primitive under every signature, for scale.
static void HmacSha256(benchmark::State& state) {
  std::string key(64, 'k'), msg(160, 'm');
  for (auto _ : state) benchmark::DoNotOptimize(tb::crypto::hmac_sha256(key, msg));
}
BENCHMARK(HmacSha256)->Name("Primitive/hmac_sha256_160B");

BENCHMARK_MAIN();
