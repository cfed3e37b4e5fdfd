#include "accounts/account_view.hpp"

#include <ctime>

#include "accounts/user_texts.hpp"
#include "venues/registry.hpp"

namespace tb::accounts {

std::string iso_time(int64_t ms) {
  std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  char out[40];
  std::snprintf(out, sizeof out, "%s.%03dZ", buf, static_cast<int>(ms % 1000));
  return out;
}

std::string mask_key(std::string_view key) {
  // Short keys would be mostly revealed by four and four: show less of them.
  size_t show = key.size() >= 16 ? 4 : key.size() / 4;
  return std::string(key.substr(0, show)) + "\u2026" + std::string(key.substr(key.size() - show));
}

std::string_view venue_display_name(std::string_view venue) { return venues::display_name_of(venue); }

nlohmann::json step_json(const store::KeyTestStep& s) {
  return {{"name", store::to_string(s.name)}, {"state", store::to_string(s.state)}, {"message", s.message}, {"duration_ms", s.duration_ms}};
}

nlohmann::json key_test_json(const store::KeyTest& t) {
  nlohmann::json steps = nlohmann::json::array();
  for (const auto& s : t.steps) steps.push_back(step_json(s));
  nlohmann::json j = {{"id", t.id},
                      {"started_at", iso_time(t.started_ms)},
                      {"finished_at", t.finished_ms ? nlohmann::json(iso_time(*t.finished_ms)) : nlohmann::json(nullptr)},
                      {"outcome", t.outcome.empty() ? nlohmann::json(nullptr) : nlohmann::json(t.outcome)},
                      {"steps", std::move(steps)}};
  return j;
}

namespace {

nlohmann::json order_ref_json(const store::OrderRecord& o) {
  return {{"symbol", o.symbol}, {"order_id", o.venue_order_id}, {"client_order_id", o.client_order_id}};
}

nlohmann::json pending_orders_json(const AccountView& v) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& o : v.unsettled_orders)
    out.push_back({{"exchange", o.venue},
                   {"symbol", o.symbol},
                   {"order_id", o.venue_order_id},
                   {"client_order_id", o.client_order_id},
                   {"state", o.state},
                   {"note", o.note},
                   {"since", iso_time(o.created_ms)}});
  return out;
}

// The ledger's orders in doubt first: they stay until the venue's answers settle them, whatever the
// latest test said.
nlohmann::json warnings_of(const AccountView& v) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& o : v.unsettled_orders)
    out.push_back("A test order may still be open on " + std::string(venue_display_name(o.venue)) + " (" + o.symbol + ", client order id " +
                  o.client_order_id + (o.venue_order_id.empty() ? "" : ", order " + o.venue_order_id) +
                  "); we keep trying to cancel it. If you can, cancel it by hand on the exchange.");
  if (v.last_test)
    for (const auto& w : v.last_test->warnings) out.push_back(w);
  return out;
}

// What to do after the latest test, and what became of a refused key pair (user_texts.hpp: one rule).
void put_advice(nlohmann::json& j, const store::Account& a, InvalidReason reason) {
  const bool judged = a.status == store::AccountStatus::Invalid || a.status == store::AccountStatus::Unverified;
  std::string advice = judged && reason != InvalidReason::None ? advice_for(reason, a.venue) : "";
  const bool kept = !(a.status == store::AccountStatus::Invalid && reason != InvalidReason::None && !keeps_key(reason));
  j["advice"] = advice.empty() ? nlohmann::json(nullptr) : nlohmann::json(advice);
  j["key_kept"] = kept;
  j["key_note"] = kept ? nlohmann::json(nullptr) : nlohmann::json(kRefusedKeyErased);
}

}  // namespace

// Every input below is also listed in ViewRenderer's inputs_of: add new ones there too.
nlohmann::json to_json(const AccountView& v) {
  const store::Account& a = v.account;
  const bool refused = v.last_test && v.last_test->reason != store::InvalidReason::None;
  const bool expires = v.last_test && v.last_test->trading_expires_ms;
  nlohmann::json j = {
      {"id", a.id},
      {"name", a.name},
      {"exchange", a.venue},
      {"exchange_name", venue_display_name(a.venue)},
      {"status", store::to_string(a.status)},
      {"reason", a.reason.empty() ? nlohmann::json(nullptr) : nlohmann::json(a.reason)},
      {"reason_code", refused ? nlohmann::json(store::to_string(v.last_test->reason)) : nlohmann::json(nullptr)},
      {"key", a.masked_key},
      {"balances", a.portfolio.balances},
      {"positions", a.portfolio.positions},
      {"usd_total", a.usd_total.to_plain_string()},
      {"last_checked_at", a.last_checked_ms ? nlohmann::json(iso_time(*a.last_checked_ms)) : nlohmann::json(nullptr)},
      {"created_at", iso_time(a.created_ms)},
      {"updated_at", iso_time(a.updated_ms)},
      {"warnings", warnings_of(v)},
      {"order_to_cancel_by_hand", v.unsettled_orders.empty() ? nlohmann::json(nullptr) : order_ref_json(v.unsettled_orders.front())},
      {"pending_orders", pending_orders_json(v)},
      {"trading_expires_at", expires ? nlohmann::json(iso_time(*v.last_test->trading_expires_ms)) : nlohmann::json(nullptr)},
      {"test", v.last_test ? key_test_json(*v.last_test) : nlohmann::json(nullptr)},
  };
  put_advice(j, a, v.last_test ? v.last_test->reason : InvalidReason::None);
  return j;
}

namespace {

void put(std::string& out, std::string_view field) {
  out += std::to_string(field.size());
  out += ':';
  out += field;
}

void put(std::string& out, int64_t n) {
  out += std::to_string(n);
  out += ';';
}

// Every field to_json reads, each length-prefixed or terminated: equal strings mean equal JSON.
void inputs_of(const AccountView& v, std::string& out) {
  const store::Account& a = v.account;
  out.clear();
  put(out, a.id);
  put(out, a.name);
  put(out, a.venue);
  put(out, static_cast<int64_t>(a.status));
  put(out, a.reason);
  put(out, a.masked_key);
  put(out, static_cast<int64_t>(a.portfolio.balances.size()));
  for (const auto& b : a.portfolio.balances) {
    put(out, b.asset);
    put(out, b.total.to_string());
    put(out, b.free.to_string());
    put(out, b.used.to_string());
  }
  put(out, static_cast<int64_t>(a.portfolio.positions.size()));
  for (const auto& p : a.portfolio.positions) {
    put(out, p.symbol);
    put(out, p.amount.to_string());
    put(out, p.entry_price.to_string());
    put(out, p.unrealized_pnl.to_string());
    put(out, p.leverage ? p.leverage->to_string() : "-");
  }
  put(out, a.usd_total.to_string());
  put(out, a.last_checked_ms ? 1 : 0);
  put(out, a.last_checked_ms.value_or(0));
  put(out, a.created_ms);
  put(out, a.updated_ms);
  put(out, static_cast<int64_t>(v.unsettled_orders.size()));
  for (const auto& o : v.unsettled_orders) {
    put(out, o.id);
    put(out, o.updated_ms);
    put(out, o.state);
    put(out, o.venue_order_id);
    put(out, o.note);
  }
  put(out, v.last_test ? 1 : 0);
  if (!v.last_test) return;
  const store::KeyTest& t = *v.last_test;
  put(out, t.id);
  put(out, t.started_ms);
  put(out, t.finished_ms ? 1 : 0);
  put(out, t.finished_ms.value_or(0));
  put(out, t.outcome);
  put(out, static_cast<int64_t>(t.steps.size()));
  for (const auto& s : t.steps) {
    put(out, static_cast<int64_t>(s.name));
    put(out, static_cast<int64_t>(s.state));
    put(out, s.message);
    put(out, s.duration_ms);
  }
  put(out, static_cast<int64_t>(t.reason));
  put(out, static_cast<int64_t>(t.warnings.size()));
  for (const auto& w : t.warnings) put(out, w);
  put(out, t.trading_expires_ms ? 1 : 0);
  put(out, t.trading_expires_ms.value_or(0));
}

}  // namespace

const std::string& ViewRenderer::render(const AccountView& view) {
  inputs_of(view, scratch_);
  auto it = entries_.find(view.account.id);
  if (it != entries_.end() && it->second.inputs == scratch_) return it->second.text;
  if (it == entries_.end()) {
    if (entries_.size() >= capacity_) entries_.erase(entries_.begin());
    it = entries_.emplace(view.account.id, Entry{}).first;
  }
  it->second.inputs.swap(scratch_);
  it->second.text = to_json(view).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return it->second.text;
}

}  // namespace tb::accounts
