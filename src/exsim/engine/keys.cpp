// API keys in each venue's real format: from the engine's seeded generator when it has a seed (runs are
// reproducible), else from the system CSPRNG (keys are secrets a fresh simulator must not share).
#include <algorithm>
#include <string>

#include "crypto/aead.hpp"
#include "crypto/encoding.hpp"
#include "exsim/engine/state.hpp"

namespace tb::exsim::detail {
namespace {

constexpr std::string_view kAlnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
constexpr std::string_view kBase64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string pick(std::mt19937_64& rng, std::string_view alphabet, size_t n) {
  std::uniform_int_distribution<size_t> dist(0, alphabet.size() - 1);
  std::string out(n, ' ');
  for (char& c : out) c = alphabet[dist(rng)];
  return out;
}

// Uniform over the alphabet: bytes at or above the largest multiple of its size are drawn again.
std::string pick_secure(std::string_view alphabet, size_t n) {
  const size_t limit = 256 - 256 % alphabet.size();
  std::string out;
  out.reserve(n);
  while (out.size() < n) {
    for (unsigned char b : crypto::random_bytes(n - out.size()))
      if (size_t{b} < limit && out.size() < n) out += alphabet[b % alphabet.size()];
  }
  return out;
}

std::string pick(std::mt19937_64* seeded, std::string_view alphabet, size_t n) {
  return seeded ? pick(*seeded, alphabet, n) : pick_secure(alphabet, n);
}

std::string random_bytes(std::mt19937_64* seeded, size_t n) {
  if (!seeded) return crypto::random_bytes(n);
  std::string out(n, '\0');
  for (char& c : out) c = static_cast<char>((*seeded)() & 0xff);
  return out;
}

}  // namespace

std::string make_key(std::mt19937_64* seeded, const SimVenue& venue) {
  return pick(seeded, venue.key_text == KeyText::Base64 ? kBase64 : kAlnum, venue.key_length);
}

std::string make_secret(std::mt19937_64* seeded, const SimVenue& venue) {
  if (venue.secret_text == KeyText::Base64) return crypto::base64(random_bytes(seeded, venue.secret_length));
  return pick(seeded, kAlnum, venue.secret_length);
}

}  // namespace tb::exsim::detail

namespace tb::exsim {

using namespace detail;

bool is_secret_format(const SimVenue& venue, std::string_view secret) {
  if (venue.secret_text == KeyText::Base64) {
    auto bytes = crypto::from_base64(secret);
    return bytes && bytes->size() == venue.secret_length;
  }
  return secret.size() == venue.secret_length &&
         std::all_of(secret.begin(), secret.end(), [](char c) { return kAlnum.find(c) != std::string_view::npos; });
}

Result<ApiKey> Exchange::create_key(const NewKey& spec) {
  const SimVenue* venue = this->venue(spec.venue);
  if (!venue) return Error::make(ErrorKind::InvalidArgument, "unknown venue: " + spec.venue);
  if (!spec.secret.empty() && !is_secret_format(*venue, spec.secret)) return Error::invalid("secret", "not in the venue's secret format");
  for (const auto& [asset, amount] : spec.balances) {
    if (asset.empty() || amount.is_negative()) return Error::make(ErrorKind::InvalidArgument, "bad balance for asset '" + asset + "'");
  }
  std::lock_guard lock(mu_);
  ApiKey k;
  k.venue = spec.venue;
  std::mt19937_64* seeded = keys_from_csprng_ ? nullptr : &state_->key_rng;
  do {
    k.key = make_key(seeded, *venue);
  } while (state_->accounts.count(k.key));
  k.secret = spec.secret.empty() ? make_secret(seeded, *venue) : spec.secret;
  k.label = spec.label;
  k.permissions = spec.permissions;
  k.ip_whitelist = spec.ip_whitelist;
  k.created_ms = clock_.now_ms();
  Account& a = state_->accounts[k.key];
  a.key = k;
  a.seq = state_->key_seq++;
  for (const auto& [asset, amount] : spec.balances) a.balances[asset].total = amount;
  return k;
}

std::vector<ApiKey> Exchange::keys() const {
  std::lock_guard lock(mu_);
  std::vector<const Account*> all;
  for (const auto& [_, a] : state_->accounts) all.push_back(&a);
  std::sort(all.begin(), all.end(), [](const Account* x, const Account* y) { return x->seq < y->seq; });
  std::vector<ApiKey> out;
  for (const Account* a : all) out.push_back(a->key);
  return out;
}

bool Exchange::delete_key(const std::string& key) {
  std::lock_guard lock(mu_);
  auto it = state_->accounts.find(key);
  if (it == state_->accounts.end()) return false;
  // Its resting orders end with it, so they never fill into an account that is gone.
  for (size_t i : it->second.orders) {
    SimOrder& o = state_->orders[i];
    if (o.status != SimOrderStatus::Open) continue;
    o.status = SimOrderStatus::Canceled;
    o.reason = "key deleted";
    o.updated_ms = clock_.now_ms();
    auto p = state_->paths.find(path_key(o.venue, o.symbol));
    if (p != state_->paths.end()) p->second.open_orders.erase(i);
  }
  state_->accounts.erase(it);
  return true;
}

std::optional<ApiKey> Exchange::find_key(const std::string& venue, const std::string& key) const {
  std::lock_guard lock(mu_);
  auto it = state_->accounts.find(key);
  if (it == state_->accounts.end() || it->second.key.venue != venue) return std::nullopt;
  return it->second.key;
}

}  // namespace tb::exsim
