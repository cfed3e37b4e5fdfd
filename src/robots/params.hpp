#pragma once
// A strategy's parameters: the schema it declares (name, type, range, default, description) and the values
// checked against it. Values come from JSON text (the CLI's --params, the catalogue) and are checked once:
// an unknown name, a wrong type or a value out of range is an InvalidArgument naming the field
// ("params.slow"); a missing one takes its default.
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/error.hpp"

namespace tb::robots {

enum class ParamType { Integer, Number, Boolean };
std::string_view to_string(ParamType type);  // "integer", "number", "boolean"

struct ParamSpec {
  std::string name;
  ParamType type = ParamType::Integer;
  double min = 0;  // inclusive; booleans ignore the range
  double max = 0;
  double default_value = 0;  // booleans: 0 or 1
  std::string description;
};

// Checked values by name, every name of the schema present. Integers and booleans are held as doubles
// (exact up to 2^53, far beyond any range here).
class Params {
 public:
  Params() = default;
  explicit Params(std::map<std::string, double> values) : values_(std::move(values)) {}
  int integer(const std::string& name) const { return static_cast<int>(values_.at(name)); }
  double number(const std::string& name) const { return values_.at(name); }
  bool flag(const std::string& name) const { return values_.at(name) != 0; }
  const std::map<std::string, double>& values() const { return values_; }

 private:
  std::map<std::string, double> values_;
};

// The values of `text` (a JSON object; empty text: all defaults) against the schema.
Result<Params> parse_params(const std::vector<ParamSpec>& schema, std::string_view text);
// The values as JSON, typed as the schema says (integers as integers, booleans as booleans).
nlohmann::json params_json(const std::vector<ParamSpec>& schema, const Params& params);
// The schema as JSON: [{"name","type","min","max","default","description"}].
nlohmann::json schema_json(const std::vector<ParamSpec>& schema);

}  // namespace tb::robots
