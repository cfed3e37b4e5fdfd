#include "vault/master_keys.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "crypto/encoding.hpp"
#include "vault_test_util.hpp"

namespace tb::vault {
namespace {

using test::kHexKey1;
using test::kHexKey2;

bool mentions(const Error& e, std::string_view what) { return e.message.find(what) != std::string::npos; }

TEST(MasterKeys, ParsesHexAndBase64VersionsCommentsAndBlankLines) {
  const std::string b64 = crypto::base64(crypto::from_hex(kHexKey2).value());
  auto ring = MasterKeyRing::parse("# master keys\n\n1:" + kHexKey1 + "\n  3:" + b64 + "  \r\n", "test");
  ASSERT_TRUE(ring) << ring.error().message;
  EXPECT_EQ(ring->versions(), (std::vector<int>{1, 3}));
  EXPECT_EQ(ring->current_version(), 3);  // the highest
  EXPECT_EQ(crypto::hex(ring->key(1)->view()), kHexKey1);
  EXPECT_EQ(crypto::hex(ring->key(3)->view()), kHexKey2);
  EXPECT_EQ(ring->key(2), nullptr);
}

TEST(MasterKeys, BadLinesAreNamedWithoutEchoingKeyBytes) {
  const std::string short_key = kHexKey1.substr(0, 62);
  const std::pair<std::string, std::string> cases[] = {
      {"1:" + short_key, "line 1: the key must be 32 bytes"},
      {"1:" + kHexKey1 + "\n" + kHexKey2, "line 2: expected `version:key`"},
      {"0:" + kHexKey1, "the version must be a positive integer"},
      {"x:" + kHexKey1, "the version must be a positive integer"},
      {"1:" + kHexKey1 + "\n1:" + kHexKey2, "version 1 appears twice"},
      {"# nothing\n", "holds no master key"},
      {"1:" + kHexKey1.substr(0, 63) + "g", "line 1: the key must be 32 bytes"},
  };
  for (const auto& [text, want] : cases) {
    auto r = MasterKeyRing::parse(text, "keys.txt");
    ASSERT_FALSE(r) << text;
    EXPECT_TRUE(mentions(r.error(), want)) << r.error().message;
    EXPECT_TRUE(mentions(r.error(), "keys.txt")) << r.error().message;
    EXPECT_FALSE(mentions(r.error(), short_key.substr(0, 16))) << r.error().message;
    EXPECT_FALSE(mentions(r.error(), kHexKey2.substr(0, 16))) << r.error().message;
  }
}

TEST(MasterKeys, EnvironmentValueBareKeyIsVersionOneOrVersionedList) {
  auto bare = MasterKeyRing::from_env_value(" " + kHexKey1 + "\n");
  ASSERT_TRUE(bare) << bare.error().message;
  EXPECT_EQ(bare->current_version(), 1);
  EXPECT_EQ(crypto::hex(bare->key(1)->view()), kHexKey1);

  auto list = MasterKeyRing::from_env_value("1:" + kHexKey1 + ",2:" + kHexKey2);
  ASSERT_TRUE(list) << list.error().message;
  EXPECT_EQ(list->versions(), (std::vector<int>{1, 2}));
  EXPECT_EQ(list->current_version(), 2);

  auto bad = MasterKeyRing::from_env_value("not-a-key");
  ASSERT_FALSE(bad);
  EXPECT_TRUE(mentions(bad.error(), kMasterKeyEnv)) << bad.error().message;
  EXPECT_FALSE(MasterKeyRing::from_env_value(""));
}

TEST(MasterKeys, FileWithMode0600Loads) {
  test::ScratchDir dir;
  auto path = dir.write("master.key", "1:" + kHexKey1 + "\n2:" + kHexKey2 + "\n", 0600);
  auto ring = MasterKeyRing::from_file(path);
  ASSERT_TRUE(ring) << ring.error().message;
  EXPECT_EQ(ring->current_version(), 2);
  EXPECT_EQ(crypto::hex(ring->key(1)->view()), kHexKey1);
  EXPECT_TRUE(MasterKeyRing::from_file(dir.write("owner-only.key", "1:" + kHexKey1, 0400)));
}

TEST(MasterKeys, GroupOrWorldAccessibleFileIsRefusedWithTheFix) {
  test::ScratchDir dir;
  for (mode_t mode : {0640, 0604, 0660, 0644, 0666, 0610}) {
    auto path = dir.write("loose.key", "1:" + kHexKey1 + "\n", mode);
    auto ring = MasterKeyRing::from_file(path);
    ASSERT_FALSE(ring) << std::oct << mode;
    EXPECT_TRUE(mentions(ring.error(), "group or others")) << ring.error().message;
    EXPECT_TRUE(mentions(ring.error(), "chmod 600 " + path)) << ring.error().message;
    EXPECT_FALSE(mentions(ring.error(), kHexKey1.substr(0, 16)));
  }
}

TEST(MasterKeys, MissingFileDirectoryAndSymlinkAreRefused) {
  test::ScratchDir dir;
  auto missing = MasterKeyRing::from_file(dir.file("nope.key"));
  ASSERT_FALSE(missing);
  EXPECT_TRUE(mentions(missing.error(), "cannot open master key file")) << missing.error().message;

  ::mkdir(dir.file("d").c_str(), 0700);
  EXPECT_FALSE(MasterKeyRing::from_file(dir.file("d")));

  auto real = dir.write("real.key", "1:" + kHexKey1, 0600);
  ASSERT_EQ(::symlink(real.c_str(), dir.file("link.key").c_str()), 0);
  EXPECT_FALSE(MasterKeyRing::from_file(dir.file("link.key")));  // a link could point anywhere
}

TEST(MasterKeys, GeneratedFileIsMode0600LoadsAndIsNeverOverwritten) {
  test::ScratchDir dir;
  const std::string path = dir.file("master.key");
  const mode_t old_umask = ::umask(0);  // even a permissive umask must not loosen the file
  auto st = generate_master_key_file(path);
  ::umask(old_umask);
  ASSERT_TRUE(st) << st.error().message;
  EXPECT_EQ(test::mode_of(path), 0600u);
  auto ring = MasterKeyRing::from_file(path);
  ASSERT_TRUE(ring) << ring.error().message;
  EXPECT_EQ(ring->versions(), (std::vector<int>{1}));

  std::stringstream before;
  before << std::ifstream(path).rdbuf();
  auto again = generate_master_key_file(path);
  ASSERT_FALSE(again);
  EXPECT_TRUE(mentions(again.error(), "already exists")) << again.error().message;
  std::stringstream after;
  after << std::ifstream(path).rdbuf();
  EXPECT_EQ(before.str(), after.str());

  // Two generated files hold different keys.
  ASSERT_TRUE(generate_master_key_file(dir.file("other.key")));
  auto other = MasterKeyRing::from_file(dir.file("other.key"));
  ASSERT_TRUE(other);
  EXPECT_NE(other->key(1)->view(), ring->key(1)->view());
}

TEST(MasterKeys, AppendAddsTheNextVersionAndKeepsTheOldOnes) {
  test::ScratchDir dir;
  const std::string path = dir.file("master.key");
  ASSERT_TRUE(generate_master_key_file(path));
  auto before = MasterKeyRing::from_file(path);
  ASSERT_TRUE(before);
  auto v = append_master_key_version(path);
  ASSERT_TRUE(v) << v.error().message;
  EXPECT_EQ(*v, 2);
  auto after = MasterKeyRing::from_file(path);
  ASSERT_TRUE(after) << after.error().message;
  EXPECT_EQ(after->versions(), (std::vector<int>{1, 2}));
  EXPECT_EQ(after->key(1)->view(), before->key(1)->view());
  EXPECT_NE(after->key(2)->view(), after->key(1)->view());
  EXPECT_EQ(test::mode_of(path), 0600u);

  ::chmod(path.c_str(), 0644);
  EXPECT_FALSE(append_master_key_version(path));  // the same check as for reading
}

TEST(MasterKeys, LoadPrefersTheEnvironmentThenTheFileAndGeneratesOnFirstStart) {
  test::ScratchDir dir;
  const std::string path = dir.file("master.key");
  auto none = load_master_keys({std::nullopt, path, false});
  ASSERT_FALSE(none);
  EXPECT_TRUE(mentions(none.error(), "cannot open master key file")) << none.error().message;
  EXPECT_FALSE(std::filesystem::exists(path));

  auto first = load_master_keys({std::nullopt, path, true});
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(test::mode_of(path), 0600u);
  auto second = load_master_keys({std::nullopt, path, true});  // the same file, not a new key
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_EQ(second->key(1)->view(), first->key(1)->view());

  auto env = load_master_keys({kHexKey2, path, true});
  ASSERT_TRUE(env);
  EXPECT_EQ(crypto::hex(env->key(1)->view()), kHexKey2);
  EXPECT_TRUE(load_master_keys({std::string(), path, false}));  // an empty variable counts as unset

  ::chmod(path.c_str(), 0644);
  EXPECT_FALSE(load_master_keys({std::nullopt, path, true}));  // a loose file is refused, never replaced
  EXPECT_FALSE(load_master_keys({std::nullopt, "", true}));
}

}  // namespace
}  // namespace tb::vault
