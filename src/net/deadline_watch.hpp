#pragma once
// Deadlines of many operations under way, kept by one timer set for the earliest: starting and cancelling a
// timer wait per read and write (what beast::basic_stream does) costs a few locked queue operations each.
#include <utility>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <memory>
#include <vector>

namespace tb::net {

class DeadlineWatch : public std::enable_shared_from_this<DeadlineWatch> {
 public:
  using Clock = std::chrono::steady_clock;

  // What is watched: told once when its deadline passes (from the io_context's thread), and marked.
  class Entry {
   public:
    virtual ~Entry() = default;
    bool timed_out() const { return timed_out_; }

   protected:
    virtual void expire() = 0;  // end the operation (close its socket): its handlers see the error

   private:
    friend class DeadlineWatch;
    Clock::time_point deadline_ = Clock::time_point::max();
    bool timed_out_ = false;
    size_t slot_ = kNone;
  };

  // Holds `entry` to `deadline` while in scope.
  class Scope {
   public:
    Scope(DeadlineWatch& watch, Entry& entry, Clock::time_point deadline) : watch_(watch), entry_(entry) { watch_.watch(entry_, deadline); }
    ~Scope() { watch_.unwatch(entry_); }
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

   private:
    DeadlineWatch& watch_;
    Entry& entry_;
  };

  explicit DeadlineWatch(boost::asio::io_context& io) : timer_(io) {}

  // Touched from the io_context's thread only.
  void watch(Entry& entry, Clock::time_point deadline);
  void unwatch(Entry& entry);
  size_t watched() const { return entries_.size(); }

 private:
  static constexpr size_t kNone = static_cast<size_t>(-1);
  void arm(Clock::time_point at);
  void expire_due();

  std::vector<Entry*> entries_;
  boost::asio::steady_timer timer_;
  Clock::time_point armed_for_ = Clock::time_point::max();
};

}  // namespace tb::net
