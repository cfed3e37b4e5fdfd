// The event bus: who hears what, and whether a notice has anyone to hear it (the desk makes none for nobody).
#include <gtest/gtest.h>

#include "accounts/events.hpp"

namespace tb::accounts {
namespace {

TEST(EventBus, ANoticeIsWantedOnlyWhileSomeoneListensForNotices) {
  EventBus bus;
  int heard = 0;
  EXPECT_FALSE(bus.wants_notice(7));
  {
    auto all_but_notices = bus.subscribe(
        EventBus::kAllUsers, [&](const AccountEvent&) { ++heard; }, false);
    EXPECT_FALSE(bus.wants_notice(7));  // it ignores notices
    auto seven = bus.subscribe(7, [&](const AccountEvent&) { ++heard; });
    EXPECT_TRUE(bus.wants_notice(7));
    EXPECT_FALSE(bus.wants_notice(8));
    bus.publish({7, Notice{"order.updated", "{}", ""}});
    EXPECT_EQ(heard, 2);  // both hear what is published: the flag only says what is worth making
    {
      auto everyone = bus.subscribe(EventBus::kAllUsers, [&](const AccountEvent&) {});
      EXPECT_TRUE(bus.wants_notice(8));
    }
    EXPECT_FALSE(bus.wants_notice(8));
  }
  EXPECT_FALSE(bus.wants_notice(7));
  EXPECT_EQ(bus.listeners(), 0u);
  bus.forward_to([](const AccountEvent&) {});  // other processes: their listeners are not known here
  EXPECT_TRUE(bus.wants_notice(7));
}

}  // namespace
}  // namespace tb::accounts
