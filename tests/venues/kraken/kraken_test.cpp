// The Kraken connector against a scripted far side that answers with the documented shapes
// (exchanges.md §3): the exact requests sent, signatures recomputed here, parsed results, failures.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "crypto/encoding.hpp"
#include "crypto/hash.hpp"
#include "crypto/secret.hpp"
#include "crypto/signer.hpp"
#include "support/harness.hpp"
#include "venues/kraken/errors.hpp"
#include "venues/kraken/kraken.hpp"

namespace tb::venues {
namespace {

using test::json_response;

using test::run;

constexpr const char* kSecret = "kQH5HW/8p1uGOVjbgWA7FunAmGO8lsSUXNsu3eow76sz84Q18fWxnyRzBHCd3pd5nE9qa99HAZtuZuj6F1huXg==";
constexpr const char* kKey = "KEY-kraken-test";

Result<net::HttpResponse> ok(const std::string& result) { return json_response(200, R"({"error":[],"result":)" + result + "}"); }
Result<net::HttpResponse> kerr(const std::string& e) { return json_response(200, R"({"error":[")" + e + R"("]})"); }

std::string path_of(const net::HttpRequest& r) { return net::parse_url(r.url)->path(); }
std::string query_of(const net::HttpRequest& r) { return net::parse_url(r.url)->query(); }

// Answers by path; anything not scripted is an unknown method, as Kraken says it.
struct FakeKraken {
  std::map<std::string, std::function<Result<net::HttpResponse>(const net::HttpRequest&)>> routes;
  Result<net::HttpResponse> operator()(const net::HttpRequest& r) const {
    auto it = routes.find(path_of(r));
    if (it == routes.end()) return kerr("EGeneral:Unknown method");
    return it->second(r);
  }
};

// Recomputes API-Sign with the plain primitives and checks the private-call conventions.
void expect_signed(const net::HttpRequest& r, const std::string& method) {
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.url, "https://api.kraken.com/0/private/" + method);
  ASSERT_EQ(r.headers.size(), 3u);
  EXPECT_EQ(r.headers[0].name, "API-Key");
  EXPECT_EQ(r.headers[0].value, kKey);
  EXPECT_EQ(r.headers[1].name, "API-Sign");
  EXPECT_EQ(r.headers[2].name, "Content-Type");
  EXPECT_EQ(r.headers[2].value, "application/x-www-form-urlencoded");
  auto form = net::form_decode(r.body);
  ASSERT_TRUE(form);
  ASSERT_FALSE(form->empty());
  ASSERT_EQ((*form)[0].first, "nonce");
  const std::string nonce = (*form)[0].second;
  auto key = crypto::from_base64(kSecret);
  auto expected = crypto::base64(crypto::hmac_sha512(*key, "/0/private/" + method + crypto::sha256(nonce + r.body)));
  EXPECT_EQ(r.headers[1].value, expected);
}

uint64_t nonce_of(const net::HttpRequest& r) { return std::stoull(net::form_decode(r.body)->at(0).second); }

struct Fixture {
  explicit Fixture(FakeKraken fake, VenueConfig config = {}) : h(std::move(fake)), signer(kKey, crypto::Secret(kSecret)) {
    venue = make_kraken(h.context(), std::move(config));
  }
  test::VenueHarness h;
  crypto::LocalSigner signer;
  std::unique_ptr<Venue> venue;
  std::vector<net::HttpRequest> sent() const { return h.transport.requests(); }
};

const char* kAssetPairs = R"({"XXBTZUSD":{"altname":"XBTUSD","wsname":"XBT/USD","base":"XXBT","quote":"ZUSD",
  "pair_decimals":1,"cost_decimals":5,"lot_decimals":8,"ordermin":"0.0001","costmin":"0.5","tick_size":"0.1","status":"online"},
  "XETHZUSD":{"altname":"ETHUSD","base":"XETH","quote":"ZUSD","pair_decimals":2,"lot_decimals":8,"ordermin":"0.002",
  "costmin":"0.5","tick_size":"0.01","status":"online"}})";
const char* kAssets = R"({"XXBT":{"aclass":"currency","altname":"XBT","decimals":10,"display_decimals":5,"status":"enabled"},
  "XETH":{"aclass":"currency","altname":"ETH","decimals":10,"display_decimals":5,"status":"enabled"},
  "ZUSD":{"aclass":"currency","altname":"USD","decimals":4,"display_decimals":2,"status":"enabled"}})";
const char* kTicker = R"({"XXBTZUSD":{"a":["30300.10000","1","1.000"],"b":["30300.00000","1","1.000"],
  "c":["30303.20000","0.00067643"],"v":["4083.67001100","4412.73601799"],"p":["30706.77771","30689.13205"],
  "t":[34619,38907],"l":["29868.30000","29868.30000"],"h":["31631.00000","31631.00000"],"o":"30502.80000"}})";

std::string order_json(const char* status, const char* cl_ord_id, const char* pair = "XBTUSD", double opentm = 1688666559.8974) {
  nlohmann::json o = {{"refid", nullptr},
                      {"userref", 0},
                      {"cl_ord_id", cl_ord_id},
                      {"status", status},
                      {"opentm", opentm},
                      {"starttm", 0},
                      {"expiretm", 0},
                      {"descr",
                       {{"pair", pair},
                        {"type", "buy"},
                        {"ordertype", "limit"},
                        {"price", "27500.0"},
                        {"price2", "0"},
                        {"leverage", "none"},
                        {"order", "buy 1.45000000 XBTUSD @ limit 27500.0"}}},
                      {"vol", "1.45000000"},
                      {"vol_exec", "0.00000000"},
                      {"cost", "0.00000"},
                      {"fee", "0.00000"},
                      {"price", "0.00000"},
                      {"misc", ""},
                      {"oflags", "fciq,post"}};
  if (std::string(status) == "canceled") o["reason"] = "User requested", o["closetm"] = 1688666600.5;
  return o.dump();
}

// ---------------------------------------------------------------------------------------------- public

TEST(KrakenVenue, ServerTime) {
  Fixture f(
      FakeKraken{{{"/0/public/Time", [](auto&) { return ok(R"({"unixtime":1688669448,"rfc1123":"Thu, 06 Jul 23 18:50:48 +0000"})"); }}}});
  auto t = run(f.venue->server_time());
  ASSERT_TRUE(t) << t.error().describe();
  EXPECT_EQ(*t, 1'688'669'448'000);
  ASSERT_EQ(f.sent().size(), 1u);
  EXPECT_EQ(f.sent()[0].method, "GET");
  EXPECT_EQ(f.sent()[0].url, "https://api.kraken.com/0/public/Time");
  EXPECT_TRUE(f.sent()[0].headers.empty());
  EXPECT_EQ(f.venue->id(), "kraken");
}

TEST(KrakenVenue, MarketsFromAssetPairsAndAssets) {
  Fixture f(FakeKraken{
      {{"/0/public/AssetPairs", [](auto&) { return ok(kAssetPairs); }}, {"/0/public/Assets", [](auto&) { return ok(kAssets); }}}});
  auto m = run(f.venue->markets());
  ASSERT_TRUE(m) << m.error().describe();
  ASSERT_EQ(m->size(), 2u);
  EXPECT_EQ((*m)[0].id, "XETHZUSD");
  EXPECT_EQ((*m)[0].symbol, "ETH/USD");
  EXPECT_EQ((*m)[1].symbol, "BTC/USD");
  EXPECT_EQ((*m)[1].tick_size.to_string(), "0.1");
  EXPECT_EQ((*m)[1].step_size.to_string(), "0.00000001");
  EXPECT_EQ((*m)[1].min_qty.to_string(), "0.0001");
  EXPECT_EQ((*m)[1].min_notional.to_string(), "0.5");
  ASSERT_EQ(f.sent().size(), 2u);
  EXPECT_EQ(f.sent()[0].url, "https://api.kraken.com/0/public/AssetPairs");
  EXPECT_EQ(f.sent()[1].url, "https://api.kraken.com/0/public/Assets");
}

TEST(KrakenVenue, TickerByAltnameReadsTheIdKeyedResult) {
  Fixture f(FakeKraken{{{"/0/public/Ticker", [](auto&) { return ok(kTicker); }}}});
  auto t = run(f.venue->ticker("XBTUSD"));
  ASSERT_TRUE(t) << t.error().describe();
  EXPECT_EQ(t->symbol, "XXBTZUSD");
  EXPECT_EQ(t->last.to_string(), "30303.20000");
  EXPECT_EQ(t->bid->to_string(), "30300.00000");
  EXPECT_EQ(t->ask->to_string(), "30300.10000");
  EXPECT_EQ(t->time_ms, 1'700'000'000'000);
  EXPECT_EQ(f.sent()[0].url, "https://api.kraken.com/0/public/Ticker?pair=XBTUSD");
  auto t2 = run(f.venue->ticker("XXBTZUSD"));
  ASSERT_TRUE(t2);
  EXPECT_EQ(t2->last.to_string(), "30303.20000");
}

TEST(KrakenVenue, CandlesSinceAndLimit) {
  Fixture f(FakeKraken{{{"/0/public/OHLC", [](auto&) {
                           return ok(R"({"XXBTZUSD":[[1688671140,"30300.0","30310.0","30290.0","30305.0","30300.0","1.5",10],
      [1688671200,"30306.1","30306.2","30305.7","30305.7","30306.1","3.39243896",23],
      [1688671260,"30305.7","30307.0","30301.0","30302.0","30304.0","0.5",4],
      [1688671320,"30302.0","30303.0","30300.0","30301.0","30301.5","0.25",2]],"last":1688671260})");
                         }}}});
  CandleQuery q{"XBTUSD", Timeframe::M1, 1'688'671'200'000, 2};
  auto c = run(f.venue->candles(q));
  ASSERT_TRUE(c) << c.error().describe();
  // Kraken's since is exclusive and in seconds: one interval back is asked, the extra row dropped.
  EXPECT_EQ(query_of(f.sent()[0]), "pair=XBTUSD&interval=1&since=1688671140");
  ASSERT_EQ(c->size(), 2u);
  EXPECT_EQ((*c)[0].open_time_ms, 1'688'671'200'000);
  EXPECT_EQ((*c)[0].open.to_string(), "30306.1");
  EXPECT_EQ((*c)[0].high.to_string(), "30306.2");
  EXPECT_EQ((*c)[0].low.to_string(), "30305.7");
  EXPECT_EQ((*c)[0].close.to_string(), "30305.7");
  EXPECT_EQ((*c)[0].volume.to_string(), "3.39243896");  // index 6, not the vwap
  EXPECT_EQ((*c)[1].open_time_ms, 1'688'671'260'000);
  auto h = run(f.venue->candles(CandleQuery{"XBTUSD", Timeframe::H4, std::nullopt, 1}));
  ASSERT_TRUE(h);
  EXPECT_EQ(query_of(f.sent()[1]), "pair=XBTUSD&interval=240");
  ASSERT_EQ(h->size(), 1u);
  EXPECT_EQ((*h)[0].open_time_ms, 1'688'671'320'000);  // without since: the most recent
}

// ---------------------------------------------------------------------------------------------- private

TEST(KrakenVenue, BalancesSignedWithAnIncreasingNonce) {
  Fixture f(FakeKraken{
      {{"/0/private/BalanceEx", [](auto&) {
          return ok(
              R"({"ZUSD":{"balance":"171288.6158","hold_trade":"1000.0000"},"XXBT":{"balance":"1011.1908877900","hold_trade":"0.5"}})");
        }}}});
  auto b = run(f.venue->balances(f.signer));
  ASSERT_TRUE(b) << b.error().describe();
  ASSERT_EQ(b->balances.size(), 2u);
  EXPECT_EQ(b->balances[0].asset, "BTC");
  EXPECT_EQ(b->balances[0].total.to_string(), "1011.1908877900");
  EXPECT_EQ(b->balances[0].free.to_string(), "1010.6908877900");
  EXPECT_EQ(b->balances[0].used.to_string(), "0.5");
  EXPECT_EQ(b->balances[1].asset, "USD");
  ASSERT_TRUE(run(f.venue->balances(f.signer)));
  auto sent = f.sent();
  ASSERT_EQ(sent.size(), 2u);
  expect_signed(sent[0], "BalanceEx");
  expect_signed(sent[1], "BalanceEx");
  EXPECT_EQ(sent[0].body, "nonce=1700000000000000");    // µs from the clock
  EXPECT_EQ(nonce_of(sent[1]), nonce_of(sent[0]) + 1);  // the clock did not move: still strictly increasing
}

TEST(KrakenVenue, CreateLimitPostOnlyOrderWithClientId) {
  Fixture f(FakeKraken{{{"/0/private/AddOrder", [](auto&) {
                           return ok(R"({"descr":{"order":"buy 1.45000000 XBTUSD @ limit 27500.0"},"txid":["OU22CG-KLAF2-FWUDD7"]})");
                         }}}});
  OrderRequest req{"XBTUSD",
                   Side::Buy,
                   OrderType::Limit,
                   *Decimal::parse("1.45"),
                   Decimal::parse("27500.0"),
                   true,
                   false,
                   "6d1b345e-2821-40e2-ad83-4ecb18a06876"};
  auto o = run(f.venue->create_order(f.signer, req));
  ASSERT_TRUE(o) << o.error().describe();
  EXPECT_EQ(o->id, "OU22CG-KLAF2-FWUDD7");
  EXPECT_EQ(o->client_order_id, "6d1b345e-2821-40e2-ad83-4ecb18a06876");
  EXPECT_EQ(o->symbol, "XBTUSD");
  EXPECT_EQ(o->status, OrderStatus::New);
  EXPECT_EQ(o->price->to_string(), "27500.0");
  EXPECT_EQ(o->amount.to_string(), "1.45");
  EXPECT_TRUE(o->post_only);
  EXPECT_EQ(o->venue_status, "buy 1.45000000 XBTUSD @ limit 27500.0");
  ASSERT_EQ(f.sent().size(), 1u);
  expect_signed(f.sent()[0], "AddOrder");
  EXPECT_EQ(f.sent()[0].body,
            "nonce=1700000000000000&ordertype=limit&pair=XBTUSD&price=27500.0&type=buy&volume=1.45&oflags=post"
            "&cl_ord_id=6d1b345e-2821-40e2-ad83-4ecb18a06876");
}

TEST(KrakenVenue, CreateMarketOrderSendsNoPrice) {
  Fixture f(FakeKraken{{{"/0/private/AddOrder", [](auto&) {
                           return ok(R"({"descr":{"order":"sell 0.25000000 XBTUSD @ market"},"txid":["OXXXXX-XXXXX-XXXXXX"]})");
                         }}}});
  OrderRequest req{"XXBTZUSD", Side::Sell, OrderType::Market, *Decimal::parse("0.25"), std::nullopt, false, false, "robot-1"};
  auto o = run(f.venue->create_order(f.signer, req));
  ASSERT_TRUE(o) << o.error().describe();
  EXPECT_EQ(f.sent()[0].body, "nonce=1700000000000000&ordertype=market&pair=XXBTZUSD&type=sell&volume=0.25&cl_ord_id=robot-1");
  EXPECT_FALSE(o->price);
}

TEST(KrakenVenue, BadClientOrderIdIsRefusedBeforeSending) {
  Fixture f(FakeKraken{});
  OrderRequest req{
      "XBTUSD", Side::Buy, OrderType::Limit, *Decimal::parse("1"), Decimal::parse("1"), false, false, "this-id-is-far-too-long-for-kraken"};
  auto o = run(f.venue->create_order(f.signer, req));
  ASSERT_FALSE(o);
  EXPECT_EQ(o.error().kind, ErrorKind::InvalidArgument);
  EXPECT_NE(o.error().message.find("client_order_id"), std::string::npos);
  EXPECT_TRUE(f.sent().empty());
  auto p = f.venue->prepare(Action::CreateOrder,
                            {{"symbol", "XBTUSD"}, {"side", "buy"}, {"amount", "1"}, {"price", "1"}, {"client_order_id", "bad id"}},
                            &f.signer, {});
  ASSERT_FALSE(p);
  EXPECT_NE(p.error().message.find("client_order_id"), std::string::npos);
}

TEST(KrakenVenue, CancelByIdAndByClientId) {
  Fixture f(FakeKraken{{{"/0/private/CancelOrder", [](const net::HttpRequest& r) {
                           if (r.body.find("txid=OUNKNO-WNXXX-XXXXXX") != std::string::npos) return kerr("EOrder:Unknown order");
                           if (r.body.find("cl_ord_id=gone") != std::string::npos) return ok(R"({"count":0})");
                           return ok(R"({"count":1})");
                         }}}});
  auto c = run(f.venue->cancel_order(f.signer, OrderRef{"", "OU22CG-KLAF2-FWUDD7", ""}));
  ASSERT_TRUE(c) << c.error().describe();
  EXPECT_EQ(c->id, "OU22CG-KLAF2-FWUDD7");
  EXPECT_EQ(c->status, OrderStatus::Canceled);
  expect_signed(f.sent()[0], "CancelOrder");
  EXPECT_EQ(f.sent()[0].body, "nonce=1700000000000000&txid=OU22CG-KLAF2-FWUDD7");
  auto c2 = run(f.venue->cancel_order(f.signer, OrderRef{"", "", "robot-1"}));
  ASSERT_TRUE(c2);
  EXPECT_EQ(c2->client_order_id, "robot-1");
  EXPECT_EQ(f.sent()[1].body, "nonce=1700000000000001&cl_ord_id=robot-1");
  auto unknown = run(f.venue->cancel_order(f.signer, OrderRef{"", "OUNKNO-WNXXX-XXXXXX", ""}));
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().kind, ErrorKind::OrderNotFound);
  EXPECT_EQ(unknown.error().venue_code, "EOrder:Unknown order");
  EXPECT_FALSE(unknown.error().outcome_unknown);
  auto gone = run(f.venue->cancel_order(f.signer, OrderRef{"", "", "gone"}));
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().kind, ErrorKind::OrderNotFound);
}

TEST(KrakenVenue, FetchOrderByTxid) {
  Fixture f(FakeKraken{{{"/0/private/QueryOrders", [](const net::HttpRequest& r) {
                           if (r.body.find("OU22CG") == std::string::npos) return ok("{}");  // unknown id: a result without it
                           return ok(R"({"OU22CG-KLAF2-FWUDD7":)" + order_json("open", "robot-1") + "}");
                         }}}});
  auto o = run(f.venue->fetch_order(f.signer, OrderRef{"", "OU22CG-KLAF2-FWUDD7", ""}));
  ASSERT_TRUE(o) << o.error().describe();
  EXPECT_EQ(o->id, "OU22CG-KLAF2-FWUDD7");
  EXPECT_EQ(o->client_order_id, "robot-1");
  EXPECT_EQ(o->status, OrderStatus::New);
  expect_signed(f.sent()[0], "QueryOrders");
  EXPECT_EQ(f.sent()[0].body, "nonce=1700000000000000&txid=OU22CG-KLAF2-FWUDD7&trades=true");
  auto missing = run(f.venue->fetch_order(f.signer, OrderRef{"", "OAAAAA-BBBBB-CCCCCC", ""}));
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().kind, ErrorKind::OrderNotFound);
}

TEST(KrakenVenue, FetchOrderByClientIdFindsFinishedOrders) {
  Fixture f(FakeKraken{{{"/0/private/OpenOrders", [](auto&) { return ok(R"({"open":{}})"); }},
                        {"/0/private/ClosedOrders", [](const net::HttpRequest& r) {
                           if (r.body.find("cl_ord_id=robot-1") == std::string::npos) return ok(R"({"closed":{},"count":0})");
                           return ok(R"({"closed":{"OU22CG-KLAF2-FWUDD7":)" + order_json("canceled", "robot-1") + R"(},"count":1})");
                         }}}});
  auto o = run(f.venue->fetch_order(f.signer, OrderRef{"", "", "robot-1"}));
  ASSERT_TRUE(o) << o.error().describe();
  EXPECT_EQ(o->id, "OU22CG-KLAF2-FWUDD7");
  EXPECT_EQ(o->status, OrderStatus::Canceled);
  EXPECT_EQ(o->venue_status, "canceled: User requested");
  auto sent = f.sent();
  ASSERT_EQ(sent.size(), 2u);
  expect_signed(sent[0], "OpenOrders");
  EXPECT_EQ(sent[0].body, "nonce=1700000000000000&trades=true&cl_ord_id=robot-1");
  expect_signed(sent[1], "ClosedOrders");
  EXPECT_EQ(sent[1].body, "nonce=1700000000000001&trades=true&cl_ord_id=robot-1");
  auto none = run(f.venue->fetch_order(f.signer, OrderRef{"", "", "never-sent"}));
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().kind, ErrorKind::OrderNotFound);
}

TEST(KrakenVenue, FetchOrderByClientIdStillOpen) {
  Fixture f(FakeKraken{
      {{"/0/private/OpenOrders", [](auto&) { return ok(R"({"open":{"OU22CG-KLAF2-FWUDD7":)" + order_json("open", "robot-1") + "}}"); }}}});
  auto o = run(f.venue->fetch_order(f.signer, OrderRef{"", "", "robot-1"}));
  ASSERT_TRUE(o) << o.error().describe();
  EXPECT_EQ(o->status, OrderStatus::New);
  EXPECT_EQ(f.sent().size(), 1u);  // found open: no need to look at closed ones
}

TEST(KrakenVenue, OpenOrdersFilteredBySymbolWhicheverName) {
  Fixture f(FakeKraken{{{"/0/private/OpenOrders",
                         [](auto&) {
                           return ok(R"({"open":{"OU22CG-KLAF2-FWUDD7":)" + order_json("open", "a") + R"(,"OB5VMB-B4U2U-DK2WRW":)" +
                                     order_json("open", "b", "ETHUSD", 1688666000.1) + "}}");
                         }},
                        {"/0/public/AssetPairs", [](auto&) { return ok(kAssetPairs); }},
                        {"/0/public/Assets", [](auto&) { return ok(kAssets); }}}});
  auto all = run(f.venue->open_orders(f.signer, std::nullopt));
  ASSERT_TRUE(all) << all.error().describe();
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ(f.sent()[0].body, "nonce=1700000000000000");
  auto btc = run(f.venue->open_orders(f.signer, std::string("XXBTZUSD")));
  ASSERT_TRUE(btc) << btc.error().describe();
  ASSERT_EQ(btc->size(), 1u);
  EXPECT_EQ((*btc)[0].id, "OU22CG-KLAF2-FWUDD7");
}

TEST(KrakenVenue, PermissionsFromGetApiKeyInfo) {
  Fixture f(FakeKraken{{{"/0/private/GetApiKeyInfo", [](auto&) {
                           return ok(R"({"apiKeyName":"my-api-key","apiKey":"k","nonce":"1772627060997","nonceWindow":0,
      "permissions":["query-funds","withdraw-funds","query-open-trades","modify-trades"],"iban":"AA88 N84G WOAK NMOI",
      "validUntil":"0","queryFrom":"0","queryTo":"0","createdTime":"1772542900","modifiedTime":"1772543095",
      "ipAllowlist":[],"lastUsed":"1772627061"})");
                         }}}});
  auto k = run(f.venue->permissions(f.signer));
  ASSERT_TRUE(k) << k.error().describe();
  EXPECT_EQ(k->can_withdraw, true);
  EXPECT_EQ(k->can_trade, true);
  EXPECT_EQ(k->ip_restricted, false);
  ASSERT_EQ(f.sent().size(), 1u);
  expect_signed(f.sent()[0], "GetApiKeyInfo");
}

TEST(KrakenVenue, PermissionsFallBackToTheFundingProbe) {
  // GetApiKeyInfo unknown (the fake answers EGeneral:Unknown method): WithdrawMethods decides.
  Fixture denied(FakeKraken{{{"/0/private/WithdrawMethods", [](auto&) { return kerr("EGeneral:Permission denied"); }}}});
  auto k = run(denied.venue->permissions(denied.signer));
  ASSERT_TRUE(k) << k.error().describe();
  EXPECT_EQ(k->can_withdraw, false);
  EXPECT_FALSE(k->can_trade);  // Kraken does not say
  ASSERT_EQ(denied.sent().size(), 2u);
  expect_signed(denied.sent()[1], "WithdrawMethods");

  Fixture allowed(FakeKraken{{{"/0/private/GetApiKeyInfo", [](auto&) { return json_response(404, "Not Found"); }},
                              {"/0/private/WithdrawMethods", [](auto&) {
                                 return ok(R"([{"asset":"XXBT","method":"Bitcoin","network":"Bitcoin","minimum":"0.0004"}])");
                               }}}});
  auto k2 = run(allowed.venue->permissions(allowed.signer));
  ASSERT_TRUE(k2) << k2.error().describe();
  EXPECT_EQ(k2->can_withdraw, true);
  EXPECT_EQ(allowed.sent().size(), 2u);  // a 404 is not retried
  EXPECT_TRUE(allowed.h.sleeper.waits.empty());

  Fixture badkey(FakeKraken{{{"/0/private/GetApiKeyInfo", [](auto&) { return kerr("EAPI:Invalid key"); }}}});
  auto k3 = run(badkey.venue->permissions(badkey.signer));
  ASSERT_FALSE(k3);
  EXPECT_EQ(k3.error().kind, ErrorKind::InvalidKey);
  EXPECT_EQ(badkey.sent().size(), 1u);
}

// ---------------------------------------------------------------------------------------------- prepare

TEST(KrakenVenue, PrepareReproducesTheOfficialVector) {
  Fixture f(FakeKraken{});
  auto r = f.venue->prepare(Action::CreateOrder,
                            {{"symbol", "XBTUSD"}, {"side", "buy"}, {"type", "limit"}, {"amount", "1.25"}, {"price", "37500"}}, &f.signer,
                            RequestStamp{1616492376594, std::nullopt});
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_EQ(r->method, "POST");
  EXPECT_EQ(r->url, "https://api.kraken.com/0/private/AddOrder");
  EXPECT_EQ(r->body, "nonce=1616492376594&ordertype=limit&pair=XBTUSD&price=37500&type=buy&volume=1.25");
  ASSERT_NE(r->header("API-Sign"), nullptr);
  EXPECT_EQ(*r->header("API-Sign"), "4/dpxb3iT4tp/ZCVEwSnEsLxx0bqyhLpdfOpc6fn7OR8+UClSV5n9E6aSS8MPtnRfp32bAb0nmbRn6H8ndwLUQ==");
  EXPECT_TRUE(f.sent().empty());
}

TEST(KrakenVenue, PrepareEveryAction) {
  VenueConfig cfg;
  cfg.base_url = "http://127.0.0.1:8123/";
  Fixture f(FakeKraken{}, cfg);
  RequestStamp stamp{42, std::nullopt};
  struct Case {
    Action action;
    ActionParams params;
    const char* method;
    const char* url;
    const char* body;
  };
  const Case cases[] = {
      {Action::ServerTime, {}, "GET", "http://127.0.0.1:8123/0/public/Time", ""},
      {Action::Markets, {}, "GET", "http://127.0.0.1:8123/0/public/AssetPairs", ""},
      {Action::Ticker, {{"symbol", "XBTUSD"}}, "GET", "http://127.0.0.1:8123/0/public/Ticker?pair=XBTUSD", ""},
      {Action::Candles,
       {{"symbol", "XBTUSD"}, {"timeframe", "1h"}},
       "GET",
       "http://127.0.0.1:8123/0/public/OHLC?pair=XBTUSD&interval=60",
       ""},
      {Action::Balances, {}, "POST", "http://127.0.0.1:8123/0/private/BalanceEx", "nonce=42"},
      {Action::CancelOrder,
       {{"order_id", "OU22CG-KLAF2-FWUDD7"}},
       "POST",
       "http://127.0.0.1:8123/0/private/CancelOrder",
       "nonce=42&txid=OU22CG-KLAF2-FWUDD7"},
      {Action::FetchOrder,
       {{"client_order_id", "robot-1"}},
       "POST",
       "http://127.0.0.1:8123/0/private/OpenOrders",
       "nonce=42&trades=true&cl_ord_id=robot-1"},
      {Action::FetchOrder,
       {{"order_id", "OU22CG-KLAF2-FWUDD7"}},
       "POST",
       "http://127.0.0.1:8123/0/private/QueryOrders",
       "nonce=42&txid=OU22CG-KLAF2-FWUDD7&trades=true"},
      {Action::OpenOrders, {}, "POST", "http://127.0.0.1:8123/0/private/OpenOrders", "nonce=42"},
      {Action::Permissions, {}, "POST", "http://127.0.0.1:8123/0/private/GetApiKeyInfo", "nonce=42"},
      {Action::CreateOrder,
       {{"symbol", "XBTUSD"},
        {"side", "sell"},
        {"amount", "0.5"},
        {"price", "40000.1"},
        {"post_only", "true"},
        {"reduce_only", "true"},
        {"client_order_id", "abc"}},
       "POST",
       "http://127.0.0.1:8123/0/private/AddOrder",
       "nonce=42&ordertype=limit&pair=XBTUSD&price=40000.1&type=sell&volume=0.5&oflags=post&reduce_only=true&cl_ord_id=abc"},
  };
  for (auto& c : cases) {
    auto r = f.venue->prepare(c.action, c.params, &f.signer, stamp);
    ASSERT_TRUE(r) << to_string(c.action) << ": " << r.error().describe();
    EXPECT_EQ(r->method, c.method) << to_string(c.action);
    EXPECT_EQ(r->url, c.url) << to_string(c.action);
    EXPECT_EQ(r->body, c.body) << to_string(c.action);
    if (std::string(c.method) == "POST") {
      auto key = crypto::from_base64(kSecret);
      auto path = net::parse_url(r->url)->path();
      EXPECT_EQ(*r->header("API-Sign"), crypto::base64(crypto::hmac_sha512(*key, path + crypto::sha256("42" + r->body))));
    }
  }
  auto ts = f.venue->prepare(Action::Balances, {}, &f.signer, RequestStamp{std::nullopt, 1'700'000'000'123});
  ASSERT_TRUE(ts);
  EXPECT_EQ(ts->body, "nonce=1700000000123000");  // a timestamp stamp fixes the µs nonce too
  EXPECT_TRUE(f.sent().empty());
}

TEST(KrakenVenue, PrepareErrorsNameWhatIsMissing) {
  Fixture f(FakeKraken{});
  auto nokey = f.venue->prepare(Action::Balances, {}, nullptr, {});
  ASSERT_FALSE(nokey);
  EXPECT_EQ(nokey.error().kind, ErrorKind::InvalidArgument);
  // The venue names what is missing; the command line's flags are app/'s words (tests/cli/dry_run.test.mjs).
  EXPECT_NE(nokey.error().message.find("API key"), std::string::npos);
  EXPECT_NE(nokey.error().message.find("secret"), std::string::npos);
  EXPECT_EQ(nokey.error().message.find("--key"), std::string::npos);
  EXPECT_TRUE(f.venue->prepare(Action::ServerTime, {}, nullptr, {}));
  auto nosym = f.venue->prepare(Action::Ticker, {}, nullptr, {});
  ASSERT_FALSE(nosym);
  EXPECT_NE(nosym.error().message.find("'symbol'"), std::string::npos);
  auto noref = f.venue->prepare(Action::CancelOrder, {}, &f.signer, {});
  ASSERT_FALSE(noref);
  EXPECT_NE(noref.error().message.find("order_id"), std::string::npos);
}

// ---------------------------------------------------------------------------------------------- failures

TEST(KrakenVenue, SecretNotBase64IsRefusedWithoutSendingOrLeaking) {
  Fixture f(FakeKraken{});
  const std::string secret = "definitely not base64 !!";
  crypto::LocalSigner bad(kKey, crypto::Secret(secret));
  auto b = run(f.venue->balances(bad));
  ASSERT_FALSE(b);
  EXPECT_EQ(b.error().kind, ErrorKind::InvalidArgument);
  EXPECT_EQ(b.error().describe().find(secret), std::string::npos);
  EXPECT_EQ(nlohmann::json(b.error()).dump().find(secret), std::string::npos);
  EXPECT_TRUE(f.sent().empty());
  auto p = f.venue->prepare(Action::Balances, {}, &bad, {});
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().kind, ErrorKind::InvalidArgument);
}

TEST(KrakenVenue, EveryErrorRowThroughARealCall) {
  for (auto& row : kraken::error_table()) {
    std::string text(row.text);
    Fixture f(FakeKraken{{{"/0/private/BalanceEx", [text](auto&) { return kerr(text); }}}});
    auto b = run(f.venue->balances(f.signer));
    ASSERT_FALSE(b) << text;
    EXPECT_EQ(b.error().kind, row.kind) << text;
    EXPECT_EQ(b.error().venue_code, text);
    for (std::string s : {b.error().describe(), nlohmann::json(b.error()).dump()}) {
      EXPECT_EQ(s.find(kSecret), std::string::npos) << text;
      EXPECT_EQ(s.find(std::string(kSecret).substr(0, 20)), std::string::npos) << text;
    }
  }
}

TEST(KrakenVenue, ReadsAreRetriedOnTransientFailures) {
  struct Case {
    const char* name;
    std::function<Result<net::HttpResponse>(const net::HttpRequest&)> answer;
    ErrorKind kind;
  };
  const Case cases[] = {
      {"network", [](auto&) -> Result<net::HttpResponse> { return Error::make(ErrorKind::NetworkError, "connection reset"); },
       ErrorKind::NetworkError},
      {"timeout",
       [](auto&) -> Result<net::HttpResponse> {
         Error e = Error::make(ErrorKind::NetworkError, "timed out after 15000 ms");
         e.outcome_unknown = true;
         return e;
       },
       ErrorKind::NetworkError},
      {"html 502",
       [](auto&) -> Result<net::HttpResponse> {
         return net::HttpResponse{502, {{"Content-Type", "text/html"}}, "<html><h1>502 Bad Gateway</h1></html>"};
       },
       ErrorKind::ExchangeUnavailable},
      {"busy", [](auto&) { return kerr("EService:Busy"); }, ErrorKind::ExchangeUnavailable},
  };
  for (auto& c : cases) {
    Fixture f(FakeKraken{{{"/0/private/BalanceEx", c.answer}, {"/0/public/Time", c.answer}}});
    auto b = run(f.venue->balances(f.signer));
    ASSERT_FALSE(b) << c.name;
    EXPECT_EQ(b.error().kind, c.kind) << c.name;
    auto sent = f.sent();
    ASSERT_EQ(sent.size(), 3u) << c.name;  // max_attempts
    EXPECT_EQ(f.h.sleeper.waits.size(), 2u) << c.name;
    EXPECT_LT(nonce_of(sent[0]), nonce_of(sent[1])) << c.name;  // each attempt re-signed with a fresh nonce
    EXPECT_LT(nonce_of(sent[1]), nonce_of(sent[2])) << c.name;
    auto t = run(f.venue->server_time());
    ASSERT_FALSE(t);
    EXPECT_EQ(f.sent().size(), 6u) << c.name;
  }
}

TEST(KrakenVenue, ReadRecoversAfterOneFailure) {
  int calls = 0;
  Fixture f(FakeKraken{{{"/0/public/Time", [&](auto&) -> Result<net::HttpResponse> {
                           if (++calls == 1) return Error::make(ErrorKind::NetworkError, "reset");
                           return ok(R"({"unixtime":1688669448,"rfc1123":"x"})");
                         }}}});
  auto t = run(f.venue->server_time());
  ASSERT_TRUE(t);
  EXPECT_EQ(calls, 2);
}

TEST(KrakenVenue, UnreadableBodiesAreNotRetriedAndNeverCrash) {
  for (const char* body : {R"({"error":[],"result":{"unixtime":16886)", "<html>maintenance</html>", R"({"result":{}})",
                           R"({"error":[],"result":{"unixtime":"soon"}})"}) {
    Fixture f(FakeKraken{{{"/0/public/Time", [body](auto&) { return json_response(200, body); }}}});
    auto t = run(f.venue->server_time());
    ASSERT_FALSE(t) << body;
    EXPECT_EQ(t.error().kind, ErrorKind::BadResponse) << body;
    EXPECT_EQ(f.sent().size(), 1u);
  }
}

TEST(KrakenVenue, CreateAndCancelAreNeverRetriedAndReportUnknownOutcomes) {
  const std::vector<std::function<Result<net::HttpResponse>(const net::HttpRequest&)>> answers = {
      [](auto&) -> Result<net::HttpResponse> { return Error::make(ErrorKind::NetworkError, "connection reset"); },
      [](auto&) -> Result<net::HttpResponse> { return Error::make(ErrorKind::NetworkError, "timed out"); },
      [](auto&) -> Result<net::HttpResponse> {
        return net::HttpResponse{502, {}, "<html>502 Bad Gateway</html>"};
      },
      [](auto&) -> Result<net::HttpResponse> { return json_response(200, R"({"error":[],"result":{"descr":{"ord)"); },
  };
  for (size_t i = 0; i < answers.size(); ++i) {
    Fixture f(FakeKraken{{{"/0/private/AddOrder", answers[i]}, {"/0/private/CancelOrder", answers[i]}}});
    OrderRequest req{"XBTUSD", Side::Buy, OrderType::Limit, *Decimal::parse("1"), Decimal::parse("100"), true, false, "robot-1"};
    auto o = run(f.venue->create_order(f.signer, req));
    ASSERT_FALSE(o) << i;
    EXPECT_TRUE(o.error().outcome_unknown) << i << " " << o.error().describe();
    EXPECT_EQ(f.sent().size(), 1u) << i;
    auto c = run(f.venue->cancel_order(f.signer, OrderRef{"", "OU22CG-KLAF2-FWUDD7", ""}));
    ASSERT_FALSE(c) << i;
    EXPECT_TRUE(c.error().outcome_unknown) << i;
    EXPECT_EQ(f.sent().size(), 2u) << i;
    EXPECT_TRUE(f.h.sleeper.waits.empty()) << i;
  }
  // A definite refusal is not an unknown outcome.
  Fixture f(FakeKraken{{{"/0/private/AddOrder", [](auto&) { return kerr("EOrder:Insufficient funds"); }}}});
  OrderRequest req{"XBTUSD", Side::Buy, OrderType::Limit, *Decimal::parse("1"), Decimal::parse("100"), false, false, ""};
  auto o = run(f.venue->create_order(f.signer, req));
  ASSERT_FALSE(o);
  EXPECT_EQ(o.error().kind, ErrorKind::InsufficientFunds);
  EXPECT_FALSE(o.error().outcome_unknown);
}

TEST(KrakenVenue, PerKeyRateLimiterWaitsWhenTheCounterIsFull) {
  Fixture f(FakeKraken{{{"/0/private/BalanceEx", [](auto&) { return ok("{}"); }},
                        {"/0/private/AddOrder", [](auto&) { return ok(R"({"descr":{"order":"x"},"txid":["O1"]})"); }}}});
  // Order entry is not counted on the REST counter.
  OrderRequest req{"XBTUSD", Side::Buy, OrderType::Limit, *Decimal::parse("1"), Decimal::parse("100"), false, false, ""};
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(run(f.venue->create_order(f.signer, req)));
  EXPECT_TRUE(f.h.sleeper.waits.empty());
  for (int i = 0; i < 15; ++i) ASSERT_TRUE(run(f.venue->balances(f.signer)));
  EXPECT_TRUE(f.h.sleeper.waits.empty());
  ASSERT_TRUE(run(f.venue->balances(f.signer)));
  ASSERT_EQ(f.h.sleeper.waits.size(), 1u);
  // One unit at 0.33/s: about three seconds.
  EXPECT_GE(f.h.sleeper.waits[0].count(), 3000);
  EXPECT_LE(f.h.sleeper.waits[0].count(), 3100);
  // Another key has its own counter.
  crypto::LocalSigner other("KEY-other", crypto::Secret(kSecret));
  ASSERT_TRUE(run(f.venue->balances(other)));
  EXPECT_EQ(f.h.sleeper.waits.size(), 1u);
}

TEST(KrakenVenue, BaseUrlReplacesEveryUrl) {
  VenueConfig cfg;
  cfg.base_url = "http://127.0.0.1:9000";
  Fixture f(FakeKraken{{{"/0/public/Time", [](auto&) { return ok(R"({"unixtime":1,"rfc1123":"x"})"); }},
                        {"/0/private/BalanceEx", [](auto&) { return ok("{}"); }}}},
            cfg);
  ASSERT_TRUE(run(f.venue->server_time()));
  ASSERT_TRUE(run(f.venue->balances(f.signer)));
  for (auto& r : f.sent()) EXPECT_EQ(r.url.rfind("http://127.0.0.1:9000/0/", 0), 0u) << r.url;
}

}  // namespace
}  // namespace tb::venues
