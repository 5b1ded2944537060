// A frame's arrivals run as a chain of events, a link running in place when it
// is next anyway: the outcome must be the one of every link going through the
// queue. A horizon of 0 forces the latter; both runs must agree in every upcall
// and every counter.

#include <catch2/catch.hpp>

#include <cstdint>
#include <vector>

#include "meshota/sim/engine/rng_stream.hpp"
#include "meshota/sim/media/radio/phy_rate.hpp"
#include "radio_harness.hpp"

using namespace meshota::sim;
using meshota::test::RadioHarness;

namespace {

constexpr uint32_t kNodes = 24;
constexpr SimTime kEnd = 2 * kNsPerS;

std::vector<Position> scattered(uint64_t seed) {
  RngStream rng(seed);
  std::vector<Position> p;
  for (uint32_t i = 0; i < kNodes; ++i) p.push_back({rng.uniform() * 300.0, rng.uniform() * 300.0});
  return p;
}

/// Every node saturated: even ones broadcast, odd ones send unicast to the next node.
void load(RadioHarness& h) {
  for (uint32_t n = 0; n < kNodes; ++n)
    h.saturate(n, {n % 2 == 0 ? kRadioBroadcast : (n + 1) % kNodes, llc_mpdu_bytes(200 + 40 * n), n});
}

}  // namespace

TEST_CASE("radio chain: arrivals run in place exactly as through the queue", "[radio]") {
  const uint64_t seed = 21;
  CAPTURE(seed);
  RadioSpec spec;
  spec.propagation = PropagationKind::kLogDistance;
  spec.shadowing_sigma_db = 4;
  RadioHarness chained(spec, scattered(seed), seed), queued(spec, scattered(seed), seed);
  load(chained);
  load(queued);
  uint64_t chained_pops = 0, queued_pops = 0;
  chained.queue.set_horizon(kEnd);
  while (!chained.queue.empty() && chained.queue.next_time() <= kEnd) {
    chained.radio.dispatch(chained.queue.pop());
    ++chained_pops;
  }
  queued.queue.set_horizon(0);  // no link runs in place
  while (!queued.queue.empty() && queued.queue.next_time() <= kEnd) {
    queued.radio.dispatch(queued.queue.pop());
    ++queued_pops;
  }
  REQUIRE(queued.received.size() > 1000);
  CHECK(chained_pops < queued_pops / 2);
  CHECK(chained.queue.scheduled() == queued.queue.scheduled());
  CHECK(chained.received == queued.received);
  CHECK(chained.done == queued.done);
  for (uint32_t n = 0; n < kNodes; ++n) {
    CAPTURE(n);
    const RadioNodeStats &a = chained.radio.stats(n), &b = queued.radio.stats(n);
    CHECK(a.tx_frames == b.tx_frames);
    CHECK(a.rx_locked == b.rx_locked);
    CHECK(a.rx_frames == b.rx_frames);
    CHECK(a.collisions == b.collisions);
    CHECK(a.busy_drops == b.busy_drops);
    CHECK(a.retries == b.retries);
    CHECK(a.busy_ns == b.busy_ns);
  }
}
