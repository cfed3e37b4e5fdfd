#include "observability/metrics.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <new>
#include <thread>
#include <vector>

// Counts allocations on this thread, to show that incrementing an existing series allocates nothing.
namespace {
thread_local size_t g_allocations = 0;
}
void* operator new(std::size_t n) {
  ++g_allocations;
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace tb::observability {
namespace {

TEST(Metrics, RendersTheTextFormatExactly) {
  MetricsRegistry reg;
  auto& requests = reg.counter_family("http_requests_total", "Requests answered.", {"method", "route"});
  requests.with({"GET", "/a"}).inc();
  requests.with({"GET", "/a"}).inc(2);
  requests.with({"POST", "/b \"q\"\\\n"}).inc();
  reg.counter("up_total", "Line one\nback\\slash");
  const double bounds[] = {0.125, 1, 2.5};
  auto& duration = reg.histogram_family("duration_seconds", "Time taken.", {"route"}, bounds);
  duration.with({"/a"}).observe(0.0625);
  duration.with({"/a"}).observe(0.125);  // a bound is inclusive (le)
  duration.with({"/a"}).observe(3);
  duration.with({"/b"});  // a series with no observations yet
  reg.counter_family("empty_total", "No series yet.", {"venue"});

  EXPECT_EQ(reg.render(),
            "# HELP http_requests_total Requests answered.\n"
            "# TYPE http_requests_total counter\n"
            "http_requests_total{method=\"GET\",route=\"/a\"} 3\n"
            "http_requests_total{method=\"POST\",route=\"/b \\\"q\\\"\\\\\\n\"} 1\n"
            "# HELP up_total Line one\\nback\\\\slash\n"
            "# TYPE up_total counter\n"
            "up_total 0\n"
            "# HELP duration_seconds Time taken.\n"
            "# TYPE duration_seconds histogram\n"
            "duration_seconds_bucket{route=\"/a\",le=\"0.125\"} 2\n"
            "duration_seconds_bucket{route=\"/a\",le=\"1\"} 2\n"
            "duration_seconds_bucket{route=\"/a\",le=\"2.5\"} 2\n"
            "duration_seconds_bucket{route=\"/a\",le=\"+Inf\"} 3\n"
            "duration_seconds_sum{route=\"/a\"} 3.1875\n"
            "duration_seconds_count{route=\"/a\"} 3\n"
            "duration_seconds_bucket{route=\"/b\",le=\"0.125\"} 0\n"
            "duration_seconds_bucket{route=\"/b\",le=\"1\"} 0\n"
            "duration_seconds_bucket{route=\"/b\",le=\"2.5\"} 0\n"
            "duration_seconds_bucket{route=\"/b\",le=\"+Inf\"} 0\n"
            "duration_seconds_sum{route=\"/b\"} 0\n"
            "duration_seconds_count{route=\"/b\"} 0\n"
            "# HELP empty_total No series yet.\n"
            "# TYPE empty_total counter\n");
  EXPECT_TRUE(reg.status().ok());
}

TEST(Metrics, UnlabelledHistogram) {
  MetricsRegistry reg;
  const double bounds[] = {1};
  auto& h = reg.histogram("job_seconds", "Job time.", {}, bounds);
  h.observe(0.5);
  h.observe(std::nan(""));  // ignored
  EXPECT_EQ(reg.render(),
            "# HELP job_seconds Job time.\n"
            "# TYPE job_seconds histogram\n"
            "job_seconds_bucket{le=\"1\"} 1\n"
            "job_seconds_bucket{le=\"+Inf\"} 1\n"
            "job_seconds_sum 0.5\n"
            "job_seconds_count 1\n");
}

TEST(Metrics, PlatformMetricsNamesLabelsAndDefaultBuckets) {
  MetricsRegistry reg;
  PlatformMetrics m(reg);
  m.http_requests.with({"GET", "/api/v1/exchange-accounts/{id}", "200"}).inc();
  m.http_request_duration.with({"/api/v1/exchange-accounts/{id}"}).observe(0.003);
  m.key_tests.with({"kraken", "enabled"}).inc();
  m.venue_calls.with({"bitfinex", "create_order", "ok"}).inc(4);
  ASSERT_TRUE(reg.status().ok());
  auto text = reg.render();
  for (auto line : {"# TYPE tradebridge_http_requests_total counter\n",
                    "tradebridge_http_requests_total{method=\"GET\",route=\"/api/v1/exchange-accounts/{id}\",status=\"200\"} 1\n",
                    "# TYPE tradebridge_http_request_duration_seconds histogram\n",
                    "tradebridge_http_request_duration_seconds_bucket{route=\"/api/v1/exchange-accounts/{id}\",le=\"0.0005\"} 0\n",
                    "tradebridge_http_request_duration_seconds_bucket{route=\"/api/v1/exchange-accounts/{id}\",le=\"0.0025\"} 0\n",
                    "tradebridge_http_request_duration_seconds_bucket{route=\"/api/v1/exchange-accounts/{id}\",le=\"0.005\"} 1\n",
                    "tradebridge_http_request_duration_seconds_bucket{route=\"/api/v1/exchange-accounts/{id}\",le=\"10\"} 1\n",
                    "tradebridge_http_request_duration_seconds_bucket{route=\"/api/v1/exchange-accounts/{id}\",le=\"+Inf\"} 1\n",
                    "tradebridge_http_request_duration_seconds_count{route=\"/api/v1/exchange-accounts/{id}\"} 1\n",
                    "tradebridge_key_tests_total{venue=\"kraken\",outcome=\"enabled\"} 1\n",
                    "tradebridge_venue_calls_total{venue=\"bitfinex\",action=\"create_order\",outcome=\"ok\"} 4\n"})
    EXPECT_NE(text.find(line), std::string::npos) << line;
  // 14 bounds and +Inf, one series.
  size_t buckets = 0;
  for (size_t p = 0; (p = text.find("_seconds_bucket{", p)) != std::string::npos; ++p) ++buckets;
  EXPECT_EQ(buckets, 15u);
  // A second PlatformMetrics on the same registry gets the same families.
  PlatformMetrics again(reg);
  EXPECT_EQ(&again.http_requests, &m.http_requests);
  EXPECT_TRUE(reg.status().ok());
}

TEST(Metrics, SameArgumentsSameSeries) {
  MetricsRegistry reg;
  auto& a = reg.counter("calls_total", "Calls.", {{"venue", "kraken"}});
  auto& b = reg.counter("calls_total", "Calls.", {{"venue", "kraken"}});
  auto& c = reg.counter("calls_total", "Calls.", {{"venue", "bitfinex"}});
  EXPECT_EQ(&a, &b);
  EXPECT_NE(&a, &c);
  a.inc();
  b.inc();
  EXPECT_EQ(a.value(), 2u);
  EXPECT_EQ(&reg.histogram("h_seconds", "H.", {{"route", "/x"}}), &reg.histogram("h_seconds", "H.", {{"route", "/x"}}));
}

TEST(Metrics, WiringMistakesGetADetachedSeriesAndAStatus) {
  MetricsRegistry reg;
  auto& good = reg.counter_family("ok_total", "Fine.", {"a"});
  good.with({"x"}).inc();

  reg.counter("bad-name", "Bad.").inc();                        // bad metric name
  reg.counter("ok_total", "Fine.", {{"b", "y"}}).inc();         // other labels
  reg.histogram("ok_total", "Fine.", {{"a", "x"}}).observe(1);  // other type
  good.with({"x", "extra"}).inc();                              // wrong number of values
  reg.counter_family("dup_labels_total", "D.", {"a", "a"});
  reg.counter_family("reserved_total", "R.", {"__name"});
  reg.histogram_family("le_seconds", "L.", {"le"});
  const double unsorted[] = {1, 0.5};
  reg.histogram_family("unsorted_seconds", "U.", {}, unsorted);

  auto status = reg.status();
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().message.find("bad-name"), std::string::npos);  // the first mistake
  EXPECT_EQ(reg.render(),
            "# HELP ok_total Fine.\n"
            "# TYPE ok_total counter\n"
            "ok_total{a=\"x\"} 1\n");
}

TEST(Metrics, SeriesPerFamilyAreCapped) {
  MetricsRegistry reg;
  auto& f = reg.counter_family("many_total", "Many.", {"id"});
  for (size_t i = 0; i < kMaxSeriesPerFamily; ++i) f.with({std::to_string(i)}).inc();
  EXPECT_TRUE(reg.status().ok());
  auto& over = f.with({"one too many"});
  over.inc();
  EXPECT_FALSE(reg.status().ok());
  EXPECT_EQ(reg.render().find("one too many"), std::string::npos);
}

TEST(Metrics, ConcurrentIncrementsSumUp) {
  MetricsRegistry reg;
  PlatformMetrics m(reg);
  constexpr int kThreads = 8, kPerThread = 20'000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      std::string own = "/own/" + std::to_string(t);
      for (int i = 0; i < kPerThread; ++i) {
        m.http_requests.with({"GET", "/shared", "200"}).inc();  // looked up every time, as the server does
        m.http_requests.with({"GET", own, i % 2 ? "200" : "500"}).inc();
        m.http_request_duration.with({"/shared"}).observe(0.25);
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(m.http_requests.with({"GET", "/shared", "200"}).value(), uint64_t{kThreads} * kPerThread);
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_EQ(m.http_requests.with({"GET", "/own/" + std::to_string(t), "200"}).value(), uint64_t{kPerThread} / 2);
    EXPECT_EQ(m.http_requests.with({"GET", "/own/" + std::to_string(t), "500"}).value(), uint64_t{kPerThread} / 2);
  }
  auto snap = m.http_request_duration.with({"/shared"}).snapshot();
  EXPECT_EQ(snap.count, uint64_t{kThreads} * kPerThread);
  EXPECT_DOUBLE_EQ(snap.sum, 0.25 * kThreads * kPerThread);  // 0.25 adds exactly
  EXPECT_EQ(snap.cumulative[7], 0u);                         // le 0.1
  EXPECT_EQ(snap.cumulative[8], snap.count);                 // le 0.25
  EXPECT_TRUE(reg.status().ok());
}

TEST(Metrics, RenderWhileIncrementing) {
  MetricsRegistry reg;
  auto& f = reg.counter_family("live_total", "Live.", {"n"});
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    for (int i = 0; !stop; ++i) f.with({std::to_string(i % 50)}).inc();
  });
  for (int i = 0; i < 200; ++i) EXPECT_EQ(reg.render().rfind("# HELP live_total Live.\n", 0), 0u);
  stop = true;
  writer.join();
}

TEST(Metrics, IncrementingAnExistingSeriesAllocatesNothing) {
  MetricsRegistry reg;
  PlatformMetrics m(reg);
  std::string status = "200";
  m.http_requests.with({"GET", "/api/v1/x", status}).inc();
  m.http_request_duration.with({"/api/v1/x"}).observe(0.01);
  size_t before = g_allocations;
  for (int i = 0; i < 1000; ++i) {
    m.http_requests.with({"GET", "/api/v1/x", status}).inc();
    m.http_request_duration.with({"/api/v1/x"}).observe(0.01);
  }
  EXPECT_EQ(g_allocations, before);
  EXPECT_EQ(m.http_requests.with({"GET", "/api/v1/x", status}).value(), 1001u);
  m.http_requests.with({"GET", "/api/v1/new", status}).inc();  // a new series does allocate: the count works
  EXPECT_GT(g_allocations, before);
}

TEST(Metrics, Escaping) {
  EXPECT_EQ(escape_label_value("a\\b\"c\nd"), "a\\\\b\\\"c\\nd");
  EXPECT_EQ(escape_label_value("plain {}=,"), "plain {}=,");
  EXPECT_EQ(escape_help("a\\b\"c\nd"), "a\\\\b\"c\\nd");  // quotes stay in help
}

TEST(Metrics, FormatValue) {
  EXPECT_EQ(format_value(0.0005), "0.0005");
  EXPECT_EQ(format_value(1), "1");
  EXPECT_EQ(format_value(2.5), "2.5");
  EXPECT_EQ(format_value(10), "10");
  EXPECT_EQ(format_value(0), "0");
  EXPECT_EQ(format_value(1e-05), "1e-05");
  EXPECT_EQ(format_value(0.30000000000000004), "0.30000000000000004");
  EXPECT_EQ(format_value(123456.5), "123456.5");
  EXPECT_EQ(format_value(1e6), "1e+06");
  EXPECT_EQ(format_value(1234567.5), "1.2345675e+06");
  EXPECT_EQ(format_value(-2.5), "-2.5");
  EXPECT_EQ(format_value(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(format_value(-std::numeric_limits<double>::infinity()), "-Inf");
  EXPECT_EQ(format_value(std::nan("")), "NaN");
}

}  // namespace
}  // namespace tb::observability
