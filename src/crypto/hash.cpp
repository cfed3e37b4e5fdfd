#include "crypto/hash.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>

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
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = hash2(digest(HmacAlgo::Sha256).md, data.data(), data.size(), nullptr, 0, out);
  return std::string(reinterpret_cast<char*>(out), len);
}

struct HmacKey::State {
  EVP_MD_CTX* inner = EVP_MD_CTX_new();  // has absorbed key ^ ipad
  EVP_MD_CTX* outer = EVP_MD_CTX_new();  // has absorbed key ^ opad
  ~State() {
    EVP_MD_CTX_free(inner);
    EVP_MD_CTX_free(outer);
  }
};

HmacKey::HmacKey(HmacAlgo algo, std::string_view key) : state_(new State) {
  const Digest& d = digest(algo);
  unsigned char k[128] = {};
  if (key.size() > d.block) {
    hash2(d.md, key.data(), key.size(), nullptr, 0, k);
  } else {
    std::memcpy(k, key.data(), key.size());
  }
  unsigned char pad[128];
  auto absorb = [&](EVP_MD_CTX* ctx, unsigned char x) {
    for (size_t i = 0; i < d.block; ++i) pad[i] = k[i] ^ x;
    if (EVP_DigestInit_ex2(ctx, d.md, nullptr) != 1 || EVP_DigestUpdate(ctx, pad, d.block) != 1) throw std::runtime_error("hmac init failed");
  };
  absorb(state_->inner, 0x36);
  absorb(state_->outer, 0x5c);
  OPENSSL_cleanse(k, sizeof k);
  OPENSSL_cleanse(pad, sizeof pad);
}

HmacKey::~HmacKey() { delete state_; }

std::string HmacKey::mac(std::string_view message) const {
  EVP_MD_CTX* ctx = thread_ctx();
  unsigned char inner[EVP_MAX_MD_SIZE];
  unsigned int inner_len = 0;
  if (EVP_MD_CTX_copy_ex(ctx, state_->inner) != 1 || EVP_DigestUpdate(ctx, message.data(), message.size()) != 1 ||
      EVP_DigestFinal_ex(ctx, inner, &inner_len) != 1)
    throw std::runtime_error("hmac failed");
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_MD_CTX_copy_ex(ctx, state_->outer) != 1 || EVP_DigestUpdate(ctx, inner, inner_len) != 1 ||
      EVP_DigestFinal_ex(ctx, out, &len) != 1)
    throw std::runtime_error("hmac failed");
  return std::string(reinterpret_cast<char*>(out), len);
}

std::string hmac(HmacAlgo algo, std::string_view key, std::string_view message) { return HmacKey(algo, key).mac(message); }

bool constant_time_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace tb::crypto
