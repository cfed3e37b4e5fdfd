// The background half of AccountService: the job loop, key tests, periodic re-checks and the cancel of a
// test order that could not be confirmed at once.
#include <utility>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "accounts/account_service.hpp"
#include "accounts/sealed_rows.hpp"
#include "accounts/valuation.hpp"

namespace tb::accounts {

struct PollTimer {
  explicit PollTimer(const boost::asio::any_io_executor& ex) : timer(ex) {}
  boost::asio::steady_timer timer;
};

namespace {

constexpr int kMaxKeyTestAttempts = 3;  // a test whose worker died this often is reported, not retried
constexpr int64_t kRecheckRetryMs = 5 * 60 * 1000;  // an exchange that did not answer: look again soon

std::optional<int64_t> payload_int(const std::string& payload, const char* name) {
  auto j = nlohmann::json::parse(payload, nullptr, false);
  if (!j.is_object() || !j.contains(name) || !j[name].is_number_integer()) return std::nullopt;
  return j[name].get<int64_t>();
}

// Keys the exchange refused outright are not kept: the user sends a new pair.
bool key_refused(InvalidReason r) {
  switch (r) {
    case InvalidReason::InvalidKey:
    case InvalidReason::WrongSecret:
    case InvalidReason::IpNotWhitelisted:
    case InvalidReason::NoTradingPermission:
    case InvalidReason::WithdrawalPermission: return true;
    default: return false;
  }
}

nlohmann::json step_json(const KeyTestStep& s) {
  return {{"name", s.name}, {"state", to_string(s.state)}, {"message", s.message}, {"duration_ms", s.duration_ms}};
}

nlohmann::json order_ref_json(const OrderRef& r) {
  return {{"symbol", r.symbol}, {"order_id", r.order_id}, {"client_order_id", r.client_order_id}};
}

Actor system_actor(int64_t user_id) { return Actor{user_id, ""}; }

}  // namespace

// ---- the loop ----

AccountService::AccountService(store::Store& store, std::shared_ptr<const vault::Vault> vault, Venues& venues, const Clock& clock,
                               net::Sleeper& sleeper, EventBus& events, boost::asio::any_io_executor executor,
                               AccountServiceOptions options)
    : store_(store), vault_(std::move(vault)), venues_(venues), clock_(clock), sleeper_(sleeper), events_(events),
      executor_(std::move(executor)), options_(std::move(options)), timer_(std::make_shared<PollTimer>(executor_)) {}

AccountService::~AccountService() { stop(); }


void AccountService::start() {
  stopping_ = false;
  if (options_.worker_is_gone)
    if (auto holders = store_.job_holders())
      for (const auto& h : *holders)
        if (h != options_.worker_id && options_.worker_is_gone(h)) (void)store_.release_jobs_of(h);
  boost::asio::co_spawn(executor_, poll_loop(), boost::asio::detached);
}

void AccountService::stop() {
  stopping_ = true;
  timer_->timer.cancel();
}

void AccountService::wake() { timer_->timer.cancel(); }

net::Task<void> AccountService::poll_loop() {
  auto timer = timer_;  // kept alive by the loop itself
  while (!stopping_) {
    run_due_jobs();
    timer->timer.expires_after(options_.poll_interval);
    boost::system::error_code ec;
    co_await timer->timer.async_wait(boost::asio::redirect_error(boost::asio::use_awaitable, ec));
  }
}

size_t AccountService::run_due_jobs() {
  size_t started = 0;
  for (std::string_view kind : {kKeyTestJob, kCancelOrderJob, kRecheckJob}) {
    while (running_ < options_.max_running_jobs && !stopping_) {
      auto job = store_.claim_job(kind, options_.worker_id, options_.job_lease.count());
      if (!job || !job->has_value()) break;
      ++running_;
      ++started;
      boost::asio::co_spawn(executor_, run_job(std::move(**job)), boost::asio::detached);
    }
  }
  return started;
}

net::Task<void> AccountService::idle() {
  boost::asio::steady_timer t(executor_);
  while (running_ > 0) {
    t.expires_after(std::chrono::milliseconds(1));
    boost::system::error_code ec;
    co_await t.async_wait(boost::asio::redirect_error(boost::asio::use_awaitable, ec));
  }
}

net::Task<void> AccountService::run_job(store::Job job) {
  JobOutcome out;
  if (job.kind == kKeyTestJob) out = co_await run_key_test(job);
  else if (job.kind == kRecheckJob) out = co_await run_recheck(job);
  else if (job.kind == kCancelOrderJob) out = co_await run_cancel(job);
  if (out.done) (void)store_.complete_job(job.id, options_.worker_id);
  else (void)store_.release_job(job.id, options_.worker_id, out.retry_at_ms);
  // At the cap, due jobs wait in the store: a free slot takes the next one now, not at the next poll.
  if (running_-- == options_.max_running_jobs) wake();
}

Result<std::unique_ptr<crypto::Signer>> AccountService::signer_for(const store::Account& a) {
  auto rows = store_.get_secrets(a.id);
  if (!rows) return rows.error();
  auto sealed = from_rows(*rows);
  if (!sealed) return sealed.error();
  auto signer = vault::make_signer(vault_, {a.user_id, a.id, a.venue}, *sealed);
  if (!signer) return signer.error();
  return std::unique_ptr<crypto::Signer>(std::move(*signer));
}

Status AccountService::schedule_recheck(int64_t account_id, int64_t test_id, int64_t at_ms) {
  auto r = store_.enqueue_job(kRecheckJob, nlohmann::json{{"account_id", account_id}, {"test_id", test_id}}.dump(), at_ms);
  if (!r) return r.error();
  return ok_status();
}

// ---- key test ----

net::Task<AccountService::JobOutcome> AccountService::run_key_test(const store::Job& job) {
  auto id = payload_int(job.payload, "account_id");
  if (!id) co_return JobOutcome{};
  auto found = store_.find_account(*id);
  if (!found || !found->has_value()) co_return JobOutcome{};  // deleted meanwhile
  store::Account a = **found;
  if (testing_.count(a.id)) co_return JobOutcome{};  // already under test here (a duplicate job)

  KeyTestResult failed;
  failed.status = KeyTestStatus::Invalid;
  auto venue = venues_.find(a.venue);
  auto signer = signer_for(a);
  if (venue == venues_.end()) {
    failed.reason = InvalidReason::Other;
    failed.message = "This exchange is not configured on this server.";
  } else if (!signer) {
    failed.reason = InvalidReason::Other;
    failed.message = "No usable key pair is stored for this account; send the key pair again.";
  } else if (job.attempts > kMaxKeyTestAttempts) {
    failed.reason = InvalidReason::ExchangeUnavailable;
    failed.message = "The test was interrupted several times; press check to run it again.";
  }
  if (!failed.message.empty()) {
    if (auto test = store_.start_key_test(a.id)) (void)finish_key_test(a, *test, failed);
    co_return JobOutcome{};
  }

  testing_.insert(a.id);
  co_await settle_interrupted_test(a, *venue->second, **signer);
  if (a.status != store::AccountStatus::Testing) {  // a test taken over after a restart
    a.status = store::AccountStatus::Testing;
    (void)store_.update_account(a);
  }
  auto test = store_.start_key_test(a.id);
  if (!test) {
    testing_.erase(a.id);
    co_return JobOutcome{false, clock_.now_ms() + 1000};
  }
  store::KeyTest row = *test;
  nlohmann::json steps = nlohmann::json::array();
  KeyTest runner(*venue->second, **signer, clock_, sleeper_, options_.key_test);
  runner.on_step([&, user = a.user_id, account_id = a.id](const KeyTestStep& s) {
    nlohmann::json j = step_json(s);
    if (!steps.empty() && steps.back()["name"] == s.name && steps.back()["state"] == "running") steps.back() = j;
    else steps.push_back(j);
    if (s.state != StepState::Running) {  // finished steps are stored; a crash loses only the step under way
      row.steps_json = steps.dump();
      (void)store_.update_key_test(row);
    }
    publish(user, "key_test.step", {{"account_id", account_id}, {"test_id", row.id}, {"step", j}});
  });
  runner.on_order_planned([&](const OrderRef& ref) {
    row.result_json = nlohmann::json{{"pending_order", order_ref_json(ref)}}.dump();
    (void)store_.update_key_test(row);
  });
  runner.on_cancel_later([&, account_id = a.id](const OrderRef& ref) {
    nlohmann::json p = order_ref_json(ref);
    p["account_id"] = account_id;
    (void)store_.enqueue_job(kCancelOrderJob, p.dump(), clock_.now_ms() + 30'000);
  });
  KeyTestResult result = co_await runner.run();
  testing_.erase(a.id);
  row.steps_json = steps.dump();
  (void)finish_key_test(a, row, result);
  co_return JobOutcome{};
}

Status AccountService::finish_key_test(const store::Account& before, store::KeyTest test, const KeyTestResult& r) {
  const bool enabled = r.status == KeyTestStatus::Enabled;
  const std::string outcome = enabled ? "enabled" : std::string(to_string(r.reason));
  nlohmann::json result = {{"reason_code", enabled ? nlohmann::json(nullptr) : nlohmann::json(outcome)},
                           {"message", r.message},
                           {"warnings", r.warnings}};
  if (r.trading_expires_ms) result["trading_expires_at"] = iso_time(*r.trading_expires_ms);
  if (r.order_to_cancel_by_hand) result["order_to_cancel_by_hand"] = order_ref_json(*r.order_to_cancel_by_hand);
  test.outcome = outcome;
  test.finished_ms = clock_.now_ms();
  test.result_json = result.dump();
  if (options_.on_key_test) options_.on_key_test(before.venue, outcome);

  auto found = store_.find_account(before.id);
  if (!found || !found->has_value()) return ok_status();  // deleted while it was tested: nothing to record
  store::Account a = **found;  // the name may have changed meanwhile
  a.last_checked_ms = clock_.now_ms();
  if (enabled) {
    a.status = store::AccountStatus::Enabled;
    a.reason.clear();
    a.balances_json = nlohmann::json(r.portfolio).dump();
    a.usd_total = r.usd_total;
  } else {
    a.status = store::AccountStatus::Invalid;
    a.reason = r.message;
  }
  Status st = store_.with_transaction([&](store::Store& s) -> Status {
    if (auto u = s.update_key_test(test); !u) return u;
    if (auto u = s.update_account(a); !u) return u;
    if (!enabled && key_refused(r.reason)) return s.delete_secrets(a.id);  // a refused key leaves no ciphertext
    if (enabled) {
      if (auto u = s.add_balance_snapshot({a.id, clock_.now_ms(), a.usd_total}); !u) return u;
      auto at = clock_.now_ms() + options_.recheck_interval.count();
      auto job = s.enqueue_job(kRecheckJob, nlohmann::json{{"account_id", a.id}, {"test_id", test.id}}.dump(), at);
      if (!job) return job.error();
    }
    return ok_status();
  });
  if (!st) return st;
  (void)audit_log(system_actor(a.user_id), "key.tested", a.id, {{"outcome", outcome}, {"key", a.masked_key}});
  publish_account("account.tested", a);
  return ok_status();
}

net::Task<void> AccountService::settle_interrupted_test(const store::Account& a, venues::Venue& venue, const crypto::Signer& signer) {
  auto last = store_.latest_key_test(a.id);
  if (!last || !last->has_value() || !(*last)->outcome.empty()) co_return;
  store::KeyTest old = **last;
  auto result = nlohmann::json::parse(old.result_json, nullptr, false);
  old.outcome = "interrupted";
  old.finished_ms = clock_.now_ms();
  if (!result.is_object() || !result.contains("pending_order")) {
    (void)store_.update_key_test(old);
    co_return;
  }
  const auto& p = result["pending_order"];
  OrderRef ref{p.value("symbol", ""), p.value("order_id", ""), p.value("client_order_id", "")};
  auto found = co_await venue.fetch_order(signer, ref);
  if (found && is_open(found->status)) {
    ref.order_id = found->id;
    bool cancelled = co_await cancel_and_confirm(venue, signer, sleeper_, ref, options_.key_test.cancel_attempts,
                                                 options_.key_test.cancel_backoff);
    if (!cancelled) {
      nlohmann::json job = order_ref_json(ref);
      job["account_id"] = a.id;
      (void)store_.enqueue_job(kCancelOrderJob, job.dump(), clock_.now_ms() + 30'000);
    }
    (void)audit_log(system_actor(a.user_id), cancelled ? "test_order.cancelled" : "test_order.cancel_queued", a.id, order_ref_json(ref));
  }
  result.erase("pending_order");
  old.result_json = result.dump();
  (void)store_.update_key_test(old);
}

// ---- periodic re-check: one read-only call ----

net::Task<AccountService::JobOutcome> AccountService::run_recheck(const store::Job& job) {
  auto id = payload_int(job.payload, "account_id");
  auto scheduled_by = payload_int(job.payload, "test_id");
  if (!id || !scheduled_by) co_return JobOutcome{};
  auto found = store_.find_account(*id);
  if (!found || !found->has_value()) co_return JobOutcome{};
  store::Account a = **found;
  // Only the newest test's schedule counts; a later test scheduled its own.
  auto latest = store_.latest_key_test(a.id);
  if (a.status != store::AccountStatus::Enabled || !latest || !latest->has_value() || (*latest)->id != *scheduled_by)
    co_return JobOutcome{};
  auto venue = venues_.find(a.venue);
  auto signer = signer_for(a);
  if (venue == venues_.end() || !signer) co_return JobOutcome{};

  auto portfolio = co_await venue->second->balances(**signer);
  const int64_t now = clock_.now_ms();
  if (!portfolio) {
    const Error& e = portfolio.error();
    if (!is_authentication_failure(e.kind) && e.kind != ErrorKind::PermissionDenied && e.kind != ErrorKind::IpNotAllowed)
      co_return JobOutcome{false, now + kRecheckRetryMs};  // the exchange did not answer: not the key's fault
    a.status = store::AccountStatus::Invalid;
    a.reason = "The exchange now rejects this key (" + std::string(to_string(e.kind)) + ": " + e.message +
               "). Check the key on the exchange, then replace it or test it again.";
    a.last_checked_ms = now;
    (void)store_.update_account(a);
    (void)audit_log(system_actor(a.user_id), "key.rejected", a.id, {{"error", to_string(e.kind)}, {"key", a.masked_key}});
    publish_account("account.invalid", a);
    co_return JobOutcome{};
  }
  auto markets = co_await venue->second->markets();
  Decimal total;
  if (markets) co_await value_in_usd(*venue->second, *portfolio, *markets, total);
  a.balances_json = nlohmann::json(*portfolio).dump();
  if (markets) a.usd_total = total;
  a.last_checked_ms = now;
  (void)store_.update_account(a);
  (void)store_.add_balance_snapshot({a.id, now, a.usd_total});
  publish_account("account.updated", a);
  (void)schedule_recheck(a.id, *scheduled_by, now + options_.recheck_interval.count());
  co_return JobOutcome{};
}

// ---- a test order whose cancel was not confirmed ----

net::Task<AccountService::JobOutcome> AccountService::run_cancel(const store::Job& job) {
  auto j = nlohmann::json::parse(job.payload, nullptr, false);
  auto id = payload_int(job.payload, "account_id");
  if (!id || !j.is_object()) co_return JobOutcome{};
  OrderRef ref{j.value("symbol", ""), j.value("order_id", ""), j.value("client_order_id", "")};
  auto found = store_.find_account(*id);
  if (!found || !found->has_value()) co_return JobOutcome{};  // deleted: the user was told to cancel by hand
  store::Account a = **found;
  auto venue = venues_.find(a.venue);
  auto signer = signer_for(a);
  if (venue == venues_.end() || !signer) co_return JobOutcome{};

  bool confirmed = co_await cancel_and_confirm(*venue->second, **signer, sleeper_, ref, 1, std::chrono::milliseconds(0));
  if (!confirmed) {
    if (job.attempts >= options_.cancel_later_attempts) {
      (void)audit_log(system_actor(a.user_id), "test_order.cancel_given_up", a.id, order_ref_json(ref));
      co_return JobOutcome{};
    }
    // 30 s, 1 min, 2 min, ... at most an hour between tries.
    int64_t wait = std::min<int64_t>(30'000LL << std::min(job.attempts, 7), 3'600'000);
    co_return JobOutcome{false, clock_.now_ms() + wait};
  }
  (void)audit_log(system_actor(a.user_id), "test_order.cancelled", a.id, order_ref_json(ref));
  // The warning to cancel by hand is no longer true.
  if (auto t = store_.latest_key_test(a.id); t && t->has_value()) {
    store::KeyTest row = **t;
    auto result = nlohmann::json::parse(row.result_json, nullptr, false);
    if (result.is_object() && result.contains("order_to_cancel_by_hand") && result["order_to_cancel_by_hand"].value("order_id", "") == ref.order_id) {
      result.erase("order_to_cancel_by_hand");
      nlohmann::json kept = nlohmann::json::array();
      for (const auto& w : result.value("warnings", nlohmann::json::array()))
        if (!w.is_string() || w.get<std::string>().find(ref.order_id) == std::string::npos) kept.push_back(w);
      kept.push_back("The test order " + ref.order_id + " was cancelled in the background.");
      result["warnings"] = kept;
      row.result_json = result.dump();
      (void)store_.update_key_test(row);
    }
  }
  publish_account("account.updated", a);
  co_return JobOutcome{};
}

}  // namespace tb::accounts
