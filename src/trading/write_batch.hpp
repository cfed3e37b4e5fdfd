#pragma once
// Group commit for the desk (issue 13): the writes its user robots ask for in one turn of the event loop
// (a signal's intents for every user robot that follows it, the answers that came back together) go into one
// transaction instead of one each, which is what a fan-out to thousands of accounts spent its time on.
//
// Each caller still gets its own outcome, and only once its write is committed: an intent is written before
// its order is sent, an answer after it came. A batch one write of which fails is rolled back and run again
// write by write, each in its own transaction, so one bad write fails alone. A write may therefore run more
// than once: it starts from its inputs each time and leaves its results where its caller reads them only
// after success.
//
// Threads: call from one thread (serve's io thread); the store is called synchronously there.
#include <functional>
#include <memory>
#include <vector>

#include "net/transport.hpp"
#include "store/store.hpp"

namespace tb::trading {

class WriteBatcher {
 public:
  using Write = std::function<Status(store::Store&)>;
  explicit WriteBatcher(store::Store& store, size_t max_batch = 512) : store_(store), max_batch_(max_batch) {}

  // Runs `write` in the next batch's transaction; returns once it is committed or failed.
  net::Task<Status> write(Write write);

  struct Batch;

 private:
  void flush(const std::shared_ptr<Batch>& batch);

  store::Store& store_;
  size_t max_batch_;
  std::shared_ptr<Batch> open_;  // taking writes until its flush runs
};

}  // namespace tb::trading
