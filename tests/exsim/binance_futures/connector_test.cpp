// tradebridge's own Binance connector against the simulated Binance, over the whole scenario and the error
// cases, checking what the connector makes of each answer.
#include <gtest/gtest.h>

#include "sim_fixture.hpp"

namespace tb::exsim::bf_test {
namespace {

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
  ASSERT_TRUE(s.exchange.set_price("binance_futures", "BTCUSDT", *Decimal::parse("60000")).ok());

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
  ASSERT_TRUE(s.exchange.set_price("binance_futures", "BTCUSDT", *Decimal::parse("60000")).ok());
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
  ASSERT_TRUE(s.exchange.set_price("binance_futures", "BTCUSDT", *Decimal::parse("60000")).ok());
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
  ASSERT_TRUE(s.exchange.set_price("binance_futures", "BTCUSDT", *Decimal::parse("60000")).ok());
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
  ASSERT_TRUE(s.exchange.set_price("binance_futures", "BTCUSDT", *Decimal::parse("60000")).ok());
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

}  // namespace
}  // namespace tb::exsim::bf_test
