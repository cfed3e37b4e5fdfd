// Binance USD-M account settings against the simulated Binance: position mode, leverage and margin type
// read and set through the connector, the venue's refusals (-4046, -4059, -4061, -4068, -4028), leverage
// applied to margin, and a hedge-mode account opening and closing a position (issue 16 part 4).
#include <gtest/gtest.h>

#include "sim_fixture.hpp"
#include "venues/futures_settings.hpp"

namespace tb::exsim::bf_test {
namespace {

using venues::MarginType;
using venues::PositionMode;

OrderRequest market(Side side, const char* qty, bool reduce_only = false) {
  OrderRequest r;
  r.symbol = "BTCUSDT";
  r.side = side;
  r.type = OrderType::Market;
  r.amount = *Decimal::parse(qty);
  r.reduce_only = reduce_only;
  return r;
}

int code_of(const net::HttpResponse& r) { return body_of(r).value("code", 0); }

struct SettingsSim {
  Sim s;
  std::unique_ptr<venues::Venue> bf = s.connector();
  venues::FuturesSettings* settings = venues::futures_settings(*bf);
  ApiKey k = s.trading_key();
  crypto::LocalSigner signer = signer_for(k);

  net::HttpResponse post(const std::string& path, const std::string& params) {
    return s.raw("POST", path, "", &k, s.signed_query(k, params + "&" + s.ts()));
  }
  Decimal used() {
    auto p = test::run(bf->balances(signer));
    return p ? find_balance(*p, "USDT")->used : Decimal::from_int(-1);
  }
};

TEST(BinanceSimSettings, TheConnectorHasThemAndOtherVenuesDoNot) {
  SettingsSim t;
  ASSERT_NE(t.settings, nullptr);
  test::VenueHarness h([](const net::HttpRequest&) { return Result<net::HttpResponse>(test::json_response(200, "{}")); });
  auto kraken = venues::make_venue("kraken", h.context());
  EXPECT_EQ(venues::futures_settings(*kraken), nullptr);
}

TEST(BinanceSimSettings, PositionModeIsReadAndChangedAsTheVenueAllows) {
  SettingsSim t;
  auto mode = test::run(t.settings->position_mode(t.signer));
  ASSERT_TRUE(mode) << mode.error().describe();
  EXPECT_EQ(*mode, PositionMode::OneWay);
  EXPECT_EQ(code_of(t.post("/fapi/v1/positionSide/dual", "dualSidePosition=false")), -4059);  // no need to change
  auto r = t.post("/fapi/v1/positionSide/dual", "dualSidePosition=true");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(body_of(r)["msg"], "success");
  mode = test::run(t.settings->position_mode(t.signer));
  ASSERT_TRUE(mode);
  EXPECT_EQ(*mode, PositionMode::Hedge);
}

TEST(BinanceSimSettings, AHedgeModeAccountOpensAndClosesAPositionByItsSide) {
  SettingsSim t;
  ASSERT_TRUE(t.s.exchange.set_price("binance_futures", "BTCUSDT", *Decimal::parse("60000")).ok());
  ASSERT_EQ(t.post("/fapi/v1/positionSide/dual", "dualSidePosition=true").status, 200);
  // The connector does not know the mode yet: -4061, it asks, and sends the order once more as LONG.
  auto opened = test::run(t.bf->create_order(t.signer, market(Side::Buy, "0.010")));
  ASSERT_TRUE(opened) << opened.error().describe();
  EXPECT_EQ(opened->status, OrderStatus::Filled);
  EXPECT_EQ(opened->position_side, PositionSide::Long);
  EXPECT_EQ(t.s.exchange.orders(t.k.key).size(), 1u);                                         // the refused one was never placed
  EXPECT_EQ(code_of(t.post("/fapi/v1/positionSide/dual", "dualSidePosition=false")), -4068);  // a position is open
  // Closing: a reduce-only sell acts on the LONG position (hedge mode takes no reduceOnly).
  auto closed = test::run(t.bf->create_order(t.signer, market(Side::Sell, "0.010", true)));
  ASSERT_TRUE(closed) << closed.error().describe();
  EXPECT_EQ(closed->position_side, PositionSide::Long);
  EXPECT_FALSE(closed->reduce_only);
  auto p = test::run(t.bf->balances(t.signer));
  ASSERT_TRUE(p);
  EXPECT_TRUE(p->positions.empty());
  // A one-way order in hedge mode is refused as the venue does.
  auto both = t.post("/fapi/v1/order", "symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.010");
  EXPECT_EQ(code_of(both), -4061);
}

// Hedge mode keeps a symbol's LONG and SHORT positions apart (issue 16): both open at once, each closes
// by its own side, and a close larger than its side's position is refused (-2022) whatever the other holds.
TEST(BinanceSimSettings, HedgeModeKeepsLongAndShortApart) {
  SettingsSim t;
  ASSERT_TRUE(t.s.exchange.set_price("binance_futures", "BTCUSDT", *Decimal::parse("60000")).ok());
  ASSERT_EQ(t.post("/fapi/v1/positionSide/dual", "dualSidePosition=true").status, 200);
  ASSERT_TRUE(test::run(t.settings->position_mode(t.signer)));
  auto long_open = test::run(t.bf->create_order(t.signer, market(Side::Buy, "0.010")));
  ASSERT_TRUE(long_open) << long_open.error().describe();
  OrderRequest short_open = market(Side::Sell, "0.004");
  short_open.position_side = PositionSide::Short;
  auto opened = test::run(t.bf->create_order(t.signer, short_open));
  ASSERT_TRUE(opened) << opened.error().describe();
  EXPECT_EQ(opened->position_side, PositionSide::Short);
  auto p = test::run(t.bf->balances(t.signer));
  ASSERT_TRUE(p);
  ASSERT_EQ(p->positions.size(), 2u);  // not netted to 0.006
  for (auto& pos : p->positions) {
    ASSERT_TRUE(pos.position_side);
    EXPECT_EQ(pos.amount, *Decimal::parse(*pos.position_side == PositionSide::Long ? "0.010" : "-0.004"));
  }
  EXPECT_EQ(t.used(), *Decimal::parse("84"));  // both hold margin: (600 + 240) / 10

  auto risk = body_of(t.s.raw("GET", "/fapi/v2/positionRisk", t.s.signed_query(t.k, "symbol=BTCUSDT&" + t.s.ts()), &t.k));
  ASSERT_EQ(risk.size(), 2u);
  EXPECT_EQ(risk[0]["positionSide"], "LONG");
  EXPECT_EQ(risk[0]["positionAmt"], "0.010");
  EXPECT_EQ(risk[1]["positionSide"], "SHORT");
  EXPECT_EQ(risk[1]["positionAmt"], "-0.004");

  // Closing the long (a reduce-only sell acts on LONG) leaves the short as it was.
  auto closed = test::run(t.bf->create_order(t.signer, market(Side::Sell, "0.010", true)));
  ASSERT_TRUE(closed) << closed.error().describe();
  p = test::run(t.bf->balances(t.signer));
  ASSERT_TRUE(p);
  ASSERT_EQ(p->positions.size(), 1u);
  EXPECT_EQ(p->positions[0].position_side, PositionSide::Short);
  EXPECT_EQ(p->positions[0].amount, *Decimal::parse("-0.004"));
  // More than the LONG holds (nothing now) is refused, though the SHORT is open.
  auto too_much = t.post("/fapi/v1/order", "symbol=BTCUSDT&side=SELL&positionSide=LONG&type=MARKET&quantity=0.002");
  EXPECT_EQ(code_of(too_much), -2022);
  auto over_short = t.post("/fapi/v1/order", "symbol=BTCUSDT&side=BUY&positionSide=SHORT&type=MARKET&quantity=0.005");
  EXPECT_EQ(code_of(over_short), -2022);  // the short holds 0.004
  auto reduce_flag = t.post("/fapi/v1/order", "symbol=BTCUSDT&side=BUY&positionSide=SHORT&type=MARKET&quantity=0.004&reduceOnly=true");
  EXPECT_EQ(code_of(reduce_flag), -1106);  // hedge mode takes no reduceOnly
  auto short_closed = t.post("/fapi/v1/order", "symbol=BTCUSDT&side=BUY&positionSide=SHORT&type=MARKET&quantity=0.004");
  ASSERT_EQ(short_closed.status, 200) << short_closed.body;
  p = test::run(t.bf->balances(t.signer));
  EXPECT_TRUE(p->positions.empty());
  EXPECT_EQ(t.used(), Decimal());
}

TEST(BinanceSimSettings, LeverageIsReadSetAndAppliedToMargin) {
  SettingsSim t;
  ASSERT_TRUE(t.s.exchange.set_price("binance_futures", "BTCUSDT", *Decimal::parse("60000")).ok());
  auto now = test::run(t.settings->symbol_settings(t.signer, "BTCUSDT"));
  ASSERT_TRUE(now) << now.error().describe();
  EXPECT_EQ(now->leverage, 10);
  EXPECT_EQ(now->margin_type, MarginType::Cross);
  ASSERT_TRUE(test::run(t.bf->create_order(t.signer, market(Side::Buy, "0.010"))));
  EXPECT_EQ(t.used(), *Decimal::parse("60"));  // 600 notional / 10
  auto set = test::run(t.settings->set_leverage(t.signer, "BTCUSDT", 20));
  ASSERT_TRUE(set) << set.error().describe();
  EXPECT_EQ(set->leverage, 20);
  EXPECT_EQ(t.used(), *Decimal::parse("30"));  // the same position at 20x
  auto bad = test::run(t.settings->set_leverage(t.signer, "BTCUSDT", 0));
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().kind, ErrorKind::InvalidArgument);
  EXPECT_EQ(code_of(t.post("/fapi/v1/leverage", "symbol=BTCUSDT&leverage=126")), -4028);
}

TEST(BinanceSimSettings, MarginTypeIsSetAndAskingForTheSameIsNoError) {
  SettingsSim t;
  auto set = test::run(t.settings->set_margin_type(t.signer, "ETHUSDT", MarginType::Isolated));
  ASSERT_TRUE(set) << set.error().describe();
  EXPECT_EQ(set->margin_type, MarginType::Isolated);
  auto again = test::run(t.settings->set_margin_type(t.signer, "ETHUSDT", MarginType::Isolated));  // -4046, read as done
  ASSERT_TRUE(again) << again.error().describe();
  EXPECT_EQ(again->margin_type, MarginType::Isolated);
  auto raw = t.post("/fapi/v1/marginType", "symbol=ETHUSDT&marginType=ISOLATED");
  EXPECT_EQ(code_of(raw), -4046);
  EXPECT_EQ(body_of(raw)["msg"], "No need to change margin type.");
  auto back = test::run(t.settings->set_margin_type(t.signer, "ETHUSDT", MarginType::Cross));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->margin_type, MarginType::Cross);
}

TEST(BinanceSimConditional, StopOrdersAreTakenAndOneThatWouldTriggerAtOnceIsRefused) {
  SettingsSim t;
  ASSERT_TRUE(t.s.exchange.set_price("binance_futures", "BTCUSDT", *Decimal::parse("60000")).ok());
  auto now = t.post("/fapi/v1/order", "symbol=BTCUSDT&side=BUY&type=STOP_MARKET&quantity=0.010&stopPrice=59000.0");
  EXPECT_EQ(code_of(now), -2021);  // a buy stop under the market
  auto stop = t.post("/fapi/v1/order", "symbol=BTCUSDT&side=BUY&type=STOP&quantity=0.010&stopPrice=66000.0&price=65000.0&timeInForce=GTC");
  ASSERT_EQ(stop.status, 200) << stop.body;
  EXPECT_EQ(body_of(stop)["type"], "STOP");
  EXPECT_EQ(body_of(stop)["stopPrice"], "66000.0");
  EXPECT_EQ(body_of(stop)["price"], "65000.0");
  auto no_stop = t.post("/fapi/v1/order", "symbol=BTCUSDT&side=BUY&type=TAKE_PROFIT_MARKET&quantity=0.010");
  EXPECT_EQ(code_of(no_stop), -1102);  // stopPrice is mandatory
}

}  // namespace
}  // namespace tb::exsim::bf_test
