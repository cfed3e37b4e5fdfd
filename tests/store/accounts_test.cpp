// Exchange accounts and their sealed secrets on the SQLite store.
#include "store/backends.hpp"

namespace tb::store {
namespace {

class Accounts : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    uid_ = make_user();
  }
  Account account(const std::string& name, const std::string& venue = "kraken") const {
    Account a;
    a.user_id = uid_;
    a.name = name;
    a.venue = venue;
    a.masked_key = "vmPU…3e5A";
    return a;
  }
  static std::vector<AccountSecret> sealed() { return {{0, "key", "v1.nonceA.cipherA", 1}, {0, "secret", "v1.nonceB.cipherB", 1}}; }
  int64_t uid_ = 0;
};

TEST_P(Accounts, CreateWithSecretsFindListUpdateDelete) {
  auto created = store_->create_account(account("Kraken"), sealed());
  ASSERT_TRUE(created.ok()) << created.error().describe();
  const int64_t id = created->id;
  EXPECT_EQ(created->status, AccountStatus::Testing);
  EXPECT_EQ(created->created_ms, clock_.now_ms());

  auto found = store_->find_account(id);
  ASSERT_TRUE(found.ok() && found->has_value());
  const Account& a = **found;
  EXPECT_EQ(a.user_id, uid_);
  EXPECT_EQ(a.name, "Kraken");
  EXPECT_EQ(a.venue, "kraken");
  EXPECT_EQ(a.masked_key, "vmPU…3e5A");
  EXPECT_TRUE(a.portfolio.balances.empty());
  EXPECT_TRUE(a.portfolio.positions.empty());
  EXPECT_EQ(a.usd_total.to_string(), "0");
  EXPECT_FALSE(a.last_checked_ms.has_value());

  auto secrets = store_->get_secrets(id);
  ASSERT_TRUE(secrets.ok());
  ASSERT_EQ(secrets->size(), 2u);
  EXPECT_EQ((*secrets)[0].account_id, id);  // the new id, whatever the caller put there
  EXPECT_EQ((*secrets)[0].field, "key");
  EXPECT_EQ((*secrets)[0].sealed, "v1.nonceA.cipherA");
  EXPECT_EQ((*secrets)[1].field, "secret");
  EXPECT_EQ((*secrets)[1].master_version, 1);

  clock_.advance_ms(5000);
  Account changed = a;
  changed.name = "Main Kraken";
  changed.masked_key = "AbCd…wXyZ";  // keys replaced
  changed.status = AccountStatus::Enabled;
  changed.portfolio.balances = {{"USD", dec("1500.25"), dec("1500.25"), dec("0")}, {"XBT", dec("0.01000000"), dec("0.01"), dec("0")}};
  changed.portfolio.positions = {{"BTCUSDT", dec("-0.010"), dec("65000.5"), dec("1.25"), dec("5")},
                                 {"ETHUSDT", dec("2"), dec("3000"), dec("0"), std::nullopt}};
  changed.usd_total = dec("2150.25000000");
  changed.last_checked_ms = clock_.now_ms();
  changed.venue = "bitfinex";  // not changeable: an account stays on its venue
  ASSERT_TRUE(store_->update_account(changed).ok());
  const Account b = **store_->find_account(id);
  EXPECT_EQ(b.name, "Main Kraken");
  EXPECT_EQ(b.masked_key, "AbCd…wXyZ");
  EXPECT_EQ(b.status, AccountStatus::Enabled);
  ASSERT_EQ(b.portfolio.balances.size(), 2u);  // in order, decimals with their scale
  EXPECT_EQ(b.portfolio.balances[0].asset, "USD");
  EXPECT_EQ(b.portfolio.balances[0].total.to_string(), "1500.25");
  EXPECT_EQ(b.portfolio.balances[1].asset, "XBT");
  EXPECT_EQ(b.portfolio.balances[1].total.to_string(), "0.01000000");
  EXPECT_EQ(b.portfolio.balances[1].free.to_string(), "0.01");
  ASSERT_EQ(b.portfolio.positions.size(), 2u);
  EXPECT_EQ(b.portfolio.positions[0].symbol, "BTCUSDT");
  EXPECT_EQ(b.portfolio.positions[0].amount.to_string(), "-0.010");
  EXPECT_EQ(b.portfolio.positions[0].entry_price.to_string(), "65000.5");
  EXPECT_EQ(b.portfolio.positions[0].unrealized_pnl.to_string(), "1.25");
  EXPECT_EQ(b.portfolio.positions[0].leverage->to_string(), "5");
  EXPECT_FALSE(b.portfolio.positions[1].leverage.has_value());
  auto listed = store_->list_accounts(uid_);  // a list reads the portfolios too
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].portfolio.balances.size(), 2u);
  EXPECT_EQ((*listed)[0].portfolio.positions.size(), 2u);
  EXPECT_EQ(b.usd_total.to_string(), "2150.25000000");
  EXPECT_EQ(b.last_checked_ms, clock_.now_ms());
  EXPECT_EQ(b.updated_ms, clock_.now_ms());
  EXPECT_EQ(b.created_ms, a.created_ms);
  EXPECT_EQ(b.venue, "kraken");

  ASSERT_TRUE(store_->create_account(account("Binance", "binance_futures"), {}).ok());
  auto list = store_->list_accounts(uid_);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].name, "Main Kraken");
  EXPECT_EQ((*list)[1].name, "Binance");

  ASSERT_TRUE(store_->delete_account(id).ok());
  EXPECT_FALSE(store_->find_account(id)->has_value());
  EXPECT_TRUE(store_->get_secrets(id)->empty());  // no ciphertext outlives its account
  EXPECT_EQ(store_->delete_account(id).error().kind, ErrorKind::InvalidArgument);
  Account ghost = account("x");
  ghost.id = id;
  EXPECT_EQ(store_->update_account(ghost).error().kind, ErrorKind::InvalidArgument);
}

// The trading desk's pass: many rows in one read, as find_account has them but without balances, whether
// the ids are spread (a list) or fill their range (the range, less what was not asked for).
TEST_P(Accounts, AccountRowsReadsManyAtOnceWithoutTheirBalances) {
  std::vector<int64_t> ids;
  for (int i = 0; i < 3; ++i) ids.push_back(store_->create_account(account("A" + std::to_string(i)), sealed())->id);
  Account rich = **store_->find_account(ids[1]);
  rich.status = AccountStatus::Enabled;
  rich.portfolio.balances = {{"USD", dec("1500.25"), dec("1500.25"), dec("0")}};
  clock_.advance_ms(7);
  ASSERT_TRUE(store_->update_account(rich).ok());
  auto rows = store_->account_rows({ids[2], ids[1], ids[1] + 1000});  // any order; an unknown id is left out
  ASSERT_TRUE(rows.ok()) << rows.error().describe();
  ASSERT_EQ(rows->size(), 2u);
  const Account& one = (*rows)[0];
  const Account found = **store_->find_account(ids[1]);
  EXPECT_EQ(one.id, ids[1]);
  EXPECT_EQ(one.user_id, uid_);
  EXPECT_EQ(one.name, "A1");
  EXPECT_EQ(one.status, AccountStatus::Enabled);
  EXPECT_EQ(one.masked_key, found.masked_key);
  EXPECT_EQ(one.updated_ms, found.updated_ms);
  EXPECT_TRUE(one.portfolio.balances.empty());  // not read: the desk needs none
  EXPECT_EQ((*rows)[1].id, ids[2]);
  auto dense = store_->account_rows({ids[2], ids[0]});  // read as their range: the one between is not asked for
  ASSERT_TRUE(dense.ok()) << dense.error().describe();
  ASSERT_EQ(dense->size(), 2u);
  EXPECT_EQ((*dense)[0].id, ids[0]);
  EXPECT_EQ((*dense)[0].name, "A0");
  EXPECT_EQ((*dense)[1].id, ids[2]);
  EXPECT_TRUE(store_->account_rows({})->empty());
}

// The desk opens a pass's signers together: the secrets of many accounts in one read, by account and field.
TEST_P(Accounts, SecretsOfManyAccountsInOneRead) {
  std::vector<int64_t> ids;
  for (int i = 0; i < 3; ++i) {
    auto secrets = sealed();
    for (auto& s : secrets) s.sealed += std::to_string(i);  // each account's own
    ids.push_back(store_->create_account(account("A" + std::to_string(i)), secrets)->id);
  }
  auto rows = store_->secrets_of({ids[2], ids[0], ids[2] + 1000});  // any order; an unknown id has none
  ASSERT_TRUE(rows.ok()) << rows.error().describe();
  ASSERT_EQ(rows->size(), 4u);
  const std::vector<std::pair<int64_t, std::string>> expected = {{ids[0], "key"}, {ids[0], "secret"}, {ids[2], "key"}, {ids[2], "secret"}};
  for (size_t i = 0; i < rows->size(); ++i) {
    EXPECT_EQ((*rows)[i].account_id, expected[i].first);
    EXPECT_EQ((*rows)[i].field, expected[i].second);
    EXPECT_EQ((*rows)[i].sealed, (*store_->get_secrets(expected[i].first))[i % 2].sealed);  // as one account's read has it
    EXPECT_EQ((*rows)[i].master_version, 1);
  }
  EXPECT_EQ((*rows)[0].sealed, "v1.nonceA.cipherA0");
  EXPECT_EQ((*rows)[3].sealed, "v1.nonceB.cipherB2");
  EXPECT_TRUE(store_->secrets_of({})->empty());
}

TEST_P(Accounts, EveryStatusRoundTrips) {
  auto created = store_->create_account(account("Kraken"), {});
  ASSERT_TRUE(created.ok());
  for (auto s : {AccountStatus::Enabled, AccountStatus::Invalid, AccountStatus::Disabled, AccountStatus::Testing}) {
    Account a = *created;
    a.status = s;
    a.reason = s == AccountStatus::Invalid ? "withdrawal permission present" : "";
    ASSERT_TRUE(store_->update_account(a).ok());
    auto back = **store_->find_account(a.id);
    EXPECT_EQ(back.status, s);
    EXPECT_EQ(back.reason, a.reason);
    EXPECT_EQ(parse_account_status(to_string(s)), s);
  }
  EXPECT_FALSE(parse_account_status("enabled "));
}

TEST_P(Accounts, NameIsUniquePerUserWhateverItsCase) {
  ASSERT_TRUE(store_->create_account(account("Kraken"), {}).ok());
  auto dup = store_->create_account(account("kraken"), sealed());
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().kind, ErrorKind::InvalidArgument);
  EXPECT_EQ(dup.error().message, "name: already in use");
  EXPECT_EQ(dup.error().field, "name");  // the service's "name taken" and the web's field read this

  auto second = store_->create_account(account("Kraken #2"), {});
  ASSERT_TRUE(second.ok());
  Account renamed = *second;
  renamed.name = "KRAKEN";
  auto clash = store_->update_account(renamed);
  ASSERT_FALSE(clash.ok());
  EXPECT_EQ(clash.error().message, "name: already in use");

  int64_t other = make_user("bob@example.com");
  Account theirs = account("Kraken");
  theirs.user_id = other;
  EXPECT_TRUE(store_->create_account(theirs, {}).ok());  // another user's names are theirs

  Account unnamed = account("");
  EXPECT_EQ(store_->create_account(unnamed, {}).error().message, "name: empty");
  EXPECT_EQ(store_->create_account(unnamed, {}).error().field, "name");
}

TEST_P(Accounts, AFailingSecretLeavesNeitherAccountNorSecrets) {
  // The second secret repeats a field: its insert fails after the account row and the first secret went in.
  std::vector<AccountSecret> bad = {{0, "key", "v1.a", 1}, {0, "key", "v1.b", 1}};
  auto r = store_->create_account(account("Kraken"), bad);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::InvalidArgument);
  EXPECT_EQ(r.error().message, "field: already in use");
  EXPECT_TRUE(store_->list_accounts(uid_)->empty());
  // Nothing was left behind under the id the row would have had, and the name is free again.
  auto again = store_->create_account(account("Kraken"), sealed());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(store_->get_secrets(again->id)->size(), 2u);
}

TEST_P(Accounts, AccountAndSecretsInsideACallersTransactionRollBackTogether) {
  int64_t id = 0;
  auto st = store_->with_transaction([&](Store& s) -> Status {
    auto a = s.create_account(account("Kraken"), sealed());
    if (!a) return a.error();
    id = a->id;
    return Error::make(ErrorKind::InvalidArgument, "key: refused by the key test");
  });
  ASSERT_FALSE(st.ok());
  ASSERT_GT(id, 0);
  EXPECT_FALSE(store_->find_account(id)->has_value());
  EXPECT_TRUE(store_->get_secrets(id)->empty());
}

TEST_P(Accounts, ARefusedKeyLeavesNoCiphertextAndKeysCanBeReplaced) {
  auto a = store_->create_account(account("Kraken"), sealed());
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE(store_->delete_secrets(a->id).ok());
  EXPECT_TRUE(store_->get_secrets(a->id)->empty());
  EXPECT_TRUE(store_->find_account(a->id)->has_value());  // the row stays to show why it was refused

  ASSERT_TRUE(store_->replace_secrets(a->id, {{0, "key", "v2.x", 2}, {0, "secret", "v2.y", 2}}).ok());
  ASSERT_TRUE(store_->replace_secrets(a->id, {{0, "key", "v3.x", 3}, {0, "secret", "v3.y", 3}}).ok());
  auto s = store_->get_secrets(a->id);
  ASSERT_EQ(s->size(), 2u);
  EXPECT_EQ((*s)[0].sealed, "v3.x");
  EXPECT_EQ((*s)[1].master_version, 3);

  // A replacement that fails half-way keeps the old keys.
  auto bad = store_->replace_secrets(a->id, {{0, "key", "v4.x", 4}, {0, "key", "v4.y", 4}});
  ASSERT_FALSE(bad.ok());
  s = store_->get_secrets(a->id);
  ASSERT_EQ(s->size(), 2u);
  EXPECT_EQ((*s)[0].sealed, "v3.x");
  EXPECT_EQ(store_->replace_secrets(9999, sealed()).error().message, "account_id: refers to a row that does not exist");
  EXPECT_EQ(store_->replace_secrets(9999, sealed()).error().field, "account_id");
}

INSTANTIATE_BACKENDS(Accounts);

}  // namespace
}  // namespace tb::store
