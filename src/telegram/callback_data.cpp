#include "telegram/callback_data.hpp"

#include <array>
#include <vector>

#include "venues/registry.hpp"

namespace tb::telegram {

namespace {

// The fields after the code.
enum class Args { None, Id, Gen, GenId, GenVenue, Venue };

struct Form {
  Action action;
  std::string_view code;
  Args args;
};

// One row per action, in the enum's order.
constexpr std::array<Form, kActionCount> kForms{{
    {Action::Main, data::kMain, Args::None},
    {Action::Settings, data::kSettings, Args::None},
    {Action::Keys, data::kKeys, Args::None},
    {Action::Portfolio, data::kPortfolio, Args::None},
    {Action::Robots, data::kRobots, Args::None},
    {Action::Help, data::kHelp, Args::None},
    {Action::Add, data::kAdd, Args::None},
    {Action::Account, "a", Args::Id},
    {Action::Retest, "t", Args::Id},
    {Action::Rename, "n", Args::Id},
    {Action::ReplaceKeys, "x", Args::Id},
    {Action::AskDelete, "d", Args::Id},
    {Action::ConfirmDelete, "D", Args::GenId},
    {Action::PickExchange, "e", Args::GenVenue},
    {Action::Cancel, "c", Args::Gen},
    {Action::FindRobots, data::kFindRobots, Args::None},
    {Action::RobotsOf, "fv", Args::Venue},
    {Action::RobotInfo, "ri", Args::Id},
    {Action::RobotStats, "rs", Args::Id},
    {Action::Notices, data::kNotices, Args::None},
    {Action::MyRobots, data::kMyRobots, Args::None},
    {Action::UserRobot, "u", Args::Id},
    {Action::MyStats, "us", Args::Id},
    {Action::Positions, "up", Args::Id},
    {Action::ChangeAmount, "ua", Args::Id},
    {Action::AskStart, "ug", Args::Id},
    {Action::AskStop, "uh", Args::Id},
    {Action::AskRemove, "ux", Args::Id},
    {Action::Follow, "fo", Args::Id},
    {Action::ConfirmStart, "UG", Args::GenId},
    {Action::StopClose, "UC", Args::GenId},
    {Action::StopKeep, "UK", Args::GenId},
    {Action::ConfirmRemove, "UX", Args::GenId},
    {Action::PickAccount, "fa", Args::GenId},
    {Action::PickVolume, "vt", Args::GenId},
    {Action::AccountOrders, "ao", Args::Id},
}};

constexpr bool forms_in_order() {
  for (size_t i = 0; i < kForms.size(); ++i)
    if (static_cast<size_t>(kForms[i].action) != i) return false;
  return true;
}
static_assert(forms_in_order(), "kForms lists the actions in the enum's order");

std::vector<std::string_view> fields(std::string_view d) {
  std::vector<std::string_view> parts;
  for (size_t start = 0;;) {
    auto colon = d.find(':', start);
    parts.push_back(d.substr(start, colon == std::string_view::npos ? std::string_view::npos : colon - start));
    if (colon == std::string_view::npos) return parts;
    start = colon + 1;
  }
}

// A non-negative decimal that fits int64_t, digits only.
std::optional<int64_t> number(std::string_view s) {
  if (s.empty() || s.size() > 19) return std::nullopt;
  int64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9' || v > (INT64_MAX - (c - '0')) / 10) return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

size_t field_count(Args a) {
  switch (a) {
    case Args::None: return 1;
    case Args::Id:
    case Args::Gen:
    case Args::Venue: return 2;
    case Args::GenId:
    case Args::GenVenue: return 3;
  }
  return 0;
}

// Reads the fields after the code into p; false when one is not what the form wants.
bool read_args(Args a, const std::vector<std::string_view>& parts, Press& p) {
  auto account_id = [&](std::string_view s) {
    auto id = number(s);
    if (id && *id > 0) p.id = *id;
    return id && *id > 0;
  };
  auto generation = [&](std::string_view s) {
    auto g = number(s);
    if (g) p.gen = *g;
    return g.has_value();
  };
  switch (a) {
    case Args::None: return true;
    case Args::Id: return account_id(parts[1]);
    case Args::Gen: return generation(parts[1]);
    case Args::GenId: return generation(parts[1]) && account_id(parts[2]);
    case Args::GenVenue:
      if (!generation(parts[1]) || !venues::find_venue(parts[2])) return false;
      p.venue = std::string(parts[2]);
      return true;
    case Args::Venue:
      if (!venues::find_venue(parts[1])) return false;
      p.venue = std::string(parts[1]);
      return true;
  }
  return false;
}

std::string with_number(Action a, int64_t n) { return std::string(code(a)) + ":" + std::to_string(n); }

}  // namespace

std::string_view code(Action a) { return kForms[static_cast<size_t>(a)].code; }

std::optional<Press> parse_press(std::string_view d) {
  const std::vector<std::string_view> parts = fields(d);
  for (const Form& f : kForms) {
    if (f.code != parts[0]) continue;
    Press p;
    p.action = f.action;
    if (parts.size() != field_count(f.args) || !read_args(f.args, parts, p)) return std::nullopt;
    return p;
  }
  return std::nullopt;
}

namespace data {
std::string account(int64_t id) { return with_number(Action::Account, id); }
std::string retest(int64_t id) { return with_number(Action::Retest, id); }
std::string account_orders(int64_t id) { return with_number(Action::AccountOrders, id); }
std::string rename(int64_t id) { return with_number(Action::Rename, id); }
std::string replace_keys(int64_t id) { return with_number(Action::ReplaceKeys, id); }
std::string ask_delete(int64_t id) { return with_number(Action::AskDelete, id); }
std::string confirm_delete(int64_t gen, int64_t id) { return with_number(Action::ConfirmDelete, gen) + ":" + std::to_string(id); }
std::string pick_exchange(int64_t gen, std::string_view venue) { return with_number(Action::PickExchange, gen) + ":" + std::string(venue); }
std::string cancel(int64_t gen) { return with_number(Action::Cancel, gen); }
std::string robots_of(std::string_view venue) { return std::string(code(Action::RobotsOf)) + ":" + std::string(venue); }
std::string robot_info(int64_t id) { return with_number(Action::RobotInfo, id); }
std::string robot_stats(int64_t id) { return with_number(Action::RobotStats, id); }
std::string user_robot(int64_t id) { return with_number(Action::UserRobot, id); }
std::string my_stats(int64_t id) { return with_number(Action::MyStats, id); }
std::string positions(int64_t id) { return with_number(Action::Positions, id); }
std::string change_amount(int64_t id) { return with_number(Action::ChangeAmount, id); }
std::string ask_start(int64_t id) { return with_number(Action::AskStart, id); }
std::string ask_stop(int64_t id) { return with_number(Action::AskStop, id); }
std::string ask_remove(int64_t id) { return with_number(Action::AskRemove, id); }
std::string follow(int64_t robot_id) { return with_number(Action::Follow, robot_id); }
std::string confirm_start(int64_t gen, int64_t id) { return with_number(Action::ConfirmStart, gen) + ":" + std::to_string(id); }
std::string stop_close(int64_t gen, int64_t id) { return with_number(Action::StopClose, gen) + ":" + std::to_string(id); }
std::string stop_keep(int64_t gen, int64_t id) { return with_number(Action::StopKeep, gen) + ":" + std::to_string(id); }
std::string confirm_remove(int64_t gen, int64_t id) { return with_number(Action::ConfirmRemove, gen) + ":" + std::to_string(id); }
std::string pick_account(int64_t gen, int64_t id) { return with_number(Action::PickAccount, gen) + ":" + std::to_string(id); }
std::string pick_volume(int64_t gen, int64_t type_no) { return with_number(Action::PickVolume, gen) + ":" + std::to_string(type_no); }
}  // namespace data

}  // namespace tb::telegram
