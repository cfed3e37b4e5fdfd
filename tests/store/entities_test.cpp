// Users, sessions, key tests, audit log, balance snapshots and transactions on the SQLite store.
#include <algorithm>
#include <map>
#include <stdexcept>

#include "store/backends.hpp"

namespace tb::store {
namespace {

using Users = BackendTest;

TEST_P(Users, CreateFindAndChangePassword) {
  auto u = store_->create_user("Ann@Example.com", "hash-1");
  ASSERT_TRUE(u.ok());
  EXPECT_GT(u->id, 0);
  EXPECT_EQ(u->created_ms, clock_.now_ms());

  auto by_id = store_->find_user(u->id);
  ASSERT_TRUE(by_id.ok() && by_id->has_value());
  EXPECT_EQ((*by_id)->email, "Ann@Example.com");  // kept as typed
  EXPECT_EQ((*by_id)->password_hash, "hash-1");

  auto by_email = store_->find_user_by_email("ann@EXAMPLE.com");  // found whatever the case
  ASSERT_TRUE(by_email.ok() && by_email->has_value());
  EXPECT_EQ((*by_email)->id, u->id);

  ASSERT_TRUE(store_->set_password_hash(u->id, "hash-2").ok());
  EXPECT_EQ((*store_->find_user(u->id))->password_hash, "hash-2");

  EXPECT_FALSE(store_->find_user(u->id + 100)->has_value());
  EXPECT_FALSE(store_->find_user_by_email("bob@example.com")->has_value());
  auto missing = store_->set_password_hash(u->id + 100, "x");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().kind, ErrorKind::InvalidArgument);
}

TEST_P(Users, EmailIsUniqueWhateverItsCase) {
  ASSERT_TRUE(store_->create_user("ann@example.com", "h").ok());
  auto dup = store_->create_user("ANN@example.COM", "h");
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().kind, ErrorKind::InvalidArgument);
  EXPECT_EQ(dup.error().message, "email: already in use");
  auto empty = store_->create_user("", "h");
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().message, "email: empty");
}

using Sessions = BackendTest;

TEST_P(Sessions, CreateFindDeleteAndExpire) {
  int64_t uid = make_user();
  Session s{"tokhash-1", uid, "csrf-1", clock_.now_ms() + 60'000, "203.0.113.7", "Mozilla/5.0", 0};
  ASSERT_TRUE(store_->create_session(s).ok());
  ASSERT_TRUE(store_->create_session({"tokhash-2", uid, "csrf-2", clock_.now_ms() + 120'000, "", "", 0}).ok());

  auto found = store_->find_session("tokhash-1");
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->user_id, uid);
  EXPECT_EQ((*found)->csrf_token, "csrf-1");
  EXPECT_EQ((*found)->expires_ms, clock_.now_ms() + 60'000);
  EXPECT_EQ((*found)->ip, "203.0.113.7");
  EXPECT_EQ((*found)->user_agent, "Mozilla/5.0");
  EXPECT_EQ((*found)->created_ms, clock_.now_ms());

  auto dup = store_->create_session(s);
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().message, "token_hash: already in use");

  clock_.advance_ms(60'000);  // the first one expires exactly now
  auto n = store_->delete_expired_sessions();
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 1);
  EXPECT_FALSE(store_->find_session("tokhash-1")->has_value());
  EXPECT_TRUE(store_->find_session("tokhash-2")->has_value());

  ASSERT_TRUE(store_->delete_session("tokhash-2").ok());
  EXPECT_FALSE(store_->find_session("tokhash-2")->has_value());
}

TEST_P(Sessions, LogOutEverywhereLeavesOtherUsersAlone) {
  int64_t ann = make_user();
  int64_t bob = make_user("bob@example.com");
  for (const char* t : {"a1", "a2", "a3"}) ASSERT_TRUE(store_->create_session({t, ann, "c", 1, "", "", 0}).ok());
  ASSERT_TRUE(store_->create_session({"b1", bob, "c", 1, "", "", 0}).ok());
  auto n = store_->delete_user_sessions(ann);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 3);
  EXPECT_FALSE(store_->find_session("a2")->has_value());
  EXPECT_TRUE(store_->find_session("b1")->has_value());
}

TEST_P(Sessions, LastSeenStartsAtCreationMovesWhenTouchedAndIdleOnesGo) {
  int64_t uid = make_user();
  ASSERT_TRUE(store_->create_session({"old", uid, "c", clock_.now_ms() + 600'000, "", "", 0}).ok());
  clock_.advance_ms(1'000);
  ASSERT_TRUE(store_->create_session({"new", uid, "c", clock_.now_ms() + 600'000, "", "", 0}).ok());
  EXPECT_EQ((*store_->find_session("new"))->last_seen_ms, clock_.now_ms());
  ASSERT_TRUE(store_->touch_session("old", clock_.now_ms() + 5'000).ok());
  EXPECT_EQ((*store_->find_session("old"))->last_seen_ms, clock_.now_ms() + 5'000);
  auto n = store_->delete_idle_sessions(clock_.now_ms() + 1);  // "new" was last seen before that, "old" after
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 1);
  EXPECT_FALSE(store_->find_session("new")->has_value());
  EXPECT_TRUE(store_->find_session("old")->has_value());
}

TEST_P(Sessions, ListedNewestFirstAndSignOutEverywhereElseKeepsOneAndSaysWhichEnded) {
  int64_t ann = make_user();
  int64_t bob = make_user("bob@example.com");
  for (const char* t : {"a1", "a2", "a3"}) {
    ASSERT_TRUE(store_->create_session({t, ann, "c", clock_.now_ms() + 60'000, "198.51.100.1", "Firefox", 0}).ok());
    clock_.advance_ms(10);
  }
  ASSERT_TRUE(store_->create_session({"b1", bob, "c", clock_.now_ms() + 60'000, "", "", 0}).ok());
  auto list = store_->list_user_sessions(ann);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 3u);
  EXPECT_EQ((*list)[0].token_hash, "a3");
  EXPECT_EQ((*list)[2].token_hash, "a1");
  EXPECT_EQ((*list)[2].user_agent, "Firefox");
  auto ended = store_->delete_user_sessions_except(ann, "a2");
  ASSERT_TRUE(ended.ok());
  std::sort(ended->begin(), ended->end());
  EXPECT_EQ(*ended, std::vector<std::string>({"a1", "a3"}));
  EXPECT_TRUE(store_->find_session("a2")->has_value());
  EXPECT_TRUE(store_->find_session("b1")->has_value());
  EXPECT_EQ(store_->list_user_sessions(ann)->size(), 1u);
}

TEST_P(Sessions, OfAnUnknownUserAreRefused) {
  auto r = store_->create_session({"t", 4242, "c", 1, "", "", 0});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::InvalidArgument);
  EXPECT_EQ(r.error().message, "user_id: refers to a row that does not exist");
}

class WithAccount : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    uid_ = make_user();
    Account a;
    a.user_id = uid_;
    a.name = "Kraken";
    a.venue = "kraken";
    a.masked_key = "vmPU…3e5A";
    auto r = store_->create_account(a, {});
    ASSERT_TRUE(r.ok());
    aid_ = r->id;
  }
  int64_t uid_ = 0;
  int64_t aid_ = 0;
};

using KeyTests = WithAccount;

TEST_P(KeyTests, StartUpdateFindAndListNewestFirst) {
  auto t = store_->start_key_test(aid_);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->started_ms, clock_.now_ms());
  EXPECT_TRUE(t->steps.empty());
  EXPECT_FALSE(t->finished_ms.has_value());

  clock_.advance_ms(1500);
  KeyTest done = *t;
  done.steps = {{StepName::Permissions, StepState::Ok, "fine", 51}, {StepName::TestOrder, StepState::Failed, "refused", 7}};
  done.outcome = "enabled";
  done.finished_ms = clock_.now_ms();
  done.reason = InvalidReason::InsufficientFunds;
  done.message = "too little";
  done.warnings = {"no IP restriction", "second"};
  done.trading_expires_ms = 1'702'252'800'000;
  done.retry_at_ms = 1'702'252'900'123;
  ASSERT_TRUE(store_->update_key_test(done).ok());

  auto back = store_->find_key_test(t->id);
  ASSERT_TRUE(back.ok() && back->has_value());
  EXPECT_EQ((*back)->steps, done.steps);
  EXPECT_EQ((*back)->outcome, "enabled");
  EXPECT_EQ((*back)->finished_ms, done.finished_ms);
  EXPECT_EQ((*back)->reason, InvalidReason::InsufficientFunds);
  EXPECT_EQ((*back)->message, "too little");
  EXPECT_EQ((*back)->warnings, done.warnings);
  EXPECT_EQ((*back)->trading_expires_ms, done.trading_expires_ms);
  EXPECT_EQ((*back)->retry_at_ms, done.retry_at_ms);
  done.steps.pop_back();  // a rewrite replaces the steps and warnings, not adds to them
  done.warnings = {"only"};
  ASSERT_TRUE(store_->update_key_test(done).ok());
  EXPECT_EQ((**store_->find_key_test(t->id)).steps, done.steps);
  EXPECT_EQ((**store_->find_key_test(t->id)).warnings, done.warnings);

  auto second = store_->start_key_test(aid_);
  ASSERT_TRUE(second.ok());
  auto latest = store_->latest_key_test(aid_);
  ASSERT_TRUE(latest.ok() && latest->has_value());
  EXPECT_EQ((*latest)->id, second->id);
  EXPECT_FALSE(store_->latest_key_test(9999)->has_value());
  auto list = store_->list_key_tests(aid_);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].id, second->id);
  EXPECT_EQ((*list)[1].id, t->id);

  KeyTest ghost;
  ghost.id = 9999;
  EXPECT_EQ(store_->update_key_test(ghost).error().kind, ErrorKind::InvalidArgument);
  auto orphan = store_->start_key_test(9999);  // no such account
  ASSERT_FALSE(orphan.ok());
  EXPECT_EQ(orphan.error().message, "account_id: refers to a row that does not exist");
}

TEST_P(KeyTests, LatestOfEachAccountOfAUserInOneRead) {
  Account other;
  other.user_id = uid_;
  other.name = "Kraken #2";
  other.venue = "kraken";
  other.masked_key = "abcd…wxyz";
  auto second_account = store_->create_account(other, {});
  ASSERT_TRUE(second_account.ok());
  Account never;
  never.user_id = uid_;
  never.name = "Never tested";
  never.venue = "kraken";
  never.masked_key = "abcd…wxyz";
  ASSERT_TRUE(store_->create_account(never, {}).ok());
  const int64_t stranger = make_user("stranger@example.com");
  Account theirs = other;
  theirs.user_id = stranger;
  auto their_account = store_->create_account(theirs, {});
  ASSERT_TRUE(their_account.ok());

  ASSERT_TRUE(store_->start_key_test(aid_).ok());
  auto newest_first = store_->start_key_test(aid_);
  ASSERT_TRUE(newest_first.ok());
  KeyTest stepped = *newest_first;
  stepped.steps = {{StepName::Balances, StepState::Waiting, "wait", 0}};
  ASSERT_TRUE(store_->update_key_test(stepped).ok());
  auto only_second = store_->start_key_test(second_account->id);
  auto their_test = store_->start_key_test(their_account->id);
  ASSERT_TRUE(newest_first.ok() && only_second.ok() && their_test.ok());

  auto latest = store_->latest_key_tests_of_user(uid_);
  ASSERT_TRUE(latest.ok());
  ASSERT_EQ(latest->size(), 2u);
  std::map<int64_t, int64_t> by_account;
  for (const auto& t : *latest) by_account[t.account_id] = t.id;
  EXPECT_EQ(by_account[aid_], newest_first->id);
  EXPECT_EQ(by_account[second_account->id], only_second->id);
  for (const auto& t : *latest) {
    auto one = store_->latest_key_test(t.account_id);
    ASSERT_TRUE(one.ok() && one->has_value());
    EXPECT_EQ((*one)->id, t.id);
    EXPECT_EQ((*one)->started_ms, t.started_ms);
    EXPECT_EQ((*one)->steps, t.steps);
    EXPECT_EQ(t.steps.size(), t.id == newest_first->id ? 1u : 0u);
  }
  EXPECT_TRUE(store_->latest_key_tests_of_user(9999)->empty());
}

using Audit = WithAccount;

TEST_P(Audit, AppendsAndListsNewestFirstAndOutlivesTheAccount) {
  auto first = store_->append_audit({0, uid_, "account.add", aid_, "203.0.113.7", R"({"venue":"kraken"})", 0});
  ASSERT_TRUE(first.ok());
  clock_.advance_ms(10);
  auto second = store_->append_audit({0, uid_, "login", std::nullopt, "203.0.113.7", "{}", 0});
  ASSERT_TRUE(second.ok());
  ASSERT_TRUE(store_->append_audit({0, uid_ + 1, "other user", std::nullopt, "", "{}", 5}).ok());

  ASSERT_TRUE(store_->delete_account(aid_).ok());
  auto list = store_->list_audit(uid_, 10);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].id, *second);
  EXPECT_EQ((*list)[0].action, "login");
  EXPECT_FALSE((*list)[0].account_id.has_value());
  EXPECT_EQ((*list)[0].at_ms, clock_.now_ms());
  EXPECT_EQ((*list)[1].account_id, aid_);
  EXPECT_EQ((*list)[1].detail_json, R"({"venue":"kraken"})");
  EXPECT_EQ((*list)[1].ip, "203.0.113.7");
  EXPECT_EQ(store_->list_audit(uid_, 1)->size(), 1u);
}

using Snapshots = WithAccount;

TEST_P(Snapshots, KeepExactDecimalsAndListARangeOldestFirst) {
  ASSERT_TRUE(store_->add_balance_snapshot({aid_, 3000, dec("1234.56000000")}).ok());
  ASSERT_TRUE(store_->add_balance_snapshot({aid_, 1000, dec("0.1")}).ok());
  ASSERT_TRUE(store_->add_balance_snapshot({aid_, 2000, dec("99999999.12345678")}).ok());
  ASSERT_TRUE(store_->add_balance_snapshot({aid_, 2000, dec("99999999.12345678")}).ok());  // same ms: replaced

  auto all = store_->list_balance_snapshots(aid_, 0, 5000);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].at_ms, 1000);
  EXPECT_EQ((*all)[0].usd_total.to_string(), "0.1");
  EXPECT_EQ((*all)[1].usd_total.to_string(), "99999999.12345678");
  EXPECT_EQ((*all)[2].usd_total.to_string(), "1234.56000000");
  auto some = store_->list_balance_snapshots(aid_, 1500, 3000);
  ASSERT_EQ(some->size(), 2u);
  EXPECT_EQ((*some)[0].at_ms, 2000);

  ASSERT_TRUE(store_->delete_account(aid_).ok());  // snapshots go with the account
  EXPECT_TRUE(store_->list_balance_snapshots(aid_, 0, 5000)->empty());
}

using Transactions = BackendTest;

TEST_P(Transactions, CommitOnOkRollbackOnErrorAndOnThrow) {
  ASSERT_TRUE(store_
                  ->with_transaction([](Store& s) -> Status {
                    auto u = s.create_user("kept@example.com", "h");
                    return u.ok() ? ok_status() : Status(u.error());
                  })
                  .ok());
  EXPECT_TRUE(store_->find_user_by_email("kept@example.com")->has_value());

  auto failed = store_->with_transaction([](Store& s) -> Status {
    EXPECT_TRUE(s.create_user("gone@example.com", "h").ok());
    return Error::make(ErrorKind::InvalidArgument, "changed my mind");
  });
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().message, "changed my mind");
  EXPECT_FALSE(store_->find_user_by_email("gone@example.com")->has_value());

  EXPECT_THROW(store_->with_transaction([](Store& s) -> Status {
    EXPECT_TRUE(s.create_user("thrown@example.com", "h").ok());
    throw std::runtime_error("boom");
  }),
               std::runtime_error);
  EXPECT_FALSE(store_->find_user_by_email("thrown@example.com")->has_value());
  EXPECT_TRUE(store_->create_user("after@example.com", "h").ok());  // the store is usable afterwards
}

TEST_P(Transactions, NestedFailureUndoesOnlyItsOwnPart) {
  auto st = store_->with_transaction([](Store& s) -> Status {
    EXPECT_TRUE(s.create_user("outer@example.com", "h").ok());
    auto inner = s.with_transaction([](Store& t) -> Status {
      EXPECT_TRUE(t.create_user("inner@example.com", "h").ok());
      return Error::make(ErrorKind::InvalidArgument, "inner fails");
    });
    EXPECT_FALSE(inner.ok());
    return ok_status();
  });
  ASSERT_TRUE(st.ok());
  EXPECT_TRUE(store_->find_user_by_email("outer@example.com")->has_value());
  EXPECT_FALSE(store_->find_user_by_email("inner@example.com")->has_value());
}

INSTANTIATE_BACKENDS(Users);
INSTANTIATE_BACKENDS(Sessions);
INSTANTIATE_BACKENDS(KeyTests);
INSTANTIATE_BACKENDS(Audit);
INSTANTIATE_BACKENDS(Snapshots);
INSTANTIATE_BACKENDS(Transactions);

}  // namespace
}  // namespace tb::store
