// tradebridge's own Binance connector against the simulated Binance: each request the connector sends is
// handed to the VenueSim as the server would hand it (raw path, query, body, headers, peer address), over
// the whole scenario and the error cases, checking what the connector makes of each answer.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <random>

#include "crypto/encoding.hpp"
#include "crypto/hash.hpp"
#include "exsim/binance_futures/binance_futures_sim.hpp"
#include "exsim/binance_futures/render.hpp"
#include "support/harness.hpp"
#include "venues/binance_futures/errors.hpp"
#include "venues/registry.hpp"

namespace tb::exsim {
namespace {

using venues::Venue;

constexpr const char* kBase = "http://127.0.0.1:8081";
constexpr const char* kLocalIp = "127.0.0.1";

// The server's side of the seam: an absolute-URL HttpRequest as the sim receives it.
SimRequest to_sim_request(const net::HttpRequest& r, const std::string& peer_ip) {
  auto url = net::parse_url(r.url);
  SimRequest s;
  s.method = r.method;
  s.path = url ? url->path() : r.url;
  s.query = url ? url->query() : "";
  s.body = r.body;
  s.headers = r.headers;
  s.peer_ip = peer_ip;
  return s;
}

struct Sim {
  Sim()
      : harness([this](const net::HttpRequest& r) -> Result<net::HttpResponse> { return sim->handle(to_sim_request(r, peer_ip)); }),
        exchange(harness.clock, 1),
        sim(make_binance_futures_sim(exchange)) {}

  std::unique_ptr<Venue> connector(int max_attempts = 3) {
    venues::VenueConfig cfg;
    cfg.base_url = kBase;
    cfg.max_attempts = max_attempts;
    return venues::make_venue("binance_futures", harness.context(), cfg);
  }

  ApiKey key(KeyPermissions perms, std::string usdt = "10000", std::vector<std::string> ips = {}) {
    NewKey spec;
    spec.venue = "binance_futures";
    spec.label = "test";
    spec.permissions = perms;
    spec.ip_whitelist = std::move(ips);
    spec.balances["USDT"] = *Decimal::parse(usdt);
    auto k = exchange.create_key(spec);
    if (!k) throw std::runtime_error(k.error().describe());
    return *k;
  }
  ApiKey trading_key(std::string usdt = "10000") { return key({.read = true, .trade = true, .futures = true, .withdraw = false}, usdt); }

  // A raw request straight to the sim, signed with `secret` when given.
  net::HttpResponse raw(std::string method, std::string path, std::string query, const ApiKey* k = nullptr,
                        std::string body = {}) {
    SimRequest s;
    s.method = std::move(method);
    s.path = std::move(path);
    s.query = std::move(query);
    s.body = std::move(body);
    s.peer_ip = peer_ip;
    if (k) s.headers.push_back({"X-MBX-APIKEY", k->key});
    return sim->handle(s);
  }
  std::string signed_query(const ApiKey& k, std::string params) {
    return params + "&signature=" + crypto::hex(crypto::hmac_sha256(k.secret, params));
  }
  std::string ts() const { return "timestamp=" + std::to_string(harness.clock.now_ms()); }

  std::string peer_ip = kLocalIp;
  test::VenueHarness harness;
  Exchange exchange;
  std::unique_ptr<VenueSim> sim;
};

crypto::LocalSigner signer_for(const ApiKey& k) { return crypto::LocalSigner(k.key, crypto::Secret(k.secret)); }

OrderRequest limit_buy(std::string price, std::string qty = "0.010") {
  OrderRequest r;
  r.symbol = "BTCUSDT";
  r.side = Side::Buy;
  r.type = OrderType::Limit;
  r.amount = *Decimal::parse(qty);
  r.price = *Decimal::parse(price);
  return r;
}

const tb::Balance* find_balance(const Portfolio& p, std::string_view asset) {
  for (auto& b : p.balances)
    if (b.asset == asset) return &b;
  return nullptr;
}

nlohmann::json body_of(const net::HttpResponse& r) { return nlohmann::json::parse(r.body); }

// --- public data -----------------------------------------------------------------------------------------

TEST(BinanceSimConnector, ServerTimeMarketsTickerCandles) {
  Sim s;
  auto bf = s.connector();
  auto t = test::run(bf->server_time());
  ASSERT_TRUE(t) << t.error().describe();
  EXPECT_EQ(*t, s.harness.clock.now_ms());

  auto markets = test::run(bf->markets());
  ASSERT_TRUE(markets) << markets.error().describe();
  ASSERT_GE(markets->size(), 4u);
  const Market* btc = nullptr;
  for (auto& m : *markets)
    if (m.id == "BTCUSDT") btc = &m;
  ASSERT_NE(btc, nullptr);
  EXPECT_EQ(btc->symbol, "BTC/USDT:USDT");
  EXPECT_EQ(btc->kind, MarketKind::Perpetual);
  EXPECT_EQ(btc->tick_size, *Decimal::parse("0.1"));
  EXPECT_EQ(btc->step_size, *Decimal::parse("0.001"));
  EXPECT_EQ(btc->min_qty, *Decimal::parse("0.001"));
  EXPECT_EQ(btc->min_notional, *Decimal::parse("100"));
  EXPECT_TRUE(btc->active);

  auto ticker = test::run(bf->ticker("BTCUSDT"));
  ASSERT_TRUE(ticker) << ticker.error().describe();
  EXPECT_EQ(ticker->symbol, "BTCUSDT");
  EXPECT_EQ(ticker->last, s.exchange.price("binance_futures", "BTCUSDT").rescale(1, Rounding::HalfEven));
  EXPECT_EQ(ticker->time_ms, s.harness.clock.now_ms());

  auto candles = test::run(bf->candles({.symbol = "BTCUSDT", .timeframe = Timeframe::M1, .since_ms = std::nullopt, .limit = 5}));
  ASSERT_TRUE(candles) << candles.error().describe();
  ASSERT_EQ(candles->size(), 5u);
  for (size_t i = 1; i < candles->size(); ++i) EXPECT_EQ((*candles)[i].open_time_ms - (*candles)[i - 1].open_time_ms, 60'000);
  for (auto& c : *candles) {
    EXPECT_LE(c.low, c.open);
    EXPECT_GE(c.high, c.close);
  }

  auto unknown = test::run(bf->ticker("DOGEUSDT"));
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().venue_code, "-1121");
}

TEST(BinanceSimConnector, BalancesAndPermissions) {
  Sim s;
  auto bf = s.connector();
  auto k = s.trading_key("2500.5");
  auto signer = signer_for(k);
  auto p = test::run(bf->balances(signer));
  ASSERT_TRUE(p) << p.error().describe();
  auto* usdt = find_balance(*p, "USDT");
  ASSERT_NE(usdt, nullptr);
  EXPECT_EQ(usdt->total, *Decimal::parse("2500.5"));
  EXPECT_EQ(usdt->free, *Decimal::parse("2500.5"));
  EXPECT_TRUE(usdt->used.is_zero());
  EXPECT_TRUE(p->positions.empty());

  auto perms = test::run(bf->permissions(signer));
  ASSERT_TRUE(perms) << perms.error().describe();
  EXPECT_EQ(perms->can_read, true);
  EXPECT_EQ(perms->can_trade, true);
  EXPECT_EQ(perms->can_withdraw, false);
  EXPECT_EQ(perms->ip_restricted, false);
  EXPECT_TRUE(perms->trading_expires_ms.has_value());  // an unrestricted key's trading right expires

  auto withdrawing = s.key({.read = true, .trade = true, .futures = true, .withdraw = true}, "100", {kLocalIp});
  auto wsigner = signer_for(withdrawing);
  auto wperms = test::run(bf->permissions(wsigner));
  ASSERT_TRUE(wperms) << wperms.error().describe();
  EXPECT_EQ(wperms->can_withdraw, true);
  EXPECT_EQ(wperms->ip_restricted, true);
}

// --- orders ----------------------------------------------------------------------------------------------

TEST(BinanceSimConnector, LimitOrderLifecycle) {
  Sim s;
  auto bf = s.connector();
  auto k = s.trading_key();
  auto signer = signer_for(k);
  s.exchange.set_price("binance_futures", "BTCUSDT", *Decimal::parse("60000"));

  auto req = limit_buy("30000.0");
  req.client_order_id = "tb-key-test-1";
  auto created = test::run(bf->create_order(signer, req));
  ASSERT_TRUE(created) << created.error().describe();
  EXPECT_EQ(created->status, OrderStatus::New);
  EXPECT_EQ(created->client_order_id, "tb-key-test-1");
  EXPECT_EQ(created->amount, *Decimal::parse("0.010"));
  EXPECT_EQ(created->price, *Decimal::parse("30000"));
  EXPECT_FALSE(created->id.empty());

  auto fetched = test::run(bf->fetch_order(signer, {.symbol = "BTCUSDT", .order_id = created->id, .client_order_id = ""}));
  ASSERT_TRUE(fetched) << fetched.error().describe();
  EXPECT_EQ(fetched->id, created->id);
  EXPECT_EQ(fetched->status, OrderStatus::New);
  EXPECT_GT(fetched->created_ms, 0);
  auto by_cid = test::run(bf->fetch_order(signer, {.symbol = "BTCUSDT", .order_id = "", .client_order_id = "tb-key-test-1"}));
  ASSERT_TRUE(by_cid) << by_cid.error().describe();
  EXPECT_EQ(by_cid->id, created->id);

  auto open = test::run(bf->open_orders(signer, std::string("BTCUSDT")));
  ASSERT_TRUE(open) << open.error().describe();
  ASSERT_EQ(open->size(), 1u);
  EXPECT_EQ((*open)[0].id, created->id);

  auto held = test::run(bf->balances(signer));
  ASSERT_TRUE(held);
  EXPECT_TRUE(find_balance(*held, "USDT")->used.is_positive());  // margin for the resting order

  auto canceled = test::run(bf->cancel_order(signer, {.symbol = "BTCUSDT", .order_id = created->id, .client_order_id = ""}));
  ASSERT_TRUE(canceled) << canceled.error().describe();
  EXPECT_EQ(canceled->status, OrderStatus::Canceled);
  auto none = test::run(bf->open_orders(signer, std::nullopt));
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());
  auto after = test::run(bf->balances(signer));
  EXPECT_TRUE(find_balance(*after, "USDT")->used.is_zero());

  auto again = test::run(bf->cancel_order(signer, {.symbol = "BTCUSDT", .order_id = created->id, .client_order_id = ""}));
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().kind, ErrorKind::OrderNotFound);
  EXPECT_EQ(again.error().venue_code, "-2011");
}

TEST(BinanceSimConnector, MarketOrderFillsAndMovesTheAccount) {
  Sim s;
  auto bf = s.connector();
  auto k = s.trading_key();
  auto signer = signer_for(k);
  s.exchange.set_price("binance_futures", "BTCUSDT", *Decimal::parse("60000"));
  OrderRequest r;
  r.symbol = "BTCUSDT";
  r.side = Side::Buy;
  r.type = OrderType::Market;
  r.amount = *Decimal::parse("0.010");
  auto filled = test::run(bf->create_order(signer, r));
  ASSERT_TRUE(filled) << filled.error().describe();
  EXPECT_EQ(filled->status, OrderStatus::Filled);
  EXPECT_EQ(filled->filled, *Decimal::parse("0.010"));
  ASSERT_TRUE(filled->average_price);
  EXPECT_EQ(*filled->average_price, *Decimal::parse("60000"));

  auto p = test::run(bf->balances(signer));
  ASSERT_TRUE(p) << p.error().describe();
  auto* usdt = find_balance(*p, "USDT");
  ASSERT_NE(usdt, nullptr);
  EXPECT_LT(usdt->free, *Decimal::parse("10000"));  // fee paid and margin held
  EXPECT_TRUE(usdt->used.is_positive());
  ASSERT_EQ(p->positions.size(), 1u);
  EXPECT_EQ(p->positions[0].symbol, "BTCUSDT");
  EXPECT_EQ(p->positions[0].amount, *Decimal::parse("0.010"));
  EXPECT_EQ(p->positions[0].entry_price, *Decimal::parse("60000"));
}

TEST(BinanceSimConnector, PostOnlyThatWouldTakeIsRejectedAtOnce) {
  Sim s;
  auto bf = s.connector();
  auto k = s.trading_key();
  auto signer = signer_for(k);
  s.exchange.set_price("binance_futures", "BTCUSDT", *Decimal::parse("60000"));
  auto req = limit_buy("61000.0");
  req.post_only = true;
  auto r = test::run(bf->create_order(signer, req));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::InvalidOrder);
  EXPECT_EQ(r.error().venue_code, "-5022");
  EXPECT_FALSE(r.error().outcome_unknown);
}

TEST(BinanceSimConnector, OrderFiltersAnswerWithTheVenuesCodes) {
  Sim s;
  auto bf = s.connector();
  auto k = s.trading_key();
  auto signer = signer_for(k);
  s.exchange.set_price("binance_futures", "BTCUSDT", *Decimal::parse("60000"));
  struct Case {
    std::string price, qty, code;
  };
  for (auto& c : std::vector<Case>{{"30000.05", "0.010", "-1111"},
                                   {"30000.0", "0.0005", "-1111"},
                                   {"30000.0", "0.002", "-4164"},
                                   {"2000000.0", "0.010", "-4002"}}) {
    auto r = test::run(bf->create_order(signer, limit_buy(c.price, c.qty)));
    ASSERT_FALSE(r) << c.price << " " << c.qty;
    EXPECT_EQ(r.error().venue_code, c.code) << c.price << " " << c.qty;
    EXPECT_EQ(r.error().kind, ErrorKind::InvalidOrder);
  }
}

// --- errors the connector must classify ------------------------------------------------------------------

TEST(BinanceSimConnector, WrongSecretIsInvalidSignature) {
  Sim s;
  auto bf = s.connector();
  auto k = s.trading_key();
  crypto::LocalSigner wrong(k.key, crypto::Secret(std::string(64, 'x')));
  auto r = test::run(bf->balances(wrong));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::InvalidSignature);
  EXPECT_EQ(r.error().venue_code, "-1022");
  EXPECT_EQ(r.error().http_status, 400);
}

TEST(BinanceSimConnector, UnknownKeyIsInvalidKey) {
  Sim s;
  auto bf = s.connector();
  crypto::LocalSigner nobody(std::string(64, 'A'), crypto::Secret(std::string(64, 'x')));
  auto r = test::run(bf->balances(nobody));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::InvalidKey);
  EXPECT_EQ(r.error().venue_code, "-2015");
  EXPECT_EQ(r.error().http_status, 401);
}

TEST(BinanceSimConnector, MissingTradePermissionIsPermissionDenied) {
  Sim s;
  auto bf = s.connector();
  auto k = s.key({.read = true, .trade = false, .futures = true, .withdraw = false});
  auto signer = signer_for(k);
  ASSERT_TRUE(test::run(bf->balances(signer)));  // reading is allowed
  auto r = test::run(bf->create_order(signer, limit_buy("30000.0")));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::PermissionDenied);
  EXPECT_EQ(r.error().venue_code, "-1002");
  EXPECT_FALSE(r.error().outcome_unknown);
  auto perms = test::run(bf->permissions(signer));
  ASSERT_TRUE(perms);
  EXPECT_EQ(perms->can_trade_futures, true);
  EXPECT_EQ(perms->venue_permissions, (std::vector<std::string>{"enableFutures", "enableReading"}));
}

TEST(BinanceSimConnector, KeyWithoutFuturesIsRefusedAsTheVenueDoes) {
  Sim s;
  auto bf = s.connector();
  auto k = s.key({.read = true, .trade = true, .futures = false, .withdraw = false});
  auto signer = signer_for(k);
  auto r = test::run(bf->balances(signer));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().venue_code, "-2015");
  EXPECT_EQ(r.error().kind, ErrorKind::InvalidKey);
  auto perms = test::run(bf->permissions(signer));  // the spot host still answers the key's rights
  ASSERT_TRUE(perms) << perms.error().describe();
  EXPECT_EQ(perms->can_trade_futures, false);
}

TEST(BinanceSimConnector, TooLittleBalanceIsInsufficientFunds) {
  Sim s;
  auto bf = s.connector();
  auto k = s.trading_key("10");
  auto signer = signer_for(k);
  s.exchange.set_price("binance_futures", "BTCUSDT", *Decimal::parse("60000"));
  auto r = test::run(bf->create_order(signer, limit_buy("30000.0", "1.000")));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::InsufficientFunds);
  EXPECT_EQ(r.error().venue_code, "-2019");
  EXPECT_TRUE(s.exchange.orders(k.key).empty());
}

TEST(BinanceSimConnector, UnknownOrderIsOrderNotFound) {
  Sim s;
  auto bf = s.connector();
  auto k = s.trading_key();
  auto signer = signer_for(k);
  auto cancel = test::run(bf->cancel_order(signer, {.symbol = "BTCUSDT", .order_id = "987654321", .client_order_id = ""}));
  ASSERT_FALSE(cancel);
  EXPECT_EQ(cancel.error().kind, ErrorKind::OrderNotFound);
  EXPECT_EQ(cancel.error().venue_code, "-2011");
  EXPECT_EQ(cancel.error().venue_message, "Unknown order sent.");
  auto fetch = test::run(bf->fetch_order(signer, {.symbol = "BTCUSDT", .order_id = "", .client_order_id = "nope"}));
  ASSERT_FALSE(fetch);
  EXPECT_EQ(fetch.error().kind, ErrorKind::OrderNotFound);
  EXPECT_EQ(fetch.error().venue_code, "-2013");
}

TEST(BinanceSimConnector, IpNotWhitelistedIsRefused) {
  Sim s;
  auto bf = s.connector();
  auto k = s.key({.read = true, .trade = true, .futures = true, .withdraw = false}, "100", {"10.1.2.3"});
  auto signer = signer_for(k);
  auto r = test::run(bf->balances(signer));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().venue_code, "-2015");  // the venue does not tell IP from key from permission
  EXPECT_EQ(r.error().kind, ErrorKind::InvalidKey);
  EXPECT_NE(r.error().venue_message.find("request ip: 127.0.0.1"), std::string::npos);
  s.peer_ip = "10.1.2.3";
  EXPECT_TRUE(test::run(bf->balances(signer)));
}

TEST(BinanceSimConnector, StaleOrFutureTimestampIsInvalidNonce) {
  Sim s;
  auto bf = s.connector();
  auto k = s.trading_key();
  auto signer = signer_for(k);
  const int64_t now = s.harness.clock.now_ms();
  for (int64_t ts : {now - 5'001, now + 1'000}) {
    auto req = bf->prepare(venues::Action::Balances, {}, &signer, {.nonce = std::nullopt, .timestamp_ms = ts});
    ASSERT_TRUE(req) << req.error().describe();
    auto resp = s.sim->handle(to_sim_request(*req, kLocalIp));
    EXPECT_EQ(resp.status, 400);
    auto e = venues::binance_futures::map_error(resp);
    EXPECT_EQ(e.kind, ErrorKind::InvalidNonce) << ts;
    EXPECT_EQ(e.venue_code, "-1021");
  }
  auto fresh = bf->prepare(venues::Action::Balances, {}, &signer, {.nonce = std::nullopt, .timestamp_ms = now - 4'000});
  EXPECT_EQ(s.sim->handle(to_sim_request(*fresh, kLocalIp)).status, 200);
}

TEST(BinanceSimConnector, IpWeightLimitIsRateLimited) {
  Sim s;
  auto bf = s.connector(/*max_attempts=*/1);
  // Another client on the same address spends the minute's weight: 60 all-symbol 24h tickers at 40 each.
  net::HttpResponse last;
  for (int i = 0; i < 60; ++i) last = s.raw("GET", "/fapi/v1/ticker/24hr", "");
  ASSERT_EQ(last.status, 200);
  EXPECT_EQ(*last.header("X-MBX-USED-WEIGHT-1M"), "2400");
  auto r = test::run(bf->ticker("BTCUSDT"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::RateLimited);
  EXPECT_EQ(r.error().http_status, 429);
  EXPECT_EQ(r.error().venue_code, "-1003");
  ASSERT_TRUE(r.error().retry_after.has_value());
  EXPECT_GT(r.error().retry_after->count(), 0);
  // Calling on after the 429s gets the address banned: 418 naming the ban's end, which the connector reads.
  for (int i = 0; i < 60; ++i) last = s.raw("GET", "/fapi/v1/ticker/24hr", "");
  EXPECT_EQ(last.status, 418);
  EXPECT_EQ(body_of(last)["code"], -1003);
  auto fresh = s.connector(/*max_attempts=*/1);  // its own limiter has not seen the used weight yet
  auto banned = test::run(fresh->ticker("BTCUSDT"));
  ASSERT_FALSE(banned);
  EXPECT_EQ(banned.error().kind, ErrorKind::RateLimited);
  EXPECT_EQ(banned.error().http_status, 418);
  ASSERT_TRUE(banned.error().retry_after.has_value());
  // Another address is counted on its own.
  s.peer_ip = "127.0.0.2";
  EXPECT_TRUE(test::run(s.connector()->ticker("BTCUSDT")));
  // The connector that saw the used weight waits (on the test's clock) for the next window, and is answered.
  s.peer_ip = kLocalIp;
  EXPECT_TRUE(test::run(bf->ticker("BTCUSDT")));
}

// --- raw protocol details --------------------------------------------------------------------------------

TEST(BinanceSimRaw, HeadersOnEveryAnswerAndOrderCounts) {
  Sim s;
  auto k = s.trading_key();
  s.exchange.set_price("binance_futures", "BTCUSDT", *Decimal::parse("60000"));
  auto t = s.raw("GET", "/fapi/v1/time", "");
  ASSERT_NE(t.header("X-MBX-USED-WEIGHT-1M"), nullptr);
  EXPECT_EQ(*t.header("X-MBX-USED-WEIGHT-1M"), "1");
  std::string body = s.signed_query(k, "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.010&price=30000.0&" + s.ts());
  auto order = s.raw("POST", "/fapi/v1/order", "", &k, body);
  ASSERT_EQ(order.status, 200) << order.body;
  EXPECT_EQ(*order.header("X-MBX-ORDER-COUNT-1M"), "1");
  EXPECT_EQ(*order.header("X-MBX-ORDER-COUNT-10S"), "1");
  auto j = body_of(order);
  EXPECT_EQ(j["status"], "NEW");
  EXPECT_EQ(j["price"], "30000.0");
  EXPECT_EQ(j["origQty"], "0.010");
  EXPECT_EQ(j["positionSide"], "BOTH");
  EXPECT_FALSE(j.contains("code"));  // ccxt reads an order with a code as rejected
  EXPECT_TRUE(j["orderId"].is_number_integer());
}

TEST(BinanceSimRaw, OrderWrittenDirectlyEqualsTheJsonTree) {
  Sim s;
  auto k = s.trading_key();
  s.exchange.set_price("binance_futures", "BTCUSDT", *Decimal::parse("60000"));
  auto limit = s.raw("POST", "/fapi/v1/order", "", &k,
                     s.signed_query(k, "symbol=BTCUSDT&side=SELL&type=LIMIT&timeInForce=GTX&quantity=0.010&price=61000.0&reduceOnly=false&" + s.ts()));
  ASSERT_EQ(limit.status, 200) << limit.body;
  s.raw("POST", "/fapi/v1/order", "", &k, s.signed_query(k, "symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.010&" + s.ts()));
  auto market = *s.exchange.market("binance_futures", "BTCUSDT");
  for (auto& o : s.exchange.orders(k.key))
    for (auto view : {binance_futures::OrderView::Ack, binance_futures::OrderView::Result, binance_futures::OrderView::Query})
      EXPECT_EQ(binance_futures::order_text(o, market, view), binance_futures::order_json(o, market, view).dump());
  SimOrder odd;
  odd.symbol = "BTCUSDT";
  odd.client_order_id = "quote\"back\\slash\x01";
  odd.amount = *Decimal::parse("1");
  EXPECT_EQ(binance_futures::order_text(odd, market, binance_futures::OrderView::Query),
            binance_futures::order_json(odd, market, binance_futures::OrderView::Query).dump());
}

TEST(BinanceSimRaw, AckShowsTheOrderAsAcceptedResultShowsTheFill) {
  Sim s;
  auto k = s.trading_key();
  s.exchange.set_price("binance_futures", "BTCUSDT", *Decimal::parse("60000"));
  auto ack = s.raw("POST", "/fapi/v1/order", "", &k, s.signed_query(k, "symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.010&" + s.ts()));
  ASSERT_EQ(ack.status, 200) << ack.body;
  EXPECT_EQ(body_of(ack)["status"], "NEW");
  EXPECT_EQ(body_of(ack)["executedQty"], "0.000");
  auto result = s.raw("POST", "/fapi/v1/order", "", &k,
                      s.signed_query(k, "symbol=BTCUSDT&side=SELL&type=MARKET&quantity=0.010&newOrderRespType=RESULT&" + s.ts()));
  ASSERT_EQ(result.status, 200) << result.body;
  EXPECT_EQ(body_of(result)["status"], "FILLED");
  EXPECT_EQ(body_of(result)["executedQty"], "0.010");
  EXPECT_EQ(body_of(result)["avgPrice"], "60000.00000");
  auto trades = s.raw("GET", "/fapi/v1/userTrades", s.signed_query(k, "symbol=BTCUSDT&" + s.ts()), &k);
  ASSERT_EQ(trades.status, 200) << trades.body;
  auto t = body_of(trades);
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t[0]["buyer"], true);
  EXPECT_EQ(t[1]["side"], "SELL");
  EXPECT_EQ(t[1]["qty"], "0.010");
  EXPECT_EQ(t[1]["price"], "60000.0");
  EXPECT_EQ(t[1]["maker"], false);
  EXPECT_EQ(t[1]["commissionAsset"], "USDT");
  EXPECT_GT(*Decimal::parse(t[1]["commission"].get<std::string>()), Decimal());
}

TEST(BinanceSimRaw, MissingKeyHeaderBadParamsAndUnknownPaths) {
  Sim s;
  auto k = s.trading_key();
  auto no_key = s.raw("GET", "/fapi/v2/account", s.signed_query(k, s.ts()));
  EXPECT_EQ(no_key.status, 401);
  EXPECT_EQ(body_of(no_key)["code"], -2014);
  auto no_ts = s.raw("GET", "/fapi/v2/account", s.signed_query(k, "recvWindow=5000"), &k);
  EXPECT_EQ(body_of(no_ts)["code"], -1102);
  auto no_sig = s.raw("GET", "/fapi/v2/account", s.ts(), &k);
  EXPECT_EQ(body_of(no_sig)["code"], -1102);
  auto big_window = s.raw("GET", "/fapi/v2/account", s.signed_query(k, "recvWindow=60001&" + s.ts()), &k);
  EXPECT_EQ(body_of(big_window)["code"], -1130);
  auto bad_escape = s.raw("GET", "/fapi/v1/ticker/24hr", "symbol=%zz");
  EXPECT_EQ(bad_escape.status, 400);
  EXPECT_EQ(body_of(bad_escape)["code"], -1100);
  auto missing = s.raw("GET", "/fapi/v1/klines", "symbol=BTCUSDT");
  EXPECT_EQ(body_of(missing)["code"], -1102);
  auto interval = s.raw("GET", "/fapi/v1/klines", "symbol=BTCUSDT&interval=7m");
  EXPECT_EQ(body_of(interval)["code"], -1120);
  auto unknown = s.raw("GET", "/fapi/v1/nothing", "");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_TRUE(body_of(unknown).contains("code"));
  auto garbage = s.raw("POST", "/fapi/v1/order", "", &k, std::string("\x00\xff{{[[", 6) + s.signed_query(k, s.ts()));
  EXPECT_EQ(garbage.status, 400);
  auto bad_qty = s.raw("POST", "/fapi/v1/order", "", &k,
                       s.signed_query(k, "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=abc&price=1&" + s.ts()));
  EXPECT_EQ(body_of(bad_qty)["code"], -1100);
  EXPECT_TRUE(s.exchange.orders(k.key).empty());
}

TEST(BinanceSimRaw, AccountV3SkipsNothingCcxtNeeds) {
  Sim s;
  auto k = s.trading_key("1000");
  auto r = s.raw("GET", "/fapi/v3/account", s.signed_query(k, s.ts()), &k);
  ASSERT_EQ(r.status, 200) << r.body;
  auto j = body_of(r);
  ASSERT_TRUE(j["assets"].is_array());
  bool found = false;
  for (auto& a : j["assets"])
    if (a["asset"] == "USDT") {
      found = true;
      EXPECT_EQ(a["availableBalance"], "1000.00000000");
      EXPECT_EQ(a["marginBalance"], "1000.00000000");
      EXPECT_NE(a["updateTime"], 0);  // ccxt skips assets whose updateTime is 0
    }
  EXPECT_TRUE(found);
  EXPECT_FALSE(j.contains("canTrade"));  // v3 has no account flags
  auto getall = s.raw("GET", "/sapi/v1/capital/config/getall", s.signed_query(k, s.ts()), &k);
  EXPECT_EQ(getall.status, 200);
  EXPECT_EQ(getall.body, "[]");
}

TEST(BinanceSimRaw, OrderCountLimitPerAccount) {
  Sim s;
  auto k = s.trading_key("100000000");
  s.exchange.set_price("binance_futures", "BTCUSDT", *Decimal::parse("60000"));
  auto place = [&] {
    return s.raw("POST", "/fapi/v1/order", "", &k,
                 s.signed_query(k, "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.010&price=30000.0&" + s.ts()));
  };
  for (int i = 0; i < 300; ++i) ASSERT_EQ(place().status, 200) << i;
  auto refused = place();
  EXPECT_EQ(refused.status, 429);
  EXPECT_EQ(body_of(refused)["code"], -1015);
  EXPECT_EQ(body_of(refused)["msg"], "Too many new orders; current limit is 300 orders per 10 seconds.");
  EXPECT_EQ(refused.header("X-MBX-ORDER-COUNT-10S"), nullptr);  // rejected orders carry no counts
  EXPECT_EQ(s.exchange.orders(k.key).size(), 300u);
  auto other = s.trading_key();  // counted per account
  auto theirs = s.raw("POST", "/fapi/v1/order", "", &other,
                      s.signed_query(other, "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.010&price=30000.0&" + s.ts()));
  EXPECT_EQ(theirs.status, 200);
}

TEST(BinanceSimRaw, CcxtBootstrapAndPositionEndpoints) {
  Sim s;
  auto k = s.trading_key();
  auto pairs = s.raw("GET", "/sapi/v1/margin/allPairs", "", &k);  // MARKET_DATA: the key, no signature
  EXPECT_EQ(pairs.status, 200);
  ASSERT_NE(pairs.header("X-SAPI-USED-IP-WEIGHT-1M"), nullptr);
  EXPECT_EQ(s.raw("GET", "/sapi/v1/margin/allPairs", "").status, 401);
  auto brackets = s.raw("GET", "/fapi/v1/leverageBracket", s.signed_query(k, "symbol=BTCUSDT&" + s.ts()), &k);
  ASSERT_EQ(brackets.status, 200) << brackets.body;
  EXPECT_EQ(body_of(brackets)["brackets"][0]["initialLeverage"], 10);
  auto risk = s.raw("GET", "/fapi/v2/positionRisk", s.signed_query(k, "symbol=ETHUSDT&" + s.ts()), &k);
  ASSERT_EQ(risk.status, 200) << risk.body;
  ASSERT_EQ(body_of(risk).size(), 1u);
  EXPECT_EQ(body_of(risk)[0]["positionAmt"], "0.000");
  auto info = body_of(s.raw("GET", "/fapi/v1/exchangeInfo", ""));
  EXPECT_EQ(info["symbols"][0]["orderTypes"], nlohmann::json::array({"LIMIT", "MARKET"}));
}

// Random bytes in every part of a request, signed and unsigned: always the venue's JSON error or a normal
// answer, never a crash or an exception.
TEST(BinanceSimRaw, GarbageGetsTheVenuesAnswers) {
  Sim s;
  auto k = s.trading_key();
  std::mt19937 rng(7);
  auto junk = [&](size_t max) {
    std::string out(rng() % max, '\0');
    for (auto& c : out) c = static_cast<char>(rng() % 256);
    return out;
  };
  const std::vector<std::string> paths = {"/fapi/v1/order", "/fapi/v1/klines", "/fapi/v2/account", "/fapi/v1/ticker/24hr",
                                          "/fapi/v1/openOrders", "/sapi/v1/account/apiRestrictions", "/fapi/v1/allOrders"};
  const std::vector<std::string> pieces = {"symbol=BTCUSDT", "side=BUY", "type=LIMIT", "type=MARKET", "quantity=-1", "quantity=1e400",
                                           "price=0.00000000000000000001", "timeInForce=GTX", "orderId=99999999999999999999",
                                           "limit=0", "interval=1m", "startTime=-5", "recvWindow=abc", "reduceOnly=maybe", "%",
                                           "=", "&&", "newClientOrderId=" + std::string(40, 'a')};
  for (int i = 0; i < 1500; ++i) {
    std::string params;
    for (int n = static_cast<int>(rng() % 6); n > 0; --n) params += pieces[rng() % pieces.size()] + "&";
    if (rng() % 3 == 0) params += junk(40) + "&";
    std::string method = std::vector<std::string>{"GET", "POST", "DELETE", "PUT"}[rng() % 4];
    std::string signed_params = s.signed_query(k, params + s.ts());
    bool in_body = method == "POST" && rng() % 2;
    auto r = s.raw(method, rng() % 10 == 0 ? "/fapi/" + junk(20) : paths[rng() % paths.size()], in_body ? "" : signed_params,
                   rng() % 4 ? &k : nullptr, in_body ? signed_params : junk(8));
    auto j = nlohmann::json::parse(r.body, nullptr, false);
    ASSERT_FALSE(j.is_discarded()) << r.status << " " << r.body;
    if (r.status != 200) {
      ASSERT_TRUE(j.is_object() && j.contains("code") && j.contains("msg")) << r.body;
      EXPECT_LT(r.status, 500) << r.body;
    }
  }
}

TEST(BinanceSimRaw, EndpointNamesAndFaultAnswers) {
  Sim s;
  EXPECT_EQ(s.sim->endpoint("/fapi/v1/order"), "order");
  EXPECT_EQ(s.sim->endpoint("/fapi/v1/ticker/24hr"), "ticker/24hr");
  EXPECT_EQ(s.sim->endpoint("/sapi/v1/account/apiRestrictions"), "account/apiRestrictions");
  EXPECT_TRUE(s.sim->owns("/fapi/v3/account"));
  EXPECT_TRUE(s.sim->owns("/sapi/v1/capital/config/getall"));
  EXPECT_FALSE(s.sim->owns("/0/public/Time"));
  auto limited = s.sim->rate_limited();
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(body_of(limited)["code"], -1003);
  ASSERT_NE(limited.header("Retry-After"), nullptr);
  auto e = venues::binance_futures::map_error(s.sim->maintenance());
  EXPECT_EQ(e.kind, ErrorKind::ExchangeUnavailable);
  EXPECT_EQ(s.sim->maintenance().status, 503);
}

}  // namespace
}  // namespace tb::exsim
