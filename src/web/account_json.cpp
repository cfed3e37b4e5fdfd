#include "web/account_json.hpp"

#include <variant>

namespace tb::web {

nlohmann::json step_json(const store::KeyTestStep& s) {
  return {{"name", store::to_string(s.name)}, {"state", store::to_string(s.state)}, {"message", s.message}, {"duration_ms", s.duration_ms}};
}

nlohmann::json key_test_json(const store::KeyTest& t) {
  nlohmann::json steps = nlohmann::json::array();
  for (const auto& s : t.steps) steps.push_back(step_json(s));
  nlohmann::json j = {{"id", t.id},
                      {"started_at", accounts::iso_time(t.started_ms)},
                      {"finished_at", t.finished_ms ? nlohmann::json(accounts::iso_time(*t.finished_ms)) : nlohmann::json(nullptr)},
                      {"outcome", t.outcome.empty() ? nlohmann::json(nullptr) : nlohmann::json(t.outcome)},
                      {"steps", std::move(steps)}};
  return j;
}

namespace {

nlohmann::json order_ref_json(const store::OrderRecord& o) {
  return {{"symbol", o.symbol}, {"order_id", o.venue_order_id}, {"client_order_id", o.client_order_id}};
}

nlohmann::json pending_orders_json(const accounts::AccountView& v) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& o : v.unsettled_orders)
    out.push_back({{"exchange", o.venue},
                   {"symbol", o.symbol},
                   {"order_id", o.venue_order_id},
                   {"client_order_id", o.client_order_id},
                   {"state", o.state},
                   {"note", o.note},
                   {"since", accounts::iso_time(o.created_ms)}});
  return out;
}

nlohmann::json text_or_null(const std::string& s) { return s.empty() ? nlohmann::json(nullptr) : nlohmann::json(s); }

}  // namespace

// Every input below is also listed in ViewRenderer's inputs_of: add new ones there too.
nlohmann::json to_json(const accounts::AccountView& v) {
  const store::Account& a = v.account;
  const store::InvalidReason refusal = accounts::refusal_of(v);
  const accounts::KeyAdvice advice = accounts::advice_of(v);
  const store::OrderRecord* by_hand = accounts::order_to_cancel_by_hand(v);
  const bool expires = v.last_test && v.last_test->trading_expires_ms;
  nlohmann::json j = {
      {"id", a.id},
      {"name", a.name},
      {"exchange", a.venue},
      {"exchange_name", accounts::venue_display_name(a.venue)},
      {"status", store::to_string(a.status)},
      {"reason", a.reason.empty() ? nlohmann::json(nullptr) : nlohmann::json(a.reason)},
      {"reason_code", refusal == store::InvalidReason::None ? nlohmann::json(nullptr) : nlohmann::json(store::to_string(refusal))},
      {"key", a.masked_key},
      {"balances", a.portfolio.balances},
      {"positions", a.portfolio.positions},
      {"usd_total", a.usd_total.to_plain_string()},
      {"last_checked_at", a.last_checked_ms ? nlohmann::json(accounts::iso_time(*a.last_checked_ms)) : nlohmann::json(nullptr)},
      {"created_at", accounts::iso_time(a.created_ms)},
      {"updated_at", accounts::iso_time(a.updated_ms)},
      {"warnings", accounts::warnings_of(v)},
      {"order_to_cancel_by_hand", by_hand ? order_ref_json(*by_hand) : nlohmann::json(nullptr)},
      {"pending_orders", pending_orders_json(v)},
      {"trading_expires_at", expires ? nlohmann::json(accounts::iso_time(*v.last_test->trading_expires_ms)) : nlohmann::json(nullptr)},
      {"test", v.last_test ? key_test_json(*v.last_test) : nlohmann::json(nullptr)},
      {"advice", text_or_null(advice.advice)},
      {"key_kept", advice.key_kept},
      {"key_note", text_or_null(advice.key_note)},
  };
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
void inputs_of(const accounts::AccountView& v, std::string& out) {
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

const std::string& ViewRenderer::render(const accounts::AccountView& view) {
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

std::string_view event_name(const accounts::AccountEvent& e) {
  using Change = accounts::AccountChanged::Change;
  if (const auto* c = std::get_if<accounts::AccountChanged>(&e.what)) {
    switch (c->change) {
      case Change::Created: return "account.created";
      case Change::Tested: return "account.tested";
      case Change::Invalid: return "account.invalid";
      case Change::Updated: return "account.updated";
    }
  }
  if (const auto* n = std::get_if<accounts::Notice>(&e.what)) return n->name;
  return std::holds_alternative<accounts::KeyTestStepped>(e.what) ? "key_test.step" : "account.deleted";
}

nlohmann::json event_data(const accounts::AccountEvent& e) {
  if (const auto* c = std::get_if<accounts::AccountChanged>(&e.what)) return to_json(c->view);
  if (const auto* s = std::get_if<accounts::KeyTestStepped>(&e.what))
    return {{"account_id", s->account_id}, {"test_id", s->test_id}, {"step", step_json(s->step)}};
  if (const auto* n = std::get_if<accounts::Notice>(&e.what)) return nlohmann::json::parse(n->data_json, nullptr, false);
  return {{"id", std::get<accounts::AccountDeleted>(e.what).account_id}};
}

nlohmann::json account_order_json(const accounts::AccountOrder& a) {
  using nlohmann::json;
  const Order& o = a.order;
  auto text = [](const std::optional<Decimal>& d) { return d ? json(d->to_string()) : json(nullptr); };
  return {{"id", o.id},
          {"client_order_id", o.client_order_id},
          {"symbol", o.symbol},
          {"side", to_string(o.side)},
          {"type", to_string(o.type)},
          {"venue_type", o.venue_type},
          {"status", to_string(o.status)},
          {"amount", o.amount.to_string()},
          {"filled", o.filled.to_string()},
          {"price", text(o.price)},
          {"trigger_price", text(o.trigger_price)},
          {"reduce_only", o.reduce_only},
          {"description", accounts::order_terms(o)},
          {"ours", a.ours},
          {"user_robot_id", a.user_robot_id ? json(*a.user_robot_id) : json(nullptr)}};
}

}  // namespace tb::web
