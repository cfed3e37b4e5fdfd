// OpenSSL 3 marks the SHA structure API deprecated in favour of EVP; see HmacKey::State for why it is used.
#define OPENSSL_SUPPRESS_DEPRECATED
#include "crypto/hash.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/sha.h>

#include <cstring>
#include <memory>
#include <stdexcept>

namespace tb::crypto {
namespace {

// OpenSSL 3's one-shot HMAC() looks the algorithm up in the provider tables on every call, which costs
// more than the MAC itself for the short messages venues sign. The digests are fetched once and HMAC is
// composed from them (RFC 2104) on a per-thread digest context.
struct Digest {
  EVP_MD* md;
  size_t block;
};

const Digest& digest(HmacAlgo algo) {
  static const Digest sha256{EVP_MD_fetch(nullptr, "SHA256", nullptr), 64};
  static const Digest sha384{EVP_MD_fetch(nullptr, "SHA384", nullptr), 128};
  static const Digest sha512{EVP_MD_fetch(nullptr, "SHA512", nullptr), 128};
  switch (algo) {
    case HmacAlgo::Sha256: return sha256;
    case HmacAlgo::Sha384: return sha384;
    case HmacAlgo::Sha512: return sha512;
  }
  return sha256;
}

struct CtxDeleter {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};

EVP_MD_CTX* thread_ctx() {
  thread_local std::unique_ptr<EVP_MD_CTX, CtxDeleter> ctx(EVP_MD_CTX_new());
  return ctx.get();
}

// H(a || b) into out; returns the digest length.
unsigned int hash2(const EVP_MD* md, const void* a, size_t na, const void* b, size_t nb, unsigned char* out) {
  EVP_MD_CTX* ctx = thread_ctx();
  unsigned int len = 0;
  if (EVP_DigestInit_ex2(ctx, md, nullptr) != 1 || EVP_DigestUpdate(ctx, a, na) != 1 || EVP_DigestUpdate(ctx, b, nb) != 1 ||
      EVP_DigestFinal_ex(ctx, out, &len) != 1)
    throw std::runtime_error("digest failed");
  return len;
}

}  // namespace

std::string sha256(std::string_view data) {
  // Not SHA256(): in OpenSSL 3 that one-shot fetches the algorithm from the provider on every call.
  unsigned char out[SHA256_DIGEST_LENGTH];
  SHA256_CTX c;
  SHA256_Init(&c);
  SHA256_Update(&c, data.data(), data.size());
  SHA256_Final(out, &c);
  return std::string(reinterpret_cast<char*>(out), sizeof out);
}

// The prepared states use OpenSSL's SHA structures directly: a state is then copied with a plain struct
// copy, where EVP_MD_CTX_copy_ex allocates a provider context on every call (measured: a third of the
// cost of signing an order). Same assembly implementations underneath.
struct HmacKey::State {
  HmacAlgo algo;
  SHA256_CTX inner256, outer256;
  SHA512_CTX inner512, outer512;  // SHA-384 runs on the SHA-512 structure
};

HmacKey::HmacKey(HmacAlgo algo, std::string_view key) : state_(new State{}) {
  const Digest& d = digest(algo);
  state_->algo = algo;
  unsigned char k[128] = {};
  if (key.size() > d.block) {
    hash2(d.md, key.data(), key.size(), nullptr, 0, k);
  } else {
    std::memcpy(k, key.data(), key.size());
  }
  unsigned char ipad[128], opad[128];
  for (size_t i = 0; i < d.block; ++i) {
    ipad[i] = k[i] ^ 0x36;
    opad[i] = k[i] ^ 0x5c;
  }
  switch (algo) {
    case HmacAlgo::Sha256:
      SHA256_Init(&state_->inner256);
      SHA256_Update(&state_->inner256, ipad, d.block);
      SHA256_Init(&state_->outer256);
      SHA256_Update(&state_->outer256, opad, d.block);
      break;
    case HmacAlgo::Sha384:
    case HmacAlgo::Sha512:
      if (algo == HmacAlgo::Sha384) {
        SHA384_Init(&state_->inner512);
        SHA384_Init(&state_->outer512);
      } else {
        SHA512_Init(&state_->inner512);
        SHA512_Init(&state_->outer512);
      }
      SHA512_Update(&state_->inner512, ipad, d.block);
      SHA512_Update(&state_->outer512, opad, d.block);
      break;
  }
  OPENSSL_cleanse(k, sizeof k);
  OPENSSL_cleanse(ipad, sizeof ipad);
  OPENSSL_cleanse(opad, sizeof opad);
}

HmacKey::~HmacKey() {
  OPENSSL_cleanse(state_, sizeof *state_);
  delete state_;
}

std::string HmacKey::mac(std::string_view message) const {
  unsigned char inner[SHA512_DIGEST_LENGTH];
  unsigned char out[SHA512_DIGEST_LENGTH];
  size_t len = 0;
  if (state_->algo == HmacAlgo::Sha256) {
    SHA256_CTX c = state_->inner256;
    SHA256_Update(&c, message.data(), message.size());
    SHA256_Final(inner, &c);
    c = state_->outer256;
    SHA256_Update(&c, inner, SHA256_DIGEST_LENGTH);
    SHA256_Final(out, &c);
    len = SHA256_DIGEST_LENGTH;
    OPENSSL_cleanse(&c, sizeof c);
  } else {
    bool is384 = state_->algo == HmacAlgo::Sha384;
    len = is384 ? SHA384_DIGEST_LENGTH : SHA512_DIGEST_LENGTH;
    SHA512_CTX c = state_->inner512;
    SHA512_Update(&c, message.data(), message.size());
    if (is384) {
      SHA384_Final(inner, &c);
    } else {
      SHA512_Final(inner, &c);
    }
    c = state_->outer512;
    SHA512_Update(&c, inner, len);
    if (is384) {
      SHA384_Final(out, &c);
    } else {
      SHA512_Final(out, &c);
    }
    OPENSSL_cleanse(&c, sizeof c);
  }
  return std::string(reinterpret_cast<char*>(out), len);
}

std::string hmac(HmacAlgo algo, std::string_view key, std::string_view message) { return HmacKey(algo, key).mac(message); }

std::string hmac_sha1(std::string_view key, std::string_view message) {
  static const Digest sha1{EVP_MD_fetch(nullptr, "SHA1", nullptr), 64};
  unsigned char k[64] = {};
  if (key.size() > sha1.block) {
    hash2(sha1.md, key.data(), key.size(), nullptr, 0, k);
  } else {
    std::memcpy(k, key.data(), key.size());
  }
  unsigned char ipad[64], opad[64], inner[SHA_DIGEST_LENGTH], out[SHA_DIGEST_LENGTH];
  for (size_t i = 0; i < sha1.block; ++i) {
    ipad[i] = k[i] ^ 0x36;
    opad[i] = k[i] ^ 0x5c;
  }
  hash2(sha1.md, ipad, sizeof ipad, message.data(), message.size(), inner);
  hash2(sha1.md, opad, sizeof opad, inner, sizeof inner, out);
  OPENSSL_cleanse(k, sizeof k);
  OPENSSL_cleanse(ipad, sizeof ipad);
  OPENSSL_cleanse(inner, sizeof inner);
  return std::string(reinterpret_cast<char*>(out), sizeof out);
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace tb::crypto
