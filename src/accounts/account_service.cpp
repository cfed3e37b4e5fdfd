#include "accounts/account_service.hpp"

#include <unordered_map>

#include "accounts/key_input.hpp"
#include "accounts/sealed_rows.hpp"
#include "venues/registry.hpp"

namespace tb::accounts {

namespace {

constexpr size_t kMaxNameChars = 64;

Error not_found(int64_t id) { return Error::make(ErrorKind::NotFound, "exchange account " + std::to_string(id) + " not found"); }

// A name as the user typed it, trimmed; control characters refused (it is shown in chats and pages).
Result<std::string> clean_name(std::string_view name) {
  while (!name.empty() && (name.front() == ' ' || name.front() == '\t')) name.remove_prefix(1);
  while (!name.empty() && (name.back() == ' ' || name.back() == '\t')) name.remove_suffix(1);
  if (name.empty()) return Error::invalid("name", "must not be empty");
  if (name.size() > kMaxNameChars) return Error::invalid("name", "at most " + std::to_string(kMaxNameChars) + " characters");
  for (unsigned char c : name)
    if (c < 0x20 || c == 0x7f) return Error::invalid("name", "must not contain control characters");
  return std::string(name);
}

Error name_taken(std::string_view name) {
  auto echo = quoted_echo(name);
  return Error::about(ErrorKind::Conflict, "name",
                      echo ? "you already have an account named " + *echo : std::string("you already have an account with this name"));
}

// The key input check's own words ("API secret is empty."), under the field it names.
Error key_input_error(const Error& e) { return Error::invalid(e.field, e.message); }

}  // namespace

Result<store::Account> AccountService::owned(int64_t user_id, int64_t account_id) {
  auto a = store_.find_account(account_id);
  if (!a) return a.error();
  // Another user's account is answered exactly like a missing one: ids reveal nothing.
  if (!a->has_value() || (*a)->user_id != user_id) return not_found(account_id);
  return **a;
}

AccountView AccountService::view_of(store::Account account) {
  AccountView v{std::move(account), std::nullopt, {}};
  if (auto t = store_.latest_key_test(v.account.id); t && t->has_value()) v.last_test = std::move(**t);
  if (auto o = store_.unsettled_orders(v.account.id)) v.unsettled_orders = std::move(*o);
  return v;
}

Result<std::string> AccountService::unique_name(store::Store& s, int64_t user_id, std::string_view venue, std::optional<int64_t> except) {
  auto accounts = s.list_accounts(user_id);
  if (!accounts) return accounts.error();
  auto taken = [&](const std::string& n) {
    for (const auto& a : *accounts)
      if (a.id != except && a.name.size() == n.size() && std::equal(n.begin(), n.end(), a.name.begin(), [](char x, char y) {
            return std::tolower((unsigned char)x) == std::tolower((unsigned char)y);
          }))
        return true;
    return false;
  };
  const std::string base(venue_display_name(venue));
  if (!taken(base)) return base;
  for (int n = 2;; ++n)
    if (std::string candidate = base + " #" + std::to_string(n); !taken(candidate)) return candidate;
}

store::AuditEntry audit_entry(const Actor& actor, std::string_view action, std::optional<int64_t> account_id, std::string detail_json) {
  store::AuditEntry e;
  e.user_id = actor.user_id;
  e.action = std::string(action);
  e.account_id = account_id;
  e.ip = actor.ip;
  e.channel = actor.channel;
  e.telegram_user_id = actor.telegram_user_id;
  e.detail_json = std::move(detail_json);
  return e;
}

Status AccountService::audit_log(store::Store& s, const Actor& actor, std::string_view action, std::optional<int64_t> account_id,
                                 const nlohmann::json& detail) {
  auto r = s.append_audit(audit_entry(actor, action, account_id, detail.dump()));
  if (!r) return r.error();
  return ok_status();
}

void AccountService::publish_account(AccountChanged::Change change, const store::Account& account) {
  publish({account.user_id, AccountChanged{change, view_of(account)}});
}

Status AccountService::queue_key_test(store::Store& s, int64_t account_id) {
  auto job = s.enqueue_job(kKeyTestJob, nlohmann::json{{"account_id", account_id}}.dump(), clock_.now_ms());
  if (!job) return job.error();
  return ok_status();
}

namespace {

// Seals the pair for one account; the plaintext is wiped on the way out (Secrets wipe themselves).
Result<std::vector<store::AccountSecret>> seal_pair(const vault::Vault& vault, const store::Account& a, KeyInput input) {
  vault::PlainCredentials plain{crypto::Secret(std::move(input.api_key)), std::move(input.api_secret), std::nullopt};
  auto sealed = vault::seal_credentials(vault, {a.user_id, a.id, a.venue}, plain);
  if (!sealed) return sealed.error();
  return to_rows(a.id, *sealed);
}

}  // namespace

// Each key test places a real order from the server's one IP: a user may start only so many an hour
// (adding, replacing or re-testing a key), and keep only so many accounts. Both are counted from the store's
// rows (the audit log, the accounts), so every serve process on the database sees the same count.
Status AccountService::within_caps(int64_t user_id, bool adds_account) {
  if (adds_account && options_.max_accounts_per_user > 0) {
    auto accounts = store_.list_accounts(user_id);
    if (!accounts) return accounts.error();
    if (accounts->size() >= options_.max_accounts_per_user) {
      Error e = Error::make(ErrorKind::RateLimited, "at most " + std::to_string(options_.max_accounts_per_user) +
                                                        " exchange accounts per user: delete one to add another");
      e.retry_after = std::chrono::hours(1);
      return e;
    }
  }
  if (options_.key_tests_per_hour <= 0) return ok_status();
  const int64_t since = clock_.now_ms() - 3'600'000;
  auto recent = store_.list_audit(user_id, options_.key_tests_per_hour + 200);  // the newest first
  if (!recent) return recent.error();
  int started = 0;
  int64_t oldest = 0;
  for (const auto& e : *recent) {
    if (e.at_ms <= since) break;
    if (e.action == "key.added" || e.action == "key.replaced" || e.action == "key.check_requested") {
      ++started;
      oldest = e.at_ms;
    }
  }
  if (started < options_.key_tests_per_hour) return ok_status();
  Error e = Error::make(ErrorKind::RateLimited, "at most " + std::to_string(options_.key_tests_per_hour) +
                                                    " key tests per hour: each places a real order on the exchange; try again later");
  e.retry_after = std::chrono::milliseconds(std::max<int64_t>(1000, oldest + 3'600'000 - clock_.now_ms()));
  return e;
}

// Keys are what a stolen session or chat would want most: with two-factor on, the channel must have passed
// the gate with a current code for this very action (Actor::second_factor); a channel that did not ask is
// refused here whatever it is.
Status AccountService::second_factor_given(const Actor& actor) {
  if (actor.second_factor) return ok_status();
  auto tf = store_.find_two_factor(actor.user_id);
  if (!tf) return tf.error();
  if (!tf->has_value() || !(*tf)->enabled) return ok_status();
  return Error::about(ErrorKind::SecondFactorRequired, "totp_code",
                      "two-factor authentication is on: adding or replacing exchange keys needs the current "
                      "6-digit code from your authenticator app");
}

Result<AccountView> AccountService::add(const Actor& actor, const NewAccount& in) {
  if (auto given = second_factor_given(actor); !given) return given.error();
  if (auto capped = within_caps(actor.user_id, true); !capped) return capped.error();
  if (venues_.find(in.exchange) == venues_.end()) {
    auto echo = quoted_echo(in.exchange);  // a secret pasted here is not repeated
    return Error::invalid("exchange", "unknown exchange" + (echo ? " " + *echo : std::string()) + "; supported: " + venues::venue_ids());
  }
  auto input = check_key_input(in.exchange, in.key, in.secret);
  if (!input) return key_input_error(input.error());
  store::Account created;
  if (in.name) {
    auto name = clean_name(*in.name);
    if (!name) return name.error();
    created.name = *name;
  }
  created.user_id = actor.user_id;
  created.venue = in.exchange;
  created.masked_key = mask_key(input->api_key);
  created.status = store::AccountStatus::Testing;
  // Row, sealed pair and queued test in one transaction: an answered add survives any crash whole.
  auto insert = [&](store::Store& s) -> Status {
    if (!in.name) {  // chosen under the user's lock: another process adding beside this one waits its turn
      if (auto st = s.lock_user(actor.user_id); !st) return st;
      auto n = unique_name(s, actor.user_id, in.exchange, std::nullopt);
      if (!n) return n.error();
      created.name = *n;
    }
    auto a = s.create_account(created, {});
    if (!a) return a.error();
    created = *a;
    auto rows = seal_pair(*vault_, created, std::move(*input));
    if (!rows) return rows.error();
    if (auto r = s.replace_secrets(created.id, *rows); !r) return r;
    if (auto r = queue_key_test(s, created.id); !r) return r;
    return audit_log(s, actor, "key.added", created.id, {{"name", created.name}, {"exchange", created.venue}, {"key", created.masked_key}});
  };
  if (Status st = store_.with_transaction(insert); !st) {
    if (st.error().kind == ErrorKind::InvalidArgument && st.error().field == "name") return name_taken(created.name);
    return st.error();
  }
  publish_account(AccountChanged::Change::Created, created);
  wake();
  return view_of(created);
}

Result<std::vector<AccountView>> AccountService::list(int64_t user_id) {
  auto accounts = store_.list_accounts(user_id);
  if (!accounts) return accounts.error();
  auto tests = store_.latest_key_tests_of_user(user_id);  // one read for all, not one per account
  if (!tests) return tests.error();
  std::unordered_map<int64_t, store::KeyTest*> latest;
  latest.reserve(tests->size());
  for (auto& t : *tests) latest[t.account_id] = &t;
  auto unsettled = store_.unsettled_orders_of_user(user_id);  // rare: most lists read an empty result
  if (!unsettled) return unsettled.error();
  std::vector<AccountView> out;
  out.reserve(accounts->size());
  for (auto& a : *accounts) {
    AccountView v{std::move(a), std::nullopt, {}};
    // An account added between the two reads has no test yet, which is what it would have shown anyway.
    if (auto it = latest.find(v.account.id); it != latest.end()) v.last_test = std::move(*it->second);
    for (const auto& o : *unsettled)
      if (o.account_id == v.account.id) v.unsettled_orders.push_back(o);
    out.push_back(std::move(v));
  }
  return out;
}

Result<AccountView> AccountService::get(int64_t user_id, int64_t account_id) {
  auto a = owned(user_id, account_id);
  if (!a) return a.error();
  return view_of(std::move(*a));
}

Result<AccountView> AccountService::rename(const Actor& actor, int64_t account_id, std::string_view raw) {
  auto a = owned(actor.user_id, account_id);
  if (!a) return a.error();
  auto name = clean_name(raw);
  if (!name) return name.error();
  std::string old = a->name;
  a->name = *name;
  Status st = store_.with_transaction([&](store::Store& s) -> Status {
    if (auto u = s.update_account(*a); !u) return u;
    return audit_log(s, actor, "key.renamed", account_id, {{"from", old}, {"to", a->name}});
  });
  if (!st) {
    if (st.error().kind == ErrorKind::InvalidArgument && st.error().field == "name") return name_taken(*name);
    return st.error();
  }
  auto fresh = owned(actor.user_id, account_id);
  if (!fresh) return fresh.error();
  publish_account(AccountChanged::Change::Updated, *fresh);
  return view_of(std::move(*fresh));
}

Result<AccountView> AccountService::replace_keys(const Actor& actor, int64_t account_id, std::string_view key,
                                                 const crypto::Secret& secret) {
  auto a = owned(actor.user_id, account_id);
  if (!a) return a.error();
  if (auto given = second_factor_given(actor); !given) return given.error();
  if (auto capped = within_caps(actor.user_id, false); !capped) return capped.error();
  if (options_.running_robots && options_.running_robots(account_id) > 0)
    return Error::make(ErrorKind::Conflict, "robots are running on this account: stop them before replacing its keys");
  if (testing_.count(account_id)) return Error::make(ErrorKind::Conflict, "a key test is running on this account: wait for it to finish");
  auto input = check_key_input(a->venue, key, secret);
  if (!input) return key_input_error(input.error());
  std::string old_key = a->masked_key;
  a->masked_key = mask_key(input->api_key);
  a->status = store::AccountStatus::Testing;
  a->reason.clear();
  Status st = store_.with_transaction([&](store::Store& s) -> Status {
    auto rows = seal_pair(*vault_, *a, std::move(*input));
    if (!rows) return rows.error();
    if (auto r = s.replace_secrets(a->id, *rows); !r) return r;
    if (auto r = s.update_account(*a); !r) return r;
    if (auto r = queue_key_test(s, a->id); !r) return r;
    return audit_log(s, actor, "key.replaced", account_id, {{"from", old_key}, {"to", a->masked_key}});
  });
  if (!st) return st.error();
  auto fresh = owned(actor.user_id, account_id);
  if (!fresh) return fresh.error();
  publish_account(AccountChanged::Change::Updated, *fresh);
  wake();
  return view_of(std::move(*fresh));
}

Result<AccountView> AccountService::check(const Actor& actor, int64_t account_id) {
  auto a = owned(actor.user_id, account_id);
  if (!a) return a.error();
  if (auto capped = within_caps(actor.user_id, false); !capped) return capped.error();
  if (testing_.count(account_id) || a->status == store::AccountStatus::Testing)
    return Error::make(ErrorKind::Conflict, "a key test is already running on this account");
  auto secrets = store_.get_secrets(account_id);
  if (!secrets) return secrets.error();
  if (secrets->empty())
    return Error::make(ErrorKind::Conflict, "this account's key was refused and not kept: send a new key pair (PUT .../keys)");
  a->status = store::AccountStatus::Testing;
  Status st = store_.with_transaction([&](store::Store& s) -> Status {
    if (auto r = s.update_account(*a); !r) return r;
    if (auto r = queue_key_test(s, a->id); !r) return r;
    return audit_log(s, actor, "key.check_requested", account_id, nlohmann::json::object());
  });
  if (!st) return st.error();
  publish_account(AccountChanged::Change::Updated, *a);
  wake();
  return view_of(std::move(*a));
}

Status AccountService::remove(const Actor& actor, int64_t account_id) {
  auto a = owned(actor.user_id, account_id);
  if (!a) return a.error();
  if (options_.running_robots && options_.running_robots(account_id) > 0)
    return Error::make(ErrorKind::Conflict, "robots are running on this account: stop them before deleting it");
  Status st = store_.with_transaction([&](store::Store& s) -> Status {
    if (auto d = s.delete_account(account_id); !d) return d;
    return audit_log(s, actor, "key.deleted", account_id, {{"name", a->name}, {"exchange", a->venue}, {"key", a->masked_key}});
  });
  if (!st) return st;
  publish({actor.user_id, AccountDeleted{account_id}});
  return ok_status();
}

Result<PortfolioView> AccountService::portfolio(int64_t user_id) {
  auto accounts = store_.list_accounts(user_id);
  if (!accounts) return accounts.error();
  PortfolioView p;
  for (auto& a : *accounts) {
    if (a.status != store::AccountStatus::Enabled) continue;
    p.usd_total += a.usd_total;
    p.accounts.push_back(std::move(a));
  }
  return p;
}

Result<std::vector<HistoryPoint>> AccountService::portfolio_history(int64_t user_id, int64_t from_ms, int64_t to_ms, int64_t bucket_ms) {
  if (bucket_ms <= 0 || to_ms < from_ms || (to_ms - from_ms) / bucket_ms > 10'000)
    return Error::invalid("range", "at most 10,000 points, from before to");
  auto accounts = store_.list_accounts(user_id);
  if (!accounts) return accounts.error();
  std::vector<HistoryPoint> points;
  for (int64_t end = from_ms + bucket_ms; end < to_ms + bucket_ms; end += bucket_ms) points.push_back({std::min(end, to_ms), Decimal()});
  std::vector<bool> seen(points.size(), false);
  for (const auto& a : *accounts) {
    if (a.status != store::AccountStatus::Enabled) continue;
    // Snapshots before `from` too: an account checked yesterday still counts at the start of today.
    auto snaps = store_.list_balance_snapshots(a.id, 0, to_ms);
    if (!snaps) return snaps.error();
    size_t i = 0;
    std::optional<Decimal> latest;
    for (size_t p = 0; p < points.size(); ++p) {
      while (i < snaps->size() && (*snaps)[i].at_ms <= points[p].at_ms) latest = (*snaps)[i++].usd_total;
      if (latest) {
        points[p].usd_total += *latest;
        seen[p] = true;
      }
    }
  }
  std::vector<HistoryPoint> out;
  for (size_t p = 0; p < points.size(); ++p)
    if (seen[p]) out.push_back(points[p]);
  return out;
}

Result<std::vector<store::AuditEntry>> AccountService::audit(int64_t user_id, int limit) { return store_.list_audit(user_id, limit); }

Status AccountService::record_trade(const Actor& actor, int64_t account_id, const nlohmann::json& detail) {
  if (auto a = owned(actor.user_id, account_id); !a) return a.error();
  return audit_log(store_, actor, "key.used_to_trade", account_id, detail);
}

}  // namespace tb::accounts
