#include <gtest/gtest.h>

#include <map>

#include <set>
#include <thread>

#include "support/harness.hpp"
#include "support/memory_limit_book.hpp"
#include "venues/common/flat_json.hpp"
#include "venues/common/http_errors.hpp"
#include "venues/common/json_util.hpp"
#include "venues/common/params.hpp"
#include "venues/common/rate_limit.hpp"
#include "venues/common/retry.hpp"

namespace tb::venues {
namespace {

TEST(NonceSource, StrictlyIncreasingPerKeyAcrossThreads) {
  ManualClock clock;  // frozen: every value must come from the counter
  NonceSource nonces(clock);
  std::vector<std::vector<uint64_t>> seen(4);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 5000; ++i) seen[t].push_back(nonces.next("key-A"));
    });
  for (auto& th : threads) th.join();
  std::set<uint64_t> all;
  for (auto& s : seen) {
    for (size_t i = 1; i < s.size(); ++i) EXPECT_LT(s[i - 1], s[i]);
    all.insert(s.begin(), s.end());
  }
  EXPECT_EQ(all.size(), 20000u);                                           // no value handed out twice
  EXPECT_EQ(nonces.next("key-B"), static_cast<uint64_t>(clock.now_us()));  // keys are independent
}

TEST(NonceSource, FollowsTheClockWhenItMovesAhead) {
  ManualClock clock(1000);
  NonceSource nonces(clock);
  EXPECT_EQ(nonces.next("k"), 1'000'000u);
  clock.advance_ms(1);
  EXPECT_EQ(nonces.next("k"), 1'001'000u);
}

TEST(Params, OrderRequestErrorsNameTheParameter) {
  auto r = parse_order_request({{"symbol", "BTCUSDT"}, {"side", "hold"}, {"amount", "1"}});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::InvalidArgument);
  EXPECT_NE(r.error().message.find("'side'"), std::string::npos);
  r = parse_order_request({{"symbol", "BTCUSDT"}, {"side", "buy"}, {"amount", "0"}, {"price", "1"}});
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("'amount'"), std::string::npos);
  r = parse_order_request({{"symbol", "BTCUSDT"}, {"side", "buy"}, {"amount", "1"}});
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("'price'"), std::string::npos);
  r = parse_order_request({{"symbol", "BTCUSDT"}, {"side", "buy"}, {"amount", "0.010"}, {"price", "30000.0"}, {"post_only", "true"}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->amount.to_string(), "0.010");
  EXPECT_TRUE(r->post_only);
  r = parse_order_request({{"symbol", "BTCUSDT"}, {"side", "sell"}, {"type", "market"}, {"amount", "1"}, {"post_only", "true"}});
  ASSERT_FALSE(r);
}

TEST(Params, OrderRefAndCandles) {
  EXPECT_FALSE(parse_order_ref({{"symbol", "BTCUSDT"}}));
  EXPECT_TRUE(parse_order_ref({{"client_order_id", "x"}}));
  auto q = parse_candle_query({{"symbol", "BTCUSDT"}, {"timeframe", "1h"}, {"since", "1700000000000"}, {"limit", "10"}});
  ASSERT_TRUE(q);
  EXPECT_EQ(q->timeframe, Timeframe::H1);
  EXPECT_EQ(q->since_ms, 1700000000000);
  EXPECT_FALSE(parse_candle_query({{"symbol", "X"}, {"limit", "ten"}}));
  EXPECT_FALSE(parse_candle_query({{"symbol", "X"}, {"timeframe", "2m"}}));
}

TEST(WindowLimiter, WaitsForTheNextWindowWhenFull) {
  WindowLimiter lim(10, 60'000);
  int64_t t = 120'000 + 5'000;
  EXPECT_EQ(lim.reserve(6, t).count(), 0);
  EXPECT_EQ(lim.reserve(4, t).count(), 0);
  EXPECT_EQ(lim.reserve(1, t).count(), 55'000);
  EXPECT_EQ(lim.reserve(1, 180'000).count(), 0);
  lim.observe(10, 180'001);  // the venue counted more than we did
  EXPECT_GT(lim.reserve(1, 180'002).count(), 0);
}

using MemoryBook = test::MemoryLimitBook;

TEST(WindowLimiter, AVenuesAskedWaitBlocksEveryReservation) {
  WindowLimiter lim(10, 60'000);
  lim.block_until(190'000, 130'000);
  EXPECT_EQ(lim.reserve(1, 130'000).count(), 60'000);
  EXPECT_EQ(lim.reserve(1, 189'999).count(), 1);
  EXPECT_EQ(lim.reserve(1, 190'000).count(), 0);
}

TEST(WindowLimiter, ARestartedProcessStartsWhereTheLastOneStopped) {
  MemoryBook book;
  {
    WindowLimiter before(10, 60'000);
    before.keep_in(&book, "bitfinex", "auth/r/orders", 120'000);
    for (int i = 0; i < 8; ++i) EXPECT_EQ(before.reserve(1, 120'000 + i * 1'000).count(), 0);
    before.observe(9, 128'000);  // what the venue told is saved at once
    before.block_until(175'000, 128'500);
  }
  WindowLimiter after(10, 60'000);
  after.keep_in(&book, "bitfinex", "auth/r/orders", 129'000);
  EXPECT_EQ(after.reserve(1, 129'000).count(), 46'000);  // the wait the venue asked for survives
  EXPECT_EQ(after.reserve(2, 175'000).count(), 5'000);   // and the window's count: 9 of 10 are used
  EXPECT_EQ(after.reserve(1, 180'000).count(), 0);       // a new window starts empty

  // Another budget, or a window that has passed, starts empty.
  WindowLimiter other(10, 60'000);
  other.keep_in(&book, "bitfinex", "auth/w/order/submit", 129'000);
  EXPECT_EQ(other.reserve(10, 129'000).count(), 0);
  WindowLimiter later(10, 60'000);
  later.keep_in(&book, "bitfinex", "auth/r/orders", 400'000);
  EXPECT_EQ(later.reserve(10, 400'000).count(), 0);
}

TEST(WindowLimiter, OwnBookingsAreSavedAtMostOnceASecond) {
  MemoryBook book;
  WindowLimiter lim(1000, 60'000);
  lim.keep_in(&book, "binance_futures", "fapi_weight", 120'000);
  for (int i = 0; i < 100; ++i) ASSERT_EQ(lim.reserve(1, 120'000 + i).count(), 0);
  EXPECT_LE(book.saves, 1);
  ASSERT_EQ(lim.reserve(1, 121'500).count(), 0);
  EXPECT_EQ(book.saves, 2);
  EXPECT_EQ(book.kept["binance_futures/fapi_weight"].used, 101);
}

TEST(DecayLimiter, DecaysOverTime) {
  DecayLimiter lim(15, 0.33);
  for (int i = 0; i < 15; ++i) EXPECT_EQ(lim.reserve(1, 1000).count(), 0);
  auto wait = lim.reserve(1, 1000);
  EXPECT_GT(wait.count(), 0);
  EXPECT_EQ(lim.reserve(1, 1000 + wait.count()).count(), 0);
}

// Found by the fuzzer (tests/fuzz/venue_bitfinex.cpp): a Retry-After of 777777777777777777 seconds overflowed
// (signed, undefined) when turned into milliseconds.
TEST(RetryAfter, SecondsWithinAYearElseNone) {
  net::HttpResponse r;
  r.status = 429;
  r.headers.push_back({"Retry-After", "30"});
  EXPECT_EQ(retry_after(r), std::chrono::milliseconds(30'000));
  r.headers[0].value = "31536000";  // a year
  EXPECT_EQ(retry_after(r), std::chrono::milliseconds(31'536'000'000));
  for (const char* huge : {"31536001", "777777777777777777", "9223372036854775807", "99999999999999999999", "-1"}) {
    r.headers[0].value = huge;
    EXPECT_EQ(retry_after(r), std::nullopt) << huge;
    EXPECT_EQ(generic_http_error(r, "Venue").retry_after, std::nullopt) << huge;
  }
}

// Found by the fuzzer (tests/fuzz/venue_kraken.cpp): a balance of 5.5e34 parsed, then total - used threw
// std::overflow_error out of the reader. Venue decimals stay below 10^17.
TEST(DecimalOf, RefusesMagnitudesNoVenueSends) {
  EXPECT_EQ(decimal_of(json("99999999999999999.99"))->to_string(), "99999999999999999.99");
  EXPECT_EQ(decimal_of(json(-99999999999999999LL))->to_string(), "-99999999999999999");
  for (const json& huge :
       {json("100000000000000000"), json("-1e17"), json("55555555555555555555555001884268636"), json(100000000000000000LL), json(1e30)})
    EXPECT_EQ(decimal_of(huge), std::nullopt) << huge.dump();
  // Above int64 a JSON integer is unsigned; read as int64 it wrapped to -1 and passed the bound.
  EXPECT_EQ(decimal_of(json::parse("18446744073709551615")), std::nullopt);
  EXPECT_EQ(decimal_of(json::parse("9223372036854775808")), std::nullopt);
}

TEST(Retry, OnlyTransientErrors) {
  EXPECT_TRUE(is_transient(Error::make(ErrorKind::NetworkError, "")));
  EXPECT_TRUE(is_transient(Error::make(ErrorKind::ExchangeUnavailable, "")));
  EXPECT_FALSE(is_transient(Error::make(ErrorKind::InvalidKey, "")));
  Error banned = Error::make(ErrorKind::RateLimited, "");
  banned.retry_after = std::chrono::minutes(2);
  EXPECT_FALSE(is_transient(banned));
  EXPECT_EQ(retry_delay(Error::make(ErrorKind::NetworkError, ""), 2).count(), 500);
}

}  // namespace
}  // namespace tb::venues

namespace tb::venues {
namespace {

// An object of plain values is read in place; anything else is left to the document (nullopt).
TEST(FlatJson, AnObjectOfPlainValuesIsReadInPlaceAndTheRestIsLeftToTheDocument) {
  auto f = FlatJson::parse(R"( {"a":"x", "n":-12, "big":18446744073709551616, "f":1.5e3, "t":true, "z":null, "a":"y"} )");
  ASSERT_TRUE(f);
  EXPECT_EQ(*f->string("a"), "y");  // the last of a repeated key, as the document keeps it
  EXPECT_EQ(f->scalar("n"), json(-12));
  EXPECT_TRUE(f->scalar("big")->is_number_float());
  EXPECT_EQ(f->scalar("f"), json(1500.0));
  EXPECT_EQ(f->scalar("t"), json(true));
  EXPECT_TRUE(f->scalar("z")->is_null());
  EXPECT_EQ(f->string("n"), nullptr);
  EXPECT_FALSE(f->scalar("missing"));
  EXPECT_TRUE(FlatJson::parse("{}"));
  for (const char* text : {R"({"a":"x\"y"})", R"({"a":{"b":1}})", R"({"a":[1]})", "{\"a\":\"\xc3\xa9\"}", R"({"a":01})", R"({"a":1.})",
                           R"({"a":-})", R"({"a":1,})", R"({"a":1} x)", R"({"a" 1})", R"([1])", "", "tru", R"({"a":tru})"})
    EXPECT_FALSE(FlatJson::parse(text)) << text;
}

// Found by the fuzzer (tests/fuzz/venue_bitfinex.cpp): an error naming a pair of any length was as long.
TEST(BadResponse, AMessageIsAtMostOneKibibyteAndCutBetweenCharacters) {
  const std::string pair = std::string(994, 'x') + "\xc3\xa9" + std::string(5000, 'y');
  Error e = bad_response("pair " + pair + " has no valid minimum order size");
  EXPECT_EQ(e.kind, ErrorKind::BadResponse);
  EXPECT_LE(e.message.size(), 1024u);
  EXPECT_EQ(e.message, "pair " + std::string(994, 'x') + "...");  // byte 1000 is inside the 2-byte character
  EXPECT_EQ(snippet("\xc3\xa9\xc3\xa9", 3), "\xc3\xa9...");
  EXPECT_EQ(bad_response("short").message, "short");
}

// What is read in place holds the values the document holds; a number no double holds is the document's to
// refuse (an overflow) or round (an underflow), never read as 0 in place.
TEST(FlatJson, ANumberOutOfADoublesRangeIsLeftToTheDocument) {
  const std::string digits400(400, '7');
  for (const std::string& text : std::vector<std::string>{R"({"a":1e400})", R"({"a":-1e400})", R"({"a":1e-400})",
                                                          R"({"a":)" + digits400 + "}", R"({"a":-)" + digits400 + "}"})
    EXPECT_FALSE(FlatJson::parse(text)) << text;
  const std::string text = R"({"a":1e300,"b":-0,"c":-9223372036854775809,"d":0.1e-300,"e":2.5E+3,"f":4e-320})";
  auto f = FlatJson::parse(text);
  ASSERT_TRUE(f);
  const json doc = json::parse(text);
  for (auto& [key, value] : doc.items()) EXPECT_EQ(*f->scalar(key), value) << key;
}

}  // namespace
}  // namespace tb::venues
