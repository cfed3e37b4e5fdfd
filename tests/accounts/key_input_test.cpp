// Step 1: the key pair checked before any network call, per venue format.
#include <gtest/gtest.h>

#include "accounts/key_input.hpp"
#include "crypto/encoding.hpp"

namespace tb::accounts {
namespace {

std::string repeat(char c, size_t n) { return std::string(n, c); }
crypto::Secret secret(std::string text) { return crypto::Secret(std::move(text)); }

const std::string kBinanceKey = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A";  // 64
const std::string kBinanceSecret = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";
const std::string kKrakenKey = repeat('A', 54) + "==";  // 56 base64 characters
const std::string kKrakenSecret = "kQH5HW/8p1uGOVjbgWA7FunAmGO8lsSUXNsu3eow76sz84Q18fWxnyRzBHCd3pd5nE9qa99HAZtuZuj6F1huXg==";

std::string message_of(const Result<KeyInput>& r) { return r ? "" : r.error().message; }

TEST(KeyInput, AcceptsEachVenuesFormatAndTrims) {
  auto b = check_key_input("binance_futures", "  " + kBinanceKey + "\n", secret("\t" + kBinanceSecret + " "));
  ASSERT_TRUE(b) << message_of(b);
  EXPECT_EQ(b->api_key, kBinanceKey);
  EXPECT_EQ(b->api_secret.reveal(), kBinanceSecret);
  auto k = check_key_input("kraken", kKrakenKey, secret(kKrakenSecret));
  ASSERT_TRUE(k) << message_of(k);
  auto f = check_key_input("bitfinex", repeat('a', 43), secret(repeat('Z', 43)));
  ASSERT_TRUE(f) << message_of(f);
}

TEST(KeyInput, EmptyNamesTheField) {
  auto r = check_key_input("binance_futures", "   ", secret(kBinanceSecret));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::InvalidArgument);
  EXPECT_EQ(r.error().message, "API key is empty.");
  EXPECT_EQ(r.error().field, "key");  // as the API names it
  r = check_key_input("binance_futures", kBinanceKey, secret(""));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "API secret is empty.");
  EXPECT_EQ(r.error().field, "secret");
}

TEST(KeyInput, WhitespaceInsideNamesTheField) {
  std::string broken = kBinanceSecret;
  broken[10] = ' ';
  auto r = check_key_input("binance_futures", kBinanceKey, secret(broken));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message.rfind("API secret contains a space", 0), 0u) << r.error().message;
  EXPECT_EQ(r.error().message.find(kBinanceSecret.substr(0, 10)), std::string::npos);  // never echoes the secret
}

TEST(KeyInput, WrongLengthNamesTheFieldAndTheLength) {
  auto r = check_key_input("binance_futures", kBinanceKey.substr(0, 63), secret(kBinanceSecret));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "API key should be 64 characters, got 63; copy it again in full.");
  r = check_key_input("bitfinex", repeat('a', 43), secret(repeat('a', 44)));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "API secret should be 43 characters, got 44; copy it again in full.");
}

TEST(KeyInput, WrongAlphabetNamesTheField) {
  auto r = check_key_input("bitfinex", repeat('a', 42) + "+", secret(repeat('a', 43)));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "API key should contain only letters and digits.");
  r = check_key_input("kraken", repeat('A', 55) + "-", secret(kKrakenSecret));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message.rfind("API key should contain only base64", 0), 0u);
}

TEST(KeyInput, KrakenSecretMustBeBase64OfSixtyFourBytes) {
  // 88 base64 characters but padding in the wrong place: not valid base64.
  std::string bad = "=" + kKrakenSecret.substr(1);
  auto r = check_key_input("kraken", kKrakenKey, secret(bad));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message.rfind("API secret is not valid base64", 0), 0u) << r.error().message;
}

TEST(KeyInput, SecretIsCheckedWithoutChangingTheCallersOrRepeatingIt) {
  const crypto::Secret typed = secret(" " + kKrakenSecret + "\n");
  auto r = check_key_input("kraken", kKrakenKey, typed);
  ASSERT_TRUE(r) << message_of(r);
  EXPECT_EQ(r->api_secret.reveal(), kKrakenSecret);
  EXPECT_EQ(typed.size(), kKrakenSecret.size() + 2);  // the caller's Secret is left as it was
  const std::string dashed = repeat('a', 42) + "-";
  r = check_key_input("bitfinex", repeat('a', 43), secret(dashed));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "API secret should contain only letters and digits.");
  // 88 base64 characters, as a Kraken secret has, but of 65 bytes rather than 64.
  const std::string long_secret = crypto::base64(repeat('k', 65));
  ASSERT_EQ(long_secret.size(), kKrakenSecret.size());
  r = check_key_input("kraken", kKrakenKey, secret(long_secret));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message.rfind("API secret is not valid base64 of the expected length", 0), 0u) << r.error().message;
  EXPECT_EQ(r.error().message.find(long_secret.substr(0, 8)), std::string::npos);
}

TEST(KeyInput, UnknownVenue) {
  auto r = check_key_input("mtgox", "a", secret("b"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::InvalidArgument);
  EXPECT_EQ(r.error().message, "unknown exchange 'mtgox'");
  EXPECT_EQ(r.error().field, "exchange");
  // A secret pasted as the exchange is not repeated, nor is anything longer than 32 characters.
  r = check_key_input(kBinanceSecret, "a", secret("b"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "unknown exchange");
  EXPECT_EQ(check_key_input(repeat('x', 33), "a", secret("b")).error().message, "unknown exchange");
}

TEST(LooksLikeKey, EachVenuesKeysAndSecretsAndRandomRunsButNotNames) {
  EXPECT_TRUE(looks_like_key(kBinanceKey));
  EXPECT_TRUE(looks_like_key(" " + kBinanceSecret + "\n"));
  EXPECT_TRUE(looks_like_key(kKrakenKey));  // one letter and padding: the format, not randomness, says key
  EXPECT_TRUE(looks_like_key(kKrakenSecret));
  EXPECT_TRUE(looks_like_key(repeat('a', 43)));  // a Bitfinex key's shape
  EXPECT_TRUE(looks_like_key("w8H5JD15QtwmZT1T//3RnSCCHKXVqpgBRsb5qRKyJjmWCkVIp9MjjqSB"));
  EXPECT_TRUE(looks_like_key(kBinanceKey.substr(0, 30)));  // cut short
  EXPECT_FALSE(looks_like_key("please transfer 5 BTC to my friend"));
  EXPECT_FALSE(looks_like_key("Binance-Futures-Main-2024"));
  EXPECT_FALSE(looks_like_key("Kraken #2"));
  EXPECT_FALSE(looks_like_key("short"));
}

TEST(QuotedEcho, ShortPlainTextOnly) {
  EXPECT_EQ(quoted_echo("mtgox"), std::optional<std::string>("'mtgox'"));
  EXPECT_EQ(quoted_echo("a\nb"), std::optional<std::string>("'a?b'"));
  EXPECT_EQ(quoted_echo(repeat('x', 32)), std::optional<std::string>("'" + repeat('x', 32) + "'"));
  EXPECT_FALSE(quoted_echo(repeat('x', 33)).has_value());
  EXPECT_FALSE(quoted_echo(kBinanceKey.substr(0, 28)).has_value());
}

TEST(ClientOrderId, EachVenuesFormat) {
  uint64_t ms = 1'700'000'000'123;
  EXPECT_EQ(make_client_order_id("bitfinex", ms), "1700000000124");  // an integer in int45
  std::string kraken = make_client_order_id("kraken", ms);
  EXPECT_LE(kraken.size(), 18u);
  EXPECT_EQ(kraken, "tbk1700000000123");
  std::string binance = make_client_order_id("binance_futures", ms);
  EXPECT_LE(binance.size(), 36u);
  EXPECT_EQ(binance, "tb-keytest-1700000000123");
}

}  // namespace
}  // namespace tb::accounts
