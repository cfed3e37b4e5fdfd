#include "telegram/dialog.hpp"

#include <array>
#include <utility>

#include <nlohmann/json.hpp>

namespace tb::telegram {

namespace {

constexpr std::array<std::pair<Step, std::string_view>, kStepCount> kSteps{{
    {Step::Idle, "idle"},
    {Step::PickExchange, "pick_exchange"},
    {Step::AwaitKey, "await_key"},
    {Step::AwaitSecret, "await_secret"},
    {Step::AwaitCode, "await_code"},
    {Step::Checking, "checking"},
    {Step::Rename, "rename"},
    {Step::ConfirmDelete, "confirm_delete"},
    {Step::PickAccount, "pick_account"},
    {Step::PickVolume, "pick_volume"},
    {Step::AwaitAmount, "await_amount"},
    {Step::ConfirmStart, "confirm_start"},
    {Step::ConfirmStop, "confirm_stop"},
    {Step::ConfirmRemove, "confirm_remove"},
}};

}  // namespace

std::string_view to_string(Step s) {
  for (const auto& [step, name] : kSteps)
    if (step == s) return name;
  return "idle";
}

void Dialog::begin(Step next, int64_t now_ms) {
  step = next;
  ++gen;
  since_ms = now_ms;
}

void Dialog::reset(int64_t now_ms) {
  int64_t g = gen;
  bool off = notices_off;  // a setting, not a step
  *this = Dialog{};
  gen = g;
  notices_off = off;
  begin(Step::Idle, now_ms);
}

std::string Dialog::to_json() const {
  nlohmann::json j = {{"step", to_string(step)}, {"gen", gen}, {"since", since_ms}};
  if (!exchange.empty()) j["exchange"] = exchange;
  if (account_id) j["account_id"] = account_id;
  if (replace) j["replace"] = true;
  if (message_id) j["message_id"] = message_id;
  if (!masked_key.empty()) j["masked_key"] = masked_key;
  if (notices_off) j["notices_off"] = true;
  if (robot_id) j["robot_id"] = robot_id;
  if (user_robot_id) j["user_robot_id"] = user_robot_id;
  if (volume_type) j["volume_type"] = volume_type;
  return j.dump();
}

Dialog Dialog::from_json(std::string_view text) {
  Dialog d;
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_object()) return d;
  auto integer = [&](const char* name) -> int64_t {
    auto it = j.find(name);
    return it != j.end() && it->is_number_integer() ? it->get<int64_t>() : 0;
  };
  auto string = [&](const char* name) -> std::string {
    auto it = j.find(name);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  d.gen = integer("gen");
  auto off = j.find("notices_off");
  d.notices_off = off != j.end() && off->is_boolean() && off->get<bool>();
  std::string step = string("step");
  bool known = false;
  for (const auto& [s, name] : kSteps)
    if (name == step) {
      d.step = s;
      known = true;
    }
  if (!known) return d;
  d.since_ms = integer("since");
  d.exchange = string("exchange");
  d.account_id = integer("account_id");
  d.message_id = integer("message_id");
  d.masked_key = string("masked_key");
  d.robot_id = integer("robot_id");
  d.user_robot_id = integer("user_robot_id");
  d.volume_type = static_cast<int>(integer("volume_type"));
  auto r = j.find("replace");
  d.replace = r != j.end() && r->is_boolean() && r->get<bool>();
  return d;
}

}  // namespace tb::telegram
