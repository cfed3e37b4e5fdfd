#pragma once
// The ledger's pen for the orders of one account and one purpose. intend() writes an order down before it
// is sent, together with a job that will settle it: if the sender dies between the write and the answer,
// the job still asks the venue. learnt() records each later answer. Every write goes to the store at once.
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "core/core.hpp"
#include "orders/order_state.hpp"
#include "store/store.hpp"

namespace tb::orders {

// The job that settles one order: payload {"order_id": <ledger id>}.
inline constexpr std::string_view kSettleOrderJob = "settle_order";

class OrderJournal {
 public:
  OrderJournal(store::Store& store, const Clock& clock, int64_t account_id, std::string venue, std::string purpose);

  // The intent (state intent) and its settle job due at settle_at_ms, in one transaction. An error means
  // nothing was written and the order must not be sent.
  Result<store::OrderRecord> intend(const OrderRequest& request, int64_t settle_at_ms);
  // What we now know of an order intended here. A store failure is returned; the settle job still runs.
  Status learnt(std::string_view client_order_id, OrderState state, std::string_view venue_order_id, std::string note);
  // The order as last written, if it was intended here.
  const store::OrderRecord* find(std::string_view client_order_id) const;

 private:
  store::Store& store_;
  const Clock& clock_;
  int64_t account_id_;
  std::string venue_, purpose_;
  std::map<std::string, store::OrderRecord, std::less<>> orders_;
  std::map<std::string, int64_t, std::less<>> settle_jobs_;  // each order's settle job
};

}  // namespace tb::orders
