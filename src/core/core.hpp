#pragma once
// core: the public face of the module. Decimals, errors, the trading types, symbols, clocks.
#include "core/clock.hpp"
#include "core/decimal.hpp"
#include "core/error.hpp"
#include "core/failure_log.hpp"
#include "core/symbol.hpp"
#include "core/types.hpp"
