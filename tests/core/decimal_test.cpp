#include "core/decimal.hpp"

#include <gtest/gtest.h>

namespace tb {
namespace {

Decimal D(const char* s) {
  auto d = Decimal::parse(s);
  EXPECT_TRUE(d) << s;
  return d.value_or(Decimal());
}

TEST(Decimal, ParsesAndFormatsExactly) {
  EXPECT_EQ(D("0.00100000").to_string(), "0.00100000");
  EXPECT_EQ(D("122607.35137903").to_string(), "122607.35137903");
  EXPECT_EQ(D("-94.99999800").to_string(), "-94.99999800");
  EXPECT_EQ(D("1.25000000").to_plain_string(), "1.25");
  EXPECT_EQ(D("100").to_plain_string(), "100");
  EXPECT_EQ(D("+5.").to_string(), "5");
  EXPECT_EQ(D(".5").to_string(), "0.5");
  EXPECT_EQ(D("1e-8").to_string(), "0.00000001");
  EXPECT_EQ(D("1.5E+3").to_string(), "1500");
  EXPECT_EQ(D("0").to_string(), "0");
  EXPECT_EQ(D("-0.0").is_zero(), true);
  // Either side of 64 bits of units (formatted in 64 bits when they fit) and the smallest unit.
  EXPECT_EQ(D("18446744073709551615").to_string(), "18446744073709551615");
  EXPECT_EQ(D("-1844674407370955161.6").to_string(), "-1844674407370955161.6");
  EXPECT_EQ(D("123456789012345678.901234567890123456").to_string(), "123456789012345678.901234567890123456");
  EXPECT_EQ(D("-0.000000000000000001").to_string(), "-0.000000000000000001");
  EXPECT_EQ(D("18446744073709551616.000").normalized().to_string(), "18446744073709551616");
  EXPECT_EQ(D("-1844674407370955161.50").normalized().to_string(), "-1844674407370955161.5");
}

TEST(Decimal, RejectsMalformedText) {
  for (const char* bad : {"", "-", ".", "1..2", "1.2.3", "abc", "1 ", " 1", "1,5", "NaN", "inf", "1e", "1e+", "0x10",
                          "1.0000000000000000001" /* 19 decimals */}) {
    EXPECT_FALSE(Decimal::parse(bad)) << bad;
  }
}

TEST(Decimal, TrailingZerosBeyondMaxScaleAreFine) { EXPECT_EQ(D("1.00000000000000000000").to_plain_string(), "1"); }

TEST(Decimal, ComparesValuesNotRepresentations) {
  EXPECT_EQ(D("1.0"), D("1.000"));
  EXPECT_LT(D("0.09"), D("0.1"));
  EXPECT_GT(D("-0.09"), D("-0.1"));
}

TEST(Decimal, Arithmetic) {
  EXPECT_EQ((D("0.1") + D("0.2")).to_string(), "0.3");
  EXPECT_EQ((D("30000.10") * D("0.001")).to_string(), "30.00010");
  EXPECT_EQ((D("1") - D("0.00000001")).to_string(), "0.99999999");
  EXPECT_EQ(D("10").divide(D("3"), 4, Rounding::Down).to_string(), "3.3333");
  EXPECT_EQ(D("10").divide(D("3"), 4, Rounding::Up).to_string(), "3.3334");
  EXPECT_EQ(D("-10").divide(D("3"), 2, Rounding::Floor).to_string(), "-3.34");
  EXPECT_THROW((void)D("1").divide(D("0"), 2, Rounding::Down), std::domain_error);
}

TEST(Decimal, RoundsToTickInTheAskedDirection) {
  auto tick = D("0.10");
  EXPECT_EQ(D("30000.17").round_to_step(tick, Rounding::Floor).to_string(), "30000.10");
  EXPECT_EQ(D("30000.17").round_to_step(tick, Rounding::Ceiling).to_string(), "30000.20");
  EXPECT_EQ(D("30000.15").round_to_step(tick, Rounding::HalfEven).to_string(), "30000.20");
  EXPECT_EQ(D("30000.25").round_to_step(tick, Rounding::HalfEven).to_string(), "30000.20");
  EXPECT_EQ(D("30000.25").round_to_step(tick, Rounding::HalfUp).to_string(), "30000.30");
  EXPECT_EQ(D("0.0012345").round_to_step(D("0.001"), Rounding::Down).to_string(), "0.001");
  EXPECT_EQ(D("-1.25").round_to_step(D("0.5"), Rounding::Floor).to_string(), "-1.5");
  EXPECT_EQ(D("-1.25").round_to_step(D("0.5"), Rounding::Down).to_string(), "-1.0");
  EXPECT_EQ(D("7").round_to_step(D("5"), Rounding::Ceiling).to_string(), "10");
  EXPECT_TRUE(D("30000.1").is_multiple_of(tick));
  EXPECT_FALSE(D("30000.11").is_multiple_of(tick));
}

TEST(Decimal, RescaleAndFixed) {
  EXPECT_EQ(D("1.25").to_fixed(8), "1.25000000");
  EXPECT_EQ(D("1.255").to_fixed(2, Rounding::HalfEven), "1.26");
  EXPECT_EQ(D("1.245").to_fixed(2, Rounding::HalfEven), "1.24");
  EXPECT_EQ(D("1.999").to_fixed(0, Rounding::Down), "1");
}

TEST(Decimal, FromDoubleGivesTheShortestText) {
  EXPECT_EQ(Decimal::from_double(0.1)->to_string(), "0.1");
  EXPECT_EQ(Decimal::from_double(19788.6529257)->to_string(), "19788.6529257");
  EXPECT_EQ(Decimal::from_double(1e-8)->to_string(), "0.00000001");
  EXPECT_EQ(Decimal::from_double(-0.2)->to_string(), "-0.2");
  EXPECT_EQ(Decimal::from_double(30000.0)->to_string(), "30000");
  EXPECT_FALSE(Decimal::from_double(std::numeric_limits<double>::infinity()));
}

TEST(Decimal, OverflowIsAnErrorNotAWrap) {
  auto big = D("999999999999999999.999999999999999999");
  EXPECT_THROW((void)(big * big), std::overflow_error);
  EXPECT_FALSE(Decimal::parse("1" + std::string(40, '0')));
}

}  // namespace
}  // namespace tb
