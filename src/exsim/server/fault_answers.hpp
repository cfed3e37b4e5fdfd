#pragma once
// What an injected fault looks like on the wire, for the faults every venue answers alike (a cut answer).
// The venue-specific ones (http_500, http_502_html, rate_limit, maintenance) come from the VenueSim itself.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "net/http.hpp"

namespace tb::exsim {

// Latency holds the request before the venue handles it; AnswerLatency handles it at once (an order IS
// placed) and holds the answer: a client that gives up or dies meanwhile never learns what happened.
enum class FaultKind { Latency, AnswerLatency, Http500, Http502Html, RateLimit, Timeout, Reset, BadJson, Maintenance };

struct ParsedFault {
  FaultKind kind;
  std::chrono::milliseconds latency{0};  // Latency and AnswerLatency
};

// "latency:250", "answer_latency:2000", "http_500", ...; nullopt for anything else (a wait above 10 minutes
// included).
std::optional<ParsedFault> parse_fault_kind(std::string_view kind);

net::HttpResponse bad_gateway_html_answer();  // 502, the HTML page an nginx proxy in front of a venue sends
// The answer cut in the middle, as a connection dropped mid-body by a proxy leaves it: never valid JSON.
net::HttpResponse truncated_answer(net::HttpResponse answer);
net::HttpResponse json_answer(int status, std::string body);

}  // namespace tb::exsim
