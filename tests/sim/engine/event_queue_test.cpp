// The event queue's order, (time, sequence) with a FIFO for "now", and the
// means an owner has of running a chain of its events in place: reserved
// sequence numbers, runs_next() and the horizon.

#include <catch2/catch.hpp>

#include <vector>

#include "meshota/sim/engine/event_queue.hpp"

using namespace meshota::sim;

namespace {

std::vector<uint32_t> drain(EventQueue& q) {
  std::vector<uint32_t> order;
  while (!q.empty()) order.push_back(q.pop().payload);
  return order;
}

}  // namespace

TEST_CASE("event queue: ties run in push order, a reserved sequence number keeps its place", "[engine]") {
  EventQueue q;
  q.push(10, 0, 1);
  const uint64_t seq = q.reserve_seq(1);  // stands for an event pushed between 1 and 3
  q.push(10, 0, 3);
  q.push(5, 0, 0);
  q.push_reserved(10, seq, 0, 2);
  CHECK(drain(q) == std::vector<uint32_t>{0, 1, 2, 3});
  CHECK(q.now() == 10);
  CHECK(q.scheduled() == 4);  // three pushes and one reservation
}

TEST_CASE("event queue: runs_next says whether an event would be next, within the horizon", "[engine]") {
  EventQueue q;
  q.push(10, 0, 0);
  const uint64_t first = q.reserve_seq(2);
  q.push(20, 0, 1);
  CHECK(q.runs_next(9, first));
  CHECK(q.runs_next(10, first + 1) == false);  // the event at 10 was pushed before
  CHECK(q.pop().payload == 0);
  CHECK(q.runs_next(20, first));     // reserved before the event at 20
  CHECK(!q.runs_next(21, first));
  q.push(10, 0, 2);  // now: the FIFO goes first, whatever the time asked about
  CHECK(!q.runs_next(11, first));
  CHECK(q.pop().payload == 2);
  CHECK(q.runs_next(15, first));
  q.set_horizon(14);
  CHECK(!q.runs_next(15, first));
  CHECK(q.runs_next(14, first));
  q.advance(14);
  CHECK(q.now() == 14);
  q.push(14, 0, 3);  // the clock moved: "now" is 14
  CHECK(drain(q) == std::vector<uint32_t>{3, 1});
}
