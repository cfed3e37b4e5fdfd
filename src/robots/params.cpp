#include "robots/params.hpp"

#include <cmath>
#include <nlohmann/json.hpp>

namespace tb::robots {
namespace {

using json = nlohmann::json;

json typed(const ParamSpec& spec, double v) {
  if (spec.type == ParamType::Boolean) return v != 0;
  if (spec.type == ParamType::Integer) return static_cast<int64_t>(v);
  return v;
}

// One value against its spec.
Result<double> check_value(const ParamSpec& spec, const json& v) {
  std::string field = "params." + spec.name;
  if (spec.type == ParamType::Boolean) {
    if (!v.is_boolean()) return Error::invalid(field, "must be true or false");
    return v.get<bool>() ? 1.0 : 0.0;
  }
  if (!v.is_number()) return Error::invalid(field, "must be " + std::string(spec.type == ParamType::Integer ? "an integer" : "a number"));
  double x = v.get<double>();
  if (spec.type == ParamType::Integer && (!v.is_number_integer() && std::floor(x) != x)) return Error::invalid(field, "must be an integer");
  if (!std::isfinite(x) || x < spec.min || x > spec.max)
    return Error::invalid(field,
                          "must be between " + typed(spec, spec.min).dump() + " and " + typed(spec, spec.max).dump() + ", got " + v.dump());
  return x;
}

}  // namespace

std::string_view to_string(ParamType type) {
  switch (type) {
    case ParamType::Integer: return "integer";
    case ParamType::Number: return "number";
    case ParamType::Boolean: return "boolean";
  }
  return "?";
}

Result<Params> parse_params(const std::vector<ParamSpec>& schema, std::string_view text) {
  json given = json::object();
  if (text.find_first_not_of(" \t\r\n") != std::string_view::npos) {
    given = json::parse(text, nullptr, false);
    if (given.is_discarded() || !given.is_object()) return Error::invalid("params", "must be a JSON object, as {\"fast\": 10}");
  }
  std::map<std::string, double> values;
  for (const auto& spec : schema) values[spec.name] = spec.default_value;
  for (const auto& [name, v] : given.items()) {
    const ParamSpec* spec = nullptr;
    for (const auto& s : schema)
      if (s.name == name) spec = &s;
    if (!spec) return Error::invalid("params." + name, "is no parameter of this strategy");
    auto x = check_value(*spec, v);
    if (!x) return x.error();
    values[name] = *x;
  }
  return Params(std::move(values));
}

json params_json(const std::vector<ParamSpec>& schema, const Params& params) {
  json out = json::object();
  for (const auto& spec : schema) out[spec.name] = typed(spec, params.number(spec.name));
  return out;
}

json schema_json(const std::vector<ParamSpec>& schema) {
  json out = json::array();
  for (const auto& s : schema) {
    json row = {{"name", s.name}, {"type", to_string(s.type)}, {"default", typed(s, s.default_value)}, {"description", s.description}};
    if (s.type != ParamType::Boolean) row["min"] = typed(s, s.min), row["max"] = typed(s, s.max);
    out.push_back(std::move(row));
  }
  return out;
}

}  // namespace tb::robots
