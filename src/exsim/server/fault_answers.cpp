#include "exsim/server/fault_answers.hpp"

#include <charconv>

namespace tb::exsim {

namespace {

// "MS" of a latency kind: 0 to 600000.
std::optional<std::chrono::milliseconds> wait_of(std::string_view digits) {
  int64_t ms = -1;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), ms);
  if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() || ms < 0 || ms > 600'000) return std::nullopt;
  return std::chrono::milliseconds(ms);
}

}  // namespace

std::optional<ParsedFault> parse_fault_kind(std::string_view kind) {
  for (auto [prefix, parsed] : {std::pair{std::string_view("latency:"), FaultKind::Latency},
                                std::pair{std::string_view("answer_latency:"), FaultKind::AnswerLatency}}) {
    if (!kind.starts_with(prefix)) continue;
    auto wait = wait_of(kind.substr(prefix.size()));
    if (!wait) return std::nullopt;
    return ParsedFault{parsed, *wait};
  }
  if (kind == "http_500") return ParsedFault{FaultKind::Http500};
  if (kind == "http_502_html") return ParsedFault{FaultKind::Http502Html};
  if (kind == "rate_limit") return ParsedFault{FaultKind::RateLimit};
  if (kind == "timeout") return ParsedFault{FaultKind::Timeout};
  if (kind == "reset") return ParsedFault{FaultKind::Reset};
  if (kind == "bad_json") return ParsedFault{FaultKind::BadJson};
  if (kind == "maintenance") return ParsedFault{FaultKind::Maintenance};
  return std::nullopt;
}

net::HttpResponse json_answer(int status, std::string body) {
  net::HttpResponse r;
  r.status = status;
  r.headers.push_back({"Content-Type", "application/json"});
  r.body = std::move(body);
  return r;
}

net::HttpResponse bad_gateway_html_answer() {
  net::HttpResponse r;
  r.status = 502;
  r.headers.push_back({"Content-Type", "text/html"});
  r.headers.push_back({"Server", "nginx"});
  r.body =
      "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
      "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";
  return r;
}

net::HttpResponse truncated_answer(net::HttpResponse answer) {
  auto& body = answer.body;
  // A cut object or array is never valid JSON; a bare scalar could be, so it is wrapped first.
  if (body.empty() || (body.front() != '{' && body.front() != '[')) body = R"({"result":)" + body + "}";
  body.resize(body.size() / 2 > 0 ? body.size() / 2 : 1);
  answer.status = 200;
  return answer;
}

}  // namespace tb::exsim
