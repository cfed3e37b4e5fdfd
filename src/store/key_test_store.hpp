#pragma once
// Key tests: the steps and the result of each test of an account's key. Part of the store's door (store.hpp).
// The step names and states and the refusal reasons are typed here, below the services that use them, so a
// stored test is read back as the values that wrote it; their strings are the API's.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace tb::store {

enum class StepName { Permissions, Balances, TestOrder, Cancel };
std::string_view to_string(StepName n);  // "permissions", "balances", "test_order", "cancel"
std::optional<StepName> parse_step_name(std::string_view text);

// Waiting: the exchange had trouble (a rate limit, an outage); the test goes on by itself later.
enum class StepState { Running, Ok, Failed, Skipped, Waiting };
std::string_view to_string(StepState s);  // "running", "ok", "failed", "skipped", "waiting"
std::optional<StepState> parse_step_state(std::string_view text);

// Why a key test did not enable the key; the API's `reason_code` (None: no reason, shown as null).
enum class InvalidReason {
  None,
  InvalidKey,
  WrongSecret,
  IpNotWhitelisted,
  NoTradingPermission,
  WithdrawalPermission,
  InsufficientFunds,    // the key itself is fine
  ExchangeUnavailable,  // the exchange's trouble: the test is deferred
  Other,
};
std::string_view to_string(InvalidReason r);  // "none", "invalid_key", "wrong_secret", ...
std::optional<InvalidReason> parse_invalid_reason(std::string_view text);

struct KeyTestStep {
  StepName name = StepName::Permissions;
  StepState state = StepState::Running;
  std::string message;  // plain words
  int64_t duration_ms = 0;
  bool operator==(const KeyTestStep&) const = default;
};

struct KeyTest {
  int64_t id = 0;
  int64_t account_id = 0;
  std::vector<KeyTestStep> steps;  // in order, one per step name at most
  std::string outcome;             // empty while running
  int64_t started_ms = 0;
  std::optional<int64_t> finished_ms;
  // What a finished test concluded beyond its steps.
  InvalidReason reason = InvalidReason::None;  // None when enabled or unfinished
  std::string message;                         // why invalid or deferred
  std::vector<std::string> warnings;           // no IP restriction, trading right expiry, an order cancelled later
  std::optional<int64_t> trading_expires_ms;   // an unrestricted key loses its trading right then
  std::optional<int64_t> retry_at_ms;          // a deferred test runs again then
};

class KeyTestStore {
 public:
  virtual ~KeyTestStore() = default;

  // key tests
  virtual Result<KeyTest> start_key_test(int64_t account_id) = 0;
  virtual Status update_key_test(const KeyTest& test) = 0;  // steps, outcome, finished, result
  virtual Result<std::optional<KeyTest>> find_key_test(int64_t id) = 0;
  virtual Result<std::vector<KeyTest>> list_key_tests(int64_t account_id) = 0;  // newest first
  virtual Result<std::optional<KeyTest>> latest_key_test(int64_t account_id) = 0;
  // The newest test of each of the user's accounts (none for an account never tested), in no particular
  // order, in one query: a list of many accounts costs one read, not one per account.
  virtual Result<std::vector<KeyTest>> latest_key_tests_of_user(int64_t user_id) = 0;
};

}  // namespace tb::store
