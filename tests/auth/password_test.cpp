#include "auth/password.hpp"

#include <gtest/gtest.h>

namespace tb::auth {
namespace {

const PasswordCost kFast = PasswordCost::fast();

TEST(Password, HashVerifiesAndRejectsWrongPassword) {
  auto hash = hash_password("correct horse battery", kFast);
  ASSERT_TRUE(hash.ok()) << hash.error().message;
  EXPECT_EQ(hash->rfind("$argon2id$v=19$", 0), 0u) << *hash;
  EXPECT_TRUE(verify_password(*hash, "correct horse battery"));
  EXPECT_FALSE(verify_password(*hash, "correct horse batterY"));
  EXPECT_FALSE(verify_password(*hash, "correct horse battery "));
  EXPECT_FALSE(verify_password(*hash, ""));
}

TEST(Password, SamePasswordHashesDifferentlyBecauseOfTheSalt) {
  auto a = hash_password("correct horse battery", kFast), b = hash_password("correct horse battery", kFast);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(*a, *b);
  EXPECT_TRUE(verify_password(*a, "correct horse battery"));
  EXPECT_TRUE(verify_password(*b, "correct horse battery"));
}

TEST(Password, HashDoesNotContainThePassword) {
  auto hash = hash_password("correct horse battery", kFast);
  ASSERT_TRUE(hash.ok());
  EXPECT_EQ(hash->find("correct"), std::string::npos);
}

// A hash made by another argon2 implementation (node-argon2's defaults m=4096,t=3,p=1; password "secret"):
// users' hashes stay valid whichever library made them, and our cost check asks for a re-hash.
TEST(Password, VerifiesAHashMadeElsewhere) {
  const std::string foreign = "$argon2id$v=19$m=4096,t=3,p=1$RrtzvESo4bkSXrWxbc530g$Lyyvcbaa3UNVymz+LMbLjN2hClM6NSRQiMJqGg4vtNY";
  EXPECT_TRUE(verify_password(foreign, "secret"));
  EXPECT_FALSE(verify_password(foreign, "Secret"));
  EXPECT_FALSE(verify_password(foreign, "secret "));
  EXPECT_TRUE(needs_rehash(foreign, kFast));
  EXPECT_TRUE(needs_rehash(foreign));
}

TEST(Password, MalformedHashNeverVerifies) {
  EXPECT_FALSE(verify_password("", "correct horse battery"));
  EXPECT_FALSE(verify_password("$argon2id$v=19$m=8,t=1,p=1$garbage", "correct horse battery"));
  EXPECT_FALSE(verify_password("correct horse battery", "correct horse battery"));
  EXPECT_FALSE(verify_password(std::string(200, '$'), "correct horse battery"));  // longer than any hash
}

TEST(Password, InteractiveCostIsTheDefault) {
  // One real interactive hash (~0.1 s, 64 MiB): the default the server uses.
  auto hash = hash_password("correct horse battery");
  ASSERT_TRUE(hash.ok());
  EXPECT_NE(hash->find("$m=65536,t=2,p=1$"), std::string::npos) << *hash;
  EXPECT_FALSE(needs_rehash(*hash));
  EXPECT_TRUE(verify_password(*hash, "correct horse battery"));
}

TEST(Password, NeedsRehashWhenCostDiffersOrHashIsForeign) {
  auto hash = hash_password("correct horse battery", kFast);
  ASSERT_TRUE(hash.ok());
  EXPECT_FALSE(needs_rehash(*hash, kFast));
  EXPECT_TRUE(needs_rehash(*hash, PasswordCost::interactive()));
  EXPECT_TRUE(needs_rehash(*hash, PasswordCost{kFast.ops_limit + 1, kFast.mem_limit}));
  EXPECT_TRUE(needs_rehash("", kFast));
  EXPECT_TRUE(needs_rehash("$argon2i$v=19$m=8,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g", kFast));
  EXPECT_TRUE(needs_rehash("$2b$12$abcdefghijklmnopqrstuv", kFast));  // a bcrypt hash from elsewhere
}

TEST(Password, OverLongPasswordIsRefusedBeforeHashing) {
  const std::string huge(kMaxPasswordBytes + 1, 'x');
  auto hash = hash_password(huge, kFast);
  ASSERT_FALSE(hash.ok());
  EXPECT_EQ(hash.error().kind, ErrorKind::InvalidArgument);
  auto ok = hash_password(std::string(kMaxPasswordBytes, 'x'), kFast);
  ASSERT_TRUE(ok.ok());
  EXPECT_TRUE(verify_password(*ok, std::string(kMaxPasswordBytes, 'x')));
  EXPECT_FALSE(verify_password(*ok, huge));
}

std::string policy_error(std::string_view password, std::string_view email = "alice@example.com") {
  Status s = check_password_policy(password, email);
  if (s.ok()) return "";
  EXPECT_EQ(s.error().kind, ErrorKind::InvalidArgument);
  if (!password.empty()) {
    EXPECT_EQ(s.error().message.find(std::string(password)), std::string::npos) << "must not echo the password";
  }
  return s.error().message;
}

TEST(PasswordPolicy, AcceptsAReasonablePassword) {
  EXPECT_EQ(policy_error("correct horse battery"), "");
  EXPECT_EQ(policy_error("0123456789"), "");  // exactly the minimum
}

TEST(PasswordPolicy, TooShortNamesTheMinimum) {
  EXPECT_EQ(policy_error("123456789"), "password is too short: at least 10 characters");
  EXPECT_EQ(policy_error(""), "password must not be empty or only spaces");
}

TEST(PasswordPolicy, CountsCharactersNotBytes) {
  // Nine Cyrillic letters are 18 bytes but nine characters: still too short.
  EXPECT_EQ(policy_error("пароль123"), "password is too short: at least 10 characters");
  EXPECT_EQ(policy_error("парольпароль"), "");
}

TEST(PasswordPolicy, TooLongNamesTheMaximum) {
  EXPECT_EQ(policy_error(std::string(1025, 'a')), "password is too long: at most 1024 bytes");
  EXPECT_EQ(policy_error(std::string(1024, 'a')), "");
}

TEST(PasswordPolicy, AllWhitespaceIsRefused) {
  EXPECT_EQ(policy_error("            "), "password must not be empty or only spaces");
  EXPECT_EQ(policy_error(" \t\n \t\n \t\n \t\n"), "password must not be empty or only spaces");
}

TEST(PasswordPolicy, EqualToTheEmailIsRefused) {
  EXPECT_EQ(policy_error("alice@example.com"), "password must not be the same as the email address");
  EXPECT_EQ(policy_error("Alice@Example.COM", " alice@example.com "), "password must not be the same as the email address");
  EXPECT_EQ(policy_error("alice@example.com!"), "");
  EXPECT_EQ(policy_error("alice@example.com", ""), "");  // no email known yet: only the other rules
}

}  // namespace
}  // namespace tb::auth
