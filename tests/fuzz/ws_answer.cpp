// Binance USD-M's WebSocket API answers (src/venues/binance_futures/ws_answers.cpp) as the connector reads
// them: cut in place where they are laid out as the venue lays them, else read through a document. The
// input is the answer's text. Properties: no crash; an answer that is valid JSON reads in place as its
// document does (the same verdict, status and body).
#include <string_view>

#include <nlohmann/json.hpp>

#include "fuzz_check.hpp"
#include "venues/binance_futures/ws_answers.hpp"

namespace bf = tb::venues::binance_futures;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto read = bf::ws_answer_as_response(text);
  auto doc = nlohmann::json::parse(text, nullptr, false);
  if (doc.is_discarded()) return 0;  // not JSON: only that it did not crash
  const bool answer = doc.is_object() && doc.contains("status") && doc["status"].is_number_integer() &&
                      doc.contains(doc["status"].get<int>() == 200 ? "result" : "error");
  FUZZ_CHECK(read.ok() == answer, "%s", read ? "read as an answer" : read.error().message.c_str());
  if (!read) return 0;
  const int status = doc["status"].get<int>();
  FUZZ_CHECK(read->status == status, "status %d, the document's %d", read->status, status);
  auto body = nlohmann::json::parse(read->body, nullptr, false);
  FUZZ_CHECK(!body.is_discarded() && body == doc[status == 200 ? "result" : "error"], "body %s", read->body.c_str());
  return 0;
}
