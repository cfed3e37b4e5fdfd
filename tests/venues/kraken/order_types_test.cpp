// Every Kraken ordertype read as what Kraken documents (AddOrder, exchanges.md §3.8), and each answer of
// CancelOrder (issue 16 parts 1-3).
#include <gtest/gtest.h>

#include "venues/kraken/parse.hpp"

namespace tb::venues::kraken {
namespace {

std::optional<Decimal> D(const char* s) { return s ? Decimal::parse(s) : std::nullopt; }

nlohmann::json order(const char* ordertype, const char* price, const char* price2, const char* stopprice = "0.00000",
                     const char* limitprice = "0.00000") {
  return {{"refid", nullptr},
          {"userref", nullptr},
          {"status", "open"},
          {"opentm", 1705260464.5},
          {"starttm", 0},
          {"expiretm", 0},
          {"descr", {{"pair", "XBTUSD"}, {"type", "sell"}, {"ordertype", ordertype}, {"price", price}, {"price2", price2}}},
          {"vol", "0.5"},
          {"vol_exec", "0"},
          {"price", "0"},
          {"stopprice", stopprice},
          {"limitprice", limitprice},
          {"oflags", "fciq"}};
}

struct Row {
  const char* ordertype;
  const char* price;
  const char* price2;
  OrderType type;
  const char* limit;    // expected limit price
  const char* trigger;  // expected trigger price
};

TEST(KrakenOrderTypes, EveryOrdertypeWithItsPricesAsKrakenDocuments) {
  const Row rows[] = {
      {"market", "0", "0", OrderType::Market, nullptr, nullptr},
      {"limit", "30000.0", "0", OrderType::Limit, "30000.0", nullptr},
      {"iceberg", "30000.0", "0", OrderType::Limit, "30000.0", nullptr},  // a limit order showing part of itself
      {"stop-loss", "55.0", "0", OrderType::StopMarket, nullptr, "55.0"},
      {"take-profit", "120.0", "0", OrderType::TakeProfitMarket, nullptr, "120.0"},
      {"stop-loss-limit", "55.0", "54.0", OrderType::StopLimit, "54.0", "55.0"},  // the case: at 54, not 55
      {"take-profit-limit", "120.0", "121.0", OrderType::TakeProfitLimit, "121.0", "120.0"},
      {"settle-position", "0", "0", OrderType::Other, nullptr, nullptr},
      {"some-new-type", "10.0", "11.0", OrderType::Other, nullptr, nullptr},  // never guessed as another type
  };
  for (const auto& r : rows) {
    SCOPED_TRACE(r.ordertype);
    auto o = parse_order("OIIQBL-6PV3A-7M2AJJ", order(r.ordertype, r.price, r.price2));
    ASSERT_TRUE(o) << o.error().describe();
    EXPECT_EQ(o->type, r.type) << to_string(o->type);
    EXPECT_EQ(o->venue_type, r.ordertype);
    EXPECT_EQ(o->price, D(r.limit));
    EXPECT_EQ(o->trigger_price, D(r.trigger));
  }
}

TEST(KrakenOrderTypes, TrailingOrdersTakeTheirPricesFromStoppriceAndLimitprice) {
  // descr.price/price2 of a trailing order are offsets ("+50.0000%", "-5"), never prices.
  auto t = parse_order("OF7S76-H2IMS-N2ML4U", order("trailing-stop", "+50.0000%", "0", "0.75790000", "0.50527000"));
  ASSERT_TRUE(t) << t.error().describe();
  EXPECT_EQ(t->type, OrderType::TrailingStop);
  EXPECT_EQ(t->trigger_price, D("0.7579"));
  EXPECT_EQ(t->price, std::nullopt);
  auto tl = parse_order("OF7S76-H2IMS-N2ML4V", order("trailing-stop-limit", "+5.0", "-2.0", "0.75790000", "0.74000000"));
  ASSERT_TRUE(tl) << tl.error().describe();
  EXPECT_EQ(tl->type, OrderType::TrailingStopLimit);
  EXPECT_EQ(tl->trigger_price, D("0.7579"));
  EXPECT_EQ(tl->price, D("0.74"));
  // A relative trigger on a stop order is an offset too: the venue's stopprice stands in for it.
  auto rel = parse_order("OF7S76-H2IMS-N2ML4W", order("stop-loss", "#5", "0", "61.5"));
  ASSERT_TRUE(rel);
  EXPECT_EQ(rel->trigger_price, D("61.5"));
}

TEST(KrakenOrderTypes, FlagsAndTimeInForce) {
  auto j = order("limit", "30000.0", "0");
  j["oflags"] = "fciq,post";
  j["expiretm"] = "1705270000";
  auto o = parse_order("O1", j);
  ASSERT_TRUE(o);
  EXPECT_TRUE(o->post_only);
  EXPECT_EQ(o->time_in_force, TimeInForce::Gtd);
  j["oflags"] = "nompp,fcib";  // "post" as a whole word only
  j["expiretm"] = 0;
  j["reduce_only"] = true;
  o = parse_order("O1", j);
  ASSERT_TRUE(o);
  EXPECT_FALSE(o->post_only);
  EXPECT_TRUE(o->reduce_only);
  EXPECT_EQ(o->time_in_force, std::nullopt);
}

TEST(KrakenOrderTypes, UserrefZeroIsAClientIdOfZeroWhenSetNumberOrString) {
  auto j = order("limit", "1.0", "0");
  EXPECT_EQ(parse_order("O1", j)->client_order_id, "");  // null: none
  j["userref"] = 0;
  EXPECT_EQ(parse_order("O1", j)->client_order_id, "0");
  j["userref"] = "0";
  EXPECT_EQ(parse_order("O1", j)->client_order_id, "0");
  j["userref"] = "42";
  EXPECT_EQ(parse_order("O1", j)->client_order_id, "42");
  j["userref"] = -7;
  EXPECT_EQ(parse_order("O1", j)->client_order_id, "-7");
  j["cl_ord_id"] = "robot-1";  // cl_ord_id and userref are exclusive; cl_ord_id names it when present
  EXPECT_EQ(parse_order("O1", j)->client_order_id, "robot-1");
}

TEST(KrakenCancel, EachAnswerAsKrakenDocumentsIt) {
  OrderRef ref{"XBTUSD", "OU22CG-KLAF2-FWUDD7", ""};
  auto done = parse_cancel(nlohmann::json{{"count", 1}}, ref, 7);
  ASSERT_TRUE(done);
  EXPECT_EQ(done->status, OrderStatus::Canceled);
  EXPECT_EQ(done->id, ref.order_id);
  EXPECT_EQ(done->updated_ms, 7);
  auto as_text = parse_cancel(nlohmann::json{{"count", "1"}}, ref, 7);  // as ccxt's recording carries it
  ASSERT_TRUE(as_text);
  EXPECT_EQ(as_text->status, OrderStatus::Canceled);
  auto pending = parse_cancel(nlohmann::json{{"count", 1}, {"pending", true}}, ref, 7);
  ASSERT_TRUE(pending);
  EXPECT_EQ(pending->status, OrderStatus::Canceling);  // taken, not done: it may still fill
  EXPECT_EQ(pending->venue_status, "cancel pending");
  EXPECT_TRUE(is_open(pending->status));
  auto none = parse_cancel(nlohmann::json{{"count", 0}}, ref, 7);
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().kind, ErrorKind::OrderNotFound);
  EXPECT_FALSE(parse_cancel(nlohmann::json{{"pending", false}}, ref, 7));
  EXPECT_FALSE(parse_cancel(nlohmann::json{{"count", "one"}}, ref, 7));
}

}  // namespace
}  // namespace tb::venues::kraken
