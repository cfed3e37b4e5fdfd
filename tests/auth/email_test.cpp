#include "auth/email.hpp"

#include <gtest/gtest.h>

namespace tb::auth {
namespace {

std::string normalized(std::string_view raw) {
  auto r = normalize_email(raw);
  EXPECT_TRUE(r.ok()) << raw << ": " << r.error().message;
  return r.ok() ? *r : "";
}

std::string error_of(std::string_view raw) {
  auto r = normalize_email(raw);
  EXPECT_FALSE(r.ok()) << raw << " was accepted as " << *r;
  if (r.ok()) return "";
  EXPECT_EQ(r.error().kind, ErrorKind::InvalidArgument);
  return r.error().message;
}

TEST(Email, TrimsAndLowerCasesTheWholeAddress) {
  // The store compares ignoring case: one spelling for storage, look-up and the login limiter.
  EXPECT_EQ(normalized("  Alice.Smith@Example.COM \n"), "alice.smith@example.com");
  EXPECT_EQ(normalized("A@x.io"), normalized("a@X.IO"));
  EXPECT_EQ(normalized("bob+trading@mail.example.co.uk"), "bob+trading@mail.example.co.uk");
  EXPECT_EQ(normalized("o'neil_99@sub-domain.example.org"), "o'neil_99@sub-domain.example.org");
}

TEST(Email, MissingPartsAreNamed) {
  EXPECT_EQ(error_of(""), "email is empty");
  EXPECT_EQ(error_of("   "), "email is empty");
  EXPECT_EQ(error_of("alice.example.com"), "email is missing '@'");
  EXPECT_EQ(error_of("@example.com"), "email is missing the part before '@'");
  EXPECT_EQ(error_of("alice@"), "email is missing the domain after '@'");
  EXPECT_EQ(error_of("alice@localhost"), "email domain must contain a dot, like example.com");
  EXPECT_EQ(error_of("alice@bob@example.com"), "email must contain exactly one '@'");
}

TEST(Email, BadCharactersAreNamed) {
  EXPECT_EQ(error_of("al ice@example.com"), "email must not contain spaces or control characters");
  EXPECT_EQ(error_of("alice@exa\tmple.com"), "email must not contain spaces or control characters");
  EXPECT_EQ(error_of("alice(x)@example.com"), "email contains a character not allowed before '@': '('");
  EXPECT_EQ(error_of("alice@exam_ple.com"), "email domain contains a character not allowed: '_'");
  EXPECT_EQ(error_of("алиса@example.com"), "email must contain only ASCII characters (international addresses are not supported)");
}

TEST(Email, DotsAndHyphensInTheWrongPlace) {
  EXPECT_EQ(error_of(".alice@example.com"), "email part before '@' must not start or end with a dot or contain two dots in a row");
  EXPECT_EQ(error_of("alice.@example.com"), "email part before '@' must not start or end with a dot or contain two dots in a row");
  EXPECT_EQ(error_of("al..ice@example.com"), "email part before '@' must not start or end with a dot or contain two dots in a row");
  EXPECT_EQ(error_of("alice@example..com"), "email domain has an empty part (two dots in a row, or a dot at an end)");
  EXPECT_EQ(error_of("alice@example.com."), "email domain has an empty part (two dots in a row, or a dot at an end)");
  EXPECT_EQ(error_of("alice@.example.com"), "email domain has an empty part (two dots in a row, or a dot at an end)");
  EXPECT_EQ(error_of("alice@-example.com"), "email domain parts must not start or end with '-'");
  EXPECT_EQ(error_of("alice@192.168.0.1"), "email domain must end in a name, not a number");
}

TEST(Email, ReservedDomainsAreRefused) {
  const std::string reserved =
      "email domain is reserved and receives no mail (like .invalid, .test, .example, .local): use your real address";
  EXPECT_EQ(error_of("tg-1@telegram.invalid"), reserved);
  EXPECT_EQ(error_of("TG-1@Telegram.INVALID"), reserved);
  EXPECT_EQ(error_of("ann@mail.test"), reserved);
  EXPECT_EQ(error_of("ann@printer.local"), reserved);
  EXPECT_EQ(error_of("ann@site.example"), reserved);
  EXPECT_EQ(error_of("ann@box.localhost"), reserved);
  EXPECT_EQ(normalized("ann@invalid.com"), "ann@invalid.com");  // only the last label counts
  EXPECT_EQ(normalized("ann@example.com"), "ann@example.com");
  EXPECT_TRUE(is_reserved_domain("telegram.invalid"));
  EXPECT_FALSE(is_reserved_domain("testing.io"));
}

TEST(Email, LengthLimits) {
  const std::string local64(64, 'a');
  EXPECT_EQ(normalized(local64 + "@example.com"), local64 + "@example.com");
  EXPECT_EQ(error_of(local64 + "a@example.com"), "email part before '@' is too long: at most 64 characters");
  EXPECT_EQ(error_of("alice@" + std::string(64, 'b') + ".com"), "email domain has a part longer than 63 characters");
  // 254 characters is the most a mail server accepts; 255 is refused before anything else.
  std::string domain;
  while (domain.size() < 254 - 6 - 4) domain += std::string(60, 'd') + ".";
  domain.resize(254 - 6 - 4);
  if (domain.back() == '.') domain.back() = 'd';
  const std::string at_limit = "alice@" + domain + ".com";
  ASSERT_EQ(at_limit.size(), 254u);
  EXPECT_EQ(normalized(at_limit), at_limit);
  EXPECT_EQ(error_of("a" + at_limit), "email is too long: at most 254 characters");
}

}  // namespace
}  // namespace tb::auth
