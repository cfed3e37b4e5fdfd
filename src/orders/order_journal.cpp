#include "orders/order_journal.hpp"

#include <nlohmann/json.hpp>

#include "core/failure_log.hpp"

namespace tb::orders {

OrderJournal::OrderJournal(store::Store& store, const Clock& clock, int64_t account_id, std::string venue, std::string purpose)
    : store_(store), clock_(clock), account_id_(account_id), venue_(std::move(venue)), purpose_(std::move(purpose)) {}

Result<store::OrderRecord> OrderJournal::intend(const OrderRequest& request, int64_t settle_at_ms) {
  store::OrderRecord row;
  row.account_id = account_id_;
  row.purpose = purpose_;
  row.venue = venue_;
  row.symbol = request.symbol;
  row.client_order_id = request.client_order_id;
  row.side = std::string(to_string(request.side));
  row.type = std::string(to_string(request.type));
  row.price = request.price.value_or(Decimal());
  row.amount = request.amount;
  row.state = std::string(to_string(OrderState::Intent));
  Status st = store_.with_transaction([&](store::Store& s) -> Status {
    auto recorded = s.record_order(row);
    if (!recorded) return recorded.error();
    row = *recorded;
    auto job = s.enqueue_job(kSettleOrderJob, nlohmann::json{{"order_id", row.id}}.dump(), settle_at_ms);
    if (!job) return job.error();
    settle_jobs_[row.client_order_id] = *job;
    return ok_status();
  });
  if (!st) return st.error();
  orders_[row.client_order_id] = row;
  return row;
}

Status OrderJournal::learnt(std::string_view client_order_id, OrderState state, std::string_view venue_order_id, std::string note) {
  auto it = orders_.find(client_order_id);
  if (it == orders_.end()) return Error::invalid("client_order_id", "no order intended here");
  store::OrderRecord& row = it->second;
  if (!venue_order_id.empty()) row.venue_order_id = std::string(venue_order_id);
  row.state = std::string(to_string(state));
  row.note = std::move(note);
  if (is_settled(state)) row.settled_ms = clock_.now_ms();
  if (auto st = store_.update_order(row); !st) return st;
  // Settled by the sender itself: its safety-net job has nothing left to do (if it stays, it finds the
  // order settled and ends).
  if (auto job = settle_jobs_.find(client_order_id); row.settled_ms && job != settle_jobs_.end())
    logged("drop a settled order's job", store_.drop_job(job->second));
  return ok_status();
}

const store::OrderRecord* OrderJournal::find(std::string_view client_order_id) const {
  auto it = orders_.find(client_order_id);
  return it == orders_.end() ? nullptr : &it->second;
}

}  // namespace tb::orders
