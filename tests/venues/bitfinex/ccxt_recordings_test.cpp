// Every answer ccxt recorded from Bitfinex v2 (../shared/reference/ccxt-fixtures/bitfinex2.json), read by
// our parser; the fields both readings have agree, and where ccxt's reading differs from Bitfinex's
// documentation (exchanges.md §4.8) the documentation wins, as each row says.
#include <gtest/gtest.h>

#include <map>

#include "venues/bitfinex/parse.hpp"
#include "venues/ccxt_recordings.hpp"

namespace tb::venues::bitfinex {
namespace {

namespace ccxt = tb::test::ccxt;
using ccxt::TypeExpectation;

// ccxt's timestamp is MTS_UPDATE [5]; the documentation's creation time is MTS_CREATE [4], ours.
const std::set<std::string> kCreated = {"timestamp"};

const std::map<std::string, TypeExpectation> kOrders = {
    {"fetch spot closed orders", {OrderType::Limit, "EXCHANGE LIMIT", "50", nullptr, std::nullopt, false}},
    {"spot open orders", {OrderType::Limit, "EXCHANGE LIMIT", "50", nullptr, std::nullopt, false}},
    {"cancel spot order", {OrderType::Limit, "EXCHANGE LIMIT", "50", nullptr, std::nullopt, false}},
};

TEST(BitfinexRecordings, EveryAnswerParsesAndMeansWhatBitfinexDocuments) {
  int read = 0;
  for (const auto& c : ccxt::load("bitfinex2.json")) {
    SCOPED_TRACE(c.method + ": " + c.description + " " + c.input.dump());
    if (c.method == "createOrder") {
      auto o = parse_order_notification(c.http, "on-req");
      ASSERT_TRUE(o) << o.error().describe();
      ccxt::expect_agrees(*o, c.parsed, kCreated);
      // The spot order is an EXCHANGE LIMIT, the derivatives one (tLTCF0:USTF0) a plain LIMIT.
      bool derivative = c.input[0].get<std::string>().find(':') != std::string::npos;
      ccxt::expect_type(*o, {OrderType::Limit, derivative ? "LIMIT" : "EXCHANGE LIMIT", "50", nullptr, std::nullopt, false});
      EXPECT_EQ(o->created_ms, 1717587431027);
    } else if (c.method == "fetchClosedOrders" || c.method == "fetchOpenOrders") {
      auto orders = parse_orders(c.http);
      ASSERT_TRUE(orders) << orders.error().describe();
      ASSERT_EQ(orders->size(), c.parsed.size());
      for (size_t i = 0; i < orders->size(); ++i) {
        ccxt::expect_agrees((*orders)[i], c.parsed[i], kCreated);
        ccxt::expect_type((*orders)[i], kOrders.at(c.description));
        EXPECT_EQ((*orders)[i].created_ms, c.http[i][4].get<int64_t>());
      }
    } else if (c.method == "cancelOrder") {
      // "Submitted for cancellation; waiting for confirmation": ccxt reports the echoed order "open"; the
      // venue took the cancel and has not done it, so ours is Canceling (open: it may still fill).
      auto o = parse_cancel_notification(c.http);
      ASSERT_TRUE(o) << o.error().describe();
      ccxt::expect_agrees(*o, c.parsed, kCreated);
      EXPECT_EQ(o->status, OrderStatus::Canceling);
      ccxt::expect_type(*o, kOrders.at(c.description));
    } else if (c.method == "fetchTicker") {
      auto t = parse_ticker(c.http, "tBTCUST", 9);
      ASSERT_TRUE(t) << t.error().describe();
      EXPECT_EQ(t->last, *ccxt::number(c.parsed["last"]));
      EXPECT_EQ(t->bid, ccxt::number(c.parsed["bid"]));
      EXPECT_EQ(t->ask, ccxt::number(c.parsed["ask"]));
    } else if (c.method == "fetchOHLCV") {
      // Bitfinex rows are [MTS, OPEN, CLOSE, HIGH, LOW, VOLUME]; ccxt's [t, o, h, l, c, v].
      auto rows = parse_candles(c.http);
      ASSERT_TRUE(rows) << rows.error().describe();
      ccxt::expect_candles_agree(*rows, c.parsed);
    } else {
      ADD_FAILURE() << "a method the test does not know";
      continue;
    }
    ++read;
  }
  EXPECT_EQ(read, 7);  // every case: all its methods are ones the connector implements
}

}  // namespace
}  // namespace tb::venues::bitfinex
