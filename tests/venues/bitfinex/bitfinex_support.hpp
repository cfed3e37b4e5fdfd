#pragma once
// Shared by the bitfinex tests: run a venue call to its Result, and the venue's documented answers.
#include <optional>

#include "support/harness.hpp"

namespace tb::venues::bitfinex {

// test::run needs a default-constructible value; Result<T> is not one, so carry it in an optional.
template <typename T>
Result<T> run_result(net::Task<Result<T>> task) {
  auto wrap = [](net::Task<Result<T>> t) -> net::Task<std::optional<Result<T>>> { co_return co_await std::move(t); };
  return *test::run(wrap(std::move(task)));
}

}  // namespace tb::venues::bitfinex
