// The official Binance signature examples (exchanges.md §1.1), byte for byte, through the Signer seam.
#include <gtest/gtest.h>

#include "crypto/encoding.hpp"
#include "crypto/hash.hpp"
#include "venues/binance_futures/auth.hpp"

namespace tb::venues::binance_futures {
namespace {

constexpr const char* kApiKey = "dbefbc809e3e83c283a984c3a1459732ea7db1360ca80c5c2c8867408d28cc83";
constexpr const char* kSecret = "2b5eb11e18796d12d88f13dc27dbbd02c2cc51ff7059765ed9821957d82bb4d9";

crypto::LocalSigner doc_signer() { return crypto::LocalSigner(kApiKey, crypto::Secret(kSecret)); }

TEST(BinanceAuth, OfficialVectorB1QueryOrBody) {
  auto signer = doc_signer();
  EXPECT_EQ(
      signature(signer, "symbol=BTCUSDT&side=BUY&type=LIMIT&quantity=1&price=9000&timeInForce=GTC&recvWindow=5000&timestamp=1591702613943"),
      "3c661234138461fcc7a7d8746c6558c9842d4e10870d2ecbedf7777cad694af9");
  EXPECT_EQ(append_signature(
                signer, "symbol=BTCUSDT&side=BUY&type=LIMIT&quantity=1&price=9000&timeInForce=GTC&recvWindow=5000&timestamp=1591702613943"),
            "symbol=BTCUSDT&side=BUY&type=LIMIT&quantity=1&price=9000&timeInForce=GTC&recvWindow=5000&timestamp=1591702613943"
            "&signature=3c661234138461fcc7a7d8746c6558c9842d4e10870d2ecbedf7777cad694af9");
}

TEST(BinanceAuth, SameParamsInAnotherOrderSignDifferently) {
  auto signer = doc_signer();
  EXPECT_EQ(
      signature(signer, "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=9000&recvWindow=5000&timestamp=1591702613943"),
      "ec11dcc17e67e47f0d3c3f513dfe9062307e37619c5c82ebaa8fe0bdf3d59519");
}

TEST(BinanceAuth, OfficialVectorB2AsPrintedWithItsSpace) {
  EXPECT_EQ(signature(doc_signer(),
                      "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTCquantity=1&price=9000&recvWindow=5000&timestamp= 1591702613943"),
            "f9d0ae5e813ef6ccf15c2b5a434047a0181cb5a342b903b367ca6d27a66e36f2");
}

TEST(BinanceAuth, QueryAndBodyAreConcatenatedWithoutSeparator) {
  auto signer = doc_signer();
  std::string query = "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC";
  std::string body = "quantity=1&price=9000&recvWindow=5000&timestamp=1591702613943";
  EXPECT_EQ(append_signature(signer, body, query), body + "&signature=30baaf0fab549bbeda7f5ef201898b34122da25fd23c646cac2c529aebe670a4");
  // With an '&' between the parts the bytes differ, and so does the MAC.
  EXPECT_NE(signature(signer, query + "&" + body), "30baaf0fab549bbeda7f5ef201898b34122da25fd23c646cac2c529aebe670a4");
}

TEST(BinanceAuth, SpotDocVectorAndIndependentHmac) {
  crypto::LocalSigner spot("k", crypto::Secret("NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j"));
  std::string msg = "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559";
  EXPECT_EQ(signature(spot, msg), "c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71");
  EXPECT_EQ(signature(spot, msg),
            crypto::hex(crypto::hmac_sha256("NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j", msg)));
}

TEST(BinanceAuth, WrongSecretGivesAnotherSignature) {
  crypto::LocalSigner wrong(kApiKey, crypto::Secret("not-the-secret"));
  EXPECT_NE(
      signature(wrong, "symbol=BTCUSDT&side=BUY&type=LIMIT&quantity=1&price=9000&timeInForce=GTC&recvWindow=5000&timestamp=1591702613943"),
      "3c661234138461fcc7a7d8746c6558c9842d4e10870d2ecbedf7777cad694af9");
}

}  // namespace
}  // namespace tb::venues::binance_futures
