// Registration, sign-in and sessions at the service, below HTTP (the API's own tests cover the routes).
#include <gtest/gtest.h>

#include "users/users_world.hpp"

namespace tb::users::test {
namespace {

constexpr const char* kPassword = "correct horse battery";
constexpr const char* kIp = "198.51.100.7";

bool audited(UsersWorld& s, int64_t user_id, std::string_view action) {
  auto rows = s.w.store->list_audit(user_id, 50);
  if (!rows) return false;
  for (const auto& e : *rows)
    if (e.action == action && e.channel == "web") return true;
  return false;
}

TEST(UserService, RegistersANormalisedEmailOnceWithAGoodPassword) {
  UsersWorld s;
  auto u = s.users.register_user("  Ann@Example.COM ", kPassword, kIp);
  ASSERT_TRUE(u.ok()) << u.error().message;
  EXPECT_EQ(u->email, "ann@example.com");
  EXPECT_NE(u->password_hash.find("argon2id"), std::string::npos);  // the hash, never the password
  EXPECT_TRUE(audited(s, u->id, "user.registered"));

  auto again = s.users.register_user("ann@example.com", kPassword, kIp);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().kind, ErrorKind::Conflict);
  auto weak = s.users.register_user("bob@example.com", "Qz7", kIp);
  ASSERT_FALSE(weak.ok());
  EXPECT_EQ(weak.error().kind, ErrorKind::InvalidArgument);
  EXPECT_TRUE(weak.error().message.starts_with("password: "));
  EXPECT_EQ(weak.error().message.find("Qz7"), std::string::npos);  // the password is not echoed
  auto bad = s.users.register_user("not an address", kPassword, kIp);
  ASSERT_FALSE(bad.ok());
  EXPECT_TRUE(bad.error().message.starts_with("email: "));
}

TEST(UserService, NewAccountsPerAddressAreLimited) {
  UsersWorld s(UsersWorld::fast(2));
  EXPECT_TRUE(s.users.register_user("a@example.com", kPassword, kIp).ok());
  EXPECT_TRUE(s.users.register_user("b@example.com", kPassword, kIp).ok());
  auto third = s.users.register_user("c@example.com", kPassword, kIp);
  ASSERT_FALSE(third.ok());
  EXPECT_EQ(third.error().kind, ErrorKind::RateLimited);
  EXPECT_TRUE(third.error().retry_after.has_value());
  EXPECT_TRUE(s.users.register_user("c@example.com", kPassword, "203.0.113.9").ok());  // another address
}

TEST(UserService, SignInGivesASessionThatAuthenticatesUntilSignOut) {
  UsersWorld s;
  auto u = s.users.register_user("ann@example.com", kPassword, kIp);
  ASSERT_TRUE(u.ok());
  auto wrong = s.users.login("ann@example.com", "not the password", kIp, "Test/1");
  auto nobody = s.users.login("nobody@example.com", kPassword, kIp, "Test/1");
  ASSERT_FALSE(wrong.ok());
  ASSERT_FALSE(nobody.ok());
  EXPECT_EQ(wrong.error().kind, ErrorKind::Unauthenticated);
  EXPECT_EQ(wrong.error().message, nobody.error().message);  // the same words whether or not the email exists
  EXPECT_TRUE(audited(s, u->id, "user.login_failed"));

  std::vector<std::string> ended;
  s.users.on_session_end([&](const std::string& hash) { ended.push_back(hash); });
  auto in = s.users.login("ANN@example.com", kPassword, kIp, "Test/1");
  ASSERT_TRUE(in.ok()) << in.error().message;
  EXPECT_EQ(in->user.id, u->id);
  EXPECT_EQ(in->expires_ms, s.clock.now_ms() + s.user_options.session_ttl.count());
  auto caller = s.users.authenticate(in->token);
  ASSERT_TRUE(caller.ok());
  EXPECT_EQ(caller->user_id, u->id);
  EXPECT_EQ(caller->token_hash, auth::token_hash(in->token));
  EXPECT_TRUE(UserService::csrf_matches(*caller, in->csrf_token));
  EXPECT_FALSE(UserService::csrf_matches(*caller, std::string(in->csrf_token.size(), 'x')));

  ASSERT_TRUE(s.users.logout(in->token).ok());
  EXPECT_EQ(ended, std::vector<std::string>{auth::token_hash(in->token)});
  auto gone = s.users.authenticate(in->token);
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(gone.error().kind, ErrorKind::Unauthenticated);
  EXPECT_FALSE(s.users.authenticate("not a token").ok());
}

TEST(UserService, ATelegramOnlyUserCannotSignInByEmail) {
  UsersWorld s;
  store::TelegramLink chat;
  chat.telegram_user_id = 4242;
  chat.chat_id = 4242;
  auto link = s.identities.register_chat(chat);
  ASSERT_TRUE(link.ok());
  auto user = *s.w.store->find_user(link->user_id);
  ASSERT_TRUE(user.has_value());
  EXPECT_TRUE(store::is_telegram_only(*user));
  auto in = s.users.login(user->email, kPassword, kIp, "Test/1");  // "telegram-only #<id>": no one's address
  ASSERT_FALSE(in.ok());
  EXPECT_EQ(in.error().kind, ErrorKind::InvalidArgument);
  EXPECT_TRUE(in.error().message.starts_with("email: ")) << in.error().message;
}

}  // namespace
}  // namespace tb::users::test
