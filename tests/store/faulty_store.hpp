#pragma once
// A Store that fails on demand: every call goes to the real store underneath unless its method's name was
// passed to fail(); then it returns ErrorKind::Internal as a broken database would, and writes nothing.
// The stand-in for a full disk or a lost database at the worst moment, for the services' tests.
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>

#include "store/store.hpp"

namespace tb::store {

class FaultyStore final : public Store {
 public:
  explicit FaultyStore(Store& inner) : inner_(inner), failing_(std::make_shared<std::set<std::string, std::less<>>>()) {}

  void fail(std::string_view method) { failing_->emplace(method); }
  void heal() { failing_->clear(); }
  // Runs `then` once, right after the next call of `method` (outside a transaction) went through: what another
  // request or process does at that moment.
  void after(std::string_view method, std::function<void()> then) { after_.emplace(std::string(method), std::move(then)); }

  // The transaction's store fails the same methods as this one.
  Status with_transaction(const TransactionFn& fn) override {
    if (fault("with_transaction")) return injected("with_transaction");
    return inner_.with_transaction([&](Store& bound) {
      FaultyStore faulty(bound, failing_);
      return fn(faulty);
    });
  }

#define TB_FAULTY(ret, name, params, args)    \
  ret name params override {                  \
    if (fault(#name)) return injected(#name); \
    ret out = inner_.name args;               \
    then(#name);                              \
    return out;                               \
  }
  // users
  TB_FAULTY(Result<User>, create_user, (std::string_view email, std::string_view password_hash), (email, password_hash))
  TB_FAULTY(Result<std::optional<User>>, find_user, (int64_t id), (id))
  TB_FAULTY(Status, lock_user, (int64_t id), (id))
  TB_FAULTY(Result<std::optional<User>>, find_user_by_email, (std::string_view email), (email))
  TB_FAULTY(Status, set_password_hash, (int64_t user_id, std::string_view password_hash), (user_id, password_hash))
  TB_FAULTY(Status, create_session, (const Session& session), (session))
  TB_FAULTY(Result<std::optional<Session>>, find_session, (std::string_view token_hash), (token_hash))
  TB_FAULTY(Status, delete_session, (std::string_view token_hash), (token_hash))
  TB_FAULTY(Result<int64_t>, delete_user_sessions, (int64_t user_id), (user_id))
  TB_FAULTY(Result<int64_t>, delete_expired_sessions, (), ())
  TB_FAULTY(Result<int64_t>, delete_idle_sessions, (int64_t seen_before_ms), (seen_before_ms))
  TB_FAULTY(Result<std::vector<Session>>, list_user_sessions, (int64_t user_id), (user_id))
  TB_FAULTY(Status, touch_session, (std::string_view token_hash, int64_t seen_ms), (token_hash, seen_ms))
  TB_FAULTY(Result<std::vector<std::string>>, delete_user_sessions_except, (int64_t user_id, std::string_view keep), (user_id, keep))
  TB_FAULTY(Result<std::optional<TwoFactor>>, find_two_factor, (int64_t user_id), (user_id))
  TB_FAULTY(Result<std::vector<TwoFactor>>, list_two_factors, (), ())
  TB_FAULTY(Status, save_two_factor, (const TwoFactor& two_factor), (two_factor))
  TB_FAULTY(Status, delete_two_factor, (int64_t user_id), (user_id))
  TB_FAULTY(Result<bool>, use_totp_step, (int64_t user_id, int64_t step), (user_id, step))
  TB_FAULTY(Status, replace_recovery_codes, (int64_t user_id, const std::vector<std::string>& code_hashes), (user_id, code_hashes))
  TB_FAULTY(Result<bool>, use_recovery_code, (int64_t user_id, std::string_view code_hash), (user_id, code_hash))
  TB_FAULTY(Result<int64_t>, count_recovery_codes, (int64_t user_id), (user_id))
  // accounts
  TB_FAULTY(Result<Account>, create_account, (const Account& account, const std::vector<AccountSecret>& secrets), (account, secrets))
  TB_FAULTY(Result<std::optional<Account>>, find_account, (int64_t id), (id))
  TB_FAULTY(Result<std::vector<Account>>, list_accounts, (int64_t user_id), (user_id))
  TB_FAULTY(Result<std::vector<Account>>, list_all_accounts, (), ())
  TB_FAULTY(Result<std::vector<Account>>, account_rows, (const std::vector<int64_t>& ids), (ids))
  TB_FAULTY(Status, update_account, (const Account& account), (account))
  TB_FAULTY(Status, delete_account, (int64_t id), (id))
  TB_FAULTY(Status, replace_secrets, (int64_t account_id, const std::vector<AccountSecret>& secrets), (account_id, secrets))
  TB_FAULTY(Result<std::vector<AccountSecret>>, get_secrets, (int64_t account_id), (account_id))
  TB_FAULTY(Result<std::vector<AccountSecret>>, secrets_of, (const std::vector<int64_t>& account_ids), (account_ids))
  TB_FAULTY(Status, delete_secrets, (int64_t account_id), (account_id))
  // key tests
  TB_FAULTY(Result<KeyTest>, start_key_test, (int64_t account_id), (account_id))
  TB_FAULTY(Status, update_key_test, (const KeyTest& test), (test))
  TB_FAULTY(Result<std::optional<KeyTest>>, find_key_test, (int64_t id), (id))
  TB_FAULTY(Result<std::vector<KeyTest>>, list_key_tests, (int64_t account_id), (account_id))
  TB_FAULTY(Result<std::optional<KeyTest>>, latest_key_test, (int64_t account_id), (account_id))
  TB_FAULTY(Result<std::vector<KeyTest>>, latest_key_tests_of_user, (int64_t user_id), (user_id))
  // audits
  TB_FAULTY(Result<int64_t>, append_audit, (const AuditEntry& entry), (entry))
  TB_FAULTY(Result<std::vector<AuditEntry>>, list_audit, (int64_t user_id, int limit), (user_id, limit))
  TB_FAULTY(Status, add_balance_snapshot, (const BalanceSnapshot& snapshot), (snapshot))
  TB_FAULTY(Result<std::vector<BalanceSnapshot>>, list_balance_snapshots, (int64_t account_id, int64_t from_ms, int64_t to_ms),
            (account_id, from_ms, to_ms))
  // jobs
  TB_FAULTY(Result<int64_t>, enqueue_job, (std::string_view kind, std::string_view payload, int64_t run_at_ms), (kind, payload, run_at_ms))
  TB_FAULTY(Result<std::optional<Job>>, claim_job, (std::string_view kind, std::string_view worker, int64_t lease_ms),
            (kind, worker, lease_ms))
  TB_FAULTY(Result<bool>, complete_job, (int64_t id, std::string_view worker), (id, worker))
  TB_FAULTY(Result<bool>, release_job, (int64_t id, std::string_view worker, int64_t run_at_ms), (id, worker, run_at_ms))
  TB_FAULTY(Result<bool>, drop_job, (int64_t id), (id))
  TB_FAULTY(Result<std::optional<Job>>, find_job, (int64_t id), (id))
  TB_FAULTY(Result<std::vector<std::string>>, job_holders, (), ())
  TB_FAULTY(Result<int64_t>, release_jobs_of, (std::string_view worker), (worker))
  // abuse limits
  TB_FAULTY(Result<std::optional<LimitEntry>>, change_limit_entry,
            (std::string_view scope, std::string_view subject, const LimitChange& change), (scope, subject, change))
  TB_FAULTY(Result<std::optional<LimitEntry>>, find_limit_entry, (std::string_view scope, std::string_view subject), (scope, subject))
  TB_FAULTY(Result<int64_t>, count_limit_entries, (std::string_view scope), (scope))
  TB_FAULTY(Result<int64_t>, delete_expired_limit_entries, (), ())
  TB_FAULTY(Status, beat_process, (const ProcessRow& row), (row))
  TB_FAULTY(Result<std::vector<ProcessRow>>, list_processes, (), ())
  TB_FAULTY(Result<bool>, remove_process, (std::string_view id), (id))
  // telegrams
  TB_FAULTY(Result<TelegramLink>, save_telegram_link, (const TelegramLink& link), (link))
  TB_FAULTY(Result<std::optional<TelegramLink>>, find_telegram_link, (int64_t telegram_user_id), (telegram_user_id))
  TB_FAULTY(Result<std::optional<TelegramLink>>, find_telegram_link_by_user, (int64_t user_id), (user_id))
  TB_FAULTY(Status, delete_telegram_link, (int64_t telegram_user_id), (telegram_user_id))
  TB_FAULTY(Result<User>, create_telegram_user, (int64_t telegram_user_id), (telegram_user_id))
  TB_FAULTY(Result<std::optional<User>>, find_telegram_user, (int64_t telegram_user_id), (telegram_user_id))
  TB_FAULTY(Status, add_telegram_link_code, (std::string_view code_hash, int64_t user_id, int64_t expires_ms),
            (code_hash, user_id, expires_ms))
  TB_FAULTY(Result<std::optional<int64_t>>, take_telegram_link_code, (std::string_view code_hash), (code_hash))
  TB_FAULTY(Result<int64_t>, telegram_update_offset, (int64_t bot_id), (bot_id))
  TB_FAULTY(Status, set_telegram_update_offset, (int64_t bot_id, int64_t next_update_id), (bot_id, next_update_id))
  // orders
  TB_FAULTY(Result<OrderRecord>, record_order, (const OrderRecord& order), (order))
  TB_FAULTY(Status, update_order, (const OrderRecord& order), (order))
  TB_FAULTY(Result<std::optional<OrderRecord>>, find_order, (int64_t id), (id))
  TB_FAULTY(Result<std::vector<OrderRecord>>, unsettled_orders, (int64_t account_id), (account_id))
  TB_FAULTY(Result<std::vector<OrderRecord>>, unsettled_orders_of_user, (int64_t user_id), (user_id))
  TB_FAULTY(Result<std::vector<VenueLimit>>, venue_limits, (std::string_view venue, std::string_view egress_ip), (venue, egress_ip))
  TB_FAULTY(Status, save_venue_limit, (const VenueLimit& limit), (limit))
  // robots
  TB_FAULTY(Result<Robot>, create_robot, (const Robot& robot), (robot))
  TB_FAULTY(Result<std::optional<Robot>>, find_robot, (int64_t id), (id))
  TB_FAULTY(Result<std::optional<Robot>>, find_robot_by_name, (std::string_view name), (name))
  TB_FAULTY(Result<std::vector<Robot>>, list_robots, (), ())
  TB_FAULTY(Status, set_robot_status, (int64_t id, RobotStatus status), (id, status))
  TB_FAULTY(Status, delete_robot, (int64_t id), (id))
  TB_FAULTY(Result<bool>, claim_catalogue_seed, (), ())
  TB_FAULTY(Status, save_candles, (std::string_view venue, std::string_view symbol, Timeframe tf, const std::vector<Candle>& candles),
            (venue, symbol, tf, candles))
  TB_FAULTY(Result<std::vector<Candle>>, candles,
            (std::string_view venue, std::string_view symbol, Timeframe tf, int64_t from_ms, int64_t to_ms),
            (venue, symbol, tf, from_ms, to_ms))
  TB_FAULTY(Result<std::optional<int64_t>>, last_candle_ms, (std::string_view venue, std::string_view symbol, Timeframe tf),
            (venue, symbol, tf))
  TB_FAULTY(Result<std::optional<RobotState>>, robot_state, (int64_t robot_id), (robot_id))
  TB_FAULTY(Status, save_robot_state, (const RobotState& state), (state))
  TB_FAULTY(Status, append_signal, (const RobotSignal& signal), (signal))
  TB_FAULTY(Result<std::vector<RobotSignal>>, robot_signals, (int64_t robot_id, int64_t after_seq, int64_t limit),
            (robot_id, after_seq, limit))
  // user robots
  TB_FAULTY(Result<UserRobot>, create_user_robot, (const UserRobot& r), (r))
  TB_FAULTY(Result<std::optional<UserRobot>>, find_user_robot, (int64_t id), (id))
  TB_FAULTY(Result<std::vector<UserRobot>>, list_user_robots, (int64_t user_id), (user_id))
  TB_FAULTY(Result<std::vector<UserRobot>>, user_robots_of_robot, (int64_t robot_id), (robot_id))
  TB_FAULTY(Result<std::vector<UserRobot>>, user_robots_of_account, (int64_t account_id), (account_id))
  TB_FAULTY(Result<std::vector<UserRobot>>, active_user_robots, (), ())
  TB_FAULTY(Result<std::vector<UserRobot>>, user_robots_to_follow, (), ())
  TB_FAULTY(Status, update_user_robot, (const UserRobot& r), (r))
  TB_FAULTY(Status, delete_user_robot, (int64_t id), (id))
  TB_FAULTY(Result<std::optional<UserRobot>>, mark_started, (int64_t id), (id))
  TB_FAULTY(Status, set_handled_seq, (int64_t id, int64_t handled_seq, const std::string& message), (id, handled_seq, message))
  TB_FAULTY(Status, set_user_robot_leverage, (int64_t id, std::optional<int> leverage), (id, leverage))
  TB_FAULTY(Result<std::optional<RobotPosition>>, open_position, (int64_t user_robot_id), (user_robot_id))
  TB_FAULTY(Result<std::optional<RobotPosition>>, find_position, (int64_t id), (id))
  TB_FAULTY(Result<std::vector<RobotPosition>>, open_positions, (const std::vector<int64_t>& ids), (ids))
  TB_FAULTY(Result<RobotPosition>, save_position, (const RobotPosition& p), (p))
  TB_FAULTY(Result<std::vector<RobotPosition>>, positions, (int64_t user_robot_id, int64_t limit), (user_robot_id, limit))
  TB_FAULTY(Result<std::vector<OrderRecord>>, robot_orders, (int64_t user_robot_id, int64_t limit), (user_robot_id, limit))
  TB_FAULTY(Result<std::vector<OrderRecord>>, unsettled_robot_orders, (), ())
  TB_FAULTY(Result<std::vector<OrderRecord>>, robot_orders_fee_pending, (int64_t limit), (limit))
  TB_FAULTY(Result<OrderRecord>, record_robot_order, (const OrderRecord& order, const ClientOrderIdOf& cid_of), (order, cid_of))
  TB_FAULTY(Result<int64_t>, last_signal_seq, (int64_t robot_id), (robot_id))
  TB_FAULTY(Result<std::optional<int64_t>>, signal_seq_of, (int64_t robot_id, std::string_view id), (robot_id, id))
  TB_FAULTY(Status, record_signal_id, (int64_t robot_id, std::string_view id, int64_t seq), (robot_id, id, seq))
#undef TB_FAULTY

 private:
  FaultyStore(Store& inner, std::shared_ptr<std::set<std::string, std::less<>>> failing) : inner_(inner), failing_(std::move(failing)) {}
  bool fault(std::string_view method) const { return failing_->count(method) > 0; }
  void then(std::string_view method) {
    auto it = after_.find(method);
    if (it == after_.end()) return;
    auto f = std::move(it->second);
    after_.erase(it);
    f();
  }
  static Error injected(std::string_view method) {
    return Error::make(ErrorKind::Internal, "store: injected failure of " + std::string(method));
  }

  Store& inner_;
  std::shared_ptr<std::set<std::string, std::less<>>> failing_;
  std::map<std::string, std::function<void()>, std::less<>> after_;
};

}  // namespace tb::store
