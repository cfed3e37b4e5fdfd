#pragma once
// AccountService over the real pieces: a SQLite store in a scratch directory (behind a FaultyStore that
// fails on demand), a vault with a fixed master key, the venue's connector wired to the in-process
// simulator (SimWorld). Jobs run on a local io_context until none is left; the manual clock jumps over
// every wait.
#include <utility>

#include <boost/asio/io_context.hpp>

#include "accounts/account_service.hpp"
#include "accounts/sim_world.hpp"
#include "store/faulty_store.hpp"
#include "store/sqlite_store.hpp"
#include "store/temp_db.hpp"
#include "vault/vault_test_util.hpp"

namespace tb::accounts::test {

struct ServiceWorld {
  explicit ServiceWorld(std::string venue_id) : ServiceWorld(std::move(venue_id), nullptr) {}
  ServiceWorld(std::string venue_id, const AccountServiceOptions& o) : ServiceWorld(std::move(venue_id), &o) {}
  ServiceWorld(std::string venue_id, const AccountServiceOptions* given) : sim(std::move(venue_id)) {
    AccountServiceOptions options;
    if (given) options = *given;
    venues::VenueConfig config;
    config.base_url = "http://127.0.0.1:8081";
    venues[sim.venue_id] = venues::make_venue(sim.venue_id, sim.harness.context(), config);
    store = store::open_store(db.path(), sim.harness.clock);
    faulty = std::make_unique<store::FaultyStore>(*store);
    vault = std::make_shared<vault::Vault>(vault::test::ring_of("1:" + vault::test::kHexKey1));
    options.key_test.egress_ip = "203.0.113.7";
    service =
        std::make_unique<AccountService>(*faulty, vault, venues, sim.harness.clock, sim.harness.sleeper, bus, io.get_executor(), options);
    all_events = bus.subscribe(EventBus::kAllUsers, [this](const AccountEvent& e) { events.push_back(e); });
  }

  int64_t user(const std::string& email) {
    auto u = store->create_user(email, "$argon2id$not-a-real-hash");
    if (!u) throw std::runtime_error(u.error().describe());
    return u->id;
  }

  // Starts every due job and runs the io_context until all of them (and what they spawned) are done.
  size_t run_jobs() {
    size_t n = service->run_due_jobs();
    io.restart();
    io.run();
    return n;
  }

  SimWorld sim;
  store::TempDb db;
  std::unique_ptr<store::SqliteStore> store;
  std::unique_ptr<store::FaultyStore> faulty;  // what the service writes through: fails on demand
  std::shared_ptr<vault::Vault> vault;
  Venues venues;
  EventBus bus;
  boost::asio::io_context io;
  std::unique_ptr<AccountService> service;
  std::vector<AccountEvent> events;
  EventBus::Subscription all_events;
};

}  // namespace tb::accounts::test
