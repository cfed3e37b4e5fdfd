// tradebridge's own Kraken connector against the simulator's Kraken: every request goes through
// VenueSim::handle as the server would pass it, signed and checked for real.
#include <gtest/gtest.h>

#include "crypto/signer.hpp"
#include "exsim/kraken/kraken_sim.hpp"
#include "exsim/kraken/names.hpp"
#include "exsim/kraken/sim_handler.hpp"
#include "support/harness.hpp"
#include "venues/kraken/errors.hpp"
#include "venues/registry.hpp"

namespace tb::exsim {
namespace {

using test::run;
using venues::Venue;

Decimal dec(const char* s) { return *Decimal::parse(s); }

class KrakenConnectorTest : public ::testing::Test {
 protected:
  test::VenueHarness h{nullptr};
  Exchange exchange{h.clock, 1};
  std::unique_ptr<VenueSim> sim = make_kraken_sim(exchange);
  std::string peer = "127.0.0.1";
  std::unique_ptr<Venue> venue;

  void SetUp() override {
    h.transport.set_handler(test::sim_handler(*sim, &peer));
    venue = make();
  }

  std::unique_ptr<Venue> make(int max_attempts = 3) {
    venues::VenueConfig config;
    config.base_url = "http://127.0.0.1:8081";
    config.max_attempts = max_attempts;
    return venues::make_venue("kraken", h.context(), config);
  }

  struct Key {
    ApiKey key;
    std::unique_ptr<crypto::LocalSigner> signer;
  };

  Key key(bool trade = true, bool withdraw = false, std::map<std::string, Decimal> balances = {{"USD", dec("10000")}},
          std::vector<std::string> whitelist = {}) {
    NewKey spec;
    spec.venue = "kraken";
    spec.label = "test";
    spec.permissions.read = true;
    spec.permissions.trade = trade;
    spec.permissions.withdraw = withdraw;
    spec.ip_whitelist = std::move(whitelist);
    spec.balances = std::move(balances);
    auto k = exchange.create_key(spec);
    EXPECT_TRUE(k) << (k ? "" : k.error().describe());
    Key out{*k, std::make_unique<crypto::LocalSigner>(k->key, crypto::Secret(k->secret))};
    return out;
  }

  static std::optional<tb::Balance> balance_of(const Portfolio& p, const std::string& asset) {
    for (auto& b : p.balances)
      if (b.asset == asset) return b;
    return std::nullopt;
  }

  OrderRequest limit_buy_far_below(const std::string& symbol, const char* amount) {
    Decimal last = exchange.price("kraken", symbol);
    auto m = exchange.market("kraken", symbol);
    OrderRequest r;
    r.symbol = symbol;
    r.side = Side::Buy;
    r.type = OrderType::Limit;
    r.amount = dec(amount);
    r.price = (last * dec("0.7")).round_to_step(m->tick, Rounding::Floor);
    r.post_only = true;
    r.client_order_id = "tb-test-1";
    return r;
  }
};

TEST_F(KrakenConnectorTest, ServerTimeIsTheClockInSeconds) {
  auto t = run(venue->server_time());
  ASSERT_TRUE(t) << t.error().describe();
  EXPECT_EQ(*t, h.clock.now_ms() / 1000 * 1000);
}

TEST_F(KrakenConnectorTest, MarketsWithKrakensNamesAndRules) {
  auto m = run(venue->markets());
  ASSERT_TRUE(m) << m.error().describe();
  ASSERT_EQ(m->size(), 4u);
  const Market* btc = nullptr;
  for (auto& x : *m)
    if (x.symbol == "BTC/USD") btc = &x;
  ASSERT_NE(btc, nullptr);
  EXPECT_EQ(btc->id, "XXBTZUSD");
  EXPECT_EQ(btc->altname, "XBTUSD");
  EXPECT_EQ(btc->base, "BTC");
  EXPECT_EQ(btc->quote, "USD");
  EXPECT_EQ(btc->tick_size, dec("0.1"));
  EXPECT_EQ(btc->step_size, dec("0.00000001"));
  EXPECT_EQ(btc->min_qty, dec("0.00005"));
  EXPECT_EQ(btc->min_notional, dec("0.5"));
  EXPECT_TRUE(btc->active);
}

TEST_F(KrakenConnectorTest, TickerFollowsThePrice) {
  ASSERT_TRUE(exchange.set_price("kraken", "XXBTZUSD", dec("65000.0")));
  auto t = run(venue->ticker("XBTUSD"));
  ASSERT_TRUE(t) << t.error().describe();
  EXPECT_EQ(t->last, dec("65000.0"));
  ASSERT_TRUE(t->bid && t->ask);
  EXPECT_LT(*t->bid, t->last);
  EXPECT_GT(*t->ask, t->last);
}

TEST_F(KrakenConnectorTest, CandlesOneMinuteApart) {
  h.clock.advance_ms(3'600'000);  // an hour of price path
  auto c = run(venue->candles({"XXBTZUSD", Timeframe::M1, std::nullopt, 10}));
  ASSERT_TRUE(c) << c.error().describe();
  ASSERT_EQ(c->size(), 10u);
  for (size_t i = 1; i < c->size(); ++i) EXPECT_EQ((*c)[i].open_time_ms - (*c)[i - 1].open_time_ms, 60'000);
  EXPECT_LE(c->back().open_time_ms, h.clock.now_ms());
  for (auto& k : *c) {
    EXPECT_LE(k.low, k.open);
    EXPECT_GE(k.high, k.close);
  }
  int64_t since = c->front().open_time_ms;
  auto s = run(venue->candles({"XXBTZUSD", Timeframe::M1, since, 3}));
  ASSERT_TRUE(s) << s.error().describe();
  ASSERT_EQ(s->size(), 3u);
  EXPECT_EQ(s->front().open_time_ms, since);
}

TEST_F(KrakenConnectorTest, BalancesInUnifiedCodes) {
  auto k = key(true, false, {{"USD", dec("10000")}, {"BTC", dec("0.5")}});
  auto p = run(venue->balances(*k.signer));
  ASSERT_TRUE(p) << p.error().describe();
  auto usd = balance_of(*p, "USD"), btc = balance_of(*p, "BTC");
  ASSERT_TRUE(usd && btc);
  EXPECT_EQ(usd->total, dec("10000"));
  EXPECT_EQ(usd->free, dec("10000"));
  EXPECT_EQ(btc->total, dec("0.5"));
}

TEST_F(KrakenConnectorTest, PermissionsFromGetApiKeyInfo) {
  auto trader = key(true, false);
  auto p = run(venue->permissions(*trader.signer));
  ASSERT_TRUE(p) << p.error().describe();
  EXPECT_EQ(p->can_read, true);
  EXPECT_EQ(p->can_trade, true);
  EXPECT_EQ(p->can_withdraw, false);
  EXPECT_EQ(p->ip_restricted, false);

  auto withdrawer = key(false, true, {}, {"127.0.0.1"});
  p = run(venue->permissions(*withdrawer.signer));
  ASSERT_TRUE(p) << p.error().describe();
  EXPECT_EQ(p->can_trade, false);
  EXPECT_EQ(p->can_withdraw, true);
  EXPECT_EQ(p->ip_restricted, true);
  EXPECT_EQ(p->ip_whitelist, std::vector<std::string>{"127.0.0.1"});
}

TEST_F(KrakenConnectorTest, LimitOrderRestsIsFoundListedAndCancelled) {
  auto k = key();
  auto req = limit_buy_far_below("XXBTZUSD", "0.001");
  auto o = run(venue->create_order(*k.signer, req));
  ASSERT_TRUE(o) << o.error().describe();
  EXPECT_TRUE(kraken::looks_like_txid(o->id)) << o->id;
  EXPECT_EQ(o->venue_status, "buy 0.00100000 XBTUSD @ limit " + req.price->to_fixed(1));

  auto f = run(venue->fetch_order(*k.signer, {"XXBTZUSD", o->id, ""}));
  ASSERT_TRUE(f) << f.error().describe();
  EXPECT_EQ(f->status, OrderStatus::New);
  EXPECT_EQ(f->price, req.price);
  EXPECT_EQ(f->amount, dec("0.001"));
  EXPECT_EQ(f->client_order_id, "tb-test-1");
  EXPECT_EQ(f->symbol, "XBTUSD");
  EXPECT_TRUE(f->post_only);

  auto by_client_id = run(venue->fetch_order(*k.signer, {"XXBTZUSD", "", "tb-test-1"}));
  ASSERT_TRUE(by_client_id) << by_client_id.error().describe();
  EXPECT_EQ(by_client_id->id, o->id);

  auto open = run(venue->open_orders(*k.signer, std::string("XXBTZUSD")));
  ASSERT_TRUE(open) << open.error().describe();
  ASSERT_EQ(open->size(), 1u);
  EXPECT_EQ(open->front().id, o->id);

  auto held = run(venue->balances(*k.signer));
  ASSERT_TRUE(held);
  EXPECT_TRUE(balance_of(*held, "USD")->used.is_positive());

  auto c = run(venue->cancel_order(*k.signer, {"XXBTZUSD", o->id, ""}));
  ASSERT_TRUE(c) << c.error().describe();
  EXPECT_EQ(c->status, OrderStatus::Canceled);
  f = run(venue->fetch_order(*k.signer, {"XXBTZUSD", o->id, ""}));
  ASSERT_TRUE(f);
  EXPECT_EQ(f->status, OrderStatus::Canceled);
  open = run(venue->open_orders(*k.signer, std::nullopt));
  ASSERT_TRUE(open);
  EXPECT_TRUE(open->empty());
  auto freed = run(venue->balances(*k.signer));
  ASSERT_TRUE(freed);
  EXPECT_EQ(balance_of(*freed, "USD")->used, Decimal());
}

TEST_F(KrakenConnectorTest, MarketOrderFillsAndMovesBalances) {
  auto k = key();
  ASSERT_TRUE(exchange.set_price("kraken", "XXBTZUSD", dec("60000.0")));
  OrderRequest r;
  r.symbol = "XBTUSD";
  r.side = Side::Buy;
  r.type = OrderType::Market;
  r.amount = dec("0.01");
  auto o = run(venue->create_order(*k.signer, r));
  ASSERT_TRUE(o) << o.error().describe();
  auto f = run(venue->fetch_order(*k.signer, {"XBTUSD", o->id, ""}));
  ASSERT_TRUE(f) << f.error().describe();
  EXPECT_EQ(f->status, OrderStatus::Filled);
  EXPECT_EQ(f->filled, dec("0.01"));
  ASSERT_TRUE(f->average_price);
  EXPECT_EQ(*f->average_price, dec("60000.0"));
  ASSERT_TRUE(f->fee);  // Kraken's order carries its fee: the engine's
  EXPECT_EQ(*f->fee, dec("1.56"));
  auto trades = run(venue->order_trades(*k.signer, {"XBTUSD", o->id, ""}));
  ASSERT_FALSE(trades);  // no fills list needed: the order says it
  EXPECT_EQ(trades.error().kind, ErrorKind::InvalidArgument);
  auto p = run(venue->balances(*k.signer));
  ASSERT_TRUE(p);
  EXPECT_EQ(balance_of(*p, "BTC")->total, dec("0.01"));
  // 600 USD plus Kraken's 0.26% taker fee, in the quote currency.
  EXPECT_EQ(balance_of(*p, "USD")->total, dec("10000") - dec("600") - dec("1.56"));
}

// Errors --------------------------------------------------------------------------------------------

TEST_F(KrakenConnectorTest, PartialFillShowsWithItsFee) {
  auto k = key();
  ASSERT_TRUE(exchange.set_price("kraken", "XXBTZUSD", dec("60000.0")));
  auto o = run(venue->create_order(*k.signer, limit_buy_far_below("XXBTZUSD", "0.01")));
  ASSERT_TRUE(o) << o.error().describe();
  auto part = exchange.fill_part("kraken", 0, "tb-test-1", "", dec("0.004"));
  ASSERT_TRUE(part) << part.error().message;
  auto f = run(venue->fetch_order(*k.signer, {"XXBTZUSD", o->id, ""}));
  ASSERT_TRUE(f) << f.error().describe();
  EXPECT_EQ(f->status, OrderStatus::PartiallyFilled);
  EXPECT_EQ(f->filled, dec("0.004"));
  ASSERT_TRUE(f->fee);
  EXPECT_EQ(*f->fee, part->fee);
  EXPECT_TRUE(f->fee->is_positive());
}

TEST_F(KrakenConnectorTest, WrongSecretIsAnAuthenticationFailure) {
  auto k = key(), other = key();
  // A well-formed secret that is not the key's: Kraken calls the mismatch "EAPI:Invalid key".
  crypto::LocalSigner wrong(k.key.key, crypto::Secret(other.key.secret));
  auto p = run(venue->balances(wrong));
  ASSERT_FALSE(p);
  EXPECT_TRUE(is_authentication_failure(p.error().kind)) << p.error().describe();
  EXPECT_EQ(p.error().venue_code, "EAPI:Invalid key");
}

TEST_F(KrakenConnectorTest, UnknownKeyIsInvalidKey) {
  auto k = key();
  crypto::LocalSigner stranger("x" + k.key.key.substr(1), crypto::Secret(k.key.secret));
  auto p = run(venue->balances(stranger));
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().kind, ErrorKind::InvalidKey);
}

TEST_F(KrakenConnectorTest, MissingTradePermission) {
  auto k = key(/*trade=*/false);
  auto o = run(venue->create_order(*k.signer, limit_buy_far_below("XXBTZUSD", "0.001")));
  ASSERT_FALSE(o);
  EXPECT_EQ(o.error().kind, ErrorKind::PermissionDenied);
  EXPECT_EQ(o.error().venue_code, "EGeneral:Permission denied");
  EXPECT_TRUE(exchange.orders(k.key.key).empty());
}

TEST_F(KrakenConnectorTest, TooLittleBalance) {
  auto k = key(true, false, {{"USD", dec("10")}});
  auto o = run(venue->create_order(*k.signer, limit_buy_far_below("XXBTZUSD", "0.01")));
  ASSERT_FALSE(o);
  EXPECT_EQ(o.error().kind, ErrorKind::InsufficientFunds);
  EXPECT_EQ(o.error().venue_code, "EOrder:Insufficient funds");
}

TEST_F(KrakenConnectorTest, BelowTheMinimum) {
  auto k = key();
  auto o = run(venue->create_order(*k.signer, limit_buy_far_below("XXBTZUSD", "0.00001")));
  ASSERT_FALSE(o);
  EXPECT_EQ(o.error().kind, ErrorKind::InvalidOrder);
  EXPECT_EQ(o.error().venue_code, "EOrder:Order minimum not met");
}

TEST_F(KrakenConnectorTest, CancelUnknownOrder) {
  auto k = key();
  auto c = run(venue->cancel_order(*k.signer, {"XXBTZUSD", "OU22CG-KLAF2-FWUDD7", ""}));
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().kind, ErrorKind::OrderNotFound);
  EXPECT_EQ(c.error().venue_code, "EOrder:Unknown order");
  auto f = run(venue->fetch_order(*k.signer, {"XXBTZUSD", "OU22CG-KLAF2-FWUDD7", ""}));
  ASSERT_FALSE(f);
  EXPECT_EQ(f.error().kind, ErrorKind::OrderNotFound);
}

TEST_F(KrakenConnectorTest, RateLimitWhenTwoProcessesShareAKey) {
  auto k = key();
  // Each connector keeps its own count of the key's counter (Starter: 15); together they overrun it.
  auto other = make(/*max_attempts=*/1);
  for (int i = 0; i < 15; ++i) ASSERT_TRUE(run(venue->balances(*k.signer))) << i;
  auto p = run(other->balances(*k.signer));
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().kind, ErrorKind::RateLimited);
  EXPECT_EQ(p.error().venue_code, "EAPI:Rate limit exceeded");
  h.clock.advance_ms(3'100);  // the counter falls by 0.33 a second: one more call fits
  EXPECT_TRUE(run(other->balances(*k.signer)));
}

TEST_F(KrakenConnectorTest, IpNotWhitelisted) {
  auto k = key(true, false, {{"USD", dec("100")}}, {"10.1.2.3"});
  auto p = run(venue->balances(*k.signer));
  ASSERT_FALSE(p);
  // Kraken answers a call from outside the allow-list as a permission denial.
  EXPECT_EQ(p.error().kind, ErrorKind::PermissionDenied);
  peer = "10.1.2.3";
  EXPECT_TRUE(run(venue->balances(*k.signer)));
}

TEST_F(KrakenConnectorTest, NonceMustIncrease) {
  auto k = key();
  ASSERT_TRUE(run(venue->balances(*k.signer)));
  // The same request again (a replay), then an older nonce: both refused.
  auto req = venue->prepare(venues::Action::Balances, {}, k.signer.get(), {.nonce = 1});
  ASSERT_TRUE(req);
  auto resp = sim->handle(test::to_sim_request(*req, peer));
  auto r = venues::kraken::unwrap_response(resp);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::InvalidNonce);
  auto fresh = venue->prepare(venues::Action::Balances, {}, k.signer.get(), {.nonce = 99'999'999'999'999'999ull});
  ASSERT_TRUE(fresh);
  EXPECT_TRUE(venues::kraken::unwrap_response(sim->handle(test::to_sim_request(*fresh, peer))));
  auto replay = venues::kraken::unwrap_response(sim->handle(test::to_sim_request(*fresh, peer)));
  ASSERT_FALSE(replay);
  EXPECT_EQ(replay.error().kind, ErrorKind::InvalidNonce);
}

}  // namespace
}  // namespace tb::exsim
