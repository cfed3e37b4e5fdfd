#pragma once
// The embedded SQLite backend of Store: one file, WAL (readers never wait for the writer), foreign keys
// on, a busy timeout, prepared statements cached, versioned migrations applied at open.
//
// Threads: one connection guarded by one mutex, so any thread may call any method; calls run one at a
// time (a transaction holds the mutex until it ends). Several processes may open the same file: SQLite's
// own locks and the busy timeout order their writes, and claim_job is one UPDATE, so no job is handed out
// twice across processes either.
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "store/sqlite_migrations.hpp"
#include "store/store.hpp"

namespace tb::store {

class SqliteDb;

struct SqliteOptions {
  int busy_timeout_ms = 5000;
  std::vector<Migration> migrations = sqlite_migrations();  // replaced only by tests
  bool migrate = true;                                      // false: open as found (`db status` reads the schema without changing it)
};

class SqliteStore final : public Store {
 public:
  // Creates the file (mode 0600) if missing, and brings its schema up to date.
  static Result<std::unique_ptr<SqliteStore>> open(const std::string& path, const Clock& clock, SqliteOptions options = {});
  ~SqliteStore() override;

  Result<std::vector<int>> applied_migrations();  // versions in schema_migrations, ascending
  Result<SchemaStatus> schema_status() override;

  Status with_transaction(const TransactionFn& fn) override;

  Result<User> create_user(std::string_view email, std::string_view password_hash) override;
  Result<std::optional<User>> find_user(int64_t id) override;
  Status lock_user(int64_t id) override;
  Result<std::optional<User>> find_user_by_email(std::string_view email) override;
  Status set_password_hash(int64_t user_id, std::string_view password_hash) override;

  Status create_session(const Session& session) override;
  Result<std::optional<Session>> find_session(std::string_view token_hash) override;
  Status delete_session(std::string_view token_hash) override;
  Result<int64_t> delete_user_sessions(int64_t user_id) override;
  Result<int64_t> delete_expired_sessions() override;
  Result<int64_t> delete_idle_sessions(int64_t seen_before_ms) override;
  Result<std::vector<Session>> list_user_sessions(int64_t user_id) override;
  Status touch_session(std::string_view token_hash, int64_t seen_ms) override;
  Result<std::vector<std::string>> delete_user_sessions_except(int64_t user_id, std::string_view keep) override;

  Result<Account> create_account(const Account& account, const std::vector<AccountSecret>& secrets) override;
  Result<std::optional<Account>> find_account(int64_t id) override;
  Result<std::vector<Account>> list_accounts(int64_t user_id) override;
  Result<std::vector<Account>> list_all_accounts() override;
  Result<std::vector<Account>> account_rows(const std::vector<int64_t>& ids) override;
  Status update_account(const Account& account) override;
  Status delete_account(int64_t id) override;

  Status replace_secrets(int64_t account_id, const std::vector<AccountSecret>& secrets) override;
  Result<std::vector<AccountSecret>> get_secrets(int64_t account_id) override;
  Result<std::vector<AccountSecret>> secrets_of(const std::vector<int64_t>& account_ids) override;
  Status delete_secrets(int64_t account_id) override;

  Result<KeyTest> start_key_test(int64_t account_id) override;
  Status update_key_test(const KeyTest& test) override;
  Result<std::optional<KeyTest>> find_key_test(int64_t id) override;
  Result<std::vector<KeyTest>> list_key_tests(int64_t account_id) override;
  Result<std::optional<KeyTest>> latest_key_test(int64_t account_id) override;
  Result<std::vector<KeyTest>> latest_key_tests_of_user(int64_t user_id) override;

  Result<int64_t> append_audit(const AuditEntry& entry) override;
  Result<std::vector<AuditEntry>> list_audit(int64_t user_id, int limit) override;

  Status add_balance_snapshot(const BalanceSnapshot& snapshot) override;
  Result<std::vector<BalanceSnapshot>> list_balance_snapshots(int64_t account_id, int64_t from_ms, int64_t to_ms) override;

  Result<int64_t> enqueue_job(std::string_view kind, std::string_view payload, int64_t run_at_ms) override;
  Result<std::optional<Job>> claim_job(std::string_view kind, std::string_view worker, int64_t lease_ms) override;
  Result<bool> complete_job(int64_t id, std::string_view worker) override;
  Result<bool> release_job(int64_t id, std::string_view worker, int64_t run_at_ms) override;
  Result<std::vector<std::string>> job_holders() override;
  Result<int64_t> release_jobs_of(std::string_view worker) override;
  Status beat_process(const ProcessRow& row) override;
  Result<std::vector<ProcessRow>> list_processes() override;
  Result<bool> remove_process(std::string_view id) override;
  Result<std::optional<LimitEntry>> change_limit_entry(std::string_view scope, std::string_view subject,
                                                       const LimitChange& change) override;
  Result<std::optional<LimitEntry>> find_limit_entry(std::string_view scope, std::string_view subject) override;
  Result<int64_t> count_limit_entries(std::string_view scope) override;
  Result<int64_t> delete_expired_limit_entries() override;
  Result<bool> drop_job(int64_t id) override;
  Result<std::optional<Job>> find_job(int64_t id) override;

  Result<TelegramLink> save_telegram_link(const TelegramLink& link) override;
  Result<std::optional<TelegramLink>> find_telegram_link(int64_t telegram_user_id) override;
  Result<std::optional<TelegramLink>> find_telegram_link_by_user(int64_t user_id) override;
  Status delete_telegram_link(int64_t telegram_user_id) override;
  Result<User> create_telegram_user(int64_t telegram_user_id) override;
  Result<std::optional<User>> find_telegram_user(int64_t telegram_user_id) override;
  Status add_telegram_link_code(std::string_view code_hash, int64_t user_id, int64_t expires_ms) override;
  Result<std::optional<int64_t>> take_telegram_link_code(std::string_view code_hash) override;
  Result<int64_t> telegram_update_offset(int64_t bot_id) override;
  Status set_telegram_update_offset(int64_t bot_id, int64_t next_update_id) override;

  Result<OrderRecord> record_order(const OrderRecord& order) override;
  Status update_order(const OrderRecord& order) override;
  Result<std::optional<OrderRecord>> find_order(int64_t id) override;
  Result<std::vector<OrderRecord>> unsettled_orders(int64_t account_id) override;
  Result<std::vector<OrderRecord>> unsettled_orders_of_user(int64_t user_id) override;
  Result<std::optional<TwoFactor>> find_two_factor(int64_t user_id) override;
  Result<std::vector<TwoFactor>> list_two_factors() override;
  Status save_two_factor(const TwoFactor& two_factor) override;
  Status delete_two_factor(int64_t user_id) override;
  Result<bool> use_totp_step(int64_t user_id, int64_t step) override;
  Status replace_recovery_codes(int64_t user_id, const std::vector<std::string>& code_hashes) override;
  Result<bool> use_recovery_code(int64_t user_id, std::string_view code_hash) override;
  Result<int64_t> count_recovery_codes(int64_t user_id) override;
  Result<std::vector<VenueLimit>> venue_limits(std::string_view venue, std::string_view egress_ip) override;
  Status save_venue_limit(const VenueLimit& limit) override;

  Result<Robot> create_robot(const Robot& robot) override;
  Result<std::optional<Robot>> find_robot(int64_t id) override;
  Result<std::optional<Robot>> find_robot_by_name(std::string_view name) override;
  Result<std::vector<Robot>> list_robots() override;
  Status set_robot_status(int64_t id, RobotStatus status) override;
  Status delete_robot(int64_t id) override;
  Result<bool> claim_catalogue_seed() override;
  Status save_candles(std::string_view venue, std::string_view symbol, Timeframe tf, const std::vector<Candle>& candles) override;
  Result<std::vector<Candle>> candles(std::string_view venue, std::string_view symbol, Timeframe tf, int64_t from_ms,
                                      int64_t to_ms) override;
  Result<std::optional<int64_t>> last_candle_ms(std::string_view venue, std::string_view symbol, Timeframe tf) override;
  Result<std::optional<RobotState>> robot_state(int64_t robot_id) override;
  Status save_robot_state(const RobotState& state) override;
  Status append_signal(const RobotSignal& signal) override;
  Result<std::vector<RobotSignal>> robot_signals(int64_t robot_id, int64_t after_seq, int64_t limit) override;

  Result<UserRobot> create_user_robot(const UserRobot& robot) override;
  Result<std::optional<UserRobot>> find_user_robot(int64_t id) override;
  Result<std::vector<UserRobot>> list_user_robots(int64_t user_id) override;
  Result<std::vector<UserRobot>> user_robots_of_robot(int64_t robot_id) override;
  Result<std::vector<UserRobot>> user_robots_of_account(int64_t account_id) override;
  Result<std::vector<UserRobot>> active_user_robots() override;
  Result<std::vector<UserRobot>> user_robots_to_follow() override;
  Status update_user_robot(const UserRobot& robot) override;
  Status set_handled_seq(int64_t id, int64_t handled_seq, const std::string& message) override;
  Result<std::optional<UserRobot>> mark_started(int64_t id) override;
  Status delete_user_robot(int64_t id) override;
  Status set_user_robot_leverage(int64_t id, std::optional<int> leverage) override;
  Result<std::optional<RobotPosition>> open_position(int64_t user_robot_id) override;
  Result<std::optional<RobotPosition>> find_position(int64_t id) override;
  Result<std::vector<RobotPosition>> open_positions(const std::vector<int64_t>& user_robot_ids) override;
  Result<RobotPosition> save_position(const RobotPosition& position) override;
  Result<std::vector<RobotPosition>> positions(int64_t user_robot_id, int64_t limit) override;
  Result<std::vector<OrderRecord>> robot_orders(int64_t user_robot_id, int64_t limit) override;
  Result<std::vector<OrderRecord>> unsettled_robot_orders() override;
  Result<std::vector<OrderRecord>> robot_orders_fee_pending(int64_t limit) override;
  Result<OrderRecord> record_robot_order(const OrderRecord& order, const ClientOrderIdOf& client_order_id_of) override;
  Result<int64_t> last_signal_seq(int64_t robot_id) override;
  Result<std::optional<int64_t>> signal_seq_of(int64_t robot_id, std::string_view external_id) override;
  Status record_signal_id(int64_t robot_id, std::string_view external_id, int64_t seq) override;

 private:
  SqliteStore(std::unique_ptr<SqliteDb> db, const Clock& clock, std::vector<Migration> known);
  Status configure();
  Status migrate(const std::vector<Migration>& migrations);
  Status migrate_each(const std::vector<Migration>& migrations);
  Status insert_secrets(int64_t account_id, const std::vector<AccountSecret>& secrets);
  Result<OrderRecord> insert_order(const OrderRecord& order);  // with its id when set

  std::recursive_mutex mu_;  // recursive: a transaction's fn calls back into this store on the same thread
  std::unique_ptr<SqliteDb> db_;
  const Clock& clock_;
  std::vector<Migration> known_;  // the migrations this binary ships, for schema_status
  int depth_ = 0;                 // open transactions; nested ones are savepoints

  // The ids of orders and positions (migration 20: no AUTOINCREMENT): id_counters is read once in the outermost
  // transaction, the next id kept here (a batch writes hundreds of orders) and written back before the commit.
  // On a database before migration 20 AUTOINCREMENT's sqlite_sequence is read, and SQLite moves it itself.
  struct IdCounter {
    std::string table;
    int64_t next = 0;  // 0: not read in this transaction yet
    bool taken = false;
  };
  Result<int64_t> take_id(IdCounter& counter);  // inside a transaction
  Status save_id_counters();                    // before the outermost commit
  // Runs fn in a transaction of its own unless one is open: an id is taken and used under one write lock.
  template <class T, class Fn>
  Result<T> in_transaction(Fn fn) {
    if (depth_ > 0) return fn();
    Result<T> out = Error::make(ErrorKind::Internal, "store: nothing was written");
    Status st = with_transaction([&](Store&) -> Status {
      out = fn();
      return out ? ok_status() : Status(out.error());
    });
    if (!st) return st.error();
    return out;
  }
  IdCounter order_ids_{"orders"};
  IdCounter position_ids_{"robot_positions"};
  std::optional<bool> numbered_by_store_;  // id_counters exists: known at the first id taken, again after migrating
};

}  // namespace tb::store
