#pragma once
// A secret that zeroes its memory when it goes away, and that cannot be printed, formatted or
// compared by accident: the only way in is reveal(), and only signers call it.
#include <string>
#include <string_view>

namespace tb::crypto {

class Secret {
 public:
  Secret() = default;
  explicit Secret(std::string value) : value_(std::move(value)) {}
  Secret(const Secret& other) : value_(other.value_) {}
  Secret(Secret&& other) noexcept : value_(std::move(other.value_)) { other.wipe(); }
  Secret& operator=(const Secret& other);
  Secret& operator=(Secret&& other) noexcept;
  ~Secret() { wipe(); }

  bool empty() const { return value_.empty(); }
  size_t size() const { return value_.size(); }
  std::string_view reveal() const { return value_; }
  void wipe() noexcept;

 private:
  std::string value_;
};

// Overwrites the bytes in a way the optimizer may not remove.
void secure_zero(void* p, size_t n) noexcept;
void secure_zero(std::string& s) noexcept;

}  // namespace tb::crypto
