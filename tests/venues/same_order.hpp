#pragma once
// Two readings of one order answer agree field by field (a connector's fast path against its document path).
#include <gtest/gtest.h>

#include "core/core.hpp"

namespace tb::test {

inline void expect_same_order(const Result<Order>& a, const Result<Order>& b) {
  ASSERT_EQ(a.ok(), b.ok()) << (a ? b.error().describe() : a.error().describe());
  if (!a) {
    EXPECT_EQ(a.error().kind, b.error().kind);
    EXPECT_EQ(a.error().message, b.error().message);
    return;
  }
  auto text = [](const std::optional<Decimal>& d) { return d ? d->to_string() : std::string("(none)"); };
  EXPECT_EQ(a->id, b->id);
  EXPECT_EQ(a->client_order_id, b->client_order_id);
  EXPECT_EQ(a->symbol, b->symbol);
  EXPECT_EQ(a->side, b->side);
  EXPECT_EQ(a->type, b->type);
  EXPECT_EQ(a->status, b->status);
  EXPECT_EQ(text(a->price), text(b->price));
  EXPECT_EQ(text(a->trigger_price), text(b->trigger_price));
  EXPECT_EQ(a->time_in_force, b->time_in_force);
  EXPECT_EQ(a->amount.to_string(), b->amount.to_string());
  EXPECT_EQ(a->filled.to_string(), b->filled.to_string());
  EXPECT_EQ(text(a->average_price), text(b->average_price));
  EXPECT_EQ(a->post_only, b->post_only);
  EXPECT_EQ(a->reduce_only, b->reduce_only);
  EXPECT_EQ(a->created_ms, b->created_ms);
  EXPECT_EQ(a->updated_ms, b->updated_ms);
  EXPECT_EQ(a->venue_status, b->venue_status);
  EXPECT_EQ(a->venue_type, b->venue_type);
  EXPECT_EQ(a->position_side, b->position_side);
  EXPECT_EQ(text(a->fee), text(b->fee));
  EXPECT_EQ(a->fee_asset, b->fee_asset);
}

}  // namespace tb::test
