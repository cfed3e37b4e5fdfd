#include "crypto/aead.hpp"

#include <gtest/gtest.h>

#include <set>
#include <vector>

#include "crypto/encoding.hpp"

namespace tb::crypto {
namespace {

std::string unhex(std::string_view h) { return from_hex(h).value(); }

// draft-irtf-cfrg-xchacha-03, appendix A.3.1: the AEAD itself, byte for byte.
TEST(Aead, XChaCha20Poly1305DraftVector) {
  auto key = AeadKey::from_bytes(unhex("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f"));
  ASSERT_TRUE(key);
  const std::string nonce = unhex("404142434445464748494a4b4c4d4e4f5051525354555657");
  const std::string ad = unhex("50515253c0c1c2c3c4c5c6c7");
  const std::string plaintext =
      "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.";
  const std::string expected =
      "bd6d179d3e83d43b9576579493c0e939572a1700252bfaccbed2902c21396cbb731c7f1b0b4aa6440bf3a82f4eda7e39ae64c6708c54c216cb"
      "96b72e1213b4522f8c9ba40db5d945b11b69b982c1bb9e3f3fac2bc369488f76b2383565d3fff921f9664c97637da9768812f615c68b13b52e"
      "c0875924c1c7987947deafd8780acf49";
  const std::string sealed = aead_seal(*key, nonce, plaintext, ad);
  EXPECT_EQ(hex(sealed), expected);
  EXPECT_EQ(aead_open(*key, nonce, sealed, ad), plaintext);
}

TEST(Aead, AnyChangeFailsToOpen) {
  AeadKey key = AeadKey::random();
  const std::string nonce = random_bytes(kAeadNonceBytes);
  const std::string sealed = aead_seal(key, nonce, "secret", "ad");
  ASSERT_EQ(aead_open(key, nonce, sealed, "ad"), "secret");
  EXPECT_FALSE(aead_open(key, nonce, sealed, "ae"));
  EXPECT_FALSE(aead_open(AeadKey::random(), nonce, sealed, "ad"));
  for (size_t i = 0; i < sealed.size(); ++i) {
    std::string bad = sealed;
    bad[i] ^= 1;
    EXPECT_FALSE(aead_open(key, nonce, bad, "ad")) << "byte " << i;
  }
  std::string bad_nonce = nonce;
  bad_nonce[0] ^= 1;
  EXPECT_FALSE(aead_open(key, bad_nonce, sealed, "ad"));
  EXPECT_FALSE(aead_open(key, nonce.substr(1), sealed, "ad"));
  EXPECT_FALSE(aead_open(key, nonce, sealed.substr(0, 15), "ad"));
}

TEST(Aead, KeysAreRandomAndExactly32Bytes) {
  EXPECT_NE(AeadKey::random().view(), AeadKey::random().view());
  EXPECT_NE(random_bytes(24), random_bytes(24));
  EXPECT_FALSE(AeadKey::from_bytes(std::string(31, 'k')));
  EXPECT_FALSE(AeadKey::from_bytes(std::string(33, 'k')));
  AeadKey a = AeadKey::random();
  const std::string bytes(a.view());
  AeadKey b = std::move(a);
  EXPECT_EQ(b.view(), bytes);
}

// Keys share locked blocks and reuse their slots: a slot given back is zeroed before the next key has it.
TEST(AeadKey, ASlotGivenBackIsZeroedBeforeItIsReused) {
  const unsigned char* slot = nullptr;
  {
    auto key = AeadKey::from_bytes(std::string(kAeadKeyBytes, 'k'));
    ASSERT_TRUE(key);
    slot = key->data();
  }
  std::vector<AeadKey> keys;
  for (int i = 0; i < 200; ++i) keys.emplace_back();  // more than one block
  bool reused = false;
  for (const auto& k : keys) {
    EXPECT_EQ(k.view(), std::string(kAeadKeyBytes, '\0'));
    reused = reused || k.data() == slot;
  }
  EXPECT_TRUE(reused);
  std::set<const unsigned char*> distinct;
  for (const auto& k : keys) distinct.insert(k.data());
  EXPECT_EQ(distinct.size(), keys.size());
}

}  // namespace
}  // namespace tb::crypto
