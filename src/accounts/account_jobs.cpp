// The background half of AccountService: the job loop, key tests (deferred while the exchange has
// trouble), periodic re-checks, and the settling of test orders whose outcome is in doubt.
#include <algorithm>
#include <iterator>
#include <unordered_map>
#include <utility>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "accounts/account_service.hpp"
#include "accounts/sealed_rows.hpp"
#include "accounts/signer_cache.hpp"
#include "accounts/user_texts.hpp"
#include "accounts/valuation.hpp"
#include "core/failure_log.hpp"

namespace tb::accounts {

struct PollTimer {
  explicit PollTimer(const boost::asio::any_io_executor& ex) : timer(ex) {}
  boost::asio::steady_timer timer;
};

namespace {

constexpr int kMaxKeyTestAttempts = 3;              // a test whose worker died this often is reported, not retried
constexpr int64_t kRecheckRetryMs = 5 * 60 * 1000;  // an exchange that did not answer: look again soon

std::optional<int64_t> payload_int(const std::string& payload, const char* name) {
  auto j = nlohmann::json::parse(payload, nullptr, false);
  if (!j.is_object() || !j.contains(name) || !j[name].is_number_integer()) return std::nullopt;
  return j[name].get<int64_t>();
}

Actor system_actor(int64_t user_id) { return Actor{user_id, ""}; }

}  // namespace

// ---- the loop ----

AccountService::AccountService(store::Store& store, std::shared_ptr<const vault::Vault> vault, Venues& venues, const Clock& clock,
                               net::Sleeper& sleeper, EventBus& events, boost::asio::any_io_executor executor,
                               AccountServiceOptions options)
    : store_(store),
      vault_(std::move(vault)),
      venues_(venues),
      clock_(clock),
      sleeper_(sleeper),
      events_(events),
      executor_(std::move(executor)),
      options_(std::move(options)),
      timer_(std::make_shared<PollTimer>(executor_)),
      trading_signers_(std::make_unique<SignerCache>(options_.trading_signer_idle.count())) {}

AccountService::~AccountService() { stop(); }

void AccountService::start() {
  stopping_ = false;
  if (options_.worker_is_gone)
    if (auto holders = store_.job_holders())
      for (const auto& h : *holders)
        if (h != options_.worker_id && options_.worker_is_gone(h)) logged("hand back a gone worker's jobs", store_.release_jobs_of(h));
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
  for (std::string_view kind : {kKeyTestJob, orders::kSettleOrderJob, kRecheckJob}) {
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
  else if (job.kind == orders::kSettleOrderJob) out = co_await run_settle(job);
  // A job whose end cannot be written runs again when its lease runs out; every job is safe to repeat.
  if (out.done) logged("complete a job", store_.complete_job(job.id, options_.worker_id));
  else logged("release a job", store_.release_job(job.id, options_.worker_id, out.retry_at_ms));
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

Result<std::shared_ptr<crypto::Signer>> AccountService::trading_signer(const store::Account& a) {
  if (a.status != store::AccountStatus::Enabled) {
    trading_signers_->forget(a.id);
    auto signer = signer_for(a);
    if (!signer) return signer.error();
    return std::shared_ptr<crypto::Signer>(std::move(*signer));
  }
  const int64_t now = clock_.now_ms();
  if (auto kept = trading_signers_->find(a, now)) return kept;
  auto rows = store_.get_secrets(a.id);
  if (!rows) return rows.error();
  return open_and_keep(a, *rows, now);
}

Result<std::shared_ptr<crypto::Signer>> AccountService::open_and_keep(const store::Account& a,
                                                                      const std::vector<store::AccountSecret>& rows, int64_t now) {
  auto sealed = from_rows(rows);
  if (!sealed) return sealed.error();
  auto opened = vault::make_open_signer(*vault_, {a.user_id, a.id, a.venue}, *sealed);
  if (!opened) return opened.error();
  std::shared_ptr<crypto::Signer> signer = std::move(*opened);
  trading_signers_->keep(a, signer, now);
  return signer;
}

size_t AccountService::open_trading_signers(const std::vector<store::Account>& accounts) {
  const int64_t now = clock_.now_ms();
  std::unordered_map<int64_t, const store::Account*> closed;
  std::vector<int64_t> ids;
  for (const auto& a : accounts)
    if (a.status == store::AccountStatus::Enabled && !trading_signers_->find(a, now) && closed.emplace(a.id, &a).second)
      ids.push_back(a.id);
  if (ids.empty()) return 0;
  auto rows = store_.secrets_of(ids);
  if (!rows) return 0;  // each is read on its own then
  size_t opened = 0;
  for (auto first = rows->begin(); first != rows->end();) {  // by account, then field
    auto last = std::find_if(first, rows->end(), [&](const store::AccountSecret& r) { return r.account_id != first->account_id; });
    auto account = closed.find(first->account_id);
    const std::vector<store::AccountSecret> one(std::make_move_iterator(first), std::make_move_iterator(last));
    first = last;
    if (account != closed.end() && open_and_keep(*account->second, one, now)) ++opened;
  }
  return opened;
}

void AccountService::publish(AccountEvent event) const {
  if (auto* changed = std::get_if<AccountChanged>(&event.what)) trading_signers_->forget(changed->view.account.id);
  if (auto* deleted = std::get_if<AccountDeleted>(&event.what)) trading_signers_->forget(deleted->account_id);
  events_.publish(event);
}

Status AccountService::schedule_recheck(store::Store& s, int64_t account_id, int64_t test_id, int64_t at_ms) {
  auto r = s.enqueue_job(kRecheckJob, nlohmann::json{{"account_id", account_id}, {"test_id", test_id}}.dump(), at_ms);
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
  if (auto ended = close_earlier_tests(a, job)) co_return *ended;
  const Series series{payload_int(job.payload, "since_ms").value_or(clock_.now_ms()), payload_int(job.payload, "tries").value_or(0)};

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
    failed.status = KeyTestStatus::Deferred;  // our trouble, not the key's
    failed.reason = InvalidReason::ExchangeUnavailable;
    failed.message = "The test was interrupted several times; it runs again by itself.";
  }
  if (!failed.message.empty()) {
    auto test = store_.start_key_test(a.id);
    if (!logged("start a key test", test) || !logged("record a key test", finish_key_test(a, *test, failed, series)))
      co_return retry_soon();
    co_return JobOutcome{};
  }
  testing_.insert(a.id);
  JobOutcome out = co_await test_key(a, *venue->second, **signer, series);
  testing_.erase(a.id);
  co_return out;
}

// A retry of a deferred test is void once another test came to an end since (new keys, a Re-test); a run
// of this very retry cut short by a crash does not count. A test cut short (a crash) stays unfinished,
// marked interrupted; its order, if any, is in the ledger with its settle job.
std::optional<AccountService::JobOutcome> AccountService::close_earlier_tests(const store::Account& a, const store::Job& job) {
  auto latest = store_.latest_key_test(a.id);
  if (!latest) return retry_soon();
  if (auto after = payload_int(job.payload, "after_test")) {
    auto tests = store_.list_key_tests(a.id);
    if (!tests) return retry_soon();
    for (const auto& t : *tests)
      if (t.id > *after && !t.outcome.empty() && t.outcome != "interrupted") return JobOutcome{};
  }
  if (latest->has_value() && (*latest)->outcome.empty()) {
    store::KeyTest old = **latest;
    old.outcome = "interrupted";
    old.finished_ms = clock_.now_ms();
    if (!logged("mark an interrupted key test", store_.update_key_test(old))) return retry_soon();
  }
  return std::nullopt;
}

// One run of the key test: its steps stored and published as they come, its order written down (with the
// job that settles it) before it is sent, and the verdict recorded.
net::Task<AccountService::JobOutcome> AccountService::test_key(store::Account a, venues::Venue& venue, const crypto::Signer& signer,
                                                               Series series) {
  // An order an earlier run left in doubt (a crash, a lost answer) is settled first where the venue can
  // tell now: at most one test order of the account is open at a time. The rest keep their settle jobs.
  if (auto doubtful = store_.unsettled_orders(a.id))
    for (const auto& order : *doubtful) co_await settle_order(a, venue, signer, order);
  if (a.status != store::AccountStatus::Testing) {  // a test taken over after a restart, or a retry
    a.status = store::AccountStatus::Testing;
    if (!logged("mark an account under test", store_.update_account(a))) co_return retry_soon();
  }
  auto test = store_.start_key_test(a.id);
  if (!logged("start a key test", test)) co_return retry_soon();
  store::KeyTest row = *test;
  KeyTest runner(venue, signer, clock_, sleeper_, options_.key_test);
  runner.on_step([&, user = a.user_id, account_id = a.id](const KeyTestStep& s) {
    auto& steps = row.steps;
    // A step under way (running, or waiting for the venue) is replaced by its next report.
    if (!steps.empty() && steps.back().name == s.name &&
        (steps.back().state == StepState::Running || steps.back().state == StepState::Waiting))
      steps.back() = s;
    else steps.push_back(s);
    if (s.state != StepState::Running)                               // finished steps are stored; a crash loses only the step under way
      logged("store a key-test step", store_.update_key_test(row));  // the next step's write takes it along
    publish({user, KeyTestStepped{account_id, row.id, s}});
  });
  orders::OrderJournal journal(store_, clock_, a.id, a.venue, "key_test");
  runner.on_order_planned([&](const OrderRequest& request) -> Status {
    auto written = journal.intend(request, clock_.now_ms() + options_.settle_delay.count());
    if (!written) return written.error();
    return ok_status();
  });
  runner.on_order_learnt([&](const OrderRef& ref, orders::OrderState state, std::string note) {
    // Unwritten, the order keeps its last state and its settle job, which asks the venue again.
    logged("record a test order's answer", journal.learnt(ref.client_order_id, state, ref.order_id, std::move(note)));
  });
  KeyTestResult result = co_await runner.run();
  // An unrecorded verdict is no verdict: the test runs again (its order is settled or has its settle job).
  if (!logged("record a key test", finish_key_test(a, row, result, series))) co_return retry_soon();
  co_return JobOutcome{};
}

Status AccountService::finish_key_test(const store::Account& before, store::KeyTest test, const KeyTestResult& r, Series series) {
  if (r.status == KeyTestStatus::Deferred) return defer_key_test(before, std::move(test), r, series);
  const bool enabled = r.status == KeyTestStatus::Enabled;
  const std::string outcome = enabled ? "enabled" : std::string(to_string(r.reason));
  test.outcome = outcome;
  test.finished_ms = clock_.now_ms();
  test.reason = enabled ? InvalidReason::None : r.reason;
  test.message = r.message;
  test.warnings = r.warnings;
  test.trading_expires_ms = r.trading_expires_ms;
  if (options_.on_key_test) options_.on_key_test(before.venue, outcome);

  auto found = store_.find_account(before.id);
  if (!found || !found->has_value()) return ok_status();  // deleted while it was tested: nothing to record
  store::Account a = **found;                             // the name may have changed meanwhile
  a.last_checked_ms = clock_.now_ms();
  if (enabled) {
    a.status = store::AccountStatus::Enabled;
    a.reason.clear();
    a.portfolio = r.portfolio;
    a.usd_total = r.usd_total;
  } else {
    a.status = store::AccountStatus::Invalid;
    a.reason = r.message;
  }
  Status st = store_.with_transaction([&](store::Store& s) -> Status {
    if (auto u = s.update_key_test(test); !u) return u;
    if (auto u = s.update_account(a); !u) return u;
    if (!enabled && !keeps_key(r.reason))                 // the one rule for a refused pair (user_texts.hpp)
      if (auto d = s.delete_secrets(a.id); !d) return d;  // a refused key leaves no ciphertext
    if (enabled) {
      if (auto u = s.add_balance_snapshot({a.id, clock_.now_ms(), a.usd_total}); !u) return u;
      if (auto j = schedule_recheck(s, a.id, test.id, clock_.now_ms() + options_.recheck_interval.count()); !j) return j;
    }
    return audit_log(s, system_actor(a.user_id), "key.tested", a.id, {{"outcome", outcome}, {"key", a.masked_key}});
  });
  if (!st) return st;
  publish_account(AccountChanged::Change::Tested, a);
  return ok_status();
}

// The exchange's trouble is not the key's fault: the account stays `testing` and the test runs again with
// backoff (never sooner than the venue asked) for the retry window; after it, the account is `unverified`
// and tested again later.
Status AccountService::defer_key_test(const store::Account& before, store::KeyTest test, const KeyTestResult& r, Series series) {
  const int64_t now = clock_.now_ms();
  const bool keep_trying = now - series.since_ms < options_.retry_window.count();
  const std::string outcome = keep_trying ? "deferred" : "unverified";
  int64_t wait = std::min<int64_t>(options_.retry_first.count() << std::min<int64_t>(series.tries, 20), options_.retry_max.count());
  if (r.retry_after) wait = std::max<int64_t>(wait, r.retry_after->count());
  if (!keep_trying) wait = options_.unverified_retest.count();
  test.outcome = outcome;
  test.finished_ms = now;
  test.reason = InvalidReason::ExchangeUnavailable;
  test.message = r.message;
  test.warnings = r.warnings;
  test.retry_at_ms = now + wait;
  if (options_.on_key_test) options_.on_key_test(before.venue, outcome);

  auto found = store_.find_account(before.id);
  if (!found || !found->has_value()) return ok_status();
  store::Account a = **found;
  nlohmann::json next = {{"account_id", a.id}, {"after_test", test.id}};
  if (keep_trying) {
    next["since_ms"] = series.since_ms;
    next["tries"] = series.tries + 1;
    a.reason.clear();
  } else {
    a.status = store::AccountStatus::Unverified;
    a.reason = std::string(venue_display_name(a.venue)) + " gave no verdict on this key for " +
               std::to_string(options_.retry_window.count() / 60'000) + " minutes: " + r.message +
               " We test it again later by ourselves; press Re-test to try now.";
    a.last_checked_ms = now;
  }
  Status st = store_.with_transaction([&](store::Store& s) -> Status {
    if (auto u = s.update_key_test(test); !u) return u;
    if (auto u = s.update_account(a); !u) return u;
    auto job = s.enqueue_job(kKeyTestJob, next.dump(), now + wait);
    if (!job) return job.error();
    return keep_trying ? ok_status() : audit_log(s, system_actor(a.user_id), "key.unverified", a.id, {{"key", a.masked_key}});
  });
  if (!st) return st;
  if (!keep_trying) {
    publish_account(AccountChanged::Change::Tested, a);
  } else {
    publish_account(AccountChanged::Change::Updated, a);
  }
  return ok_status();
}

void AccountService::note_on_latest_test(int64_t account_id, const std::string& note) {
  auto t = store_.latest_key_test(account_id);
  if (!t || !t->has_value()) return;
  store::KeyTest row = **t;
  row.warnings.push_back(note);
  logged("add a warning to a key test", store_.update_key_test(row));
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
    Status st = store_.with_transaction([&](store::Store& s) -> Status {
      if (auto u = s.update_account(a); !u) return u;
      return audit_log(s, system_actor(a.user_id), "key.rejected", a.id, {{"error", to_string(e.kind)}, {"key", a.masked_key}});
    });
    if (!logged("mark a rejected key", st)) co_return JobOutcome{false, now + kRecheckRetryMs};
    publish_account(AccountChanged::Change::Invalid, a);
    co_return JobOutcome{};
  }
  auto markets = co_await venue->second->markets();
  Decimal total;
  if (markets) co_await value_in_usd(*venue->second, *portfolio, *markets, total);
  a.portfolio = *portfolio;
  if (markets) a.usd_total = total;
  a.last_checked_ms = now;
  // The balances, their snapshot and the next re-check together, or the re-check runs again soon.
  Status st = store_.with_transaction([&](store::Store& s) -> Status {
    if (auto u = s.update_account(a); !u) return u;
    if (auto u = s.add_balance_snapshot({a.id, now, a.usd_total}); !u) return u;
    return schedule_recheck(s, a.id, *scheduled_by, now + options_.recheck_interval.count());
  });
  if (!logged("record a re-check", st)) co_return JobOutcome{false, now + kRecheckRetryMs};
  publish_account(AccountChanged::Change::Updated, a);
  co_return JobOutcome{};
}

// ---- settling a test order in doubt ----

net::Task<AccountService::JobOutcome> AccountService::run_settle(const store::Job& job) {
  auto id = payload_int(job.payload, "order_id");
  if (!id) co_return JobOutcome{};
  auto found = store_.find_order(*id);
  if (!found) co_return JobOutcome{false, clock_.now_ms() + 5'000};
  if (!found->has_value() || (*found)->settled_ms) co_return JobOutcome{};  // settled, or its account deleted
  store::OrderRecord order = **found;
  auto account = store_.find_account(order.account_id);
  if (!account) co_return JobOutcome{false, clock_.now_ms() + 5'000};
  if (!account->has_value()) co_return JobOutcome{};
  const store::Account& a = **account;
  // The key test still running here settles its own order; look again when it is done.
  if (testing_.count(a.id)) co_return JobOutcome{false, clock_.now_ms() + options_.settle_delay.count()};
  auto venue = venues_.find(order.venue);
  auto signer = signer_for(a);
  if (venue == venues_.end() || !signer) {
    // Nobody can ask the venue any more (a refused key's secret is gone): the warning stays for the user.
    order.note = "we can no longer ask the exchange about it (the key is gone); cancel it by hand if it is open";
    if (!logged("note an order nobody can settle", store_.update_order(order))) co_return retry_soon();
    co_return JobOutcome{};
  }

  if (co_await settle_order(a, *venue->second, **signer, order)) co_return JobOutcome{};
  // 5 s, 10 s, 20 s, ... at most settle_max_wait between tries, for as long as it takes.
  int64_t wait = std::min<int64_t>(options_.settle_delay.count() << std::min(job.attempts, 20), options_.settle_max_wait.count());
  co_return JobOutcome{false, clock_.now_ms() + wait};
}

net::Task<bool> AccountService::settle_order(const store::Account& a, venues::Venue& venue, const crypto::Signer& signer,
                                             store::OrderRecord order) {
  store::OrderRecord now = co_await orders::settle(venue, signer, sleeper_, clock_, order, options_.settle);
  if (!logged("record a settled order", store_.update_order(now))) co_return false;
  if (!now.settled_ms) {
    if (now.note != order.note || now.state != order.state) publish_account(AccountChanged::Change::Updated, a);
    co_return false;
  }
  // Settled: the warning goes, the audit log says how it ended, and the latest test tells the user.
  if (now.state == "cancelled")
    note_on_latest_test(a.id, "The test order " + (now.venue_order_id.empty() ? now.client_order_id : now.venue_order_id) +
                                  " was cancelled in the background.");
  logged(
      "audit a settled test order",
      audit_log(store_, system_actor(a.user_id), "test_order." + now.state, a.id,
                {{"symbol", now.symbol}, {"order_id", now.venue_order_id}, {"client_order_id", now.client_order_id}, {"note", now.note}}));
  publish_account(AccountChanged::Change::Updated, a);
  co_return true;
}

}  // namespace tb::accounts
