// Every answer ccxt recorded from Kraken (../shared/reference/ccxt-fixtures/kraken.json) for a method the
// connector implements, read by our parser; the fields both readings have agree, and order types and
// prices mean what Kraken documents (AddOrder: price is the trigger of a conditional order, price2 the
// limit of a *-limit one), where ccxt reads them otherwise.
#include <gtest/gtest.h>

#include <map>

#include "venues/ccxt_recordings.hpp"
#include "venues/kraken/parse.hpp"

namespace tb::venues::kraken {
namespace {

namespace ccxt = tb::test::ccxt;
using ccxt::TypeExpectation;

// By case description: what Kraken's documentation says each recorded order is.
const std::map<std::string, TypeExpectation> kOrderTypes = {
    {"fetch spot limit order", {OrderType::Limit, "limit", "50", nullptr, std::nullopt, true}},
    // ccxt sets price to the average fill (71.05741); a market order has no limit price: ours is in average.
    {"closed market order", {OrderType::Market, "market", nullptr, nullptr, std::nullopt, false}},
    // ccxt: type market, price null, triggerPrice 120: the same reading.
    {"open take-profit market order", {OrderType::TakeProfitMarket, "take-profit", nullptr, "120", std::nullopt, false}},
    // ccxt: type limit, price 54, triggerPrice 55: the same prices; its type does not say it waits for 55.
    {"open stop-loss-limit order", {OrderType::StopLimit, "stop-loss-limit", "54", "55", std::nullopt, false}},
    // descr.price "+50.0000%" is the trailing offset; stopprice 0.7579 is where the trigger stands now.
    {"fetch open trailing stop order", {OrderType::TrailingStop, "trailing-stop", nullptr, "0.7579", std::nullopt, false}},
    {"spot open order with clientOrderId", {OrderType::Limit, "limit", "50", nullptr, std::nullopt, false}},
    {"spot closed orders with clientorderId", {OrderType::Limit, "limit", "50", nullptr, std::nullopt, false}},
};

void check_orders(const ccxt::Recording& c, const nlohmann::json& by_txid) {
  auto orders = parse_orders(by_txid);
  ASSERT_TRUE(orders) << orders.error().describe();
  const auto& expected = c.parsed.is_array() ? c.parsed : nlohmann::json::array({c.parsed});
  ASSERT_EQ(orders->size(), expected.size());
  for (size_t i = 0; i < orders->size(); ++i) {
    // userref "0" (a string in the recordings) is a client id of 0, as ccxt reads it too.
    ccxt::expect_agrees((*orders)[i], expected[i]);
    auto t = kOrderTypes.find(c.description);
    ASSERT_NE(t, kOrderTypes.end()) << "no documented reading for '" << c.description << "'";
    ccxt::expect_type((*orders)[i], t->second);
  }
}

TEST(KrakenRecordings, EveryAnswerOfAnImplementedMethodParsesAndMeansWhatKrakenDocuments) {
  int read = 0;
  for (const auto& c : ccxt::load("kraken.json")) {
    SCOPED_TRACE(c.method + ": " + c.description);
    const auto& result = c.http.at("result");
    if (c.method == "createOrder") {
      // AddOrder answers txid[0] and descr.order; the rest is what we asked (ccxt's input).
      OrderRequest req;
      req.symbol = "LTCUSDT";
      req.side = *parse_side(c.input[2].get<std::string>());
      req.type = *parse_order_type(c.input[1].get<std::string>());
      req.amount = *ccxt::number(c.input[3]);
      auto o = parse_add_order(result, req, 1);
      ASSERT_TRUE(o) << o.error().describe();
      EXPECT_EQ(o->id, c.parsed["id"].get<std::string>());
      EXPECT_EQ(o->venue_status, result["descr"]["order"].get<std::string>());
      EXPECT_EQ(o->status, OrderStatus::New);
    } else if (c.method == "fetchOrder") {
      check_orders(c, result);  // QueryOrders: keyed by txid
    } else if (c.method == "fetchOpenOrders") {
      check_orders(c, result.at("open"));
    } else if (c.method == "fetchClosedOrders") {
      check_orders(c, result.at("closed"));
    } else if (c.method == "cancelOrder") {
      // count arrives as the string "1" in the recording; Kraken documents an integer. No pending: done.
      auto o = parse_cancel(result, OrderRef{"BTC/USD", "O45M52-BFD55-YXKQOU", ""}, 5);
      ASSERT_TRUE(o) << o.error().describe();
      EXPECT_EQ(o->status, OrderStatus::Canceled);
    } else if (c.method == "fetchOHLCV") {
      auto rows = parse_candles(result.at("XBTUSDT"));
      ASSERT_TRUE(rows) << rows.error().describe();
      EXPECT_EQ(rows->size(), result["XBTUSDT"].size());
      ccxt::expect_candles_agree(*rows, c.parsed);
    } else if (c.method == "fetchTicker") {
      auto t = parse_ticker(result.at("XBTUSDT"), "XBTUSDT");
      ASSERT_TRUE(t) << t.error().describe();
      EXPECT_EQ(t->last, *ccxt::number(c.parsed["last"]));
      EXPECT_EQ(t->bid, ccxt::number(c.parsed["bid"]));
      EXPECT_EQ(t->ask, ccxt::number(c.parsed["ask"]));
    } else {
      ADD_FAILURE() << "a method the test does not know";
      continue;
    }
    ++read;
  }
  EXPECT_EQ(read, 12);  // every case of kraken.json: all its methods are ones the connector implements
}

}  // namespace
}  // namespace tb::venues::kraken
