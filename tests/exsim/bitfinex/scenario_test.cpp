// tradebridge's own Bitfinex connector against the simulator: the whole scenario (markets, ticker,
// candles, balances, permissions, orders) and every refusal, checked by the connector's ErrorKind; plus
// the raw answers where the connector cannot show the venue's exact bytes.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "crypto/encoding.hpp"
#include "crypto/hash.hpp"
#include "exsim/bitfinex/sim_world.hpp"
#include "venues/bitfinex/errors.hpp"

namespace tb::exsim {
namespace {

using test::run;
using test_support::SimWorld;

KeyPermissions trading() { return KeyPermissions{.read = true, .trade = true, .futures = false, .withdraw = false}; }
Decimal dec(const char* s) { return *Decimal::parse(s); }

const tb::Balance* find(const Portfolio& p, std::string_view asset) {
  for (const auto& b : p.balances)
    if (b.asset == asset) return &b;
  return nullptr;
}

OrderRequest limit_buy(const char* amount, const char* price, std::string cid = {}) {
  OrderRequest r;
  r.symbol = "tBTCUSD";
  r.side = Side::Buy;
  r.type = OrderType::Limit;
  r.amount = dec(amount);
  r.price = dec(price);
  r.client_order_id = std::move(cid);
  return r;
}

// A signed request the way a client builds it, with a nonce of our choosing.
net::HttpRequest signed_post(const ApiKey& k, const std::string& path, const std::string& body, uint64_t nonce) {
  net::HttpRequest r;
  r.method = "POST";
  r.url = "http://127.0.0.1:8081/" + path;
  std::string n = std::to_string(nonce);
  r.headers = {{"Content-Type", "application/json"},
               {"bfx-nonce", n},
               {"bfx-apikey", k.key},
               {"bfx-signature", crypto::hex(crypto::hmac_sha384(k.secret, "/api/" + path + n + body))}};
  r.body = body;
  return r;
}

TEST(BitfinexSim, MarketsTickerCandlesAndTime) {
  SimWorld w;
  auto markets = run(w.venue->markets());
  ASSERT_TRUE(markets) << markets.error().describe();
  ASSERT_EQ(markets->size(), 4u);
  const Market& btc = markets->front();
  EXPECT_EQ(btc.id, "tBTCUSD");
  EXPECT_EQ(btc.symbol, "BTC/USD");
  EXPECT_EQ(btc.min_qty, dec("0.00004"));
  EXPECT_EQ(btc.max_qty, dec("2000"));

  ASSERT_TRUE(w.exchange.set_price("bitfinex", "tBTCUSD", dec("31234")));
  auto t = run(w.venue->ticker("tBTCUSD"));
  ASSERT_TRUE(t) << t.error().describe();
  EXPECT_EQ(t->last, dec("31234"));
  EXPECT_EQ(t->bid, dec("31234"));

  w.harness.clock.advance_ms(30 * 60'000);
  auto c = run(w.venue->candles({.symbol = "tBTCUSD", .timeframe = Timeframe::M1, .since_ms = std::nullopt, .limit = 10}));
  ASSERT_TRUE(c) << c.error().describe();
  ASSERT_EQ(c->size(), 10u);
  for (size_t i = 1; i < c->size(); ++i) EXPECT_EQ((*c)[i].open_time_ms - (*c)[i - 1].open_time_ms, 60'000);
  EXPECT_LE(c->back().open_time_ms, w.harness.clock.now_ms());

  auto now = run(w.venue->server_time());
  ASSERT_TRUE(now) << now.error().describe();
  EXPECT_EQ(*now, w.harness.clock.now_ms() / 1000 * 1000);  // the Date header: whole seconds

  EXPECT_FALSE(run(w.venue->ticker("tDOGEUSD")));
}

TEST(BitfinexSim, BalancesAndPermissions) {
  SimWorld w;
  auto k = w.key(trading());
  auto s = SimWorld::signer(k);
  auto p = run(w.venue->balances(s));
  ASSERT_TRUE(p) << p.error().describe();
  ASSERT_NE(find(*p, "USD"), nullptr);
  EXPECT_EQ(find(*p, "USD")->total, dec("10000"));
  EXPECT_EQ(find(*p, "USD")->free, dec("10000"));
  EXPECT_EQ(find(*p, "BTC")->total, dec("1"));

  auto perms = run(w.venue->permissions(s));
  ASSERT_TRUE(perms) << perms.error().describe();
  EXPECT_EQ(perms->can_read, true);
  EXPECT_EQ(perms->can_trade, true);
  EXPECT_EQ(perms->can_withdraw, false);

  auto withdrawing = w.key(KeyPermissions{.read = true, .trade = true, .futures = false, .withdraw = true});
  perms = run(w.venue->permissions(SimWorld::signer(withdrawing)));
  ASSERT_TRUE(perms) << perms.error().describe();
  EXPECT_EQ(perms->can_withdraw, true);

  auto read_only = w.key(KeyPermissions{.read = true, .trade = false, .futures = false, .withdraw = false});
  perms = run(w.venue->permissions(SimWorld::signer(read_only)));
  ASSERT_TRUE(perms);
  EXPECT_EQ(perms->can_trade, false);
}

TEST(BitfinexSim, LimitOrderLifecycle) {
  SimWorld w;
  auto k = w.key(trading());
  auto s = SimWorld::signer(k);
  ASSERT_TRUE(w.exchange.set_price("bitfinex", "tBTCUSD", dec("30000")));

  auto o = run(w.venue->create_order(s, limit_buy("0.001", "20000", "12345")));
  ASSERT_TRUE(o) << o.error().describe();
  EXPECT_EQ(o->status, OrderStatus::New);
  EXPECT_EQ(o->venue_status, "ACTIVE");
  EXPECT_EQ(o->client_order_id, "12345");
  EXPECT_EQ(o->price, dec("20000"));
  EXPECT_EQ(o->amount, dec("0.001"));
  EXPECT_EQ(o->side, Side::Buy);

  auto p = run(w.venue->balances(s));
  ASSERT_TRUE(p);
  EXPECT_EQ(find(*p, "USD")->total, dec("10000"));
  EXPECT_LT(find(*p, "USD")->free, dec("10000"));  // funds reserved by the order

  auto fetched = run(w.venue->fetch_order(s, {.symbol = "", .order_id = o->id, .client_order_id = ""}));
  ASSERT_TRUE(fetched) << fetched.error().describe();
  EXPECT_EQ(fetched->id, o->id);
  EXPECT_EQ(fetched->status, OrderStatus::New);
  auto by_cid = run(w.venue->fetch_order(s, {.symbol = "", .order_id = "", .client_order_id = "12345"}));
  ASSERT_TRUE(by_cid) << by_cid.error().describe();
  EXPECT_EQ(by_cid->id, o->id);

  auto open = run(w.venue->open_orders(s, std::nullopt));
  ASSERT_TRUE(open);
  ASSERT_EQ(open->size(), 1u);
  EXPECT_EQ(open->front().id, o->id);
  open = run(w.venue->open_orders(s, std::string("tETHUSD")));
  ASSERT_TRUE(open);
  EXPECT_TRUE(open->empty());

  auto canceled = run(w.venue->cancel_order(s, {.symbol = "", .order_id = o->id, .client_order_id = ""}));
  ASSERT_TRUE(canceled) << canceled.error().describe();
  // The venue's answer is "submitted for cancellation": Canceling until the read below confirms it.
  EXPECT_EQ(canceled->status, OrderStatus::Canceling);
  open = run(w.venue->open_orders(s, std::nullopt));
  ASSERT_TRUE(open);
  EXPECT_TRUE(open->empty());
  fetched = run(w.venue->fetch_order(s, {.symbol = "", .order_id = o->id, .client_order_id = ""}));
  ASSERT_TRUE(fetched) << fetched.error().describe();  // found in the history
  EXPECT_EQ(fetched->status, OrderStatus::Canceled);
  EXPECT_EQ(fetched->venue_status, "CANCELED");
  p = run(w.venue->balances(s));
  EXPECT_EQ(find(*p, "USD")->free, dec("10000"));  // reservation released
}

TEST(BitfinexSim, MarketOrderFillsAndMovesBalances) {
  SimWorld w;
  auto k = w.key(trading());
  auto s = SimWorld::signer(k);
  ASSERT_TRUE(w.exchange.set_price("bitfinex", "tBTCUSD", dec("30000")));
  OrderRequest r;
  r.symbol = "tBTCUSD";
  r.side = Side::Buy;
  r.type = OrderType::Market;
  r.amount = dec("0.01");
  auto o = run(w.venue->create_order(s, r));
  ASSERT_TRUE(o) << o.error().describe();
  EXPECT_EQ(o->status, OrderStatus::Filled);
  EXPECT_EQ(o->filled, dec("0.01"));
  EXPECT_EQ(o->average_price, dec("30000"));
  EXPECT_EQ(o->venue_status.rfind("EXECUTED @ 30000(0.01)", 0), 0u) << o->venue_status;
  auto p = run(w.venue->balances(s));
  ASSERT_TRUE(p);
  EXPECT_EQ(find(*p, "BTC")->total, dec("1.01"));
  EXPECT_LT(find(*p, "USD")->total, dec("9700"));  // 300 paid, plus the taker fee
  EXPECT_GT(find(*p, "USD")->total, dec("9690"));

  r.side = Side::Sell;
  r.amount = dec("0.5");
  o = run(w.venue->create_order(s, r));
  ASSERT_TRUE(o) << o.error().describe();
  EXPECT_EQ(o->side, Side::Sell);
  p = run(w.venue->balances(s));
  EXPECT_EQ(find(*p, "BTC")->total, dec("0.51"));
}

TEST(BitfinexSim, AuthenticationRefusals) {
  SimWorld w;
  auto k = w.key(trading());
  ApiKey wrong = k;
  wrong.secret[0] = wrong.secret[0] == 'a' ? 'b' : 'a';
  auto r = run(w.venue->balances(SimWorld::signer(wrong)));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::InvalidSignature);
  EXPECT_EQ(r.error().venue_code, "10100");
  EXPECT_EQ(r.error().http_status, 500);

  ApiKey unknown = k;
  unknown.key = std::string(43, 'Z');
  r = run(w.venue->balances(SimWorld::signer(unknown)));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::InvalidKey);

  // The venue does not say why a key is refused from another address: it is invalid there.
  auto fenced = w.key(trading(), {"10.1.2.3"});
  r = run(w.venue->balances(SimWorld::signer(fenced)));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::InvalidKey);
  w.peer_ip = "10.1.2.3";
  EXPECT_TRUE(run(w.venue->balances(SimWorld::signer(fenced))));
}

TEST(BitfinexSim, StaleNonceIsRefused) {
  SimWorld w;
  auto k = w.key(trading());
  auto s = SimWorld::signer(k);
  ASSERT_TRUE(run(w.venue->balances(s)));  // the connector's µs nonce is now the key's last
  // A millisecond nonce after a microsecond one: what a second client on the same key runs into.
  auto stale = w.venue->prepare(venues::Action::Balances, {}, &s, {.nonce = 1'700'000'000'000, .timestamp_ms = std::nullopt});
  ASSERT_TRUE(stale);
  auto answer = w.answer(*stale);
  EXPECT_EQ(answer.status, 500);
  EXPECT_EQ(answer.body, R"(["error",10114,"nonce: small"])");
  auto e = venues::bitfinex::error_from_response(answer);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->kind, ErrorKind::InvalidNonce);
  // The same nonce twice: the second is refused; a bad signature does not use up a nonce.
  uint64_t n = static_cast<uint64_t>(w.harness.clock.now_us()) + 1'000'000;
  ApiKey wrong = k;
  wrong.secret = "x" + wrong.secret.substr(1);
  EXPECT_EQ(w.answer(signed_post(wrong, "v2/auth/r/wallets", "{}", n)).body, R"(["error",10100,"apikey: digest invalid"])");
  EXPECT_EQ(w.answer(signed_post(k, "v2/auth/r/wallets", "{}", n)).status, 200);
  EXPECT_EQ(w.answer(signed_post(k, "v2/auth/r/wallets", "{}", n)).body, R"(["error",10114,"nonce: small"])");
}

TEST(BitfinexSim, OrderRefusals) {
  SimWorld w;
  ASSERT_TRUE(w.exchange.set_price("bitfinex", "tBTCUSD", dec("30000")));
  auto read_only = w.key(KeyPermissions{.read = true, .trade = false, .futures = false, .withdraw = false});
  auto r = run(w.venue->create_order(SimWorld::signer(read_only), limit_buy("0.001", "20000")));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::PermissionDenied);
  EXPECT_EQ(r.error().venue_message, "api_key: permission invalid");
  EXPECT_FALSE(r.error().outcome_unknown);

  auto k = w.key(trading());
  auto s = SimWorld::signer(k);
  r = run(w.venue->create_order(s, limit_buy("1", "20000")));  // 20000 USD needed, 10000 held
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::InsufficientFunds);
  EXPECT_EQ(r.error().venue_message, "Invalid order: not enough exchange balance for 1 BTCUSD at 20000");

  r = run(w.venue->create_order(s, limit_buy("0.00001", "20000")));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::InvalidOrder);
  EXPECT_EQ(r.error().venue_message, "Invalid order: minimum size for BTC/USD is 0.00004");

  auto c = run(w.venue->cancel_order(s, {.symbol = "", .order_id = "987654321", .client_order_id = ""}));
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().kind, ErrorKind::OrderNotFound);
  EXPECT_EQ(c.error().venue_code, "10001");
  auto f = run(w.venue->fetch_order(s, {.symbol = "", .order_id = "987654321", .client_order_id = ""}));
  ASSERT_FALSE(f);
  EXPECT_EQ(f.error().kind, ErrorKind::OrderNotFound);
}

TEST(BitfinexSim, RateLimitPerIpAndEndpoint) {
  SimWorld w;
  auto k = w.key(trading());
  auto s = SimWorld::signer(k);
  ASSERT_TRUE(w.exchange.set_price("bitfinex", "tBTCUSD", dec("30000")));
  // 90 submissions a minute from one address; garbage counts too (the budget is spent before auth).
  net::HttpRequest junk;
  junk.method = "POST";
  junk.url = "http://127.0.0.1:8081/v2/auth/w/order/submit";
  for (int i = 0; i < 90; ++i) EXPECT_EQ(w.answer(junk).status, 500);
  auto limited = w.answer(junk);
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(limited.body, R"(["error",11010,"ratelimit: error"])");
  ASSERT_NE(limited.header("Retry-After"), nullptr);

  auto r = run(w.venue->create_order(s, limit_buy("0.001", "20000")));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::RateLimited);
  EXPECT_FALSE(r.error().outcome_unknown);
  // Other endpoints keep their own budget; another address its own.
  EXPECT_TRUE(run(w.venue->balances(s)));
  w.peer_ip = "127.0.0.2";
  EXPECT_TRUE(run(w.venue->create_order(s, limit_buy("0.001", "20000"))));

  // An injected fault answers the same way (a 60 s block is too long for the connector to wait out).
  w.exchange.add_fault({.venue = "bitfinex", .endpoint = "ticker", .kind = "rate_limit", .count = 1, .probability = 0});
  auto t = run(w.venue->ticker("tBTCUSD"));
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().kind, ErrorKind::RateLimited);
  EXPECT_EQ(t.error().retry_after, std::chrono::milliseconds(60'000));
  EXPECT_TRUE(run(w.venue->ticker("tBTCUSD")));
}

TEST(BitfinexSim, GarbageGetsTheVenuesAnswers) {
  SimWorld w;
  auto k = w.key(trading());
  uint64_t n = static_cast<uint64_t>(w.harness.clock.now_us());
  auto answer = [&](const std::string& path, const std::string& body) { return w.answer(signed_post(k, path, body, ++n)); };
  EXPECT_EQ(answer("v2/auth/w/order/submit", "{not json").body, R"(["error",10020,"body: invalid"])");
  EXPECT_EQ(answer("v2/auth/w/order/submit", "[1,2]").body, R"(["error",10020,"body: invalid"])");
  EXPECT_EQ(answer("v2/auth/w/order/submit", R"({"type":"EXCHANGE LIMIT","symbol":"tNOPE","amount":"1","price":"1"})").body,
            R"(["error",10020,"symbol: invalid"])");
  EXPECT_EQ(answer("v2/auth/w/order/submit", R"({"type":"EXCHANGE LIMIT","symbol":"tBTCUSD","amount":"abc","price":"1"})").body,
            R"(["error",10020,"amount: invalid"])");
  EXPECT_EQ(answer("v2/auth/w/order/submit", R"({"type":"EXCHANGE LIMIT","symbol":"tBTCUSD","amount":"0.001"})").body,
            R"(["error",10020,"price: invalid"])");
  EXPECT_EQ(answer("v2/auth/w/order/submit", R"({"type":"SPACESHIP","symbol":"tBTCUSD","amount":"0.001"})").body,
            R"(["error",10020,"type: invalid"])");
  EXPECT_EQ(answer("v2/auth/w/order/cancel", R"({"id":"x"})").body, R"(["error",10020,"id: invalid"])");
  EXPECT_EQ(answer("v2/auth/r/orders/tNOPE", "{}").body, R"(["error",10020,"symbol: invalid"])");
  EXPECT_EQ(answer("v2/auth/r/nothing", "{}").status, 404);

  net::HttpRequest get;
  get.url = "http://127.0.0.1:8081/v2/candles/trade:2m:tBTCUSD/hist";
  EXPECT_EQ(w.answer(get).body, R"(["error",10020,"time_frame: invalid"])");
  get.url = "http://127.0.0.1:8081/v2/candles/trade:1m:tBTCUSD/hist?limit=abc";
  EXPECT_EQ(w.answer(get).body, R"(["error",10020,"limit: invalid"])");
  get.url = "http://127.0.0.1:8081/v2/ticker/";
  EXPECT_EQ(w.answer(get).status, 404);
  get.url = "http://127.0.0.1:8081/v2/platform/status";
  EXPECT_EQ(w.answer(get).body, "[1]");
  get.method = "POST";  // public endpoints are GET only
  EXPECT_EQ(w.answer(get).status, 404);
}

TEST(BitfinexSim, PostOnlyThatWouldTakeIsAcceptedThenCanceled) {
  SimWorld w;
  auto k = w.key(trading());
  auto s = SimWorld::signer(k);
  ASSERT_TRUE(w.exchange.set_price("bitfinex", "tBTCUSD", dec("30000")));
  auto r = limit_buy("0.001", "31000");
  r.post_only = true;
  auto o = run(w.venue->create_order(s, r));
  ASSERT_TRUE(o) << o.error().describe();  // not a REST error on this venue
  EXPECT_EQ(o->venue_status, "POSTONLY CANCELED");
  EXPECT_EQ(o->status, OrderStatus::Canceled);
  EXPECT_TRUE(o->post_only);
  auto p = run(w.venue->balances(s));
  EXPECT_EQ(find(*p, "USD")->total, dec("10000"));
  EXPECT_EQ(find(*p, "BTC")->total, dec("1"));

  // Resting post-only buy below the market fills as maker when the price comes down to it.
  r = limit_buy("0.001", "29000.123");  // cut to 5 significant digits: 29000
  r.post_only = true;
  o = run(w.venue->create_order(s, r));
  ASSERT_FALSE(o);  // our own connector refuses more than 5 significant digits before sending
  r.price = dec("29000");
  o = run(w.venue->create_order(s, r));
  ASSERT_TRUE(o) << o.error().describe();
  EXPECT_EQ(o->venue_status, "ACTIVE");
  ASSERT_TRUE(w.exchange.set_price("bitfinex", "tBTCUSD", dec("28900")));
  auto f = run(w.venue->fetch_order(s, {.symbol = "tBTCUSD", .order_id = o->id, .client_order_id = ""}));
  ASSERT_TRUE(f) << f.error().describe();
  EXPECT_EQ(f->status, OrderStatus::Filled);
  EXPECT_EQ(f->venue_status, "EXECUTED @ 29000(0.001)");
}

TEST(BitfinexSim, PricesAreCutToFiveSignificantDigits) {
  SimWorld w;
  auto k = w.key(trading());
  ASSERT_TRUE(w.exchange.set_price("bitfinex", "tBTCUSD", dec("30000")));
  auto a = w.answer(signed_post(k, "v2/auth/w/order/submit",
                                R"({"type":"EXCHANGE LIMIT","symbol":"tBTCUSD","amount":"-0.0012345678912","price":"31234.9876"})",
                                static_cast<uint64_t>(w.harness.clock.now_us())));
  ASSERT_EQ(a.status, 200) << a.body;
  auto j = nlohmann::json::parse(a.body);
  EXPECT_EQ(j[1], "on-req");
  EXPECT_EQ(j[6], "SUCCESS");
  EXPECT_EQ(j[7], "Submitting 1 orders.");
  const auto& order = j[4][0];
  ASSERT_EQ(order.size(), 32u);
  EXPECT_EQ(order[3], "tBTCUSD");
  EXPECT_EQ(order[6].dump(), "-0.00123456");
  EXPECT_EQ(order[7].dump(), "-0.00123456");
  EXPECT_EQ(order[8], "EXCHANGE LIMIT");
  EXPECT_EQ(order[13], "ACTIVE");
  EXPECT_EQ(order[16].dump(), "31234");
  EXPECT_EQ(order[2], order[4]) << "without a cid the venue shows the creation time";
  EXPECT_EQ(order[28], "API>BFX");
}

TEST(BitfinexSim, GarbageNeverCrashes) {
  SimWorld w;
  auto k = w.key(trading());
  uint64_t n = static_cast<uint64_t>(w.harness.clock.now_us());
  const char* bodies[] = {"",
                          "null",
                          "{}",
                          "[]",
                          "\"x\"",
                          "{\"type\":null}",
                          "{\"type\":\"EXCHANGE LIMIT\",\"symbol\":7}",
                          R"({"type":"EXCHANGE MARKET","symbol":"tBTCUSD","amount":1e400})",
                          R"({"type":"EXCHANGE MARKET","symbol":"tBTCUSD","amount":"1e400"})",
                          R"({"type":"EXCHANGE MARKET","symbol":"tBTCUSD","amount":"0.001","cid":1e300})",
                          R"({"type":"EXCHANGE MARKET","symbol":"tBTCUSD","amount":"0.001","flags":"x"})",
                          R"({"type":"EXCHANGE LIMIT","symbol":"tBTCUSD","amount":"0.001","price":"-5"})",
                          R"({"id":[1e300,"a",null]})",
                          R"({"cid":"x","cid_date":5})",
                          R"({"start":"a"})",
                          "{\"a\":",
                          "\xff\xfe"};
  const char* paths[] = {"v2/auth/w/order/submit",        "v2/auth/w/order/cancel", "v2/auth/r/orders",     "v2/auth/r/orders/hist",
                         "v2/auth/r/orders/tBTCUSD/hist", "v2/auth/r/wallets",      "v2/auth/r/permissions"};
  for (const char* p : paths)
    for (const char* b : bodies) {
      auto r = w.answer(signed_post(k, p, b, ++n));
      EXPECT_TRUE(r.status == 200 || r.status == 500) << p << " " << b << " -> " << r.status << " " << r.body;
      EXPECT_FALSE(r.body.empty());
    }
  net::HttpRequest get;
  for (const char* u : {"/v2/candles/trade:1m:tBTCUSD/hist?start=-99999999999999999&end=99999999999999999&limit=999999",
                        "/v2/candles/trade:1m:tBTCUSD/hist?start=9223372036854775807", "/v2/candles/trade:1m:/hist",
                        "/v2/candles/trade:1m:tBTCUSD/last?limit=0", "/v2/candles//", "/v2/conf/", "/v2/conf/%zz", "/v2/conf/pub:nothing",
                        "/v2/tickers", "/v2/tickers?symbols=%", "/v2/ticker/%00", "/v2/", "/v2/auth/r/orders/a/b/hist"}) {
    get.method = "GET";
    get.url = std::string("http://127.0.0.1:8081") + u;
    auto r = w.answer(get);
    EXPECT_NE(r.status, 0) << u;
    EXPECT_FALSE(r.body.empty()) << u;
  }
}

TEST(BitfinexSim, ConfAnswersInTheRequestsOrder) {
  SimWorld w;
  net::HttpRequest get;
  get.url = "http://127.0.0.1:8081/v2/conf/pub:info:pair,pub:info:pair:futures,pub:list:pair:securities,pub:list:pair:margin";
  auto r = w.answer(get);
  ASSERT_EQ(r.status, 200);
  auto j = nlohmann::json::parse(r.body);
  ASSERT_EQ(j.size(), 4u);
  EXPECT_EQ(j[0][0][0], "BTCUSD");
  EXPECT_EQ(j[0][0][1][3], "0.00004");
  EXPECT_EQ(j[0][0][1][4], "2000");
  EXPECT_TRUE(j[1].empty());
  get.url =
      "http://127.0.0.1:8081/v2/conf/pub:list:currency,pub:map:currency:sym,pub:map:currency:label,pub:map:currency:unit,"
      "pub:map:currency:undl,pub:map:currency:pool,pub:map:currency:explorer,pub:map:currency:tx:fee,pub:map:tx:method,"
      "pub:info:tx:status,pub:list:currency:margin";
  j = nlohmann::json::parse(w.answer(get).body);
  ASSERT_EQ(j.size(), 11u);
  EXPECT_EQ(j[0], nlohmann::json({"BTC", "USD", "ETH", "SOL", "XRP"}));
  get.url = "http://127.0.0.1:8081/v2/tickers?symbols=tBTCUSD,tETHUSD";
  j = nlohmann::json::parse(w.answer(get).body);
  ASSERT_EQ(j.size(), 2u);
  EXPECT_EQ(j[0][0], "tBTCUSD");
  EXPECT_EQ(j[0].size(), 11u);
}

}  // namespace
}  // namespace tb::exsim
