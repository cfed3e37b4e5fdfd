#pragma once
// The store's door: plain rows and an abstract Store. Services speak only this; SQL lives in the backends
// (sqlite_store today, PostgreSQL later), so a new backend never touches a service.
//
// Conventions: ids are int64 chosen by the store; times are ms since the Unix epoch taken from the
// injected Clock; a look-up that finds nothing is an empty optional, not an error. A caller's mistake
// (a duplicate unique value, a row that does not exist) is ErrorKind::InvalidArgument whose message starts
// with the field's name ("name: ..."); a failure of the database itself is ErrorKind::BadResponse with a
// message starting "store:" and the backend's code in venue_code.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/decimal.hpp"
#include "core/error.hpp"

namespace tb::store {

struct User {
  int64_t id = 0;
  std::string email;          // unique, compared case-insensitively
  std::string password_hash;  // an argon2id string; the store never sees a password
  int64_t created_ms = 0;
};

// Users the Telegram bot makes have no email anyone can type: their email column holds this placeholder plus
// the user id (a space and no '@': no normalised address is ever equal to it) and their password hash a marker
// nothing verifies against. They are found only through telegram_identities, by the Telegram user id.
inline constexpr std::string_view kTelegramOnlyEmailPrefix = "telegram-only #";
inline constexpr std::string_view kNoPasswordHash = "!telegram-only: no password";
bool is_telegram_only(const User& user);

struct Session {
  std::string token_hash;  // the token itself is only in the browser's cookie
  int64_t user_id = 0;
  std::string csrf_token;
  int64_t expires_ms = 0;
  std::string ip;
  std::string user_agent;
  int64_t created_ms = 0;
  int64_t last_seen_ms = 0;  // the last request it authenticated (coarsely: see touch_session); created_ms at first
};

// Unverified: the exchange's own trouble kept the key test from a verdict for the whole retry window; the
// key was not judged (unlike Invalid) and is tested again later.
enum class AccountStatus { Testing, Enabled, Invalid, Disabled, Unverified };
std::string_view to_string(AccountStatus s);
std::optional<AccountStatus> parse_account_status(std::string_view text);

struct Account {
  int64_t id = 0;
  int64_t user_id = 0;
  std::string name;        // unique per user (case-insensitive)
  std::string venue;       // the registry's venue id
  std::string masked_key;  // "vmPU…3e5A": the only form of the key ever shown again
  AccountStatus status = AccountStatus::Testing;
  std::string reason;          // plain words when invalid/disabled
  std::string balances_json = "{}";
  Decimal usd_total;           // stored as its decimal string, never a double
  std::optional<int64_t> last_checked_ms;
  int64_t created_ms = 0;
  int64_t updated_ms = 0;
};

// One sealed field (key, secret, passphrase) of an account; the vault seals and opens, the store only keeps.
struct AccountSecret {
  int64_t account_id = 0;
  std::string field;
  std::string sealed;
  int master_version = 0;
};

struct KeyTest {
  int64_t id = 0;
  int64_t account_id = 0;
  std::string steps_json = "[]";
  std::string outcome;  // empty while running
  int64_t started_ms = 0;
  std::optional<int64_t> finished_ms;
  std::string result_json = "{}";  // reason code, message, warnings, an order to cancel by hand
};

struct AuditEntry {
  int64_t id = 0;
  int64_t user_id = 0;
  std::string action;
  std::optional<int64_t> account_id;  // kept after the account is deleted: the log outlives rows
  std::string ip;
  std::string detail_json = "{}";
  int64_t at_ms = 0;
  std::string channel;                      // web (cookie), api (Bearer), telegram, system (background jobs)
  std::optional<int64_t> telegram_user_id;  // who, when the action came from Telegram (there is no IP)
};

struct BalanceSnapshot {
  int64_t account_id = 0;
  int64_t at_ms = 0;
  Decimal usd_total;
};

struct Job {
  int64_t id = 0;
  std::string kind;
  std::string payload;
  int64_t run_at_ms = 0;
  std::optional<std::string> claimed_by;
  std::optional<int64_t> claimed_until_ms;
  int attempts = 0;  // counts claims, so a job that keeps killing its worker can be given up on
};

// A Telegram user known to the bot, tied to one platform user (a user has at most one), with the state
// of the bot's conversation in their private chat. The dialog never holds a secret.
struct TelegramLink {
  int64_t telegram_user_id = 0;
  int64_t chat_id = 0;
  int64_t user_id = 0;
  std::string username;
  std::string first_name;
  std::string dialog_json = "{}";
  int64_t last_update_id = 0;  // the newest update handled in this chat: a redelivered one is skipped
  bool blocked = false;        // the user blocked the bot: nothing is sent until they write again
  int64_t created_ms = 0;
  int64_t updated_ms = 0;
};

// An order sent (or about to be sent) to a venue on a user's account, written down before it is sent
// (DESIGN.md § Robots): a lost answer or a crash never loses it, and only the venue's answer settles it.
struct OrderRecord {
  int64_t id = 0;
  int64_t account_id = 0;
  std::string purpose;          // "key_test"; the robots add theirs
  std::string venue;
  std::string symbol;           // the venue's market id
  std::string client_order_id;  // ours, unique per account: what we ask the venue by
  std::string venue_order_id;   // once the venue told it
  std::string side;             // "buy" / "sell"
  std::string type;             // "limit" / "market"
  Decimal price;                // zero for market orders
  Decimal amount;
  std::string state;            // orders::OrderState's text: "intent", "unknown", "open", "cancelled", ...
  int absent_answers = 0;       // how often the venue answered that it has no such order
  std::string note;             // the last thing learnt, in plain words
  int64_t created_ms = 0;
  int64_t updated_ms = 0;
  std::optional<int64_t> settled_ms;  // empty while the order may still be open
};

// What a venue told us of its limits from one egress IP (a weight window, a wait it asked for), kept so a
// restarted process starts where the last one stopped.
struct VenueLimit {
  std::string venue;
  std::string egress_ip;  // "" when unknown: one process's own address
  std::string name;       // the budget: "weight", "orders", "auth/r/orders", ...
  int64_t window_start_ms = 0;
  int64_t used = 0;
  int64_t blocked_until_ms = 0;
  int64_t updated_ms = 0;
};

// A user's second factor: the TOTP secret sealed by the vault (like an exchange secret; the user's field
// "totp_secret"), pending until a first code confirms it, and the newest time step a code was accepted for:
// a code opens once.
struct TwoFactor {
  int64_t user_id = 0;
  std::string sealed_secret;
  int master_version = 0;
  bool enabled = false;
  int64_t last_step = 0;
  int64_t created_ms = 0;
  std::optional<int64_t> enabled_ms;
};

class Store {
 public:
  virtual ~Store() = default;

  // Runs fn in one transaction: committed if fn returns ok, rolled back if it returns an error or throws.
  // fn must use the Store it is handed (a PostgreSQL backend hands a store bound to the transaction's
  // connection). Nested calls nest (savepoints).
  using TransactionFn = std::function<Status(Store&)>;
  virtual Status with_transaction(const TransactionFn& fn) = 0;

  // users
  virtual Result<User> create_user(std::string_view email, std::string_view password_hash) = 0;
  virtual Result<std::optional<User>> find_user(int64_t id) = 0;
  virtual Result<std::optional<User>> find_user_by_email(std::string_view email) = 0;
  virtual Status set_password_hash(int64_t user_id, std::string_view password_hash) = 0;

  // sessions
  virtual Status create_session(const Session& session) = 0;  // created_ms filled from the clock if 0
  virtual Result<std::optional<Session>> find_session(std::string_view token_hash) = 0;
  virtual Status delete_session(std::string_view token_hash) = 0;
  virtual Result<int64_t> delete_user_sessions(int64_t user_id) = 0;  // log out everywhere; returns how many
  virtual Result<int64_t> delete_expired_sessions() = 0;  // expires_ms <= now; returns how many
  virtual Result<int64_t> delete_idle_sessions(int64_t seen_before_ms) = 0;  // last_seen_ms < it; how many
  virtual Result<std::vector<Session>> list_user_sessions(int64_t user_id) = 0;  // newest first
  virtual Status touch_session(std::string_view token_hash, int64_t seen_ms) = 0;  // sets last_seen_ms
  // Sign out everywhere else: every session of the user but `keep`, in one statement; returns the hashes
  // of those it ended, so their open streams can be told.
  virtual Result<std::vector<std::string>> delete_user_sessions_except(int64_t user_id, std::string_view keep) = 0;

  // exchange accounts
  // The account row and its sealed fields in one transaction: either both are stored or neither.
  virtual Result<Account> create_account(const Account& account, const std::vector<AccountSecret>& secrets) = 0;
  virtual Result<std::optional<Account>> find_account(int64_t id) = 0;
  virtual Result<std::vector<Account>> list_accounts(int64_t user_id) = 0;
  virtual Result<std::vector<Account>> list_all_accounts() = 0;  // every user's, for operator tasks (keys verify)
  // Name, masked key, status, reason, balances, usd_total and last_checked of account.id (user and venue
  // never change); updated_ms from the clock. Replacing keys: this and replace_secrets in one transaction.
  virtual Status update_account(const Account& account) = 0;
  virtual Status delete_account(int64_t id) = 0;  // secrets, key tests and snapshots go with it

  // account secrets
  virtual Status replace_secrets(int64_t account_id, const std::vector<AccountSecret>& secrets) = 0;
  virtual Result<std::vector<AccountSecret>> get_secrets(int64_t account_id) = 0;
  virtual Status delete_secrets(int64_t account_id) = 0;  // a refused key leaves no ciphertext

  // key tests
  virtual Result<KeyTest> start_key_test(int64_t account_id) = 0;
  virtual Status update_key_test(const KeyTest& test) = 0;  // steps, outcome, finished, result
  virtual Result<std::optional<KeyTest>> find_key_test(int64_t id) = 0;
  virtual Result<std::vector<KeyTest>> list_key_tests(int64_t account_id) = 0;  // newest first
  virtual Result<std::optional<KeyTest>> latest_key_test(int64_t account_id) = 0;
  // The newest test of each of the user's accounts (none for an account never tested), in no particular
  // order, in one query: a list of many accounts costs one read, not one per account.
  virtual Result<std::vector<KeyTest>> latest_key_tests_of_user(int64_t user_id) = 0;

  // audit log (append only)
  virtual Result<int64_t> append_audit(const AuditEntry& entry) = 0;  // at_ms from the clock if 0
  virtual Result<std::vector<AuditEntry>> list_audit(int64_t user_id, int limit) = 0;  // newest first

  // balance snapshots
  virtual Status add_balance_snapshot(const BalanceSnapshot& snapshot) = 0;  // a second one at the same ms replaces it
  virtual Result<std::vector<BalanceSnapshot>> list_balance_snapshots(int64_t account_id, int64_t from_ms,
                                                                      int64_t to_ms) = 0;  // oldest first

  // jobs: any process may claim any due job; a lease that runs out lets another worker take it over.
  virtual Result<int64_t> enqueue_job(std::string_view kind, std::string_view payload, int64_t run_at_ms) = 0;
  // One call: picks the oldest due job of `kind` that nobody holds (or whose lease ran out), marks it
  // held by `worker` until now + lease_ms, counts the attempt. Empty when none is due.
  virtual Result<std::optional<Job>> claim_job(std::string_view kind, std::string_view worker, int64_t lease_ms) = 0;
  // Done: the job is removed. False if the worker no longer holds it (its lease ran out and was taken).
  virtual Result<bool> complete_job(int64_t id, std::string_view worker) = 0;
  // Failed or postponed: released to run again at run_at_ms. False if the worker no longer holds it.
  virtual Result<bool> release_job(int64_t id, std::string_view worker, int64_t run_at_ms) = 0;
  // A job no longer needed, removed unless a worker's lease on it still runs (then it runs and finds
  // nothing to do).
  virtual Result<bool> drop_job(int64_t id) = 0;
  virtual Result<std::optional<Job>> find_job(int64_t id) = 0;
  // Workers holding jobs now, and a release of everything one holds: a restarted process hands back the
  // jobs of its dead predecessor at once instead of waiting for their leases to run out.
  virtual Result<std::vector<std::string>> job_holders() = 0;
  virtual Result<int64_t> release_jobs_of(std::string_view worker) = 0;

  // telegram
  // Inserts or updates the row of link.telegram_user_id (created_ms kept, updated_ms from the clock). A row
  // of another Telegram user holding the same user_id is removed first: the newest link wins.
  virtual Result<TelegramLink> save_telegram_link(const TelegramLink& link) = 0;
  virtual Result<std::optional<TelegramLink>> find_telegram_link(int64_t telegram_user_id) = 0;
  virtual Result<std::optional<TelegramLink>> find_telegram_link_by_user(int64_t user_id) = 0;
  virtual Status delete_telegram_link(int64_t telegram_user_id) = 0;
  // A Telegram user's own platform user (made on their first /start): a new user with no email and no
  // password, and its telegram_identities row, in one transaction. InvalidArgument when one exists already.
  virtual Result<User> create_telegram_user(int64_t telegram_user_id) = 0;
  // That user, found by the Telegram user id only; empty when the bot never made one (or it was deleted).
  virtual Result<std::optional<User>> find_telegram_user(int64_t telegram_user_id) = 0;
  // One-time codes that link a web account to a Telegram user; only a hash of the code is kept.
  virtual Status add_telegram_link_code(std::string_view code_hash, int64_t user_id, int64_t expires_ms) = 0;
  // The code's user if it exists and has not expired; the code is used up either way, and expired codes go.
  virtual Result<std::optional<int64_t>> take_telegram_link_code(std::string_view code_hash) = 0;
  // The getUpdates offset of a bot (its id is the token's numeric part): the first update not yet handled.
  virtual Result<int64_t> telegram_update_offset(int64_t bot_id) = 0;  // 0 when none is stored
  virtual Status set_telegram_update_offset(int64_t bot_id, int64_t next_update_id) = 0;

  // orders: the ledger of orders on users' accounts
  // An intent, before it is sent (state as given, created/updated from the clock). InvalidArgument
  // "client_order_id: ..." when the account already has an order with that id: an order is never sent twice.
  virtual Result<OrderRecord> record_order(const OrderRecord& order) = 0;
  // venue_order_id, state, absent_answers, note and settled_ms of order.id; updated_ms from the clock.
  virtual Status update_order(const OrderRecord& order) = 0;
  virtual Result<std::optional<OrderRecord>> find_order(int64_t id) = 0;
  virtual Result<std::vector<OrderRecord>> unsettled_orders(int64_t account_id) = 0;  // oldest first
  // Every unsettled order of the user's accounts in one read, for the account list.
  virtual Result<std::vector<OrderRecord>> unsettled_orders_of_user(int64_t user_id) = 0;

  // two-factor authentication; the user's recovery codes are kept only as hashes
  virtual Result<std::optional<TwoFactor>> find_two_factor(int64_t user_id) = 0;
  virtual Result<std::vector<TwoFactor>> list_two_factors() = 0;  // every user's, for keys verify and rotation
  // Inserts or replaces the user's row (created_ms from the clock if 0).
  virtual Status save_two_factor(const TwoFactor& two_factor) = 0;
  // The row and the recovery codes go.
  virtual Status delete_two_factor(int64_t user_id) = 0;
  // Takes time step `step` for the user if it is newer than the last one taken, in one statement: of two
  // requests with the same code (two processes even) only one gets true.
  virtual Result<bool> use_totp_step(int64_t user_id, int64_t step) = 0;
  virtual Status replace_recovery_codes(int64_t user_id, const std::vector<std::string>& code_hashes) = 0;
  // Removes the code if the user has it; true when it did (each code opens once).
  virtual Result<bool> use_recovery_code(int64_t user_id, std::string_view code_hash) = 0;
  virtual Result<int64_t> count_recovery_codes(int64_t user_id) = 0;

  // venue limits, per venue and egress IP
  virtual Result<std::vector<VenueLimit>> venue_limits(std::string_view venue, std::string_view egress_ip) = 0;
  virtual Status save_venue_limit(const VenueLimit& limit) = 0;  // inserts or replaces; updated_ms from the clock
};

}  // namespace tb::store
