#include "vault/vault.hpp"

#include "crypto/encoding.hpp"

namespace tb::vault {
namespace {

constexpr size_t kWrappedBytes = crypto::kAeadNonceBytes + crypto::kAeadKeyBytes + crypto::kAeadTagBytes;

void put_u64(std::string& out, uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>((v >> shift) & 0xff));
}

// Length-prefixed, so no two different contexts can produce the same bytes ("ab"+"c" vs "a"+"bc").
void put_text(std::string& out, std::string_view s) {
  put_u64(out, s.size());
  out.append(s);
}

std::string field_ad(const FieldContext& ctx) {
  std::string ad = "tradebridge/vault/field/v1";
  put_u64(ad, static_cast<uint64_t>(ctx.user_id));
  put_u64(ad, static_cast<uint64_t>(ctx.account_id));
  put_text(ad, ctx.venue);
  put_text(ad, ctx.field);
  return ad;
}

std::string data_key_ad(const FieldContext& ctx, int master_version) {
  std::string ad = "tradebridge/vault/data-key/v1";
  put_u64(ad, static_cast<uint64_t>(master_version));
  put_u64(ad, static_cast<uint64_t>(ctx.user_id));
  put_u64(ad, static_cast<uint64_t>(ctx.account_id));
  put_text(ad, ctx.venue);
  return ad;
}

std::string describe(const FieldContext& ctx) {
  return "field '" + ctx.field + "' of account " + std::to_string(ctx.account_id) + " (user " + std::to_string(ctx.user_id) + ", " +
         ctx.venue + ")";
}

Error vault_error(std::string message) { return Error::make(ErrorKind::Internal, "vault: " + std::move(message)); }

Error unknown_version(const FieldContext& ctx, int version) {
  return vault_error(describe(ctx) + " is sealed under master key version " + std::to_string(version) + ", which is not loaded");
}

Error does_not_open(const FieldContext& ctx) {
  return vault_error(describe(ctx) + " does not decrypt: wrong account, user, venue or field, or tampered data");
}

}  // namespace

std::string SealedField::to_text() const {
  return "v" + std::to_string(master_version) + "." + crypto::base64(wrapped_data_key) + "." + crypto::base64(nonce) + "." +
         crypto::base64(ciphertext);
}

Result<SealedField> SealedField::from_text(std::string_view text) {
  auto malformed = [] { return vault_error("stored field is not in the form v<version>.<key>.<nonce>.<ciphertext>"); };
  std::string_view parts[4];
  for (int i = 0; i < 4; ++i) {
    size_t dot = text.find('.');
    if ((dot == std::string_view::npos) != (i == 3)) return malformed();
    parts[i] = text.substr(0, dot);
    text = i == 3 ? std::string_view() : text.substr(dot + 1);
  }
  if (parts[0].size() < 2 || parts[0].size() > 10 || parts[0][0] != 'v') return malformed();
  SealedField out;
  for (char c : parts[0].substr(1)) {
    if (c < '0' || c > '9') return malformed();
    out.master_version = out.master_version * 10 + (c - '0');
  }
  auto wrapped = crypto::from_base64(parts[1]);
  auto nonce = crypto::from_base64(parts[2]);
  auto ciphertext = crypto::from_base64(parts[3]);
  if (!wrapped || !nonce || !ciphertext) return malformed();
  out.wrapped_data_key = std::move(*wrapped);
  out.nonce = std::move(*nonce);
  out.ciphertext = std::move(*ciphertext);
  return out;
}

Result<std::string> Vault::wrap(const FieldContext& ctx, const DataKey& data_key, int master_version) const {
  const crypto::AeadKey* master = ring_.key(master_version);
  if (!master) return unknown_version(ctx, master_version);
  std::string nonce = crypto::random_bytes(crypto::kAeadNonceBytes);
  return nonce + crypto::aead_seal(*master, nonce, data_key.view(), data_key_ad(ctx, master_version));
}

Result<DataKey> Vault::unwrap(const FieldContext& ctx, const std::string& wrapped, int master_version) const {
  const crypto::AeadKey* master = ring_.key(master_version);
  if (!master) return unknown_version(ctx, master_version);
  if (wrapped.size() != kWrappedBytes) return does_not_open(ctx);
  std::string_view w(wrapped);
  auto raw =
      crypto::aead_open(*master, w.substr(0, crypto::kAeadNonceBytes), w.substr(crypto::kAeadNonceBytes), data_key_ad(ctx, master_version));
  if (!raw) return does_not_open(ctx);
  auto key = DataKey::from_bytes(*raw);
  crypto::secure_zero(*raw);
  if (!key) return does_not_open(ctx);
  return std::move(*key);
}

Result<SealedField> Vault::seal(const FieldContext& ctx, const crypto::Secret& plaintext) const {
  return seal(ctx, plaintext, new_data_key());
}

Result<SealedField> Vault::seal(const FieldContext& ctx, const crypto::Secret& plaintext, const DataKey& data_key) const {
  if (ring_.empty()) return vault_error("no master key is loaded");
  auto wrapped = wrap(ctx, data_key, current_version());
  if (!wrapped) return wrapped.error();
  return seal_under(ctx, plaintext, data_key, current_version(), std::move(*wrapped));
}

SealedField Vault::seal_under(const FieldContext& ctx, const crypto::Secret& plaintext, const DataKey& data_key, int master_version,
                              std::string wrapped_data_key) const {
  SealedField out;
  out.master_version = master_version;
  out.wrapped_data_key = std::move(wrapped_data_key);
  out.nonce = crypto::random_bytes(crypto::kAeadNonceBytes);
  out.ciphertext = crypto::aead_seal(data_key, out.nonce, plaintext.reveal(), field_ad(ctx));
  return out;
}

Result<crypto::Secret> Vault::open(const FieldContext& ctx, const SealedField& sealed) const {
  auto data_key = unwrap(ctx, sealed.wrapped_data_key, sealed.master_version);
  if (!data_key) return data_key.error();
  return open_under(ctx, sealed, *data_key);
}

Result<crypto::Secret> Vault::open_under(const FieldContext& ctx, const SealedField& sealed, const DataKey& data_key) const {
  auto plain = crypto::aead_open(data_key, sealed.nonce, sealed.ciphertext, field_ad(ctx));
  if (!plain) return does_not_open(ctx);
  crypto::Secret secret(std::move(*plain));
  crypto::secure_zero(*plain);  // the moved-from string: nothing should be left, make sure
  return secret;
}

Status Vault::verify(const FieldContext& ctx, const SealedField& sealed) const {
  auto secret = open(ctx, sealed);
  if (!secret) return secret.error();
  return ok_status();  // the Secret wipes itself here
}

Result<SealedField> Vault::rewrap(const FieldContext& ctx, const SealedField& sealed, int new_version) const {
  if (!ring_.has(new_version)) return unknown_version(ctx, new_version);
  if (auto st = verify(ctx, sealed); !st) return st.error();
  auto data_key = unwrap(ctx, sealed.wrapped_data_key, sealed.master_version);
  if (!data_key) return data_key.error();
  auto wrapped = wrap(ctx, *data_key, new_version);
  if (!wrapped) return wrapped.error();
  SealedField out = sealed;
  out.master_version = new_version;
  out.wrapped_data_key = std::move(*wrapped);
  return out;
}

}  // namespace tb::vault
