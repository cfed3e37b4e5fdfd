#include "web/json_body.hpp"

#include <algorithm>

#include "accounts/key_input.hpp"
#include "crypto/secret.hpp"
#include "net/utf8.hpp"

namespace tb::web {
namespace {

using nlohmann::json;

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool iequals_ascii(std::string_view a, std::string_view b) { return net::iequals(a, b); }

// A name the request chose (a field, a media type) as an error message may show it: free of anything a
// terminal would act on, and only when short and not shaped like a key (a secret pasted as a field name is
// not repeated, not even in part).
std::string printable_name(std::string_view name) {
  if (name.size() > accounts::kMaxEchoChars || accounts::looks_like_key(name)) return "(not repeated)";
  std::string out;
  for (char c : name) out += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? '?' : c;
  return out;
}

// The parser's words without the input it echoes: "parse error at line 1, column 9: syntax error while
// parsing value - invalid literal" from "[json.exception.parse_error.101] parse error at line 1, column 9:
// syntax error while parsing value - invalid literal; last read: '...'". Everything nlohmann writes before
// the first "; " is its own fixed text; the token it last read (possibly a secret) comes after.
std::string parser_message(const json::exception& ex) {
  std::string_view what = ex.what();
  auto start = what.find("] ");
  what = start == std::string_view::npos ? what : what.substr(start + 2);
  auto cut = what.find("; ");
  if (cut != std::string_view::npos) what = what.substr(0, cut);
  return std::string(what);
}

struct DomBuilder {
  size_t max_depth;
  json root;
  std::vector<json*> stack;  // open containers; pointers stay valid while a container is open
  json* slot = nullptr;      // where the next value goes when the innermost container is an object
  std::optional<ApiError> error;

  json* place() {
    if (stack.empty()) return &root;
    json* top = stack.back();
    if (top->is_array()) {
      top->push_back(nullptr);
      return &top->back();
    }
    return slot;
  }
  bool value(json v) {
    *place() = std::move(v);
    return true;
  }
  bool open(json v) {
    if (stack.size() + 1 > max_depth) {
      error = invalid_argument("JSON nested deeper than " + std::to_string(max_depth) + " levels");
      return false;
    }
    json* p = place();
    *p = std::move(v);
    stack.push_back(p);
    return true;
  }
  bool close() {
    stack.pop_back();
    return true;
  }

  // The SAX interface of nlohmann::json.
  bool null() { return value(nullptr); }
  bool boolean(bool b) { return value(b); }
  bool number_integer(json::number_integer_t v) { return value(v); }
  bool number_unsigned(json::number_unsigned_t v) { return value(v); }
  bool number_float(json::number_float_t v, const json::string_t&) { return value(v); }
  bool string(json::string_t& s) { return value(std::move(s)); }
  bool binary(json::binary_t&) { return false; }  // not produced by the JSON parser
  bool start_object(std::size_t) { return open(json::object()); }
  bool end_object() { return close(); }
  bool start_array(std::size_t) { return open(json::array()); }
  bool end_array() { return close(); }
  bool key(json::string_t& k) {
    auto [it, inserted] = stack.back()->emplace(k, nullptr);
    if (!inserted) {
      // The key is a name, not a value; still shortened and cleaned before it is shown.
      error = invalid_argument("duplicate field: " + printable_name(k), stack.size() == 1 ? printable_name(k) : std::string());
      return false;
    }
    slot = &it.value();
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const json::exception& ex) {
    if (ex.id == 406) {
      error = invalid_argument("malformed JSON: a number is out of range");
    } else {
      error = invalid_argument("malformed JSON: " + parser_message(ex));
    }
    return false;
  }
};

}  // namespace

bool is_json_content_type(std::string_view content_type) {
  auto semi = content_type.find(';');
  if (!iequals_ascii(trim(content_type.substr(0, semi)), "application/json")) return false;
  // Each parameter in turn; `params` is what follows the last ';' read.
  std::string_view params = semi == std::string_view::npos ? std::string_view() : content_type.substr(semi + 1);
  while (semi != std::string_view::npos) {
    semi = params.find(';');
    auto param = trim(params.substr(0, semi));
    params = semi == std::string_view::npos ? std::string_view() : params.substr(semi + 1);
    if (param.empty()) continue;
    auto eq = param.find('=');
    if (eq == std::string_view::npos) return false;
    auto name = trim(param.substr(0, eq));
    auto value = trim(param.substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
    if (!iequals_ascii(name, "charset") || !iequals_ascii(value, "utf-8")) return false;
  }
  return true;
}

namespace {

void wipe_strings(nlohmann::json& j) noexcept {
  if (j.is_string()) crypto::secure_zero(*j.get_ptr<std::string*>());
  else if (j.is_structured())
    for (auto& v : j) wipe_strings(v);
}

}  // namespace

void JsonBody::wipe() noexcept { wipe_strings(json_); }

ApiResult<JsonBody> JsonBody::parse(const net::HttpRequest& request, const JsonBodyLimits& limits) {
  return parse(request.header("Content-Type"), request.body, limits);
}

ApiResult<JsonBody> JsonBody::parse(const std::string* content_type, std::string_view body, const JsonBodyLimits& limits) {
  if (!content_type) return unsupported_media_type("Content-Type must be application/json; the request has none");
  if (!is_json_content_type(*content_type))
    return unsupported_media_type("Content-Type must be application/json (charset utf-8), not " + printable_name(*content_type));
  if (body.size() > limits.max_bytes) return payload_too_large(limits.max_bytes);
  if (trim(body).empty()) return invalid_argument("request body is empty; expected a JSON object");

  DomBuilder b;
  b.max_depth = static_cast<size_t>(std::max(limits.max_depth, 1));
  bool ok = false;
  try {
    ok = json::sax_parse(body, &b, json::input_format_t::json, true);
  } catch (const std::exception&) {  // only bad_alloc is possible here; say nothing more
    return invalid_argument("malformed JSON");
  }
  if (!ok || b.error) return b.error ? std::move(*b.error) : invalid_argument("malformed JSON");
  if (!b.root.is_object()) return invalid_argument("request body must be a JSON object");
  return JsonBody(std::move(b.root));
}

void JsonBody::fail(std::string_view name, std::string what) {
  if (error_) return;
  error_ = invalid_argument(std::string(name) + ": " + std::move(what), std::string(name));
}

nlohmann::json* JsonBody::take(std::string_view name) {
  if (std::find(read_.begin(), read_.end(), name) == read_.end()) read_.emplace_back(name);
  auto it = json_.find(name);
  if (it == json_.end() || it->is_null()) return nullptr;
  return &*it;
}

bool JsonBody::valid_string(std::string_view name, const nlohmann::json& v, size_t max_chars) {
  if (!v.is_string()) {
    fail(name, "must be a string");
    return false;
  }
  const auto& s = v.get_ref<const std::string&>();
  size_t i = 0, chars = 0;
  uint32_t cp = 0;
  bool control = false;
  while (i < s.size()) {
    if (!net::next_code_point(s, i, cp)) {
      fail(name, "must be valid UTF-8");
      return false;
    }
    control = control || net::is_control(cp);
    ++chars;
  }
  if (chars > max_chars) {
    fail(name, "at most " + std::to_string(max_chars) + " characters");
    return false;
  }
  if (control) {
    fail(name, "must not contain control characters");
    return false;
  }
  return true;
}

std::string JsonBody::required_string(std::string_view name, size_t max_chars) {
  const nlohmann::json* v = take(name);
  if (!v) {
    fail(name, "required");
    return {};
  }
  if (!valid_string(name, *v, max_chars)) return {};
  return v->get<std::string>();
}

std::optional<std::string> JsonBody::optional_string(std::string_view name, size_t max_chars) {
  const nlohmann::json* v = take(name);
  if (!v) return std::nullopt;
  if (!valid_string(name, *v, max_chars)) return std::nullopt;
  return v->get<std::string>();
}

crypto::Secret JsonBody::required_secret(std::string_view name, size_t max_chars) {
  nlohmann::json* v = take(name);
  if (!v) {
    fail(name, "required");
    return {};
  }
  if (!valid_string(name, *v, max_chars)) return {};
  std::string& text = *v->get_ptr<std::string*>();
  crypto::Secret secret(std::move(text));
  crypto::secure_zero(text);  // a short string's bytes stay in the moved-from buffer
  return secret;
}

std::optional<int64_t> JsonBody::optional_int(std::string_view name, int64_t min, int64_t max) {
  const nlohmann::json* v = take(name);
  if (!v) return std::nullopt;
  bool unbounded = min == std::numeric_limits<int64_t>::min() && max == std::numeric_limits<int64_t>::max();
  auto out_of_range = [&] {
    fail(name, unbounded ? std::string("out of range") : "must be between " + std::to_string(min) + " and " + std::to_string(max));
    return std::nullopt;
  };
  if (v->is_number_unsigned()) {
    auto u = v->get<uint64_t>();
    if (max < 0 || u > static_cast<uint64_t>(max) || static_cast<int64_t>(u) < min) return out_of_range();
    return static_cast<int64_t>(u);
  }
  if (v->is_number_integer()) {
    auto i = v->get<int64_t>();
    if (i < min || i > max) return out_of_range();
    return i;
  }
  if (v->is_number_float()) {
    // Integers too large for 64 bits reach us as floats: they are out of range, not "not integers".
    double d = v->get<double>();
    if (d >= 9223372036854775808.0 || d <= -9223372036854775808.0) return out_of_range();
    fail(name, "must be an integer (written without a decimal point or exponent)");
    return std::nullopt;
  }
  fail(name, "must be an integer");
  return std::nullopt;
}

std::optional<bool> JsonBody::optional_bool(std::string_view name) {
  const nlohmann::json* v = take(name);
  if (!v) return std::nullopt;
  if (!v->is_boolean()) {
    fail(name, "must be true or false");
    return std::nullopt;
  }
  return v->get<bool>();
}

const nlohmann::json* JsonBody::optional_value(std::string_view name) { return take(name); }

std::optional<ApiError> JsonBody::finish() const {
  if (error_) return error_;
  for (auto it = json_.begin(); it != json_.end(); ++it) {
    if (std::find(read_.begin(), read_.end(), it.key()) == read_.end())
      return invalid_argument("unknown field: " + printable_name(it.key()), printable_name(it.key()));
  }
  return std::nullopt;
}

}  // namespace tb::web
