#include "observability/metrics.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <shared_mutex>

namespace tb::observability {
namespace {

// Series keys: label values in the family's order. Looked up by a span of string_views, so finding an
// existing series allocates nothing.
struct KeyLess {
  using is_transparent = void;
  template <typename A, typename B>
  bool operator()(const A& a, const B& b) const {
    return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end());
  }
};
using Key = std::vector<std::string>;

struct ErrorSink {
  std::mutex mu;
  std::optional<Error> error;
  void report(std::string message) {
    std::lock_guard lock(mu);
    if (!error) error = Error::make(ErrorKind::InvalidArgument, "metrics: " + std::move(message));
  }
};

template <typename S>
struct SeriesTable {
  mutable std::shared_mutex mu;
  std::map<Key, std::unique_ptr<S>, KeyLess> series;
};

bool is_metric_name(std::string_view s) {
  auto start = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':'; };
  return !s.empty() && start(s[0]) && std::all_of(s.begin(), s.end(), [&](char c) { return start(c) || (c >= '0' && c <= '9'); });
}

bool is_label_name(std::string_view s) {
  auto start = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; };
  return !s.empty() && start(s[0]) && s.substr(0, 2) != "__" &&
         std::all_of(s.begin(), s.end(), [&](char c) { return start(c) || (c >= '0' && c <= '9'); });
}

void append_labels(std::string& out, const std::vector<std::string>& names, const Key& values, std::string_view extra_name = {},
                   std::string_view extra_value = {}) {
  if (names.empty() && extra_name.empty()) return;
  out += '{';
  for (size_t i = 0; i < names.size(); ++i) {
    if (i) out += ',';
    out += names[i];
    out += "=\"";
    out += escape_label_value(values[i]);
    out += '"';
  }
  if (!extra_name.empty()) {
    if (!names.empty()) out += ',';
    out += extra_name;
    out += "=\"";
    out += extra_value;
    out += '"';
  }
  out += '}';
}

}  // namespace

struct FamilyBase {
  std::string name;
  std::string help;
  std::vector<std::string> label_names;
  ErrorSink* sink = nullptr;

  bool check_values(std::span<const std::string_view> values) const {
    if (values.size() == label_names.size()) return true;
    sink->report(name + ": " + std::to_string(values.size()) + " label values for " + std::to_string(label_names.size()) + " labels");
    return false;
  }

  // The series for values, created on first use; the detached one when values are wrong or too many.
  template <typename S, typename Make>
  S& find_or_add(SeriesTable<S>& table, std::span<const std::string_view> values, S& detached, Make make) {
    if (!check_values(values)) return detached;
    {
      std::shared_lock lock(table.mu);
      auto it = table.series.find(values);
      if (it != table.series.end()) return *it->second;
    }
    std::unique_lock lock(table.mu);
    auto it = table.series.find(values);
    if (it != table.series.end()) return *it->second;
    if (table.series.size() >= kMaxSeriesPerFamily) {
      lock.unlock();
      sink->report(name + ": more than " + std::to_string(kMaxSeriesPerFamily) + " series");
      return detached;
    }
    auto [ins, ok] = table.series.emplace(Key(values.begin(), values.end()), make());
    return *ins->second;
  }

  void render_header(std::string& out, std::string_view type) const {
    if (!help.empty()) {
      out += "# HELP " + name + ' ' + escape_help(help) + '\n';
    }
    out += "# TYPE " + name + ' ';
    out += type;
    out += '\n';
  }
};

struct CounterFamily::Impl : FamilyBase {
  SeriesTable<Counter> table;
  Counter detached;

  void render(std::string& out) const {
    render_header(out, "counter");
    std::shared_lock lock(table.mu);
    for (auto& [key, c] : table.series) {
      out += name;
      append_labels(out, label_names, key);
      out += ' ' + std::to_string(c->value()) + '\n';
    }
  }
};

struct HistogramFamily::Impl : FamilyBase {
  std::vector<double> bounds;
  std::vector<std::string> le;  // the bounds as written in the le label
  SeriesTable<Histogram> table;
  std::unique_ptr<Histogram> detached;

  void render(std::string& out) const {
    render_header(out, "histogram");
    std::shared_lock lock(table.mu);
    for (auto& [key, h] : table.series) {
      auto snap = h->snapshot();
      for (size_t i = 0; i <= bounds.size(); ++i) {
        out += name + "_bucket";
        append_labels(out, label_names, key, "le", i < bounds.size() ? std::string_view(le[i]) : "+Inf");
        out += ' ' + std::to_string(snap.cumulative[i]) + '\n';
      }
      out += name + "_sum";
      append_labels(out, label_names, key);
      out += ' ' + format_value(snap.sum) + '\n';
      out += name + "_count";
      append_labels(out, label_names, key);
      out += ' ' + std::to_string(snap.count) + '\n';
    }
  }
};

CounterFamily::CounterFamily(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
CounterFamily::~CounterFamily() = default;
HistogramFamily::HistogramFamily(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HistogramFamily::~HistogramFamily() = default;

Counter& CounterFamily::with(std::span<const std::string_view> values) {
  return impl_->find_or_add(impl_->table, values, impl_->detached, [] { return std::make_unique<Counter>(); });
}

Histogram& HistogramFamily::with(std::span<const std::string_view> values) {
  auto* impl = impl_.get();
  return impl->find_or_add(impl->table, values, *impl->detached, [impl] { return std::make_unique<Histogram>(impl->bounds); });
}

Histogram::Histogram(std::span<const double> bounds)
    : bounds_(bounds), counts_(std::make_unique<std::atomic<uint64_t>[]>(bounds.size() + 1)) {}

void Histogram::observe(double value) noexcept {
  if (std::isnan(value)) return;
  auto i = static_cast<size_t>(std::lower_bound(bounds_.begin(), bounds_.end(), value) - bounds_.begin());
  counts_[i].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(value, std::memory_order_relaxed);
}

Histogram::Snapshot Histogram::snapshot() const {
  Snapshot s;
  s.cumulative.resize(bounds_.size() + 1);
  uint64_t total = 0;
  for (size_t i = 0; i <= bounds_.size(); ++i) {
    total += counts_[i].load(std::memory_order_relaxed);
    s.cumulative[i] = total;
  }
  s.count = total;
  s.sum = sum_.load(std::memory_order_relaxed);
  return s;
}

struct MetricsRegistry::State {
  mutable std::mutex mu;
  ErrorSink sink;
  struct Entry {  // exactly one is set
    std::unique_ptr<CounterFamily> counter;
    std::unique_ptr<HistogramFamily> histogram;
    const FamilyBase& base() const { return counter ? static_cast<const FamilyBase&>(*counter->impl_) : *histogram->impl_; }
  };
  std::vector<Entry> families;
  std::vector<std::unique_ptr<CounterFamily>> detached_counters;
  std::vector<std::unique_ptr<HistogramFamily>> detached_histograms;

  Entry* find(std::string_view name) {
    for (auto& e : families)
      if (e.base().name == name) return &e;
    return nullptr;
  }

  // Checks a new family's name and labels; empty when fine.
  static std::string check(std::string_view name, const std::vector<std::string>& labels, bool histogram) {
    if (!is_metric_name(name)) return "bad metric name";
    for (size_t i = 0; i < labels.size(); ++i) {
      if (!is_label_name(labels[i])) return "bad label name '" + labels[i] + "'";
      if (histogram && labels[i] == "le") return "a histogram cannot have a label 'le'";
      for (size_t j = 0; j < i; ++j)
        if (labels[j] == labels[i]) return "label '" + labels[i] + "' twice";
    }
    return {};
  }

  template <typename Impl>
  std::unique_ptr<Impl> make_impl(std::string_view name, std::string_view help, std::vector<std::string> labels) {
    auto impl = std::make_unique<Impl>();
    impl->name = std::string(name);
    impl->help = std::string(help);
    impl->label_names = std::move(labels);
    impl->sink = &sink;
    return impl;
  }

  CounterFamily& detached_counter(std::string_view name, std::string_view help, std::vector<std::string> labels) {
    detached_counters.push_back(std::make_unique<CounterFamily>(make_impl<CounterFamily::Impl>(name, help, std::move(labels))));
    return *detached_counters.back();
  }
  HistogramFamily& detached_histogram(std::string_view name, std::string_view help, std::vector<std::string> labels) {
    auto impl = make_impl<HistogramFamily::Impl>(name, help, std::move(labels));
    impl->detached = std::make_unique<Histogram>(kDurationBuckets);
    detached_histograms.push_back(std::make_unique<HistogramFamily>(std::move(impl)));
    return *detached_histograms.back();
  }
};

MetricsRegistry::MetricsRegistry() : state_(std::make_unique<State>()) {}
MetricsRegistry::~MetricsRegistry() = default;

CounterFamily& MetricsRegistry::counter_family(std::string_view name, std::string_view help, std::vector<std::string> label_names) {
  std::lock_guard lock(state_->mu);
  if (auto* e = state_->find(name)) {
    auto& b = e->base();
    if (e->counter && b.help == help && b.label_names == label_names) return *e->counter;
    state_->sink.report(std::string(name) + ": registered again with another type, help or labels");
    return state_->detached_counter(name, help, std::move(label_names));
  }
  if (auto why = State::check(name, label_names, false); !why.empty()) {
    state_->sink.report(std::string(name) + ": " + why);
    return state_->detached_counter(name, help, std::move(label_names));
  }
  auto impl = state_->make_impl<CounterFamily::Impl>(name, help, std::move(label_names));
  bool no_labels = impl->label_names.empty();
  state_->families.push_back({std::make_unique<CounterFamily>(std::move(impl)), nullptr});
  auto& family = *state_->families.back().counter;
  if (no_labels) family.with({});  // a series without labels exists from the start and renders as 0
  return family;
}

HistogramFamily& MetricsRegistry::histogram_family(std::string_view name, std::string_view help, std::vector<std::string> label_names,
                                                   std::span<const double> buckets) {
  std::lock_guard lock(state_->mu);
  if (auto* e = state_->find(name)) {
    auto& b = e->base();
    if (e->histogram && b.help == help && b.label_names == label_names &&
        std::equal(buckets.begin(), buckets.end(), e->histogram->impl_->bounds.begin(), e->histogram->impl_->bounds.end()))
      return *e->histogram;
    state_->sink.report(std::string(name) + ": registered again with another type, help, labels or buckets");
    return state_->detached_histogram(name, help, std::move(label_names));
  }
  auto why = State::check(name, label_names, true);
  if (why.empty()) {
    for (size_t i = 0; i < buckets.size(); ++i)
      if (!std::isfinite(buckets[i]) || (i > 0 && buckets[i] <= buckets[i - 1])) why = "buckets must be finite and strictly increasing";
  }
  if (!why.empty()) {
    state_->sink.report(std::string(name) + ": " + why);
    return state_->detached_histogram(name, help, std::move(label_names));
  }
  auto impl = state_->make_impl<HistogramFamily::Impl>(name, help, std::move(label_names));
  impl->bounds.assign(buckets.begin(), buckets.end());
  for (double b : impl->bounds) impl->le.push_back(format_value(b));
  impl->detached = std::make_unique<Histogram>(impl->bounds);
  bool no_labels = impl->label_names.empty();
  state_->families.push_back({nullptr, std::make_unique<HistogramFamily>(std::move(impl))});
  auto& family = *state_->families.back().histogram;
  if (no_labels) family.with({});
  return family;
}

namespace {

std::vector<std::string> names_of(std::initializer_list<Label> labels) {
  std::vector<std::string> out;
  for (auto& l : labels) out.emplace_back(l.name);
  return out;
}

// Label values of an initializer list as a span, without allocating for the usual few labels.
template <typename F>
decltype(auto) with_values(std::initializer_list<Label> labels, F f) {
  constexpr size_t kInline = 8;
  std::string_view inline_values[kInline];
  std::vector<std::string_view> heap;
  std::span<const std::string_view> values;
  if (labels.size() <= kInline) {
    size_t i = 0;
    for (auto& l : labels) inline_values[i++] = l.value;
    values = std::span<const std::string_view>(inline_values, labels.size());
  } else {
    for (auto& l : labels) heap.push_back(l.value);
    values = heap;
  }
  return f(values);
}

}  // namespace

Counter& MetricsRegistry::counter(std::string_view name, std::string_view help, std::initializer_list<Label> labels) {
  auto& family = counter_family(name, help, names_of(labels));
  return with_values(labels, [&](std::span<const std::string_view> v) -> Counter& { return family.with(v); });
}

Histogram& MetricsRegistry::histogram(std::string_view name, std::string_view help, std::initializer_list<Label> labels,
                                      std::span<const double> buckets) {
  auto& family = histogram_family(name, help, names_of(labels), buckets);
  return with_values(labels, [&](std::span<const std::string_view> v) -> Histogram& { return family.with(v); });
}

std::string MetricsRegistry::render() const {
  std::string out;
  std::lock_guard lock(state_->mu);
  for (auto& e : state_->families) {
    if (e.counter) e.counter->impl_->render(out);
    else e.histogram->impl_->render(out);
  }
  return out;
}

Status MetricsRegistry::status() const {
  std::lock_guard lock(state_->sink.mu);
  if (state_->sink.error) return *state_->sink.error;
  return ok_status();
}

PlatformMetrics::PlatformMetrics(MetricsRegistry& r)
    : http_requests(r.counter_family("tradebridge_http_requests_total", "HTTP requests answered by the API, by route pattern and status.",
                                     {"method", "route", "status"})),
      http_request_duration(r.histogram_family("tradebridge_http_request_duration_seconds",
                                               "Time from the request read to the answer ready, by route pattern.", {"route"})),
      key_tests(r.counter_family("tradebridge_key_tests_total", "Key tests finished, by venue and outcome.", {"venue", "outcome"})),
      venue_calls(r.counter_family("tradebridge_venue_calls_total", "Calls to exchanges, by venue, action and outcome.",
                                   {"venue", "action", "outcome"})) {}

std::string_view method_label(std::string_view method) {
  static constexpr std::string_view kKnown[] = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"};
  for (std::string_view m : kKnown)
    if (m == method) return m;
  return "other";
}

std::string escape_label_value(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

std::string escape_help(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c == '\\') out += "\\\\";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

std::string format_value(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  // Like Go's strconv.FormatFloat(v, 'g', -1, 64), which the Prometheus client writes: the shortest digits
  // that read back exactly, in exponent form when the exponent is below -4 or at least 6.
  char buf[64];
  auto sci = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
  std::string_view text(buf, static_cast<size_t>(sci.ptr - buf));
  int exp = 0;
  auto e = text.find('e');
  auto exp_text = text.substr(e + 1);
  if (!exp_text.empty() && exp_text[0] == '+') exp_text.remove_prefix(1);
  std::from_chars(exp_text.data(), exp_text.data() + exp_text.size(), exp);
  if (exp < -4 || exp >= 6) return std::string(text);
  auto fixed = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed);
  return std::string(buf, fixed.ptr);
}

}  // namespace tb::observability
