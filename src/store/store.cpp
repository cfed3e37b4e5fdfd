#include "store/store.hpp"

namespace tb::store {

Result<SchemaStatus> Store::schema_status() { return Error::make(ErrorKind::Internal, "store: this store does not report its schema"); }

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
  for (auto s :
       {AccountStatus::Testing, AccountStatus::Enabled, AccountStatus::Invalid, AccountStatus::Disabled, AccountStatus::Unverified})
    if (to_string(s) == text) return s;
  return std::nullopt;
}

std::string_view to_string(StepName n) {
  switch (n) {
    case StepName::Permissions: return "permissions";
    case StepName::Balances: return "balances";
    case StepName::TestOrder: return "test_order";
    case StepName::Cancel: return "cancel";
  }
  return "?";
}

std::optional<StepName> parse_step_name(std::string_view text) {
  for (auto n : {StepName::Permissions, StepName::Balances, StepName::TestOrder, StepName::Cancel})
    if (to_string(n) == text) return n;
  return std::nullopt;
}

std::string_view to_string(StepState s) {
  switch (s) {
    case StepState::Running: return "running";
    case StepState::Ok: return "ok";
    case StepState::Failed: return "failed";
    case StepState::Skipped: return "skipped";
    case StepState::Waiting: return "waiting";
  }
  return "?";
}

std::optional<StepState> parse_step_state(std::string_view text) {
  for (auto s : {StepState::Running, StepState::Ok, StepState::Failed, StepState::Skipped, StepState::Waiting})
    if (to_string(s) == text) return s;
  return std::nullopt;
}

std::string_view to_string(InvalidReason r) {
  switch (r) {
    case InvalidReason::None: return "none";
    case InvalidReason::InvalidKey: return "invalid_key";
    case InvalidReason::WrongSecret: return "wrong_secret";
    case InvalidReason::IpNotWhitelisted: return "ip_not_whitelisted";
    case InvalidReason::NoTradingPermission: return "no_trading_permission";
    case InvalidReason::WithdrawalPermission: return "withdrawal_permission";
    case InvalidReason::InsufficientFunds: return "insufficient_funds";
    case InvalidReason::ExchangeUnavailable: return "exchange_unavailable";
    case InvalidReason::Other: return "other";
  }
  return "?";
}

std::optional<InvalidReason> parse_invalid_reason(std::string_view text) {
  for (auto r : {InvalidReason::None, InvalidReason::InvalidKey, InvalidReason::WrongSecret, InvalidReason::IpNotWhitelisted,
                 InvalidReason::NoTradingPermission, InvalidReason::WithdrawalPermission, InvalidReason::InsufficientFunds,
                 InvalidReason::ExchangeUnavailable, InvalidReason::Other})
    if (to_string(r) == text) return r;
  return std::nullopt;
}

bool is_telegram_only(const User& user) { return user.email.starts_with(kTelegramOnlyEmailPrefix); }

}  // namespace tb::store
