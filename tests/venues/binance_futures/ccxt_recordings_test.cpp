// Every answer ccxt recorded from Binance (../shared/reference/ccxt-fixtures/binance.json) that comes from
// the USD-M API this connector calls, read by our parser; the fields both readings have agree. The file
// also holds spot answers (api.binance.com): another API with other types (spot's TAKE_PROFIT is a market
// order, USD-M's a limit one), which this connector never calls; each is named below with that reason.
#include <gtest/gtest.h>

#include <map>

#include "venues/binance_futures/parse.hpp"
#include "venues/ccxt_recordings.hpp"
#include "venues/same_order.hpp"

namespace tb::venues::binance_futures {
namespace {

namespace ccxt = tb::test::ccxt;
using ccxt::TypeExpectation;

// Spot API cases, by description: not answers of an endpoint this connector calls.
const std::set<std::string> kSpot = {
    "spot +selfTradePrevention +iceberg",
    "spot market buy order with trailingPercent and stopLossOrTakeProfit params",
    "Fetch spot closed order",
    "Fetch spot open orders",
    "fetch spot orders",
    "Spot balance",
};

struct OrderCase {
  TypeExpectation type;
  std::set<std::string> differs;  // fields where ccxt's reading is not the documentation's (why: below)
  std::optional<PositionSide> position_side;
};

const std::map<std::string, OrderCase> kOrders = {
    {"create swap orders", {{OrderType::Limit, "LIMIT", "110001", nullptr, TimeInForce::Gtc, false}, {}, PositionSide::Both}},
    // The answer says SELL although ccxt's edit asked for buy: we read the answer.
    {"edit swap orders", {{OrderType::Limit, "LIMIT", "666666", nullptr, TimeInForce::Gtc, false}, {}, PositionSide::Both}},
    // Portfolio margin (papi) answers carry the same order object.
    {"open portfolio margin orders", {{OrderType::Limit, "LIMIT", "50", nullptr, TimeInForce::Gtc, false}, {}, PositionSide::Both}},
    // GTX is Binance's post-only (good till crossing); ccxt writes it "PO".
    {"swap open order", {{OrderType::Limit, "LIMIT", "50", nullptr, TimeInForce::Gtc, true}, {}, PositionSide::Both}},
    // ccxt sets a market order's price to its average fill; a market order has no limit price ("0").
    {"fetch portfolio margin orders", {{OrderType::Market, "MARKET", nullptr, nullptr, TimeInForce::Gtc, false}, {}, PositionSide::Long}},
};

void check_order(const ccxt::Recording& c, const nlohmann::json& raw, const nlohmann::json& parsed) {
  auto o = parse_order(raw);
  ASSERT_TRUE(o) << o.error().describe();
  test::expect_same_order(parse_order_body(raw.dump(), 200), o);  // the answer read in place reads the same
  auto want = kOrders.find(c.description);
  ASSERT_NE(want, kOrders.end()) << "no documented reading for '" << c.description << "'";
  ccxt::expect_agrees(*o, parsed, want->second.differs);
  ccxt::expect_type(*o, want->second.type);
  EXPECT_EQ(o->position_side, want->second.position_side);
}

void check_order_list(const ccxt::Recording& c) {
  ASSERT_TRUE(c.http.is_array());
  ASSERT_EQ(c.http.size(), c.parsed.size());
  auto all = parse_orders(c.http);
  ASSERT_TRUE(all) << all.error().describe();
  for (size_t i = 0; i < c.http.size(); ++i) check_order(c, c.http[i], c.parsed[i]);
}

void check_balances(const ccxt::Recording& c) {
  auto p = parse_account(c.http);
  ASSERT_TRUE(p) << p.error().describe();
  ASSERT_EQ(p->balances.size(), 1u);
  EXPECT_EQ(p->balances[0].asset, "USDT");
  EXPECT_EQ(p->balances[0].total, *ccxt::number(c.parsed["USDT"]["total"]));
  EXPECT_EQ(p->balances[0].free, *ccxt::number(c.parsed["USDT"]["free"]));
  EXPECT_EQ(p->balances[0].used, *ccxt::number(c.parsed["USDT"]["used"]));
}

// GET /fapi/v3/account's shape (no entryPrice, no leverage); amounts and times as strings.
void check_positions(const ccxt::Recording& c) {
  auto p = parse_account(c.http);
  ASSERT_TRUE(p) << p.error().describe();
  ASSERT_EQ(p->positions.size(), 1u);
  const Position& pos = p->positions[0];
  EXPECT_EQ(pos.symbol, "BTCUSDT");
  EXPECT_EQ(pos.amount, *ccxt::number(c.parsed[0]["contracts"]));  // ccxt: side long, contracts 0.009
  EXPECT_EQ(pos.unrealized_pnl, *ccxt::number(c.parsed[0]["unrealizedPnl"]));
  EXPECT_EQ(pos.position_side, PositionSide::Both);
  EXPECT_EQ(pos.leverage, std::nullopt);
}

TEST(BinanceFuturesRecordings, EveryUsdMAnswerParsesAndMeansWhatBinanceDocuments) {
  int read = 0, spot = 0;
  for (const auto& c : ccxt::load("binance.json")) {
    SCOPED_TRACE(c.method + ": " + c.description);
    if (kSpot.count(c.description)) {
      ++spot;
      continue;
    }
    if (c.method == "createOrders" || c.method == "editOrders" || c.method == "fetchOpenOrders" || c.method == "fetchOrders") {
      check_order_list(c);
    } else if (c.method == "fetchOpenOrder") {
      check_order(c, c.http, c.parsed);
    } else if (c.method == "fetchBalance") {
      check_balances(c);
    } else if (c.method == "fetchPositions") {
      check_positions(c);
    } else if (c.method == "fetchOHLCV") {
      // Spot, inverse-index and USD-M klines share the row shape [open time, o, h, l, c, volume, ...].
      auto rows = parse_candles(c.http);
      ASSERT_TRUE(rows) << rows.error().describe();
      EXPECT_EQ(rows->size(), c.http.size());
      ccxt::expect_candles_agree(*rows, c.parsed);
    } else if (c.method == "fetchTicker") {
      // A spot 24hr ticker: the same fields as USD-M's /fapi/v1/ticker/24hr; closeTime as a string here.
      auto t = parse_ticker(c.http);
      ASSERT_TRUE(t) << t.error().describe();
      EXPECT_EQ(t->last, *ccxt::number(c.parsed["last"]));
      EXPECT_EQ(t->bid, ccxt::number(c.parsed["bid"]));
      EXPECT_EQ(t->ask, ccxt::number(c.parsed["ask"]));
      EXPECT_EQ(t->time_ms, c.parsed["timestamp"].get<int64_t>());
    } else {
      ADD_FAILURE() << "a method the test does not know";
      continue;
    }
    ++read;
  }
  EXPECT_EQ(read, 11);
  EXPECT_EQ(spot, static_cast<int>(kSpot.size()));  // every skipped case was there: none skipped by mistake
}

}  // namespace
}  // namespace tb::venues::binance_futures
