#include "exsim/kraken/auth.hpp"

#include <charconv>

#include <nlohmann/json.hpp>

#include "crypto/encoding.hpp"
#include "crypto/hash.hpp"
#include "net/http.hpp"

namespace tb::exsim::kraken {
namespace {

bool is_json(std::string_view body, const std::string* content_type) {
  if (content_type && content_type->find("json") != std::string::npos) return true;
  auto first = body.find_first_not_of(" \t\r\n");
  return first != std::string_view::npos && body[first] == '{';
}

std::optional<Params> parse_json(std::string_view body) {
  auto j = nlohmann::json::parse(body.begin(), body.end(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return std::nullopt;
  Params out;
  for (auto it = j.begin(); it != j.end(); ++it) out[it.key()] = it->is_string() ? it->get<std::string>() : it->dump();
  return out;
}

}  // namespace

std::optional<Params> parse_params(std::string_view body, const std::string* content_type) {
  if (body.empty()) return Params{};
  if (is_json(body, content_type)) return parse_json(body);
  auto pairs = net::form_decode(body);
  if (!pairs) return std::nullopt;
  Params out;
  for (auto& [k, v] : *pairs) out.emplace(k, v);  // the first of repeated names wins
  return out;
}

std::optional<std::string> expected_api_sign(std::string_view secret_b64, std::string_view uri_path, std::string_view nonce,
                                             std::string_view body) {
  auto key = crypto::from_base64(secret_b64);
  if (!key) return std::nullopt;
  std::string inner_input;
  inner_input.reserve(nonce.size() + body.size());
  inner_input.append(nonce).append(body);
  std::string message(uri_path);
  message += crypto::sha256(inner_input);
  return crypto::base64(crypto::hmac_sha512(*key, message));
}

std::optional<uint64_t> parse_nonce(std::string_view text) {
  uint64_t v = 0;
  if (text.empty() || text.size() > 20) return std::nullopt;
  auto r = std::from_chars(text.data(), text.data() + text.size(), v);
  if (r.ec != std::errc{} || r.ptr != text.data() + text.size()) return std::nullopt;
  return v;
}

}  // namespace tb::exsim::kraken
