// Seeds a data directory for bench/robots_fanout.mjs: the operator's signal robot, USERS users sharing the
// simulator keys of KEYS_FILE as enabled Binance USD-M accounts (sealed under the data directory's master
// key, as an added key is), and one started user robot per account following the robot at a quote_fixed
// volume. Adding 10,000 keys through the API would run 10,000 key tests from one IP, which the venue's
// weight limit (2,400 a minute) spreads over hours; the fan-out, not the key test, is what is measured.
//
// Usage: fanout_seed DATA_DIR KEYS_FILE USERS QUOTE_VOLUME
//   KEYS_FILE: one "key secret" pair a line. Prints {"robot_id":N,"signal_token":"...","user_robots":[ids in
//   the keys' order]} on stdout.
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "accounts/sealed_rows.hpp"
#include "app/data_dir.hpp"
#include "trading/user_robots.hpp"
#include "vault/credentials.hpp"

namespace {

using namespace tb;

struct Pair {
  std::string key, secret;
};

Status seed_user(store::Store& s, const vault::Vault& v, int u, const std::vector<Pair>& pairs, int64_t robot, const Decimal& volume,
                 std::vector<int64_t>& made_ids) {
  auto user = s.create_user("fanout" + std::to_string(u) + "@example.com", "not-a-password-hash");
  if (!user) return user.error();
  for (size_t i = 0; i < pairs.size(); ++i) {
    store::Account a;
    a.user_id = user->id;
    a.name = "key " + std::to_string(i + 1);
    a.venue = "binance_futures";
    a.masked_key = pairs[i].key.substr(0, 4) + "…";
    a.status = store::AccountStatus::Enabled;
    auto made = s.create_account(a, {});
    if (!made) return made.error();
    vault::PlainCredentials plain{crypto::Secret(pairs[i].key), crypto::Secret(pairs[i].secret), std::nullopt};
    auto sealed = vault::seal_credentials(v, {made->user_id, made->id, made->venue}, plain);
    if (!sealed) return sealed.error();
    if (auto st = s.replace_secrets(made->id, accounts::to_rows(made->id, *sealed)); !st) return st;
    store::UserRobot ur;
    ur.user_id = user->id;
    ur.robot_id = robot;
    ur.account_id = made->id;
    ur.volume_type = store::VolumeType::QuoteFixed;
    ur.volume = volume;
    ur.status = store::UserRobotStatus::Started;
    auto r = s.create_user_robot(ur);
    if (!r) return r.error();
    made_ids.push_back(r->id);
  }
  return ok_status();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 5) {
    std::cerr << "usage: fanout_seed DATA_DIR KEYS_FILE USERS QUOTE_VOLUME\n";
    return 2;
  }
  std::vector<Pair> pairs;
  std::ifstream in(argv[2]);
  for (Pair p; in >> p.key >> p.secret;) pairs.push_back(p);
  const int users = std::stoi(argv[3]);
  auto volume = Decimal::parse(argv[4]);
  if (pairs.empty() || users <= 0 || !volume) {
    std::cerr << "fanout_seed: no keys, no users or a volume that is not a decimal\n";
    return 2;
  }
  auto d = app::open_data_dir(argv[1], "", "", true, SystemClock::instance());
  if (!d) {
    std::cerr << "fanout_seed: " << d.error().message << "\n";
    return 1;
  }
  trading::UserRobotService service(*d->store, SystemClock::instance());
  auto robot = service.create_signal_robot(std::nullopt, "fanout", "binance_futures", "BTCUSDT");
  if (!robot) {
    std::cerr << "fanout_seed: " << robot.error().message << "\n";
    return 1;
  }
  const size_t per_user = (pairs.size() + users - 1) / users;
  std::vector<int64_t> user_robots;  // in the keys' order
  for (int u = 0; u < users && static_cast<size_t>(u) * per_user < pairs.size(); ++u) {
    auto first = pairs.begin() + static_cast<std::ptrdiff_t>(u * per_user);
    std::vector<Pair> mine(first, first + static_cast<std::ptrdiff_t>(std::min(per_user, pairs.size() - u * per_user)));
    Status st = d->store->with_transaction(
        [&](store::Store& s) { return seed_user(s, *d->vault, u, mine, robot->robot.id, *volume, user_robots); });
    if (!st) {
      std::cerr << "fanout_seed: user " << u << ": " << st.error().message << "\n";
      return 1;
    }
  }
  std::cout << nlohmann::json{{"robot_id", robot->robot.id}, {"signal_token", robot->token}, {"user_robots", user_robots}}.dump() << "\n";
  return 0;
}
