#pragma once
// Exchange accounts and their sealed secrets. Part of the store's door (store.hpp).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/decimal.hpp"
#include "core/error.hpp"
#include "core/types.hpp"

namespace tb::store {

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
  std::string reason;   // plain words when invalid/disabled
  Portfolio portfolio;  // balances and positions as last read from the exchange
  Decimal usd_total;    // stored as its decimal string, never a double
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

class AccountStore {
 public:
  virtual ~AccountStore() = default;

  // exchange accounts
  // The account row and its sealed fields in one transaction: either both are stored or neither.
  virtual Result<Account> create_account(const Account& account, const std::vector<AccountSecret>& secrets) = 0;
  virtual Result<std::optional<Account>> find_account(int64_t id) = 0;
  virtual Result<std::vector<Account>> list_accounts(int64_t user_id) = 0;
  virtual Result<std::vector<Account>> list_all_accounts() = 0;  // every user's, for operator tasks (keys verify)
  // The rows of these accounts in one read, without their balances (portfolio left empty): the trading
  // desk's pass over thousands of user robots. Those that exist, by id.
  virtual Result<std::vector<Account>> account_rows(const std::vector<int64_t>& ids) = 0;
  // Name, masked key, status, reason, balances, usd_total and last_checked of account.id (user and venue
  // never change); updated_ms from the clock. Replacing keys: this and replace_secrets in one transaction.
  virtual Status update_account(const Account& account) = 0;
  virtual Status delete_account(int64_t id) = 0;  // secrets, key tests and snapshots go with it

  // account secrets
  virtual Status replace_secrets(int64_t account_id, const std::vector<AccountSecret>& secrets) = 0;
  virtual Result<std::vector<AccountSecret>> get_secrets(int64_t account_id) = 0;
  // The secrets of many accounts in one read, by account and field (the trading desk opens the signers of a
  // pass's accounts together: one read each cost more than the signer's cryptography). An unknown id has none.
  virtual Result<std::vector<AccountSecret>> secrets_of(const std::vector<int64_t>& account_ids) = 0;
  virtual Status delete_secrets(int64_t account_id) = 0;  // a refused key leaves no ciphertext
};

}  // namespace tb::store
