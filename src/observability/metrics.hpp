#pragma once
// A small Prometheus registry: counters and histograms with labels, rendered in the text exposition
// format 0.0.4 for GET /metrics. The services report to it (the API its requests, the account service its
// key tests, the venues their calls: PlatformMetrics below), none of them through another's module.
//
// Hot path: a family is looked up once (at start), then family.with({"GET", "/api/v1/x/{id}", "200"})
// finds the series under a shared lock without allocating; only a series' first use allocates and takes
// the exclusive lock. Counter::inc and Histogram::observe are lock-free atomics. References returned are
// stable for the registry's life.
//
// Wiring mistakes (a bad name, the same name registered with another type, help, labels or buckets, the
// wrong number of label values) are not thrown: the call gets a detached series that is never rendered,
// and status() reports the first mistake. Label values must be UTF-8 and few: use the route's pattern,
// never the raw path. A family keeps at most kMaxSeriesPerFamily series; further ones are detached too.
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace tb::observability {

inline constexpr std::string_view kMetricsContentType = "text/plain; version=0.0.4; charset=utf-8";
inline constexpr size_t kMaxSeriesPerFamily = 10'000;

class Counter {
 public:
  void inc(uint64_t n = 1) noexcept { value_.fetch_add(n, std::memory_order_relaxed); }
  uint64_t value() const noexcept { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<uint64_t> value_{0};
};

class Histogram {
 public:
  explicit Histogram(std::span<const double> bounds);  // bounds must outlive the histogram
  void observe(double value) noexcept;                 // NaN is ignored

  struct Snapshot {
    std::vector<uint64_t> cumulative;  // per bound, then +Inf (== count)
    double sum = 0;
    uint64_t count = 0;
  };
  Snapshot snapshot() const;

 private:
  std::span<const double> bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> counts_;  // bounds_.size() + 1; the last one is above every bound
  std::atomic<double> sum_{0};
};

// Request durations in seconds: 0.5 ms to 10 s.
inline constexpr double kDurationBuckets[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

struct Label {
  std::string_view name;
  std::string_view value;
};

class CounterFamily {
 public:
  // The series for these label values, in the order of the family's label names.
  Counter& with(std::span<const std::string_view> label_values);
  Counter& with(std::initializer_list<std::string_view> label_values) {
    return with(std::span<const std::string_view>(label_values.begin(), label_values.size()));
  }
  struct Impl;
  explicit CounterFamily(std::unique_ptr<Impl> impl);
  ~CounterFamily();

 private:
  friend class MetricsRegistry;
  std::unique_ptr<Impl> impl_;
};

class HistogramFamily {
 public:
  Histogram& with(std::span<const std::string_view> label_values);
  Histogram& with(std::initializer_list<std::string_view> label_values) {
    return with(std::span<const std::string_view>(label_values.begin(), label_values.size()));
  }
  struct Impl;
  explicit HistogramFamily(std::unique_ptr<Impl> impl);
  ~HistogramFamily();

 private:
  friend class MetricsRegistry;
  std::unique_ptr<Impl> impl_;
};

class MetricsRegistry {
 public:
  MetricsRegistry();
  ~MetricsRegistry();
  MetricsRegistry(const MetricsRegistry&) = delete;
  MetricsRegistry& operator=(const MetricsRegistry&) = delete;

  // Registers the family on first call; later calls with the same arguments return the same family.
  CounterFamily& counter_family(std::string_view name, std::string_view help, std::vector<std::string> label_names);
  HistogramFamily& histogram_family(std::string_view name, std::string_view help, std::vector<std::string> label_names,
                                    std::span<const double> buckets = kDurationBuckets);

  // One series by name and labels (names and values in the family's order).
  Counter& counter(std::string_view name, std::string_view help, std::initializer_list<Label> labels = {});
  Histogram& histogram(std::string_view name, std::string_view help, std::initializer_list<Label> labels = {},
                       std::span<const double> buckets = kDurationBuckets);

  // Every family in the order registered, series sorted by label values.
  std::string render() const;
  Status status() const;  // the first wiring mistake, if any

  struct State;

 private:
  std::unique_ptr<State> state_;
};

// The platform's own metrics, one family per thing a service reports.
struct PlatformMetrics {
  explicit PlatformMetrics(MetricsRegistry& registry);
  CounterFamily& http_requests;            // tradebridge_http_requests_total{method,route,status}
  HistogramFamily& http_request_duration;  // tradebridge_http_request_duration_seconds{route}
  CounterFamily& key_tests;                // tradebridge_key_tests_total{venue,outcome}
  CounterFamily& venue_calls;              // tradebridge_venue_calls_total{venue,action,outcome}
};

// The request method as a label value: one of the methods HTTP defines (GET HEAD POST PUT PATCH DELETE
// OPTIONS), else "other". A client cannot mint label values, and so series, with made-up methods.
std::string_view method_label(std::string_view method);

// Escaping of the text format: label values escape \ " and newline; help text escapes \ and newline.
std::string escape_label_value(std::string_view s);
std::string escape_help(std::string_view s);
// A sample value as the Prometheus client writes it (Go's 'g' with shortest digits): 0.0005, 2.5, 10,
// 1e-05, 1.5e+06, +Inf, -Inf, NaN.
std::string format_value(double v);

}  // namespace tb::observability
