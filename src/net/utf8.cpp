#include "net/utf8.hpp"

#include <cstring>

namespace tb::net {

bool next_code_point(std::string_view s, size_t& i, uint32_t& cp) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = byte(i);
  size_t len = 0;
  uint32_t min = 0, v = 0;
  if (c < 0x80) {
    cp = c;
    ++i;
    return true;
  }
  if ((c & 0xE0) == 0xC0) {
    len = 2, v = c & 0x1F, min = 0x80;
  } else if ((c & 0xF0) == 0xE0) {
    len = 3, v = c & 0x0F, min = 0x800;
  } else if ((c & 0xF8) == 0xF0) {
    len = 4, v = c & 0x07, min = 0x10000;
  } else {
    return false;  // a continuation byte first, or 0xF8..0xFF
  }
  if (i + len > s.size()) return false;
  for (size_t k = 1; k < len; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return false;
    v = v << 6 | (byte(i + k) & 0x3F);
  }
  if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return false;
  cp = v;
  i += len;
  return true;
}

bool is_valid_utf8(std::string_view s) {
  // Venue answers and API bodies are mostly ASCII: eight such bytes are passed at once, a word without a high bit.
  constexpr uint64_t kHighBits = 0x8080808080808080ull;
  size_t i = 0;
  uint32_t cp = 0;
  while (i < s.size()) {
    uint64_t word = 0;
    if (i + sizeof word <= s.size() && (std::memcpy(&word, s.data() + i, sizeof word), (word & kHighBits) == 0)) {
      i += sizeof word;
      continue;
    }
    if (!next_code_point(s, i, cp)) return false;
  }
  return true;
}

}  // namespace tb::net
