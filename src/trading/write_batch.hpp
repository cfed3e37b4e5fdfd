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
// One batch commits at a time: the writes that come while it does wait and then go in together, so the
// busier the store, the larger its transactions (each costs its pages written once, whatever it holds).
//
// Threads: call write() from one thread (serve's io thread). The transactions run there too, or, with
// `own_thread`, on a thread of the batcher's own: the event loop then goes on with the venues' answers while
// a batch commits, and the store's lock orders its calls. A write must then touch nothing the event loop
// changes while its caller waits (the caller's own frame, the store it is handed).
#include <atomic>
#include <deque>
#include <functional>
#include <memory>
#include <vector>

#include <boost/asio/thread_pool.hpp>

#include "net/transport.hpp"
#include "store/store.hpp"

namespace tb::trading {

class WriteBatcher {
 public:
  using Write = std::function<Status(store::Store&)>;
  explicit WriteBatcher(store::Store& store, size_t max_batch = 512, bool own_thread = false);
  ~WriteBatcher();  // waits for a batch the own thread is committing

  // Runs `write` in the next batch's transaction; returns once it is committed or failed.
  net::Task<Status> write(Write write);

  int64_t commits() const { return commits_; }  // batches handed to the store so far

  struct Batch;

 private:
  void flush_next();          // on the caller's thread: hands the next batch over unless one is committing
  void commit(Batch& batch);  // on the writing thread

  store::Store& store_;
  size_t max_batch_;
  std::unique_ptr<boost::asio::thread_pool> writer_;  // own_thread: one thread
  std::shared_ptr<Batch> open_;                       // taking writes until it is handed over
  std::deque<std::shared_ptr<Batch>> full_;           // capped, waiting for the one committing
  bool writing_ = false;                              // a batch is committing
  std::atomic<int64_t> commits_{0};
};

}  // namespace tb::trading
