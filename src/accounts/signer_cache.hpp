#pragma once
// The trading desk's signers, kept open per account across passes (issue 13): opening one reads the
// account's sealed rows and unwraps both fields, which costs more than the order it signs.
//
// An entry is valid for the account row it was opened for (its updated_ms and masked key): keys are only
// replaced in the transaction that rewrites the account row, so a replacement, even by another process,
// misses here. The service also forgets an account as soon as it changes or is deleted, and an entry not
// used for idle_ms goes (an opened secret is kept no longer than it is used). Threads: any (one mutex).
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "crypto/signer.hpp"
#include "store/store.hpp"

namespace tb::accounts {

class SignerCache {
 public:
  explicit SignerCache(int64_t idle_ms) : idle_ms_(idle_ms) {}

  // The signer kept for this account row, or null (none, or opened for an older row).
  std::shared_ptr<crypto::Signer> find(const store::Account& account, int64_t now_ms);
  void keep(const store::Account& account, std::shared_ptr<crypto::Signer> signer, int64_t now_ms);
  void forget(int64_t account_id);
  size_t size() const;

 private:
  struct Entry {
    int64_t updated_ms = 0;
    std::string masked_key;
    std::shared_ptr<crypto::Signer> signer;
    int64_t used_ms = 0;
  };
  void sweep(int64_t now_ms);  // drops idle entries, at most every idle_ms / 4

  mutable std::mutex mu_;
  std::unordered_map<int64_t, Entry> entries_;
  int64_t idle_ms_;
  int64_t swept_ms_ = 0;
};

}  // namespace tb::accounts
