#pragma once
// The vault's sealed credentials as the store keeps them: one row per field, the sealed text in each.
#include <vector>

#include "store/store.hpp"
#include "vault/credentials.hpp"

namespace tb::accounts {

std::vector<store::AccountSecret> to_rows(int64_t account_id, const vault::SealedCredentials& sealed);
// Error (InvalidArgument) when the api key or secret row is missing or a sealed text is malformed.
Result<vault::SealedCredentials> from_rows(const std::vector<store::AccountSecret>& rows);

}  // namespace tb::accounts
