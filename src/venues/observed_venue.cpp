#include "venues/observed_venue.hpp"

namespace tb::venues {

namespace {

class ObservedVenue final : public Venue {
 public:
  ObservedVenue(std::unique_ptr<Venue> inner, CallObserver observer) : inner_(std::move(inner)), observer_(std::move(observer)) {}

  std::string_view id() const override { return inner_->id(); }
  std::string_view display_name() const override { return inner_->display_name(); }
  FuturesSettings* futures_settings() override { return inner_->futures_settings(); }

  Task<Result<int64_t>> server_time() override { co_return seen(Action::ServerTime, co_await inner_->server_time()); }
  Task<Result<std::vector<Market>>> markets() override { co_return seen(Action::Markets, co_await inner_->markets()); }
  Task<Result<Ticker>> ticker(std::string symbol) override { co_return seen(Action::Ticker, co_await inner_->ticker(std::move(symbol))); }
  Task<Result<std::vector<Candle>>> candles(CandleQuery query) override {
    co_return seen(Action::Candles, co_await inner_->candles(std::move(query)));
  }
  Task<Result<Portfolio>> balances(const crypto::Signer& signer) override {
    co_return seen(Action::Balances, co_await inner_->balances(signer));
  }
  Task<Result<Order>> create_order(const crypto::Signer& signer, OrderRequest request) override {
    co_return seen(Action::CreateOrder, co_await inner_->create_order(signer, std::move(request)));
  }
  Task<Result<Order>> cancel_order(const crypto::Signer& signer, OrderRef ref) override {
    co_return seen(Action::CancelOrder, co_await inner_->cancel_order(signer, std::move(ref)));
  }
  Task<Result<Order>> fetch_order(const crypto::Signer& signer, OrderRef ref) override {
    co_return seen(Action::FetchOrder, co_await inner_->fetch_order(signer, std::move(ref)));
  }
  Task<Result<std::vector<Order>>> open_orders(const crypto::Signer& signer, std::optional<std::string> symbol) override {
    co_return seen(Action::OpenOrders, co_await inner_->open_orders(signer, std::move(symbol)));
  }
  Task<Result<KeyPermissions>> permissions(const crypto::Signer& signer) override {
    co_return seen(Action::Permissions, co_await inner_->permissions(signer));
  }
  // Observed as the order read it is.
  Task<Result<std::vector<Trade>>> order_trades(const crypto::Signer& signer, OrderRef ref) override {
    co_return seen(Action::FetchOrder, co_await inner_->order_trades(signer, std::move(ref)));
  }
  Result<net::HttpRequest> prepare(Action action, const ActionParams& params, const crypto::Signer* signer,
                                   const RequestStamp& stamp) override {
    return inner_->prepare(action, params, signer, stamp);
  }

 private:
  template <typename T>
  Result<T> seen(Action action, Result<T> r) {
    observer_(inner_->id(), action, r ? std::string_view("ok") : to_string(r.error().kind));
    return r;
  }

  std::unique_ptr<Venue> inner_;
  CallObserver observer_;
};

}  // namespace

std::unique_ptr<Venue> observe_calls(std::unique_ptr<Venue> venue, CallObserver observer) {
  if (!venue) return nullptr;
  return std::make_unique<ObservedVenue>(std::move(venue), std::move(observer));
}

}  // namespace tb::venues
