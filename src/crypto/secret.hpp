#pragma once
// A secret that zeroes its memory when it goes away, and that cannot be printed, formatted, compared or
// copied by accident: it moves from the edge (a request body, a chat message) to the vault, and the only way
// to its bytes is reveal(), which only the vault, signers and a few named places call (scripts/check_secrets.mjs
// lists them). The queries below answer what a format check needs without handing the bytes out.
#include <optional>
#include <string>
#include <string_view>

namespace tb::crypto {

class Secret {
 public:
  Secret() = default;
  explicit Secret(std::string value) : value_(std::move(value)) {}
  // One owner at a time: a copy would be one more place to wipe. Move it, or trimmed() for a new one.
  Secret(const Secret&) = delete;
  Secret& operator=(const Secret&) = delete;
  Secret(Secret&& other) noexcept : value_(std::move(other.value_)) { other.wipe(); }
  Secret& operator=(Secret&& other) noexcept;
  ~Secret() { wipe(); }

  bool empty() const { return value_.empty(); }
  size_t size() const { return value_.size(); }
  // Whitespace is what std::isspace calls so in the C locale: space, \t, \n, \v, \f, \r.
  Secret trimmed() const;  // without the whitespace around it
  bool contains_whitespace() const;
  bool all_in(std::string_view allowed) const;  // every byte is one of `allowed` (true when empty)
  // The length of the base64 decoding (RFC 4648, padded); nullopt when the secret is not valid base64.
  std::optional<size_t> base64_decoded_size() const;

  std::string_view reveal() const { return value_; }
  void wipe() noexcept;

 private:
  std::string value_;
};

// Overwrites the bytes in a way the optimizer may not remove.
void secure_zero(void* p, size_t n) noexcept;
void secure_zero(std::string& s) noexcept;

}  // namespace tb::crypto
