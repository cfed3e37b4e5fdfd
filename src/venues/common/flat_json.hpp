#pragma once
// A venue's answer that is one JSON object of plain values (an order: about 25 strings, numbers and
// booleans) read where it lies, without building a document: a fan-out reads 10,000 of them at once. What
// is not such an object (nested values, escaped strings) is refused, and its reader takes the document
// path (json_util.hpp); each value read is the json scalar the document would have held, so both paths
// give the same result.
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "venues/common/json_util.hpp"

namespace tb::venues {

class FlatJson {
 public:
  // nullopt: not an object of plain values without escapes (the caller parses the document instead).
  static std::optional<FlatJson> parse(std::string_view text);

  struct Value {
    enum Kind { String, Number, Boolean, Null } kind = Null;
    std::string_view text;  // a string's characters without the quotes; a number, true, false or null as written
  };
  // The last value of `key`, as a document keeps it; null when missing.
  const Value* find(std::string_view key) const;
  // That value as the document's scalar (number types as nlohmann gives them); nullopt when missing.
  std::optional<json> scalar(std::string_view key) const;
  const std::string_view* string(std::string_view key) const;  // a string value only

 private:
  std::vector<std::pair<std::string_view, Value>> fields_;
};

}  // namespace tb::venues
