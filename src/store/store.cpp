#include "store/store.hpp"

namespace tb::store {

std::string_view to_string(AccountStatus s) {
  switch (s) {
    case AccountStatus::Testing: return "testing";
    case AccountStatus::Enabled: return "enabled";
    case AccountStatus::Invalid: return "invalid";
    case AccountStatus::Disabled: return "disabled";
    case AccountStatus::Unverified: return "unverified";
  }
  return "testing";
}

std::optional<AccountStatus> parse_account_status(std::string_view text) {
  for (auto s : {AccountStatus::Testing, AccountStatus::Enabled, AccountStatus::Invalid, AccountStatus::Disabled,
                 AccountStatus::Unverified})
    if (to_string(s) == text) return s;
  return std::nullopt;
}

bool is_telegram_only(const User& user) { return user.email.starts_with(kTelegramOnlyEmailPrefix); }

}  // namespace tb::store
