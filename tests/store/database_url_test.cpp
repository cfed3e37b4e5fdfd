// serve --database / TRADEBRIDGE_DATABASE_URL: the two forms parsed into typed fields, bad input refused
// naming what is wrong, and the password never in an error or in the redacted form.
#include <gtest/gtest.h>

#include "store/database_url.hpp"

namespace tb::store {
namespace {

constexpr const char* kPassword = "Canary-pw-7f3a9";

std::string message_of(std::string_view text) {
  auto u = DatabaseUrl::parse(text);
  EXPECT_FALSE(u.ok()) << text;
  return u.ok() ? std::string() : u.error().message;
}

TEST(DatabaseUrl, SqliteTakesThePathAsGiven) {
  auto u = DatabaseUrl::parse("sqlite:./var/tradebridge.db");
  ASSERT_TRUE(u.ok()) << u.error().describe();
  EXPECT_EQ(u->backend, Backend::Sqlite);
  EXPECT_EQ(u->sqlite_path, "./var/tradebridge.db");
  EXPECT_EQ(u->redacted(), "sqlite:./var/tradebridge.db");
  auto abs = DatabaseUrl::parse("sqlite:/var/lib/tradebridge/tb.db");
  ASSERT_TRUE(abs.ok());
  EXPECT_EQ(abs->sqlite_path, "/var/lib/tradebridge/tb.db");
}

TEST(DatabaseUrl, SqliteRefusesNoPathAnInMemoryDatabaseAndTheDoubleSlashForm) {
  EXPECT_NE(message_of("sqlite:").find("needs a file path"), std::string::npos);
  EXPECT_NE(message_of("sqlite::memory:").find("in-memory"), std::string::npos);
  EXPECT_NE(message_of("sqlite:///tmp/x.db").find("not sqlite://"), std::string::npos);
}

TEST(DatabaseUrl, PostgresqlReadsEveryPart) {
  auto u = DatabaseUrl::parse(std::string("postgresql://ann:") + kPassword +
                              "@db.internal:6543/tradebridge?sslmode=verify-full&application_name=tb");
  ASSERT_TRUE(u.ok()) << u.error().describe();
  EXPECT_EQ(u->backend, Backend::Postgresql);
  const auto& pg = u->postgres;
  EXPECT_EQ(pg.user, "ann");
  EXPECT_EQ(pg.password.reveal(), kPassword);
  EXPECT_EQ(pg.host, "db.internal");
  EXPECT_EQ(pg.port, 6543);
  EXPECT_EQ(pg.dbname, "tradebridge");
  EXPECT_EQ(pg.sslmode, "verify-full");
  EXPECT_EQ(pg.params.at("application_name"), "tb");
  EXPECT_EQ(u->redacted(), "postgresql://ann:****@db.internal:6543/tradebridge?sslmode=verify-full&application_name=tb");
}

TEST(DatabaseUrl, PostgresqlDefaultsThePortAndDecodesEscapes) {
  auto u = DatabaseUrl::parse("postgres://bob%40corp:p%40ss%2Fw@[::1]/my%20db");
  ASSERT_TRUE(u.ok()) << u.error().describe();
  EXPECT_EQ(u->postgres.user, "bob@corp");
  EXPECT_EQ(u->postgres.password.reveal(), "p@ss/w");
  EXPECT_EQ(u->postgres.host, "::1");
  EXPECT_EQ(u->postgres.port, 5432);
  EXPECT_EQ(u->postgres.dbname, "my db");
  EXPECT_EQ(u->redacted(), "postgresql://bob%40corp:****@[::1]:5432/my%20db");
  auto no_user = DatabaseUrl::parse("postgresql://db:5432/tb");
  ASSERT_TRUE(no_user.ok());
  EXPECT_TRUE(no_user->postgres.user.empty());
  EXPECT_TRUE(no_user->postgres.password.empty());
  EXPECT_EQ(no_user->redacted(), "postgresql://db:5432/tb");
}

TEST(DatabaseUrl, BadInputNamesTheProblem) {
  EXPECT_NE(message_of("./var/tradebridge.db").find("sqlite:PATH or postgresql://"), std::string::npos);
  EXPECT_NE(message_of("mysql://u@h/db").find("starts with neither"), std::string::npos);
  EXPECT_NE(message_of("postgresql://u@h:5432").find("needs a database name"), std::string::npos);
  EXPECT_NE(message_of("postgresql://u@h:5432/").find("needs a database name"), std::string::npos);
  EXPECT_NE(message_of("postgresql://u@:5432/db").find("needs a host"), std::string::npos);
  EXPECT_NE(message_of("postgresql://u@h:0/db").find("port"), std::string::npos);
  EXPECT_NE(message_of("postgresql://u@h:70000/db").find("port"), std::string::npos);
  EXPECT_NE(message_of("postgresql://u@h1,h2/db").find("one host"), std::string::npos);
  EXPECT_NE(message_of("postgresql://u@[::1/db").find("']'"), std::string::npos);
  EXPECT_NE(message_of("postgresql://u@h/db?sslmode=sometimes").find("sslmode takes"), std::string::npos);
  EXPECT_NE(message_of("postgresql://u@h/db?pool=3").find("unknown parameter 'pool'"), std::string::npos);
  EXPECT_NE(message_of("postgresql://u@h/db?sslmode=").find("needs a value"), std::string::npos);
  EXPECT_NE(message_of("postgresql://u:%zz@h/db").find("%-escape in the password"), std::string::npos);
  EXPECT_EQ(message_of("sqlite:").rfind("--database: ", 0), 0u);  // the flag is named
  auto named = DatabaseUrl::parse("oracle:x", "TRADEBRIDGE_DATABASE_URL");
  ASSERT_FALSE(named.ok());
  EXPECT_EQ(named.error().message.rfind("TRADEBRIDGE_DATABASE_URL: ", 0), 0u);
  EXPECT_EQ(named.error().kind, ErrorKind::InvalidArgument);
}

// A URL missing its '@' puts the password where the port goes, a raw '/' in it splits the path: the
// errors say what is wrong without quoting it.
TEST(DatabaseUrl, ErrorsNeverQuoteThePassword) {
  for (std::string text :
       {std::string("postgresql://ann:") + kPassword + "/tradebridge", std::string("postgresql://ann:") + kPassword + "@h:54x2/db",
        std::string("postgresql://ann:Canary/pw-7f3a9@h/db"), std::string("postgresql://ann:") + kPassword + "%g@h/db"}) {
    auto u = DatabaseUrl::parse(text);
    ASSERT_FALSE(u.ok()) << text;
    EXPECT_EQ(u.error().message.find("Canary"), std::string::npos) << u.error().message;
    EXPECT_EQ(u.error().describe().find("Canary"), std::string::npos);
  }
}

TEST(DatabaseUrl, TheRedactedFormNeverHoldsThePassword) {
  auto u = DatabaseUrl::parse(std::string("postgresql://ann:") + kPassword + "@h/db?sslmode=require");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->redacted().find(kPassword), std::string::npos);
  EXPECT_EQ(u->redacted(), "postgresql://ann:****@h:5432/db?sslmode=require");
}

}  // namespace
}  // namespace tb::store
