#pragma once
// Private to the store: the PostgreSQL kind of Coordination (coordination.hpp), opened on its own connection.
#include <memory>
#include <string>

#include "store/coordination.hpp"

namespace tb::store::pg {

Result<std::unique_ptr<Coordination>> open_pg_coordination(const std::string& conninfo);

}  // namespace tb::store::pg
