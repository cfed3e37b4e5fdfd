#pragma once
// The orders module's door: the states of an order we send to a venue, the ledger that records each one
// before it is sent, and the settling of an order whose outcome we do not know.
#include "orders/order_journal.hpp"
#include "orders/order_state.hpp"
#include "orders/settle.hpp"
