#pragma once
// One venue of the real simulator in-process (accounts/sim_world.hpp), a real SQLite store, one user with
// an enabled account on a key of the simulator, a signal robot and a started user robot following it, and
// the trading desk over them. Signals are appended as the runner or the webhook would.
#include <map>
#include <sstream>

#include "accounts/sim_world.hpp"
#include "store/temp_db.hpp"
#include "trading/desk.hpp"

namespace tb::trading::test {

using accounts::test::SimWorld;
using store::dec;

struct DeskWorld {
  explicit DeskWorld(const std::string& venue, store::VolumeType type = store::VolumeType::QuoteFixed, const char* volume = "150")
      : w(venue) {
    key = w.key(SimWorld::trading());
    if (auto st = w.exchange.set_price(venue, symbol(), dec("50000")); !st) throw std::runtime_error(st.error().describe());
    store = store::open_store(db.path(), w.harness.clock);
    user = store->create_user("ann@example.com", "h")->id;
    store::Account a;
    a.user_id = user;
    a.name = "main";
    a.venue = venue;
    a.masked_key = "abcd…wxyz";
    a.status = store::AccountStatus::Enabled;
    account = store->create_account(a, {})->id;
    store::Robot r;
    r.name = "signals";
    r.strategy = "signal";
    r.kind = "signal";
    r.venue = venue;
    r.symbol = symbol();
    r.owner_id = user;
    robot = store->create_robot(r)->id;
    store::UserRobot u;
    u.user_id = user;
    u.robot_id = robot;
    u.account_id = account;
    u.volume_type = type;
    u.volume = dec(volume);
    u.status = store::UserRobotStatus::Started;
    user_robot = store->create_user_robot(u)->id;
    desk = make_desk();
  }

  // One more started user robot of the same user and robot, on an account and key of its own.
  struct Follower {
    int64_t user_robot = 0;
    exsim::ApiKey key;
  };
  Follower add_follower() {
    Follower f{0, w.key(SimWorld::trading())};
    store::Account a = *store->find_account(account).value();
    a.id = 0;
    a.name = "extra " + std::to_string(extra_keys.size());
    const int64_t id = store->create_account(a, {})->id;
    extra_keys.emplace(id, f.key);
    store::UserRobot u = *store->find_user_robot(user_robot).value();
    u.id = 0;
    u.account_id = id;
    u.handled_seq = 0;
    f.user_robot = store->create_user_robot(u)->id;
    return f;
  }

  std::unique_ptr<TradingDesk> make_desk(store::Store* on = nullptr, DeskOptions o = {}) {
    return std::make_unique<TradingDesk>(
        on ? *on : *store, [this](std::string_view) { return w.venue.get(); },
        [this](const store::Account& a) -> Result<std::shared_ptr<crypto::Signer>> {
          auto extra = extra_keys.find(a.id);
          const exsim::ApiKey& k = extra == extra_keys.end() ? key : extra->second;
          return std::shared_ptr<crypto::Signer>(std::make_unique<crypto::LocalSigner>(k.key, crypto::Secret(k.secret)));
        },
        w.harness.clock, o, log);
  }

  std::string symbol() const { return w.venue_id == "kraken" ? "XXBTZUSD" : w.venue_id == "bitfinex" ? "tBTCUSD" : "BTCUSDT"; }

  void signal(store::SignalAction action, std::optional<Decimal> price = std::nullopt) {
    store::RobotSignal s{robot, ++seq, action, store::SignalOrder::Market, price, 0, 0};
    auto st = store->append_signal(s);
    if (!st) throw std::runtime_error(st.error().describe());
  }
  int64_t pass(TradingDesk* d = nullptr) { return tb::test::run((d ? d : desk.get())->run_once()); }

  std::vector<exsim::SimOrder> venue_orders() const { return w.exchange.orders(key.key); }
  store::UserRobot ur() const { return store->find_user_robot(user_robot)->value(); }
  std::vector<store::OrderRecord> orders() const { return *store->robot_orders(user_robot, 100); }
  std::optional<store::RobotPosition> open() const { return *store->open_position(user_robot); }

  SimWorld w;
  exsim::ApiKey key;
  std::map<int64_t, exsim::ApiKey> extra_keys;  // by account: add_follower()'s
  store::TempDb db;
  std::unique_ptr<store::SqliteStore> store;
  int64_t user = 0, account = 0, robot = 0, user_robot = 0, seq = 0;
  std::ostringstream log;
  std::unique_ptr<TradingDesk> desk;
};

}  // namespace tb::trading::test
