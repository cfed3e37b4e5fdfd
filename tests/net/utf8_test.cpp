#include "net/utf8.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace tb::net {
namespace {

TEST(Utf8, Validation) {
  EXPECT_TRUE(is_valid_utf8(""));
  EXPECT_TRUE(is_valid_utf8("plain"));
  EXPECT_TRUE(is_valid_utf8("\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80"));  // é € 😀
  EXPECT_TRUE(is_valid_utf8("\xF4\x8F\xBF\xBF"));                      // U+10FFFF
  EXPECT_FALSE(is_valid_utf8("\x80"));                                 // continuation first
  EXPECT_FALSE(is_valid_utf8("\xC3"));                                 // truncated
  EXPECT_FALSE(is_valid_utf8("\xE2\x82"));                             // truncated
  EXPECT_FALSE(is_valid_utf8("\xC0\xAF"));                             // overlong '/'
  EXPECT_FALSE(is_valid_utf8("\xE0\x80\xAF"));                         // overlong '/'
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));                         // surrogate
  EXPECT_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));                     // above U+10FFFF
  EXPECT_FALSE(is_valid_utf8("\xFF"));
  EXPECT_FALSE(is_valid_utf8("a\xC3(b"));  // bad continuation
}

// The verdict code point by code point, as the validator gave it before it passed ASCII words at once.
bool valid_by_code_points(std::string_view s) {
  size_t i = 0;
  uint32_t cp = 0;
  while (i < s.size())
    if (!next_code_point(s, i, cp)) return false;
  return true;
}

TEST(Utf8, AnyByteAnywhereInLongTextIsJudgedAsCodePointByCodePoint) {
  const std::string ascii(40, 'a');
  for (std::string bad : {"\x80", "\xC3", "\xC3(", "\xED\xA0\x80", "\xFF", "\xF0\x9F\x98"}) {
    for (size_t at = 0; at <= ascii.size(); ++at) {
      std::string s = ascii;
      s.insert(at, bad);
      EXPECT_FALSE(is_valid_utf8(s)) << "at " << at;
      s = ascii;
      s.insert(at, "\xF0\x9F\x98\x80");  // a whole 4-byte sequence across any word boundary
      EXPECT_TRUE(is_valid_utf8(s)) << "at " << at;
    }
  }
  std::mt19937 rng(13);
  const std::string alphabet = "ab{}\"\x80\xBF\xC3\xA9\xE2\x82\xAC\xED\xF0\x9F\xF4\xFF";
  for (int n = 0; n < 20000; ++n) {
    std::string s(rng() % 40, 'x');
    for (auto& c : s) c = rng() % 3 ? 'x' : alphabet[rng() % alphabet.size()];
    ASSERT_EQ(is_valid_utf8(s), valid_by_code_points(s)) << testing::PrintToString(s);
  }
}

}  // namespace
}  // namespace tb::net
