// AccountService end to end below HTTP: real store, vault, connector and simulator; jobs run to the end.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "accounts/key_input.hpp"
#include "accounts/service_world.hpp"
#include "accounts/test_order.hpp"
#include "accounts/valuation.hpp"
#include "web/account_json.hpp"

namespace tb::accounts {
namespace {

using test::ServiceWorld;
using test::SimWorld;
using web::to_json;  // the views as the API sends them

// The names of the events about one account, in order, as the API's event stream names them.
std::vector<std::string> event_types(const ServiceWorld& w, int64_t account_id) {
  std::vector<std::string> out;
  for (const auto& e : w.events) {
    const nlohmann::json d = web::event_data(e);
    if ((d.contains("id") && d["id"] == account_id) || (d.contains("account_id") && d["account_id"] == account_id))
      out.push_back(std::string(web::event_name(e)));
  }
  return out;
}

std::string endpoint_of(const std::string& venue, const std::string& what) {
  if (what == "cancel") return venue == "kraken" ? "CancelOrder" : venue == "bitfinex" ? "auth/w/order/cancel" : "order";
  return venue == "kraken" ? "BalanceEx" : venue == "bitfinex" ? "auth/r/wallets" : "account";
}

std::string file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class AccountServiceOnSim : public ::testing::TestWithParam<std::string> {
 protected:
  ServiceWorld w{GetParam()};
  int64_t alice = w.user("alice@example.com");
  int64_t bob = w.user("bob@example.com");
  Actor as_alice{alice, "198.51.100.4"};

  AccountView add(const exsim::ApiKey& k, std::optional<std::string> name = std::nullopt) {
    auto v = w.service->add(as_alice, {name, GetParam(), k.key, crypto::Secret(k.secret)});
    if (!v) throw std::runtime_error(v.error().describe());
    return *v;
  }
  AccountView get(int64_t id) { return *w.service->get(alice, id); }
};

TEST_P(AccountServiceOnSim, AGoodKeyIsTestedInTheBackgroundAndEnabled) {
  auto k = w.sim.key(SimWorld::trading(), "10000", {"127.0.0.1"});
  AccountView added = add(k);
  EXPECT_EQ(added.account.status, store::AccountStatus::Testing);
  EXPECT_EQ(added.account.masked_key, mask_key(k.key));
  EXPECT_EQ(added.account.masked_key.substr(0, 4), k.key.substr(0, 4));
  EXPECT_EQ(w.sim.exchange.orders(k.key).size(), 0u);  // nothing sent before the job runs

  EXPECT_EQ(w.run_jobs(), 1u);
  AccountView done = get(added.account.id);
  ASSERT_EQ(done.account.status, store::AccountStatus::Enabled) << done.account.reason;
  EXPECT_TRUE(done.account.reason.empty());
  EXPECT_TRUE(done.account.last_checked_ms.has_value());
  EXPECT_GT(done.account.usd_total, Decimal());
  // The test order was placed with our client id and cancelled; nothing is left open.
  auto orders = w.sim.exchange.orders(k.key);
  ASSERT_EQ(orders.size(), 1u);
  EXPECT_TRUE(w.sim.exchange.open_orders(k.key).empty());
  ASSERT_TRUE(done.last_test);
  EXPECT_EQ(done.last_test->outcome, "enabled");
  std::vector<std::string> names;
  for (const auto& s : done.last_test->steps) {
    names.push_back(std::string(to_string(s.name)));
    EXPECT_EQ(s.state, StepState::Ok) << s.message;
  }
  EXPECT_EQ(names, (std::vector<std::string>{"permissions", "balances", "test_order", "cancel"}));
  nlohmann::json j = to_json(done);
  EXPECT_EQ(j["status"], "enabled");
  EXPECT_EQ(j["key"], added.account.masked_key);
  EXPECT_FALSE(j["balances"].empty());
  EXPECT_EQ(j["test"]["steps"].size(), 4u);

  auto events = event_types(w, added.account.id);
  ASSERT_GE(events.size(), 3u);
  EXPECT_EQ(events.front(), "account.created");
  EXPECT_EQ(events.back(), "account.tested");
  EXPECT_NE(std::find(events.begin(), events.end(), "key_test.step"), events.end());

  auto audit = *w.service->audit(alice, 10);
  ASSERT_EQ(audit.size(), 2u);
  EXPECT_EQ(audit[0].action, "key.tested");
  EXPECT_EQ(audit[1].action, "key.added");
  EXPECT_EQ(audit[1].ip, "198.51.100.4");

  auto portfolio = *w.service->portfolio(alice);
  ASSERT_EQ(portfolio.accounts.size(), 1u);
  EXPECT_EQ(portfolio.usd_total, done.account.usd_total);
  EXPECT_TRUE(w.service->portfolio(bob)->accounts.empty());
}

TEST_P(AccountServiceOnSim, TheSecretIsNeverInTheDatabaseEventsOrAudit) {
  auto k = w.sim.key(SimWorld::trading());
  AccountView added = add(k);
  w.run_jobs();
  ASSERT_EQ(get(added.account.id).account.status, store::AccountStatus::Enabled);
  w.store.reset();  // flush and close, then read every file of the database
  for (const auto& f : std::filesystem::directory_iterator(w.db.dir())) {
    std::string bytes = file_bytes(f.path().string());
    EXPECT_EQ(bytes.find(k.secret), std::string::npos) << f.path();
    EXPECT_EQ(bytes.find(k.key), std::string::npos) << f.path();  // sealed too; only the masked form is shown
  }
  for (const auto& e : w.events) EXPECT_EQ(web::event_data(e).dump().find(k.secret), std::string::npos) << web::event_name(e);
}

TEST_P(AccountServiceOnSim, AKeyThatCanWithdrawIsRefusedAndLeavesNoCiphertext) {
  auto p = SimWorld::trading();
  p.withdraw = true;
  auto k = w.sim.key(p);
  AccountView added = add(k);
  w.run_jobs();
  AccountView v = get(added.account.id);
  EXPECT_EQ(v.account.status, store::AccountStatus::Invalid);
  EXPECT_NE(v.account.reason.find("withdraw"), std::string::npos) << v.account.reason;
  EXPECT_EQ(to_json(v)["reason_code"], "withdrawal_permission");
  EXPECT_TRUE(w.store->get_secrets(added.account.id)->empty());
  EXPECT_TRUE(w.sim.exchange.orders(k.key).empty());  // refused before any order
  // Nothing to re-test with: the user must send a new pair.
  EXPECT_EQ(w.service->check(as_alice, added.account.id).error().kind, ErrorKind::Conflict);
}

TEST_P(AccountServiceOnSim, AWrongSecretIsInvalidWithTheReason) {
  auto k = w.sim.key(SimWorld::trading());
  auto other = w.sim.key(SimWorld::trading());
  auto v = w.service->add(as_alice, {std::nullopt, GetParam(), k.key, crypto::Secret(other.secret)});
  ASSERT_TRUE(v) << v.error().describe();
  w.run_jobs();
  AccountView done = get(v->account.id);
  EXPECT_EQ(done.account.status, store::AccountStatus::Invalid);
  EXPECT_FALSE(done.account.reason.empty());
  EXPECT_TRUE(w.store->get_secrets(v->account.id)->empty());
}

TEST_P(AccountServiceOnSim, TooLittleBalanceSaysTheKeyIsFineAndKeepsIt) {
  auto k = w.sim.key(SimWorld::trading(), "0");
  if (GetParam() != "binance_futures") w.sim.exchange.set_balance(k.key, "BTC", Decimal());
  AccountView added = add(k);
  w.run_jobs();
  AccountView v = get(added.account.id);
  EXPECT_EQ(v.account.status, store::AccountStatus::Invalid);
  EXPECT_EQ(to_json(v)["reason_code"], "insufficient_funds");
  EXPECT_NE(v.account.reason.find("key itself is fine"), std::string::npos) << v.account.reason;
  EXPECT_FALSE(w.store->get_secrets(added.account.id)->empty());
  // Funds arrive; a re-test enables it.
  w.sim.exchange.set_balance(k.key, w.sim.quote(), *Decimal::parse("5000"));
  auto again = w.service->check(as_alice, added.account.id);
  ASSERT_TRUE(again) << again.error().describe();
  EXPECT_EQ(again->account.status, store::AccountStatus::Testing);
  w.run_jobs();
  EXPECT_EQ(get(added.account.id).account.status, store::AccountStatus::Enabled);
  EXPECT_EQ(w.store->list_key_tests(added.account.id)->size(), 2u);
}

TEST_P(AccountServiceOnSim, NamesAreGeneratedAndUniquePerUser) {
  auto first = add(w.sim.key(SimWorld::trading()));
  auto second = add(w.sim.key(SimWorld::trading()));
  std::string base(first.account.name);
  EXPECT_EQ(second.account.name, base + " #2");
  auto dup = w.service->add(as_alice, {base, GetParam(), w.sim.key(SimWorld::trading()).key, crypto::Secret("x")});
  ASSERT_FALSE(dup);  // the secret is checked first, then the name
  auto k = w.sim.key(SimWorld::trading());
  auto clash = w.service->add(as_alice, {base, GetParam(), k.key, crypto::Secret(k.secret)});
  ASSERT_FALSE(clash);
  EXPECT_EQ(clash.error().kind, ErrorKind::Conflict);
  EXPECT_EQ(clash.error().message.rfind("name:", 0), 0u);
  auto theirs = w.service->add({bob, ""}, {std::nullopt, GetParam(), k.key, crypto::Secret(k.secret)});
  ASSERT_TRUE(theirs);
  EXPECT_EQ(theirs->account.name, base);  // another user's names are their own
  auto renamed = w.service->rename(as_alice, second.account.id, "  Main  ");
  ASSERT_TRUE(renamed) << renamed.error().describe();
  EXPECT_EQ(renamed->account.name, "Main");
  EXPECT_EQ(w.service->rename(as_alice, first.account.id, "main").error().kind, ErrorKind::Conflict);
  EXPECT_EQ(w.service->rename(as_alice, first.account.id, "").error().kind, ErrorKind::InvalidArgument);
  EXPECT_EQ(w.service->rename(as_alice, first.account.id, "a\nb").error().kind, ErrorKind::InvalidArgument);
}

TEST_P(AccountServiceOnSim, BadInputIsRefusedBeforeAnythingIsStored) {
  auto k = w.sim.key(SimWorld::trading());
  auto spaced = w.service->add(as_alice, {std::nullopt, GetParam(), k.key.substr(0, 5) + " " + k.key.substr(6), crypto::Secret(k.secret)});
  ASSERT_FALSE(spaced);
  EXPECT_EQ(spaced.error().kind, ErrorKind::InvalidArgument);
  EXPECT_EQ(spaced.error().message.rfind("key: ", 0), 0u) << spaced.error().message;
  auto empty_secret = w.service->add(as_alice, {std::nullopt, GetParam(), k.key, crypto::Secret("  ")});
  EXPECT_EQ(empty_secret.error().message.rfind("secret: ", 0), 0u) << empty_secret.error().message;
  auto venue = w.service->add(as_alice, {std::nullopt, "mtgox", k.key, crypto::Secret(k.secret)});
  EXPECT_EQ(venue.error().message.rfind("exchange: ", 0), 0u);
  for (const auto& e : {spaced.error(), empty_secret.error(), venue.error()}) EXPECT_EQ(e.message.find(k.secret), std::string::npos);
  EXPECT_TRUE(w.service->list(alice)->empty());
  EXPECT_EQ(w.run_jobs(), 0u);
}

TEST_P(AccountServiceOnSim, AnotherUsersAccountIsNotFoundEverywhere) {
  auto k = w.sim.key(SimWorld::trading());
  int64_t id = add(k).account.id;
  Actor as_bob{bob, ""};
  EXPECT_EQ(w.service->get(bob, id).error().kind, ErrorKind::NotFound);
  EXPECT_EQ(w.service->rename(as_bob, id, "mine").error().kind, ErrorKind::NotFound);
  EXPECT_EQ(w.service->replace_keys(as_bob, id, k.key, crypto::Secret(k.secret)).error().kind, ErrorKind::NotFound);
  EXPECT_EQ(w.service->check(as_bob, id).error().kind, ErrorKind::NotFound);
  EXPECT_EQ(w.service->remove(as_bob, id).error().kind, ErrorKind::NotFound);
  EXPECT_EQ(w.service->record_trade(as_bob, id, {}).error().kind, ErrorKind::NotFound);
  EXPECT_EQ(w.service->get(bob, id + 1000).error().message,
            w.service->get(bob, id).error().message.substr(0, 17) + std::to_string(id + 1000) + " not found");
  EXPECT_TRUE(w.service->list(bob)->empty());
  EXPECT_TRUE(w.store->find_account(id)->has_value());  // untouched
}

TEST_P(AccountServiceOnSim, ReplacingKeysRetestsAndIsRefusedWhileRobotsRun) {
  int robots = 0;
  AccountServiceOptions o;
  o.running_robots = [&](int64_t) { return robots; };
  ServiceWorld w2(GetParam(), o);
  int64_t carol = w2.user("carol@example.com");
  auto k1 = w2.sim.key(SimWorld::trading());
  auto added = w2.service->add({carol, ""}, {std::nullopt, GetParam(), k1.key, crypto::Secret(k1.secret)});
  ASSERT_TRUE(added);
  w2.run_jobs();
  auto k2 = w2.sim.key(SimWorld::trading());
  robots = 1;
  EXPECT_EQ(w2.service->replace_keys({carol, ""}, added->account.id, k2.key, crypto::Secret(k2.secret)).error().kind, ErrorKind::Conflict);
  EXPECT_EQ(w2.service->remove({carol, ""}, added->account.id).error().kind, ErrorKind::Conflict);
  robots = 0;
  auto replaced = w2.service->replace_keys({carol, ""}, added->account.id, k2.key, crypto::Secret(k2.secret));
  ASSERT_TRUE(replaced) << replaced.error().describe();
  EXPECT_EQ(replaced->account.status, store::AccountStatus::Testing);
  EXPECT_EQ(replaced->account.masked_key, mask_key(k2.key));
  w2.run_jobs();
  EXPECT_EQ(w2.service->get(carol, added->account.id)->account.status, store::AccountStatus::Enabled)
      << w2.service->get(carol, added->account.id)->account.reason;
  EXPECT_EQ(w2.sim.exchange.orders(k2.key).size(), 1u);  // the new key placed its own test order
  ASSERT_TRUE(w2.service->remove({carol, ""}, added->account.id));
  EXPECT_FALSE(w2.store->find_account(added->account.id)->has_value());
  auto audit = *w2.service->audit(carol, 10);
  EXPECT_EQ(audit[0].action, "key.deleted");
  EXPECT_TRUE(std::any_of(audit.begin(), audit.end(), [](const auto& e) { return e.action == "key.replaced"; }));
}

// The desk's signer is opened once and kept (issue 13), but never outlives the keys it was opened for.
TEST_P(AccountServiceOnSim, TheTradingSignerIsKeptUntilTheAccountChanges) {
  auto k1 = w.sim.key(SimWorld::trading());
  const int64_t id = add(k1).account.id;
  const store::Account testing = get(id).account;
  auto fresh1 = w.service->trading_signer(testing);
  auto fresh2 = w.service->trading_signer(testing);
  ASSERT_TRUE(fresh1 && fresh2);
  EXPECT_NE(fresh1->get(), fresh2->get());  // not enabled: made afresh, not kept
  w.run_jobs();
  const store::Account enabled = get(id).account;
  ASSERT_EQ(enabled.status, store::AccountStatus::Enabled);
  auto kept1 = w.service->trading_signer(enabled);
  auto kept2 = w.service->trading_signer(enabled);
  ASSERT_TRUE(kept1 && kept2);
  EXPECT_EQ(kept1->get(), kept2->get());
  EXPECT_EQ((*kept1)->api_key(), k1.key);
  EXPECT_EQ((*kept1)->hmac(crypto::HmacAlgo::Sha256, crypto::SecretForm::Raw, "m"),
            (*fresh1)->hmac(crypto::HmacAlgo::Sha256, crypto::SecretForm::Raw, "m"));
  store::Account rewritten = enabled;  // the row rewritten elsewhere (another process replaced the keys)
  rewritten.updated_ms += 1;
  auto reopened = w.service->trading_signer(rewritten);
  ASSERT_TRUE(reopened);
  EXPECT_NE(reopened->get(), kept1->get());

  auto k2 = w.sim.key(SimWorld::trading());
  ASSERT_TRUE(w.service->replace_keys(as_alice, id, k2.key, crypto::Secret(k2.secret)));
  w.run_jobs();
  const store::Account replaced = get(id).account;
  ASSERT_EQ(replaced.status, store::AccountStatus::Enabled);
  auto after = w.service->trading_signer(replaced);
  ASSERT_TRUE(after);
  EXPECT_EQ((*after)->api_key(), k2.key);
  ASSERT_TRUE(w.service->remove(as_alice, id));
  EXPECT_FALSE(w.service->trading_signer(replaced));  // deleted: nothing kept signs for it
}

// A pass's signers opened together, from one read of their secrets: each then signs as one opened alone.
TEST_P(AccountServiceOnSim, APassOpensItsEnabledAccountsSignersInOneRead) {
  auto k1 = w.sim.key(SimWorld::trading());
  auto k2 = w.sim.key(SimWorld::trading());
  auto k3 = w.sim.key(SimWorld::trading());
  const int64_t id1 = add(k1).account.id, id2 = add(k2).account.id;
  w.run_jobs();
  const int64_t id3 = add(k3).account.id;  // still testing: not opened ahead
  const store::Account a1 = get(id1).account, a2 = get(id2).account, a3 = get(id3).account;
  ASSERT_EQ(a1.status, store::AccountStatus::Enabled);
  ASSERT_EQ(a2.status, store::AccountStatus::Enabled);
  ASSERT_EQ(a3.status, store::AccountStatus::Testing);
  auto alone = w.service->trading_signer(a1);  // kept: not opened again
  ASSERT_TRUE(alone);
  EXPECT_EQ(w.service->open_trading_signers({a1, a2, a3, a2}), 1u);
  EXPECT_EQ(w.service->open_trading_signers({a1, a2}), 0u);  // both kept now
  // Opened in that read: the next asks need no secrets from the store.
  ASSERT_TRUE(w.store->delete_secrets(id2));
  auto kept1 = w.service->trading_signer(a1);
  auto kept2 = w.service->trading_signer(a2);
  ASSERT_TRUE(kept1 && kept2);
  EXPECT_EQ(kept1->get(), alone->get());
  EXPECT_EQ((*kept2)->api_key(), k2.key);
  auto fresh2 = crypto::LocalSigner(k2.key, crypto::Secret(k2.secret));
  EXPECT_EQ((*kept2)->hmac(crypto::HmacAlgo::Sha256, crypto::SecretForm::Raw, "m"),
            fresh2.hmac(crypto::HmacAlgo::Sha256, crypto::SecretForm::Raw, "m"));
  ASSERT_TRUE(w.store->delete_secrets(id3));
  EXPECT_FALSE(w.service->trading_signer(a3));  // testing: not opened ahead, made afresh from its secrets each time
}

TEST_P(AccountServiceOnSim, ARecheckTurnsARevokedKeyInvalidAndNotifies) {
  auto k = w.sim.key(SimWorld::trading());
  int64_t id = add(k).account.id;
  w.run_jobs();
  ASSERT_EQ(get(id).account.status, store::AccountStatus::Enabled);
  // Before its time nothing runs; after it, a read-only call finds the key still good.
  EXPECT_EQ(w.run_jobs(), 0u);
  w.sim.harness.clock.advance_ms(6 * 3600 * 1000 + 1);
  size_t orders_before = w.sim.exchange.orders(k.key).size();
  EXPECT_EQ(w.run_jobs(), 1u);
  EXPECT_EQ(get(id).account.status, store::AccountStatus::Enabled);
  EXPECT_EQ(w.sim.exchange.orders(k.key).size(), orders_before);  // no order: read-only
  // The user deletes the key at the exchange.
  ASSERT_TRUE(w.sim.exchange.delete_key(k.key));
  w.sim.harness.clock.advance_ms(6 * 3600 * 1000 + 1);
  EXPECT_EQ(w.run_jobs(), 1u);
  AccountView v = get(id);
  EXPECT_EQ(v.account.status, store::AccountStatus::Invalid);
  EXPECT_NE(v.account.reason.find("now rejects"), std::string::npos) << v.account.reason;
  auto types = event_types(w, id);
  EXPECT_EQ(types.back(), "account.invalid");
  // No further re-checks of an invalid account.
  w.sim.harness.clock.advance_ms(7 * 3600 * 1000);
  EXPECT_EQ(w.run_jobs(), 0u);
}

TEST_P(AccountServiceOnSim, ARecheckDuringAnOutageTriesAgainLater) {
  auto k = w.sim.key(SimWorld::trading());
  int64_t id = add(k).account.id;
  w.run_jobs();
  w.sim.harness.clock.advance_ms(6 * 3600 * 1000 + 1);
  w.sim.exchange.add_fault({GetParam(), endpoint_of(GetParam(), "balance"), "http_500", 10});
  EXPECT_EQ(w.run_jobs(), 1u);
  EXPECT_EQ(get(id).account.status, store::AccountStatus::Enabled);  // not the key's fault
  w.sim.exchange.clear_faults();
  w.sim.harness.clock.advance_ms(5 * 60 * 1000 + 1);
  EXPECT_EQ(w.run_jobs(), 1u);
}

TEST_P(AccountServiceOnSim, ACancelThatKeepsFailingIsReportedAndDoneLaterInTheBackground) {
  auto k = w.sim.key(SimWorld::trading());
  int64_t id = add(k).account.id;
  // Once the test order is placed, every cancel fails until the fault is cleared.
  auto sub = w.bus.subscribe(alice, [&](const AccountEvent& e) {
    const auto* s = std::get_if<KeyTestStepped>(&e.what);
    if (s && s->step.name == StepName::TestOrder && s->step.state == store::StepState::Ok)
      w.sim.exchange.add_fault({GetParam(), endpoint_of(GetParam(), "cancel"), "http_500", 1000});
  });
  w.run_jobs();
  sub.reset();
  AccountView v = get(id);
  nlohmann::json j = to_json(v);
  ASSERT_EQ(v.account.status, store::AccountStatus::Enabled) << v.account.reason;
  ASSERT_TRUE(j["order_to_cancel_by_hand"].is_object()) << j.dump();
  std::string order_id = j["order_to_cancel_by_hand"]["order_id"];
  EXPECT_FALSE(order_id.empty());
  ASSERT_EQ(w.sim.exchange.open_orders(k.key).size(), 1u);
  // Still failing: the background job tries and waits longer.
  w.sim.harness.clock.advance_ms(31'000);
  EXPECT_EQ(w.run_jobs(), 1u);
  EXPECT_EQ(w.sim.exchange.open_orders(k.key).size(), 1u);
  w.sim.exchange.clear_faults();
  w.sim.harness.clock.advance_ms(120'000);
  EXPECT_EQ(w.run_jobs(), 1u);
  EXPECT_TRUE(w.sim.exchange.open_orders(k.key).empty());
  nlohmann::json after = to_json(get(id));
  EXPECT_TRUE(after["order_to_cancel_by_hand"].is_null()) << after.dump();
  auto audit = *w.service->audit(alice, 10);
  EXPECT_EQ(audit[0].action, "test_order.cancelled");
}

TEST_P(AccountServiceOnSim, ATestCutShortByACrashRunsAgainAfterItsLease) {
  auto k = w.sim.key(SimWorld::trading());
  int64_t id = add(k).account.id;
  // A process claims the test and dies before finishing it.
  auto claimed = w.store->claim_job(kKeyTestJob, "dead-worker", 60'000);
  ASSERT_TRUE(claimed && claimed->has_value());
  EXPECT_EQ(w.run_jobs(), 0u);  // still leased
  w.sim.harness.clock.advance_ms(60'001);
  EXPECT_EQ(w.run_jobs(), 1u);
  EXPECT_EQ(get(id).account.status, store::AccountStatus::Enabled);
  EXPECT_TRUE(w.sim.exchange.open_orders(k.key).empty());
}

TEST_P(AccountServiceOnSim, StartTakesOverTheTestsOfAWorkerThatIsGone) {
  AccountServiceOptions o;
  o.worker_is_gone = [](std::string_view w) { return w == "crashed"; };
  ServiceWorld w2(GetParam(), o);
  int64_t dave = w2.user("dave@example.com");
  auto k = w2.sim.key(SimWorld::trading());
  auto added = w2.service->add({dave, ""}, {std::nullopt, GetParam(), k.key, crypto::Secret(k.secret)});
  ASSERT_TRUE(added);
  ASSERT_TRUE(w2.store->claim_job(kKeyTestJob, "crashed", 300'000)->has_value());
  EXPECT_EQ(w2.run_jobs(), 0u);  // held by the dead worker's lease
  w2.service->start();           // hands it back; the poll loop runs it at once
  w2.io.restart();
  w2.io.run_for(std::chrono::milliseconds(300));
  w2.service->stop();
  w2.io.run();
  EXPECT_EQ(w2.service->get(dave, added->account.id)->account.status, store::AccountStatus::Enabled);
}

TEST_P(AccountServiceOnSim, AnOrderLeftOpenByACrashedTestIsCancelledWhenTheTestRunsAgain) {
  auto k = w.sim.key(SimWorld::trading());
  int64_t id = add(k).account.id;
  // The crashed run: it recorded its order, placed it, and died before the cancel.
  auto markets = tb::test::run(w.sim.venue->markets());
  ASSERT_TRUE(markets);
  const Market* btc = nullptr;
  for (const auto& m : *markets)
    if (m.base == "BTC" && is_usd_stablecoin(m.quote)) btc = &m;
  ASSERT_NE(btc, nullptr);
  auto ticker = tb::test::run(w.sim.venue->ticker(btc->id));
  ASSERT_TRUE(ticker);
  auto planned = plan_test_order(*btc, ticker->last, make_client_order_id(GetParam(), 4242));
  ASSERT_TRUE(planned) << planned.error().describe();
  auto crashed = w.store->start_key_test(id);
  ASSERT_TRUE(crashed);
  orders::OrderJournal journal(*w.store, w.sim.harness.clock, id, GetParam(), "key_test");
  ASSERT_TRUE(journal.intend(*planned, w.sim.harness.clock.now_ms() + 60'000));
  crypto::LocalSigner signer = test::signer_for(k);
  ASSERT_TRUE(tb::test::run(w.sim.venue->create_order(signer, *planned)));
  ASSERT_EQ(w.sim.exchange.open_orders(k.key).size(), 1u);

  w.run_jobs();  // the restarted test
  EXPECT_TRUE(w.sim.exchange.open_orders(k.key).empty());
  EXPECT_EQ(get(id).account.status, store::AccountStatus::Enabled);
  auto old = *w.store->find_key_test(crashed->id);
  EXPECT_EQ(old->outcome, "interrupted");
  auto audit = *w.service->audit(alice, 10);
  EXPECT_TRUE(std::any_of(audit.begin(), audit.end(), [](const auto& e) { return e.action == "test_order.cancelled"; }));
}

TEST_P(AccountServiceOnSim, NoMoreTestsRunAtOnceThanTheCapTheRestWaitInTheStore) {
  AccountServiceOptions o;
  o.max_running_jobs = 2;
  ServiceWorld w2(GetParam(), o);
  int64_t erin = w2.user("erin@example.com");
  std::vector<int64_t> ids;
  for (int i = 0; i < 5; ++i) {
    auto k = w2.sim.key(SimWorld::trading());
    ids.push_back(w2.service->add({erin, ""}, {std::nullopt, GetParam(), k.key, crypto::Secret(k.secret)})->account.id);
  }
  EXPECT_EQ(w2.run_jobs(), 2u);
  EXPECT_EQ(w2.run_jobs(), 2u);
  EXPECT_EQ(w2.run_jobs(), 1u);
  for (int64_t id : ids) EXPECT_EQ(w2.service->get(erin, id)->account.status, store::AccountStatus::Enabled);
}

TEST_P(AccountServiceOnSim, DeletingDuringTheTestRecordsNothingAndLeavesNoOrder) {
  auto k = w.sim.key(SimWorld::trading());
  int64_t id = add(k).account.id;
  auto sub = w.bus.subscribe(alice, [&](const AccountEvent& e) {
    const auto* s = std::get_if<KeyTestStepped>(&e.what);
    if (s && s->step.name == StepName::TestOrder && s->step.state == store::StepState::Running) (void)w.service->remove(as_alice, id);
  });
  w.run_jobs();
  EXPECT_FALSE(w.store->find_account(id)->has_value());
  EXPECT_TRUE(w.sim.exchange.open_orders(k.key).empty());  // the test still cancelled its own order
}

std::string create_endpoint(const std::string& venue) {
  return venue == "kraken" ? "AddOrder" : venue == "bitfinex" ? "auth/w/order/submit" : "order";
}
std::string query_endpoint(const std::string& venue) {
  return venue == "kraken" ? "OpenOrders" : venue == "bitfinex" ? "auth/r/orders" : "order";
}

// Issue 15's first case: the create answer and the first query both unreadable. The order must not be
// forgotten: it stays in the ledger, the account says so, and it is cancelled once the venue answers.
TEST_P(AccountServiceOnSim, AnOrderInDoubtIsNeverForgottenAndIsCancelledOnceTheVenueAnswers) {
  auto k = w.sim.key(SimWorld::trading());
  w.sim.exchange.add_fault({GetParam(), create_endpoint(GetParam()), "bad_json", 1});
  w.sim.exchange.add_fault({GetParam(), query_endpoint(GetParam()), "bad_json", 1});
  int64_t id = add(k).account.id;
  w.run_jobs();
  AccountView v = get(id);
  // Not the key's fault: still testing, the step says what it waits for.
  EXPECT_EQ(v.account.status, store::AccountStatus::Testing) << v.account.reason;
  ASSERT_TRUE(v.last_test);
  EXPECT_EQ(v.last_test->outcome, "deferred");
  EXPECT_TRUE(std::any_of(v.last_test->steps.begin(), v.last_test->steps.end(),
                          [](const store::KeyTestStep& s) { return s.state == StepState::Waiting; }));
  ASSERT_EQ(w.sim.exchange.open_orders(k.key).size(), 1u);  // the venue holds it
  ASSERT_EQ(v.unsettled_orders.size(), 1u);
  const std::string cid = w.sim.exchange.open_orders(k.key)[0].client_order_id;
  EXPECT_EQ(v.unsettled_orders[0].client_order_id, cid);
  nlohmann::json j = to_json(v);
  ASSERT_FALSE(j["warnings"].empty()) << j.dump();
  std::string warning = j["warnings"][0];
  EXPECT_NE(warning.find("may still be open"), std::string::npos) << warning;
  EXPECT_NE(warning.find(cid), std::string::npos) << warning;
  EXPECT_NE(warning.find(v.unsettled_orders[0].symbol), std::string::npos) << warning;
  EXPECT_NE(warning.find(std::string(j["exchange_name"])), std::string::npos) << warning;
  EXPECT_EQ(j["pending_orders"].size(), 1u);

  // The venue answers again: the order is found by its client id and cancelled, and the key is tested.
  w.sim.harness.clock.advance_ms(5'001);
  w.run_jobs();
  EXPECT_TRUE(w.sim.exchange.open_orders(k.key).empty());
  v = get(id);
  EXPECT_EQ(v.account.status, store::AccountStatus::Enabled) << v.account.reason;
  EXPECT_TRUE(v.unsettled_orders.empty());
  j = to_json(v);
  for (const auto& line : j["warnings"]) EXPECT_EQ(std::string(line).find("may still be open"), std::string::npos) << line;
  EXPECT_TRUE(j["order_to_cancel_by_hand"].is_null());
  EXPECT_EQ(w.sim.exchange.orders(k.key).size(), 2u);  // one order per test run, none sent twice
  auto audit = *w.service->audit(alice, 20);
  EXPECT_TRUE(std::any_of(audit.begin(), audit.end(), [](const auto& e) { return e.action == "test_order.cancelled"; }));
  // Nothing is left for the background: every settle job found its order settled.
  w.sim.harness.clock.advance_ms(3'600'000);
  w.run_jobs();
  EXPECT_TRUE(w.store->unsettled_orders(id)->empty());
}

// The order is written down, with the job that settles it, before it is sent: when either write fails,
// no order reaches the venue; the test waits for the store and then places exactly one order.
TEST_P(AccountServiceOnSim, NoOrderIsSentWhenItsIntentOrItsSettleJobCannotBeWritten) {
  for (const char* write : {"record_order", "enqueue_job"}) {
    SCOPED_TRACE(write);
    auto k = w.sim.key(SimWorld::trading());
    int64_t id = add(k).account.id;
    w.faulty->fail(write);
    w.run_jobs();
    EXPECT_TRUE(w.sim.exchange.orders(k.key).empty());
    EXPECT_TRUE(w.store->unsettled_orders(id)->empty());
    AccountView v = get(id);
    EXPECT_EQ(v.account.status, store::AccountStatus::Testing) << v.account.reason;
    ASSERT_TRUE(v.last_test);
    EXPECT_TRUE(std::any_of(v.last_test->steps.begin(), v.last_test->steps.end(), [](const store::KeyTestStep& s) {
      return s.message.find("could not write the test order down") != std::string::npos;
    }));

    w.faulty->heal();
    w.sim.harness.clock.advance_ms(10 * 60 * 1000);
    w.run_jobs();
    v = get(id);
    EXPECT_EQ(v.account.status, store::AccountStatus::Enabled) << v.account.reason;
    EXPECT_EQ(w.sim.exchange.orders(k.key).size(), 1u);
    EXPECT_TRUE(w.sim.exchange.open_orders(k.key).empty());
  }
}

TEST_P(AccountServiceOnSim, TheExchangesTroubleDefersTheTestAndAGoodKeyEndsEnabled) {
  auto k = w.sim.key(SimWorld::trading());
  w.sim.exchange.add_fault({GetParam(), "*", "maintenance", 1000});
  int64_t id = add(k).account.id;
  w.run_jobs();
  AccountView v = get(id);
  EXPECT_EQ(v.account.status, store::AccountStatus::Testing);
  EXPECT_EQ(v.last_test->outcome, "deferred");
  EXPECT_EQ(to_string(v.last_test->reason), "exchange_unavailable");
  EXPECT_TRUE(v.last_test->retry_at_ms.has_value());
  // The next try waits its backoff.
  w.sim.harness.clock.advance_ms(1'000);
  EXPECT_EQ(w.run_jobs(), 0u);
  w.sim.exchange.clear_faults();
  w.sim.harness.clock.advance_ms(4'001);
  EXPECT_EQ(w.run_jobs(), 1u);
  EXPECT_EQ(get(id).account.status, store::AccountStatus::Enabled);
  EXPECT_TRUE(w.sim.exchange.open_orders(k.key).empty());
}

TEST_P(AccountServiceOnSim, AfterTheRetryWindowTheAccountIsUnverifiedAndTestedAgainLater) {
  AccountServiceOptions o;
  o.retry_window = std::chrono::seconds(60);
  o.unverified_retest = std::chrono::minutes(10);
  ServiceWorld w2(GetParam(), o);
  int64_t dave = w2.user("dave@example.com");
  auto k = w2.sim.key(SimWorld::trading());
  w2.sim.exchange.add_fault({GetParam(), "*", "http_500", 100000});
  int64_t id = w2.service->add({dave, ""}, {std::nullopt, GetParam(), k.key, crypto::Secret(k.secret)})->account.id;
  int runs = 0;
  while (w2.service->get(dave, id)->account.status == store::AccountStatus::Testing && runs < 50) {
    w2.run_jobs();
    w2.sim.harness.clock.advance_ms(5'000);
    ++runs;
  }
  AccountView v = *w2.service->get(dave, id);
  ASSERT_EQ(v.account.status, store::AccountStatus::Unverified) << v.account.reason;
  EXPECT_GT(runs, 3);  // several tries with backoff first
  EXPECT_NE(v.account.reason.find("Re-test"), std::string::npos) << v.account.reason;
  EXPECT_EQ(to_json(v)["status"], "unverified");
  EXPECT_FALSE(w2.store->get_secrets(id)->empty());  // not judged: the key is kept
  auto audit = *w2.service->audit(dave, 10);
  EXPECT_TRUE(std::any_of(audit.begin(), audit.end(), [](const auto& e) { return e.action == "key.unverified"; }));
  // The exchange recovers; the periodic test enables the key by itself.
  w2.sim.exchange.clear_faults();
  w2.sim.harness.clock.advance_ms(10 * 60'000);
  w2.run_jobs();
  EXPECT_EQ(w2.service->get(dave, id)->account.status, store::AccountStatus::Enabled);
}

TEST_P(AccountServiceOnSim, ARetryCutShortByACrashRunsAgainToTheEnd) {
  auto k = w.sim.key(SimWorld::trading());
  w.sim.exchange.add_fault({GetParam(), "*", "maintenance", 1000});
  int64_t id = add(k).account.id;
  w.run_jobs();
  ASSERT_EQ(get(id).last_test->outcome, "deferred");
  w.sim.exchange.clear_faults();
  w.sim.harness.clock.advance_ms(5'001);
  // A process takes the retry, starts its test and dies.
  auto claimed = w.store->claim_job(kKeyTestJob, "dead-worker", 60'000);
  ASSERT_TRUE(claimed && claimed->has_value());
  ASSERT_TRUE(w.store->start_key_test(id));
  w.sim.harness.clock.advance_ms(60'001);
  EXPECT_EQ(w.run_jobs(), 1u);
  AccountView v = get(id);
  EXPECT_EQ(v.account.status, store::AccountStatus::Enabled) << v.account.reason;
  EXPECT_EQ(w.sim.exchange.orders(k.key).size(), 1u);
}

TEST_P(AccountServiceOnSim, NewKeysDuringTheWaitVoidTheScheduledRetry) {
  auto k = w.sim.key(SimWorld::trading());
  w.sim.exchange.add_fault({GetParam(), "*", "maintenance", 1000});
  int64_t id = add(k).account.id;
  w.run_jobs();
  w.sim.exchange.clear_faults();
  // The test goes on by itself: a Re-test meanwhile is refused, new keys start a test of their own.
  auto again = w.service->check(as_alice, id);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().kind, ErrorKind::Conflict);
  auto k2 = w.sim.key(SimWorld::trading());
  ASSERT_TRUE(w.service->replace_keys(as_alice, id, k2.key, crypto::Secret(k2.secret)));
  w.run_jobs();
  EXPECT_EQ(get(id).account.status, store::AccountStatus::Enabled);
  w.sim.harness.clock.advance_ms(10 * 60'000);
  w.run_jobs();  // the retry scheduled for the old keys finds itself superseded: no further order
  EXPECT_EQ(w.sim.exchange.orders(k2.key).size(), 1u);
  EXPECT_TRUE(w.sim.exchange.orders(k.key).empty());
}

TEST_P(AccountServiceOnSim, PerUserCapsOnAccountsAndKeyTestsAnswerWithTheWait) {
  AccountServiceOptions o;
  o.max_accounts_per_user = 3;
  o.key_tests_per_hour = 4;
  ServiceWorld w2(GetParam(), o);
  int64_t fay = w2.user("fay@example.com");
  std::vector<int64_t> ids;
  for (int i = 0; i < 3; ++i) {
    auto k = w2.sim.key(SimWorld::trading());
    auto added = w2.service->add({fay, ""}, {std::nullopt, GetParam(), k.key, crypto::Secret(k.secret)});
    ASSERT_TRUE(added) << added.error().describe();
    ids.push_back(added->account.id);
  }
  auto k = w2.sim.key(SimWorld::trading());
  auto fourth = w2.service->add({fay, ""}, {std::nullopt, GetParam(), k.key, crypto::Secret(k.secret)});
  ASSERT_FALSE(fourth);
  EXPECT_EQ(fourth.error().kind, ErrorKind::RateLimited);
  EXPECT_NE(fourth.error().message.find("at most 3 exchange accounts"), std::string::npos) << fourth.error().message;
  EXPECT_EQ(w2.store->list_accounts(fay)->size(), 3u);  // nothing written
  w2.run_jobs();
  // Three tests this hour: one re-test more is allowed, the next is not, and says how long to wait.
  w2.sim.harness.clock.advance_ms(10 * 60'000);
  ASSERT_TRUE(w2.service->check({fay, ""}, ids[0]));
  w2.run_jobs();
  auto fifth = w2.service->check({fay, ""}, ids[1]);
  ASSERT_FALSE(fifth);
  EXPECT_EQ(fifth.error().kind, ErrorKind::RateLimited);
  ASSERT_TRUE(fifth.error().retry_after);
  EXPECT_EQ(fifth.error().retry_after->count(), 50 * 60'000);  // when the oldest of the four leaves the hour
  EXPECT_FALSE(w2.service->replace_keys({fay, ""}, ids[1], k.key, crypto::Secret(k.secret)));
  // Another user is not affected; an hour later the user may test again.
  int64_t gus = w2.user("gus@example.com");
  EXPECT_TRUE(w2.service->add({gus, ""}, {std::nullopt, GetParam(), k.key, crypto::Secret(k.secret)}));
  w2.sim.harness.clock.advance_ms(50 * 60'000 + 1);
  EXPECT_TRUE(w2.service->check({fay, ""}, ids[1]));
}

INSTANTIATE_TEST_SUITE_P(Venues, AccountServiceOnSim, ::testing::Values("binance_futures", "kraken", "bitfinex"),
                         [](const auto& info) { return info.param; });

TEST(AccountView, MasksKeysAndWritesIsoTimes) {
  EXPECT_EQ(mask_key("vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A"), "vmPU\u2026Eh8A");
  EXPECT_EQ(mask_key("abcdefgh"), "ab\u2026gh");
  EXPECT_EQ(iso_time(1'700'000'000'123), "2023-11-14T22:13:20.123Z");
}

}  // namespace
}  // namespace tb::accounts
