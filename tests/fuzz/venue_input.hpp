#pragma once
// What the venue targets share. An input is one venue answer: byte 0 picks the reader (the endpoint),
// byte 1 the HTTP status (its top bit adds a Retry-After header holding the first line of the rest), and
// the rest is the body. The properties checked on whatever the readers return:
// - nothing throws (a venue's answer is data, never a reason to unwind through the caller);
// - an Error has a message in our words, at most 1024 bytes (a venue's HTML page is not copied into logs),
//   and a RateLimited wait is not negative;
// - what parses keeps the types' promises: a market's tick, step, minimum quantity and notional are not
//   negative (zero means no rule), an order's amount and filled are not negative.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/core.hpp"
#include "fuzz_check.hpp"
#include "net/http.hpp"

namespace tb::fuzz {

struct VenueInput {
  uint8_t reader = 0;
  net::HttpResponse response;
};

inline bool split_venue_input(const uint8_t* data, size_t size, VenueInput& out) {
  if (size < 2) return false;
  static const int kStatus[] = {200, 200, 200, 200, 400, 401, 403, 404, 408, 418, 429, 500, 502, 503, 504, 201};
  out.reader = data[0];
  out.response.status = kStatus[data[1] % 16];
  std::string_view rest(reinterpret_cast<const char*>(data + 2), size - 2);
  if (data[1] & 0x80) {
    auto nl = rest.find('\n');
    out.response.headers.push_back({"Retry-After", std::string(rest.substr(0, nl))});
    rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
  }
  out.response.body = std::string(rest);
  return true;
}

inline void check(const Error& e) {
  FUZZ_CHECK(!e.message.empty(), "an error without a message (kind %s)", std::string(to_string(e.kind)).c_str());
  FUZZ_CHECK(e.message.size() <= 1024, "a %zu-byte error message", e.message.size());
  FUZZ_CHECK(!e.retry_after || e.retry_after->count() >= 0, "a negative wait");
}

inline void check(const Market& m) {
  FUZZ_CHECK(!m.tick_size.is_negative() && !m.step_size.is_negative() && !m.min_qty.is_negative() && !m.min_notional.is_negative(),
             "market %s: tick %s step %s min %s notional %s", m.id.c_str(), m.tick_size.to_string().c_str(),
             m.step_size.to_string().c_str(), m.min_qty.to_string().c_str(), m.min_notional.to_string().c_str());
}

inline void check(const Order& o) {
  FUZZ_CHECK(!o.amount.is_negative() && !o.filled.is_negative(), "order %s: amount %s filled %s", o.id.c_str(),
             o.amount.to_string().c_str(), o.filled.to_string().c_str());
}

template <typename T>
void check(const T&) {}

template <typename T>
void check(const std::vector<T>& v) {
  for (const auto& x : v) check(x);
}

template <typename T>
void check(const Result<T>& r) {
  if (r) check(*r);
  else check(r.error());
}

}  // namespace tb::fuzz
