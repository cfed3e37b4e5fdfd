#include "venues/shared_reads.hpp"

#include <map>
#include <mutex>
#include <utility>
#include <vector>

#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace tb::venues {

namespace {

using Timer = boost::asio::steady_timer;

// One call under way and the callers waiting for it.
template <typename T>
struct Flight {
  std::optional<Result<T>> result;
  std::vector<std::shared_ptr<Timer>> waiters;
};

// The last good answer and the call under way, if any.
template <typename T>
struct Slot {
  std::optional<T> value;
  int64_t at_ms = 0;
  std::shared_ptr<Flight<T>> flight;
};

// Waits until `flight` has its result. The waker sets the timer's expiry in the past, so a wait that starts
// after the wake-up returns at once.
template <typename T>
Task<Result<T>> wait_for(std::shared_ptr<Flight<T>> flight, std::mutex& mu) {
  auto timer = std::make_shared<Timer>(co_await boost::asio::this_coro::executor, Timer::time_point::max());
  {
    std::lock_guard lock(mu);
    if (flight->result) co_return *flight->result;
    flight->waiters.push_back(timer);
  }
  boost::system::error_code ec;
  co_await timer->async_wait(boost::asio::redirect_error(boost::asio::use_awaitable, ec));
  std::lock_guard lock(mu);
  co_return *flight->result;
}

// The leader's answer: kept when good, handed to every waiter.
template <typename T>
void land(Slot<T>& slot, const Result<T>& r, int64_t now_ms, std::mutex& mu) {
  std::vector<std::shared_ptr<Timer>> waiters;
  {
    std::lock_guard lock(mu);
    auto flight = std::move(slot.flight);
    if (r) {
      slot.value = *r;
      slot.at_ms = now_ms;
    }
    flight->result = r;
    waiters.swap(flight->waiters);
  }
  for (auto& t : waiters) boost::asio::post(t->get_executor(), [t] { t->expires_at(Timer::time_point::min()); });
}

class SharedReadsVenue final : public Venue {
 public:
  SharedReadsVenue(std::unique_ptr<Venue> inner, const Clock& clock, SharedReadOptions options)
      : inner_(std::move(inner)), clock_(clock), options_(options) {}

  std::string_view id() const override { return inner_->id(); }
  std::string_view display_name() const override { return inner_->display_name(); }
  FuturesSettings* futures_settings() override { return inner_->futures_settings(); }

  Task<Result<int64_t>> server_time() override { return inner_->server_time(); }

  Task<Result<std::vector<Market>>> markets() override {
    std::shared_ptr<Flight<std::vector<Market>>> joined;
    {
      std::lock_guard lock(mu_);
      if (markets_.value && fresh(markets_.at_ms, options_.markets_ttl)) co_return *markets_.value;
      if (markets_.flight) joined = markets_.flight;
      else markets_.flight = std::make_shared<Flight<std::vector<Market>>>();
    }
    if (joined) co_return co_await wait_for(std::move(joined), mu_);
    auto r = co_await inner_->markets();
    land(markets_, r, clock_.now_ms(), mu_);
    co_return r;
  }

  Task<Result<Ticker>> ticker(std::string symbol) override {
    std::shared_ptr<Flight<Ticker>> joined;
    {
      std::lock_guard lock(mu_);
      Slot<Ticker>& slot = tickers_[symbol];
      if (slot.value && fresh(slot.at_ms, options_.ticker_ttl)) co_return *slot.value;
      if (slot.flight) joined = slot.flight;
      else slot.flight = std::make_shared<Flight<Ticker>>();
    }
    if (joined) co_return co_await wait_for(std::move(joined), mu_);
    auto r = co_await inner_->ticker(symbol);
    Slot<Ticker>* slot = nullptr;
    {
      std::lock_guard lock(mu_);
      slot = &tickers_[symbol];  // map nodes stay put: the pointer outlives the lock
    }
    land(*slot, r, clock_.now_ms(), mu_);
    co_return r;
  }

  Task<Result<std::vector<Candle>>> candles(CandleQuery query) override { return inner_->candles(std::move(query)); }
  Task<Result<Portfolio>> balances(const crypto::Signer& signer) override { return inner_->balances(signer); }
  Task<Result<Order>> create_order(const crypto::Signer& signer, OrderRequest request) override {
    return inner_->create_order(signer, std::move(request));
  }
  Task<Result<Order>> cancel_order(const crypto::Signer& signer, OrderRef ref) override {
    return inner_->cancel_order(signer, std::move(ref));
  }
  Task<Result<Order>> fetch_order(const crypto::Signer& signer, OrderRef ref) override {
    return inner_->fetch_order(signer, std::move(ref));
  }
  Task<Result<std::vector<Order>>> open_orders(const crypto::Signer& signer, std::optional<std::string> symbol) override {
    return inner_->open_orders(signer, std::move(symbol));
  }
  Task<Result<KeyPermissions>> permissions(const crypto::Signer& signer) override { return inner_->permissions(signer); }
  Task<Result<std::vector<Trade>>> order_trades(const crypto::Signer& signer, OrderRef ref) override {
    return inner_->order_trades(signer, std::move(ref));
  }
  Result<net::HttpRequest> prepare(Action action, const ActionParams& params, const crypto::Signer* signer,
                                   const RequestStamp& stamp) override {
    return inner_->prepare(action, params, signer, stamp);
  }

 private:
  bool fresh(int64_t at_ms, std::chrono::milliseconds ttl) const {
    int64_t age = clock_.now_ms() - at_ms;
    return age >= 0 && age < ttl.count();
  }

  std::unique_ptr<Venue> inner_;
  const Clock& clock_;
  SharedReadOptions options_;
  std::mutex mu_;
  Slot<std::vector<Market>> markets_;
  std::map<std::string, Slot<Ticker>, std::less<>> tickers_;
};

}  // namespace

std::unique_ptr<Venue> share_public_reads(std::unique_ptr<Venue> venue, const Clock& clock, SharedReadOptions options) {
  if (!venue) return nullptr;
  return std::make_unique<SharedReadsVenue>(std::move(venue), clock, options);
}

}  // namespace tb::venues
