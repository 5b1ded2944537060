#pragma once
// The simulator's event queue: plain events in a 4-ary min-heap keyed on
// (time, sequence), plus a FIFO for events scheduled at the current time, so
// the common "react now" case costs no heap work. No allocation per event once
// the vectors have grown; no virtual call: the owner dispatches on `handler`.

#include <cstddef>
#include <cstdint>
#include <vector>

namespace meshota::sim {

/// Virtual time in nanoseconds since the start of a run.
using SimTime = int64_t;

/// "Not scheduled": later than every real time.
constexpr SimTime kSimNever = INT64_MAX;

constexpr SimTime kNsPerUs = 1000;
constexpr SimTime kNsPerMs = 1000 * kNsPerUs;
constexpr SimTime kNsPerS = 1000 * kNsPerMs;

/// One scheduled event: when, tie-break order, which handler, which payload.
struct Event {
  SimTime time_ns;
  uint64_t seq;
  uint32_t handler;
  uint32_t payload;
};

/// Min-queue of events ordered by (time, sequence); same-time events run FIFO.
class EventQueue {
 public:
  void reserve(size_t n) { heap_.reserve(n); }

  /// Schedules an event; `time_ns` must not be earlier than now().
  void push(SimTime time_ns, uint32_t handler, uint32_t payload) {
    const Event e{time_ns, next_seq_++, handler, payload};
    if (time_ns == now_ns_) {
      fifo_.push_back(e);
      return;
    }
    heap_.push_back(e);
    sift_up(heap_.size() - 1);
  }

  /// Reserves `n` consecutive sequence numbers for events pushed later with
  /// push_reserved(): each then runs exactly where it would have, had it been pushed now.
  uint64_t reserve_seq(uint64_t n) {
    const uint64_t first = next_seq_;
    next_seq_ += n;
    return first;
  }
  /// Schedules an event under a sequence number from reserve_seq(); `time_ns` must be later than now().
  void push_reserved(SimTime time_ns, uint64_t seq, uint32_t handler, uint32_t payload) {
    heap_.push_back(Event{time_ns, seq, handler, payload});
    sift_up(heap_.size() - 1);
  }
  /// Whether an event at (time_ns, seq), later than now(), would be the next to run and
  /// lies within the horizon. Its owner may then run it in place: advance() to its time
  /// and do its work, saving a push and a pop (a chain of events, e.g. one frame's
  /// arrivals at each neighbour in turn, runs as one).
  bool runs_next(SimTime time_ns, uint64_t seq) const {
    if (time_ns > horizon_ns_ || fifo_head_ < fifo_.size()) return false;
    return heap_.empty() || before(Event{time_ns, seq, 0, 0}, heap_.front());
  }
  /// Moves the clock to an event's time that runs_next() allowed to run in place.
  void advance(SimTime time_ns) { now_ns_ = time_ns; }
  /// The owner's loop runs no event later than this (its time limit): runs_next() refuses
  /// to go past it either. kSimNever (the default) for none.
  void set_horizon(SimTime time_ns) { horizon_ns_ = time_ns; }

  bool empty() const { return heap_.empty() && fifo_head_ == fifo_.size(); }
  size_t size() const { return heap_.size() + (fifo_.size() - fifo_head_); }
  SimTime now() const { return now_ns_; }
  uint64_t scheduled() const { return next_seq_; }

  /// Removes and returns the next event, advancing now() to its time.
  /// Heap events at the current time were scheduled before anything in the
  /// FIFO (smaller sequence), so they go first.
  Event pop() {
    if (!heap_.empty() && heap_.front().time_ns == now_ns_) return pop_heap();
    if (fifo_head_ < fifo_.size()) {
      const Event e = fifo_[fifo_head_++];
      if (fifo_head_ == fifo_.size()) {
        fifo_.clear();
        fifo_head_ = 0;
      }
      return e;
    }
    const Event e = pop_heap();
    now_ns_ = e.time_ns;
    return e;
  }

  /// Time of the next event; only valid when !empty().
  SimTime next_time() const {
    if (fifo_head_ < fifo_.size()) return now_ns_;
    return heap_.front().time_ns;
  }

 private:
  static bool before(const Event& a, const Event& b) {
    return a.time_ns < b.time_ns || (a.time_ns == b.time_ns && a.seq < b.seq);
  }

  void sift_up(size_t i) {
    const Event e = heap_[i];
    while (i > 0) {
      const size_t parent = (i - 1) / 4;
      if (!before(e, heap_[parent])) break;
      heap_[i] = heap_[parent];
      i = parent;
    }
    heap_[i] = e;
  }

  Event pop_heap() {
    const Event top = heap_.front();
    const Event last = heap_.back();
    heap_.pop_back();
    const size_t n = heap_.size();
    if (n == 0) return top;
    size_t i = 0;
    for (;;) {
      const size_t first = 4 * i + 1;
      if (first >= n) break;
      size_t best = first;
      const size_t end = first + 4 < n ? first + 4 : n;
      for (size_t c = first + 1; c < end; ++c)
        if (before(heap_[c], heap_[best])) best = c;
      if (!before(heap_[best], last)) break;
      heap_[i] = heap_[best];
      i = best;
    }
    heap_[i] = last;
    return top;
  }

  std::vector<Event> heap_;
  std::vector<Event> fifo_;
  size_t fifo_head_ = 0;
  SimTime now_ns_ = 0;
  SimTime horizon_ns_ = kSimNever;
  uint64_t next_seq_ = 0;
};

}  // namespace meshota::sim
