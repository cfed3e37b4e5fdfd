#include "cluster/event_codec.hpp"

#include <nlohmann/json.hpp>

namespace tb::cluster {

namespace {

using accounts::AccountChanged;
using nlohmann::json;

json encode_event(const accounts::AccountEvent& e) {
  json j = {{"u", e.user_id}};
  if (auto* c = std::get_if<AccountChanged>(&e.what)) {
    j["t"] = "account";
    j["a"] = c->view.account.id;
    j["c"] = static_cast<int>(c->change);
  } else if (auto* s = std::get_if<accounts::KeyTestStepped>(&e.what)) {
    j["t"] = "step";
    j["a"] = s->account_id;
    j["k"] = s->test_id;
    j["s"] = {
        {"n", store::to_string(s->step.name)}, {"st", store::to_string(s->step.state)}, {"m", s->step.message}, {"d", s->step.duration_ms}};
  } else if (auto* d = std::get_if<accounts::AccountDeleted>(&e.what)) {
    j["t"] = "deleted";
    j["a"] = d->account_id;
  } else if (auto* n = std::get_if<accounts::Notice>(&e.what)) {
    j["t"] = "notice";
    j["n"] = n->name;
    j["d"] = n->data_json;
    j["x"] = n->text;
  }
  return j;
}

std::optional<accounts::AccountEvent> decode_step(const json& j, int64_t user) {
  const json& s = j.at("s");
  auto name = store::parse_step_name(s.at("n").get<std::string>());
  auto state = store::parse_step_state(s.at("st").get<std::string>());
  if (!name || !state) return std::nullopt;
  store::KeyTestStep step{*name, *state, s.at("m").get<std::string>(), s.at("d").get<int64_t>()};
  return accounts::AccountEvent{user, accounts::KeyTestStepped{j.at("a").get<int64_t>(), j.at("k").get<int64_t>(), step}};
}

std::optional<accounts::AccountEvent> decode_event(const json& j, const std::string& type, const ViewOf& view_of) {
  const int64_t user = j.at("u").get<int64_t>();
  if (type == "account") {
    const int change = j.at("c").get<int>();
    if (change < 0 || change > static_cast<int>(AccountChanged::Change::Invalid)) return std::nullopt;
    auto view = view_of(user, j.at("a").get<int64_t>());
    if (!view) return std::nullopt;
    return accounts::AccountEvent{user, AccountChanged{static_cast<AccountChanged::Change>(change), std::move(*view)}};
  }
  if (type == "step") return decode_step(j, user);
  if (type == "deleted") return accounts::AccountEvent{user, accounts::AccountDeleted{j.at("a").get<int64_t>()}};
  if (type == "notice")
    return accounts::AccountEvent{
        user, accounts::Notice{j.at("n").get<std::string>(), j.at("d").get<std::string>(), j.at("x").get<std::string>()}};
  return std::nullopt;
}

}  // namespace

std::optional<std::string> encode(const Crossing& c, int64_t seq) {
  json j;
  if (auto* e = std::get_if<accounts::AccountEvent>(&c)) j = encode_event(*e);
  else if (auto* s = std::get_if<SessionEnded>(&c)) j = {{"t", "session_end"}, {"h", s->token_hash}};
  else j = {{"t", "wake"}};
  if (seq > 0) j["q"] = seq;
  std::string out = j.dump();
  if (out.size() > kMaxPayload) return std::nullopt;
  return out;
}

std::optional<int64_t> sequence_of(const std::string& payload) {
  auto j = json::parse(payload, nullptr, false);
  if (!j.is_object() || !j.contains("q") || !j["q"].is_number_integer()) return std::nullopt;
  return j["q"].get<int64_t>();
}

std::optional<Crossing> decode(const std::string& payload, const ViewOf& view_of) {
  auto j = json::parse(payload, nullptr, false);
  if (!j.is_object() || !j.contains("t") || !j["t"].is_string()) return std::nullopt;
  const std::string type = j["t"].get<std::string>();
  try {
    if (type == "session_end") return Crossing{SessionEnded{j.at("h").get<std::string>()}};
    if (type == "wake") return Crossing{Wake{}};
    auto e = decode_event(j, type, view_of);
    if (!e) return std::nullopt;
    return Crossing{std::move(*e)};
  } catch (const json::exception&) {
    return std::nullopt;  // a field missing or of another type: not one of ours
  }
}

}  // namespace tb::cluster
