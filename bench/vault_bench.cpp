// The vault's cost per trading account when a fan-out begins: a sealed key pair opened into a signer (one
// data key unwrapped into locked memory, two fields opened) and its first signature. Google Benchmark.
#include <benchmark/benchmark.h>

#include "crypto/aead.hpp"
#include "vault/credentials.hpp"

namespace {

using namespace tb;

vault::Vault make_vault() {
  vault::MasterKeyRing ring;
  if (!ring.add(1, crypto::AeadKey::random())) std::abort();
  return vault::Vault(std::move(ring));
}

const vault::AccountRef kAccount{7, 42, "binance_futures"};

vault::SealedCredentials sealed_pair(const vault::Vault& v) {
  vault::PlainCredentials plain{crypto::Secret(std::string(64, 'k')), crypto::Secret(std::string(64, 's')), std::nullopt};
  auto sealed = vault::seal_credentials(v, kAccount, plain);
  if (!sealed) std::abort();
  return *sealed;
}

void OpenSigner(benchmark::State& state) {
  const vault::Vault v = make_vault();
  const vault::SealedCredentials sealed = sealed_pair(v);
  for (auto _ : state) {
    auto signer = vault::make_open_signer(v, kAccount, sealed);
    benchmark::DoNotOptimize(signer);
  }
}
BENCHMARK(OpenSigner)->Name("Vault/open_signer");

void OpenSignerAndSign(benchmark::State& state) {
  const vault::Vault v = make_vault();
  const vault::SealedCredentials sealed = sealed_pair(v);
  const std::string message(160, 'm');
  for (auto _ : state) {
    auto signer = vault::make_open_signer(v, kAccount, sealed);
    benchmark::DoNotOptimize((*signer)->hmac(crypto::HmacAlgo::Sha256, crypto::SecretForm::Raw, message));
  }
}
BENCHMARK(OpenSignerAndSign)->Name("Vault/open_signer_and_sign_160B");

void DataKeyInLockedMemory(benchmark::State& state) {
  for (auto _ : state) {
    crypto::AeadKey key;
    benchmark::DoNotOptimize(key.data());
  }
}
BENCHMARK(DataKeyInLockedMemory)->Name("Vault/locked_key");

}  // namespace

BENCHMARK_MAIN();
