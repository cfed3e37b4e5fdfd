#pragma once
// Key tests: the steps and the result of each test of an account's key. Part of the store's door (store.hpp).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"

namespace tb::store {

struct KeyTest {
  int64_t id = 0;
  int64_t account_id = 0;
  std::string steps_json = "[]";
  std::string outcome;  // empty while running
  int64_t started_ms = 0;
  std::optional<int64_t> finished_ms;
  std::string result_json = "{}";  // reason code, message, warnings, an order to cancel by hand
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
