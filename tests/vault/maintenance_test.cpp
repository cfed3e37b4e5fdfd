#include "vault/maintenance.hpp"

#include <gtest/gtest.h>

#include <thread>

#include "vault_test_util.hpp"

namespace tb::vault {
namespace {

std::vector<StoredAccount> three_accounts(const Vault& vault) {
  std::vector<StoredAccount> rows;
  for (int64_t id = 1; id <= 3; ++id) {
    AccountRef account{100 + id, id, id == 2 ? "kraken" : "bitfinex"};
    PlainCredentials plain{crypto::Secret("key-" + std::to_string(id)), crypto::Secret("secret-" + std::to_string(id)), std::nullopt};
    rows.push_back({account, *seal_credentials(vault, account, plain)});
  }
  return rows;
}

TEST(Maintenance, VerifyFindsTheBrokenRowAndCountsOutdatedOnes) {
  Vault v1(test::ring_of("1:" + test::kHexKey1));
  auto rows = three_accounts(v1);
  auto clean = verify_all(v1, rows);
  EXPECT_EQ(clean.checked, 3u);
  EXPECT_EQ(clean.outdated, 0u);
  EXPECT_TRUE(clean.all_ok());

  rows[1].sealed.secret = rows[0].sealed.secret;  // a ciphertext copied to another account row
  Vault both(test::ring_of("1:" + test::kHexKey1 + "\n2:" + test::kHexKey2));
  auto report = verify_all(both, rows);
  EXPECT_EQ(report.checked, 3u);
  EXPECT_EQ(report.outdated, 2u);
  ASSERT_EQ(report.problems.size(), 1u);
  EXPECT_EQ(report.problems[0].account.account_id, 2);
  EXPECT_NE(report.problems[0].reason.find("field 'secret' of account 2"), std::string::npos) << report.problems[0].reason;
  EXPECT_EQ(report.problems[0].reason.find("secret-1"), std::string::npos);
}

TEST(Maintenance, RotationRewrapsOnceAndSkipsWhatIsDoneOnTheNextRun) {
  Vault v1(test::ring_of("1:" + test::kHexKey1));
  auto rows = three_accounts(v1);
  rows[2].sealed.api_key.ciphertext[0] ^= 1;  // damaged: reported, left alone
  Vault both(test::ring_of("1:" + test::kHexKey1 + "\n2:" + test::kHexKey2));
  auto first = rewrap_all(both, rows, 2);
  ASSERT_EQ(first.rewrapped.size(), 2u);
  EXPECT_EQ(first.already_current, 0u);
  ASSERT_EQ(first.problems.size(), 1u);
  EXPECT_EQ(first.problems[0].account.account_id, 3);

  // Write back the first one only (as if the process died), then run again.
  rows[0] = first.rewrapped[0];
  auto second = rewrap_all(both, rows, 2);
  EXPECT_EQ(second.already_current, 1u);
  EXPECT_EQ(second.rewrapped.size(), 1u);
  rows[1] = second.rewrapped[0];

  Vault v2(test::ring_of("2:" + test::kHexKey2));
  for (int i = 0; i < 2; ++i) {
    auto opened = open_credentials(v2, rows[i].account, rows[i].sealed);
    ASSERT_TRUE(opened) << opened.error().message;
    EXPECT_EQ(opened->secret.reveal(), "secret-" + std::to_string(i + 1));
  }
}

TEST(Maintenance, OneVaultServesManyThreads) {
  auto vault = std::make_shared<const Vault>(test::ring_of("1:" + test::kHexKey1));
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        AccountRef account{t, i, "kraken"};
        const std::string secret = "s-" + std::to_string(t) + "-" + std::to_string(i);
        auto sealed = seal_credentials(*vault, account, {crypto::Secret("k"), crypto::Secret(secret), std::nullopt});
        auto opened = sealed ? open_credentials(*vault, account, *sealed) : Result<PlainCredentials>(sealed.error());
        if (!opened || opened->secret.reveal() != secret) ++failures;
      }
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
}

}  // namespace
}  // namespace tb::vault
