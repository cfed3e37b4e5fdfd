#pragma once
// A venue for the live runner's tests: public market data from the test's own candles and ticker; every
// private call is refused. Candles can be held back (a hole in the venue's answers) and given later.
#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "venues/venue.hpp"

namespace tb::robots::testing {

class ScriptedVenue final : public venues::Venue {
 public:
  ScriptedVenue(std::string id, std::vector<Candle> candles) : candles_(std::move(candles)), id_(std::move(id)) {}

  std::vector<Candle> candles_;  // what the venue has, sorted
  std::set<int64_t> holes_;      // open times it leaves out of its answers
  Ticker ticker_;                // what ticker() answers
  int candle_calls = 0, ticker_calls = 0;

  std::string_view id() const override { return id_; }
  std::string_view display_name() const override { return id_; }
  venues::Task<Result<int64_t>> server_time() override { co_return refused(); }
  venues::Task<Result<std::vector<Market>>> markets() override { co_return refused(); }
  venues::Task<Result<Ticker>> ticker(std::string symbol) override {
    ++ticker_calls;
    Ticker t = ticker_;
    t.symbol = symbol;
    co_return t;
  }
  venues::Task<Result<std::vector<Candle>>> candles(venues::CandleQuery q) override {
    ++candle_calls;
    std::vector<Candle> out;
    for (const auto& c : candles_)
      if (c.open_time_ms >= q.since_ms.value_or(0) && !holes_.contains(c.open_time_ms) && (!q.limit || std::ssize(out) < *q.limit))
        out.push_back(c);
    co_return out;
  }
  venues::Task<Result<Portfolio>> balances(const crypto::Signer&) override { co_return refused(); }
  venues::Task<Result<Order>> create_order(const crypto::Signer&, OrderRequest) override { co_return refused(); }
  venues::Task<Result<Order>> cancel_order(const crypto::Signer&, OrderRef) override { co_return refused(); }
  venues::Task<Result<Order>> fetch_order(const crypto::Signer&, OrderRef) override { co_return refused(); }
  venues::Task<Result<std::vector<Order>>> open_orders(const crypto::Signer&, std::optional<std::string>) override { co_return refused(); }
  venues::Task<Result<KeyPermissions>> permissions(const crypto::Signer&) override { co_return refused(); }
  Result<net::HttpRequest> prepare(venues::Action, const venues::ActionParams&, const crypto::Signer*,
                                   const venues::RequestStamp&) override {
    return refused();
  }

 private:
  static Error refused() { return Error::invalid("venue", "the scripted venue serves market data only"); }
  std::string id_;
};

}  // namespace tb::robots::testing
