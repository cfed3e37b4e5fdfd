#pragma once
// The store's door: plain rows and an abstract Store, split by aggregate (user_store.hpp, account_store.hpp,
// key_test_store.hpp, audit_store.hpp, job_store.hpp, limit_store.hpp, telegram_store.hpp, order_store.hpp, robot_store.hpp,
// user_robot_store.hpp); Store is all of them and the transaction. Services speak only this; SQL lives in the backends
// (sqlite_<aggregate>.cpp today, PostgreSQL later), so a new backend never touches a service, and a new aggregate adds small files.
//
// Conventions: ids are int64 chosen by the store; times are ms since the Unix epoch taken from the
// injected Clock; a look-up that finds nothing is an empty optional, not an error. A caller's mistake
// (a duplicate unique value, a row that does not exist) is ErrorKind::InvalidArgument whose message starts
// with the field's name ("name: ..."); a failure of the database itself is ErrorKind::Internal with a
// message starting "store:" (for the log) and the backend's code in venue_code.
#include <functional>

#include "core/error.hpp"
#include "store/account_store.hpp"
#include "store/audit_store.hpp"
#include "store/job_store.hpp"
#include "store/key_test_store.hpp"
#include "store/limit_store.hpp"
#include "store/order_store.hpp"
#include "store/robot_store.hpp"
#include "store/schema_status.hpp"
#include "store/telegram_store.hpp"
#include "store/user_robot_store.hpp"
#include "store/user_store.hpp"

namespace tb::store {

class Store : public UserStore,
              public AccountStore,
              public KeyTestStore,
              public AuditStore,
              public JobStore,
              public LimitStore,
              public TelegramStore,
              public OrderStore,
              public RobotStore,
              public UserRobotStore {
 public:
  ~Store() override = default;

  // Runs fn in one transaction: committed if fn returns ok, rolled back if it returns an error or throws.
  // fn must use the Store it is handed (a PostgreSQL backend hands a store bound to the transaction's
  // connection). Nested calls nest (savepoints).
  using TransactionFn = std::function<Status(Store&)>;
  virtual Status with_transaction(const TransactionFn& fn) = 0;

  // The schema's migrations, for `db status` and /healthz. Not pure: a test's fake store need not answer
  // (the default is an Internal error saying so).
  virtual Result<SchemaStatus> schema_status();
};

}  // namespace tb::store
