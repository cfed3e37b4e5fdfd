// cancel_and_confirm against a venue that answers a cancel as pending (Bitfinex's "submitted for
// cancellation"): the order is confirmed only by a read, the cancel is not sent again while a read still
// shows it open after a pending answer, and a fill racing the cancel is never called a cancel (issue 16 part 2).
#include <gtest/gtest.h>

#include <atomic>

#include "crypto/signer.hpp"
#include "orders/orders.hpp"
#include "support/harness.hpp"
#include "venues/registry.hpp"

namespace tb::orders {
namespace {

const std::string kRow = R"([1234,null,12345,"tBTCUSD",1700000000000,1700000000000,0.001,0.001,"EXCHANGE LIMIT",null,null,null,4096,"%s",)"
                         R"(null,null,20000,0,0,0,null,null,null,0,0,null,null,null,"API>BFX",null,null,{}])";

std::string row(const std::string& status) {
  std::string s = kRow;
  s.replace(s.find("%s"), 2, status);
  return s;
}

Result<net::HttpResponse> ok(std::string body) { return tb::test::json_response(200, std::move(body)); }

struct PendingCancelVenue {
  // `reads_active`: how many reads still find the order active after the cancel; then `final_status`.
  PendingCancelVenue(int reads_active, std::string final_status)
      : harness([this, reads_active, final_status](const net::HttpRequest& r) -> Result<net::HttpResponse> {
          if (r.url.ends_with("order/cancel")) {
            ++cancels;
            return ok(R"([1700000000000,"oc-req",null,null,)" + row("ACTIVE") +
                      R"(,null,"SUCCESS","Submitted for cancellation; waiting for confirmation (ID: 1234)."])");
          }
          if (r.url.ends_with("/hist")) return ok("[" + row(final_status) + "]");
          return ok(reads++ < reads_active ? "[" + row("ACTIVE") + "]" : "[]");
        }),
        venue(venues::make_venue("bitfinex", harness.context())) {}
  std::atomic<int> cancels{0}, reads{0};
  tb::test::VenueHarness harness;
  std::unique_ptr<venues::Venue> venue;
  crypto::LocalSigner key{"bfx-api-key", crypto::Secret("bitfinex-test-secret")};

  bool confirm(int attempts) {
    return tb::test::run(
        cancel_and_confirm(*venue, key, harness.sleeper, OrderRef{"tBTCUSD", "1234", ""}, attempts, std::chrono::milliseconds(100)));
  }
};

TEST(CancelAndConfirm, APendingCancelIsConfirmedByAReadWithoutSendingAnother) {
  PendingCancelVenue v(1, "CANCELED");  // the first read still shows it active, the second canceled
  EXPECT_TRUE(v.confirm(3));
  EXPECT_EQ(v.cancels.load(), 1);
}

TEST(CancelAndConfirm, APendingCancelTheVenueDropsIsSentAgain) {
  PendingCancelVenue v(3, "CANCELED");  // active on three reads: after a re-read, the cancel goes again
  EXPECT_TRUE(v.confirm(4));
  EXPECT_EQ(v.cancels.load(), 2);
}

TEST(CancelAndConfirm, AFillThatRacedTheCancelIsNotACancel) {
  PendingCancelVenue v(0, "EXECUTED @ 20000(0.001)");
  EXPECT_FALSE(v.confirm(2));
}

}  // namespace
}  // namespace tb::orders
