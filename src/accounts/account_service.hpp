#pragma once
// Exchange accounts (DESIGN.md): add a key pair, test it in the background, rename, replace keys, re-test,
// delete, read the portfolio and the audit log; background jobs re-check enabled keys and keep cancelling
// a test order whose cancel could not be confirmed. Storage through store::Store, secrets through the
// vault, exchanges through venues::Venue. No HTTP here: the web API and the Telegram bot both call this.
//
// Threads: every method must be called on the thread that runs `executor`, where every background job
// runs too (serve runs its API on one io thread); the store is called synchronously from it. Key tests run concurrently as coroutines, each
// tracked as a job in the store, so a test cut short by a crash runs again after restart.
#include <utility>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>

#include "accounts/account_view.hpp"
#include "accounts/events.hpp"
#include "accounts/key_guide.hpp"
#include "accounts/key_test.hpp"
#include "accounts/open_orders.hpp"
#include "orders/orders.hpp"
#include "store/store.hpp"
#include "vault/vault.hpp"

namespace tb::accounts {

// One connector per venue id, shared by every account (rate limits and server-time offsets are per venue).
using Venues = std::map<std::string, std::unique_ptr<venues::Venue>, std::less<>>;

// Who asks, for the audit log: by which door (web: a cookie session, api: a Bearer token, telegram, system:
// background jobs) and, from Telegram, which Telegram user (a chat has no IP).
struct Actor {
  int64_t user_id = 0;
  std::string ip;
  std::string channel = "system";
  std::optional<int64_t> telegram_user_id;
  // The channel passed the two-factor gate for this action (TwoFactorService::require: two-factor is off,
  // or a current code was given): adding or replacing keys asks the store only when it did not.
  bool second_factor = false;
};

// The audit row of an action by `actor` (who, by which door, from where).
store::AuditEntry audit_entry(const Actor& actor, std::string_view action, std::optional<int64_t> account_id = std::nullopt,
                              std::string detail_json = "{}");

// Move-only, as its secret is: it goes from the request to the vault without a copy on the way.
struct NewAccount {
  std::optional<std::string> name;  // generated from the venue's name when absent
  std::string exchange;             // venue id
  std::string key;                  // the public half of the pair (shown masked)
  crypto::Secret secret;
};

struct PortfolioView {
  std::vector<store::Account> accounts;  // the enabled ones, with their balances
  Decimal usd_total;
};

// The USD total of a user's accounts over time, from the balance snapshots of tests and re-checks: one
// point per bucket, each account counted at its latest snapshot up to the bucket's end.
struct HistoryPoint {
  int64_t at_ms = 0;  // the bucket's end
  Decimal usd_total;
};

struct AccountServiceOptions {
  KeyTestOptions key_test;
  std::chrono::milliseconds recheck_interval = std::chrono::hours(6);
  std::chrono::milliseconds job_lease = std::chrono::minutes(5);  // a crashed worker's job runs again after it
  std::chrono::milliseconds poll_interval = std::chrono::seconds(1);
  // Each running key test holds a connection to its venue: more wait in the store until one finishes.
  size_t max_running_jobs = 1000;
  // The exchange's trouble (rate limits, outages, unreadable answers) defers a key test: it runs again
  // after retry_first, doubling up to retry_max (or the wait the venue asked for), for retry_window; then
  // the account is `unverified` and tested again every unverified_retest.
  std::chrono::milliseconds retry_first = std::chrono::seconds(5);
  std::chrono::milliseconds retry_max = std::chrono::minutes(2);
  std::chrono::milliseconds retry_window = std::chrono::minutes(30);
  std::chrono::milliseconds unverified_retest = std::chrono::hours(1);
  // A test order's settle job is due this long after the order is written down (it finds the order
  // settled by the test itself, or settles it), then asks again with backoff up to settle_max_wait.
  std::chrono::milliseconds settle_delay = std::chrono::seconds(5);
  std::chrono::milliseconds settle_max_wait = std::chrono::minutes(15);
  orders::SettlePolicy settle;
  std::string worker_id = "serve";
  // Whether a worker that holds jobs is known to be gone (a crashed process on this host): start() hands
  // its jobs back at once rather than after their leases.
  std::function<bool(std::string_view worker)> worker_is_gone;
  // Per-user caps (0: none): accounts kept, and key tests started by the user (add, replace, re-test) in
  // any hour; over either, RateLimited with the wait (the API's 429 with Retry-After).
  size_t max_accounts_per_user = 50;
  int key_tests_per_hour = 30;
  // How many robots run on an account; keys cannot be replaced and the account not deleted while any do.
  std::function<int(int64_t account_id)> running_robots;
  // Where a venue's keys are made when not on its own page: the simulator's page when the venue points at it.
  std::map<std::string, std::string, std::less<>> key_pages;
  // Each finished key test: venue and outcome ("enabled", "invalid_key", ...), for metrics.
  std::function<void(std::string_view venue, std::string_view outcome)> on_key_test;
  // How long the trading desk's opened signer of an account is kept unused (trading_signer).
  std::chrono::milliseconds trading_signer_idle = std::chrono::minutes(15);
};

inline constexpr std::string_view kKeyTestJob = "key_test";
inline constexpr std::string_view kRecheckJob = "recheck";

class AccountService {
 public:
  AccountService(store::Store& store, std::shared_ptr<const vault::Vault> vault, Venues& venues, const Clock& clock, net::Sleeper& sleeper,
                 EventBus& events, boost::asio::any_io_executor executor, AccountServiceOptions options = {});
  ~AccountService();

  // Errors: InvalidArgument with its field ("key", "exchange"; the message starts "key: "), NotFound for
  // an id that is not the caller's, Conflict for a taken name or running robots, SecondFactorRequired when the
  // user has two-factor on and the actor brings no checked code (add, replace_keys).
  Result<AccountView> add(const Actor& actor, const NewAccount& input);  // status testing; the test is queued
  Result<std::vector<AccountView>> list(int64_t user_id);
  Result<AccountView> get(int64_t user_id, int64_t account_id);
  Result<AccountView> rename(const Actor& actor, int64_t account_id, std::string_view name);
  Result<AccountView> replace_keys(const Actor& actor, int64_t account_id, std::string_view key, const crypto::Secret& secret);
  Result<AccountView> check(const Actor& actor, int64_t account_id);  // re-test
  Status remove(const Actor& actor, int64_t account_id);
  Result<PortfolioView> portfolio(int64_t user_id);
  Result<std::vector<HistoryPoint>> portfolio_history(int64_t user_id, int64_t from_ms, int64_t to_ms, int64_t bucket_ms);
  Result<std::vector<store::AuditEntry>> audit(int64_t user_id, int limit);
  // The account's open orders on its venue, each marked ours or foreign (open_orders.cpp). NotFound for
  // another's account, Conflict (why, field account_id) for one not enabled, else the venue's error as it came.
  net::Task<Result<std::vector<AccountOrder>>> open_orders(int64_t user_id, int64_t account_id);
  // Recorded by robots when they trade with an account ("used to trade").
  Status record_trade(const Actor& actor, int64_t account_id, const nlohmann::json& detail);

  // Background work: claims due jobs from the store (key tests, re-checks, cancels) and runs them
  // concurrently until stop(). start() also takes over jobs a crashed process left behind.
  void start();
  void stop();
  void wake();  // a job was queued: look now rather than at the next poll
  // Claims every due job and starts it; returns how many were started. For tests, with idle().
  size_t run_due_jobs();
  size_t running_jobs() const { return running_; }
  net::Task<void> idle();  // returns when no job is running

  EventBus& events() { return events_; }
  // The signer of an enabled account's keys, for the trading desk: opened once and kept across passes
  // (signer_cache.hpp) until the account row changes or is deleted, or it goes unused for
  // trading_signer_idle; a signer for an account not enabled is made afresh (its secret sealed until each
  // request is signed) and not kept.
  Result<std::shared_ptr<crypto::Signer>> trading_signer(const store::Account& account);
  // The trading desk's pass opens the signers of its enabled accounts not kept yet with one read of their
  // secrets (a fan-out's first signal, or one after trading_signer_idle, opens thousands). An account whose
  // secrets cannot be opened is left to trading_signer, which says why. Returns how many were opened.
  size_t open_trading_signers(const std::vector<store::Account>& accounts);
  // What the key guides show (this server's address, the key pages), for every channel.
  GuideOptions guide_options() const { return {options_.key_test.egress_ip, options_.key_pages}; }

 private:
  Result<store::Account> owned(int64_t user_id, int64_t account_id);
  // An enabled account's signer opened from its secrets' rows, and kept (trading_signer).
  Result<std::shared_ptr<crypto::Signer>> open_and_keep(const store::Account& account, const std::vector<store::AccountSecret>& rows,
                                                        int64_t now_ms);
  Status within_caps(int64_t user_id, bool adds_account);
  Status second_factor_given(const Actor& actor);
  Result<std::string> unique_name(store::Store& s, int64_t user_id, std::string_view venue, std::optional<int64_t> except);
  // Written in the same transaction as the change it records, so an answered change always has its entry.
  Status audit_log(store::Store& s, const Actor& actor, std::string_view action, std::optional<int64_t> account_id,
                   const nlohmann::json& detail);
  Status queue_key_test(store::Store& s, int64_t account_id);
  void publish(AccountEvent event) const;  // an account changed or deleted: its kept signer goes first
  void publish_account(AccountChanged::Change change, const store::Account& account);
  AccountView view_of(store::Account account);

  net::Task<void> poll_loop();
  // What a job asks for when it ends: removal, or another run at a time.
  struct JobOutcome {
    bool done = true;
    int64_t retry_at_ms = 0;
  };
  JobOutcome retry_soon() const { return JobOutcome{false, clock_.now_ms() + 1000}; }  // the store's trouble
  net::Task<void> run_job(store::Job job);
  net::Task<JobOutcome> run_key_test(const store::Job& job);
  std::optional<JobOutcome> close_earlier_tests(const store::Account& account, const store::Job& job);
  net::Task<JobOutcome> run_recheck(const store::Job& job);
  net::Task<JobOutcome> run_settle(const store::Job& job);
  // Asks the venue about an order in doubt (cancelling it if open), records what it learnt; true when settled.
  void note_on_latest_test(int64_t account_id, const std::string& note);  // one more warning line, for the user
  net::Task<bool> settle_order(const store::Account& account, venues::Venue& venue, const crypto::Signer& signer, store::OrderRecord order);
  // The retries of one key test that the exchange's trouble deferred: since when, and how many so far.
  struct Series {
    int64_t since_ms = 0;
    int64_t tries = 0;
  };
  net::Task<JobOutcome> test_key(store::Account account, venues::Venue& venue, const crypto::Signer& signer, Series series);
  Status finish_key_test(const store::Account& before, store::KeyTest test, const KeyTestResult& result, Series series);
  Status defer_key_test(const store::Account& before, store::KeyTest test, const KeyTestResult& result, Series series);
  Status schedule_recheck(store::Store& s, int64_t account_id, int64_t test_id, int64_t at_ms);
  Result<std::unique_ptr<crypto::Signer>> signer_for(const store::Account& account);

  store::Store& store_;
  std::shared_ptr<const vault::Vault> vault_;
  Venues& venues_;
  const Clock& clock_;
  net::Sleeper& sleeper_;
  EventBus& events_;
  boost::asio::any_io_executor executor_;
  AccountServiceOptions options_;
  size_t running_ = 0;
  bool stopping_ = false;
  std::set<int64_t> testing_;  // accounts whose key test runs in this process
  std::shared_ptr<struct PollTimer> timer_;
  std::unique_ptr<class SignerCache> trading_signers_;
};

}  // namespace tb::accounts
