// The event queue: the classic hold model (pop the earliest, push one at
// now + an exponential delay) at 10^2..10^6 pending events, and timer
// schedule/cancel mixes. EventQueue has no cancel: the simulator re-arms a
// timer by pushing a new event and skips the old one when it pops (the
// poll_at_ns check of Simulator::on_poll), so a cancel costs a push now and a
// wasted pop later, which is what the mixes measure.

#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "micro/micro.hpp"
#include "meshota/sim/engine/event_queue.hpp"
#include "meshota/sim/engine/rng_stream.hpp"

namespace {

using meshota::sim::Event;
using meshota::sim::EventQueue;
using meshota::sim::SimTime;

/// Exponential delays with a 1 ms mean, drawn before timing so the loop measures the queue, not log().
std::vector<SimTime> exponential_delays_ns(size_t count, uint64_t seed) {
  meshota::sim::RngStream rng(seed);
  std::vector<SimTime> d(count);
  for (SimTime& x : d) x = 1 + static_cast<SimTime>(-std::log(1.0 - rng.uniform()) * 1e6);
  return d;
}

constexpr size_t kDelayMask = (1u << 16) - 1;

void BM_event_queue_hold(benchmark::State& state) {
  const auto pending = static_cast<uint32_t>(state.range(0));
  const std::vector<SimTime> delay = exponential_delays_ns(kDelayMask + 1, 1);
  EventQueue q;
  q.reserve(pending);
  for (uint32_t i = 0; i < pending; ++i) q.push(delay[i & kDelayMask], 0, i);
  size_t k = pending;
  for (auto _ : state) {
    const Event e = q.pop();
    q.push(e.time_ns + delay[k++ & kDelayMask], e.handler, e.payload);
    benchmark::DoNotOptimize(e.payload);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
  state.counters["pending"] = static_cast<double>(q.size());
}

/// 10,000 timers; each step either re-arms a random timer (a cancel plus a schedule) with
/// probability cancel_pct, or runs the earliest event, skipping it when it is stale, and re-arms it.
void BM_event_queue_schedule_cancel(benchmark::State& state) {
  constexpr uint32_t kTimers = 10000;
  const auto cancel_pct = static_cast<uint64_t>(state.range(0));
  const std::vector<SimTime> delay = exponential_delays_ns(kDelayMask + 1, 2);
  meshota::sim::RngStream rng(3);
  EventQueue q;
  std::vector<SimTime> armed_at(kTimers);
  for (uint32_t i = 0; i < kTimers; ++i) {
    armed_at[i] = delay[i];
    q.push(armed_at[i], 0, i);
  }
  size_t k = kTimers;
  uint64_t stale = 0;
  for (auto _ : state) {
    if (rng.below(100) < cancel_pct) {
      const auto t = static_cast<uint32_t>(rng.below(kTimers));
      armed_at[t] = q.now() + delay[k++ & kDelayMask];
      q.push(armed_at[t], 0, t);
      continue;
    }
    const Event e = q.pop();
    if (armed_at[e.payload] != e.time_ns) {
      ++stale;
      continue;
    }
    armed_at[e.payload] = e.time_ns + delay[k++ & kDelayMask];
    q.push(armed_at[e.payload], 0, e.payload);
  }
  benchmark::DoNotOptimize(stale);
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}

}  // namespace

namespace meshota::bench {

void register_event_queue() {
  benchmark::RegisterBenchmark("event_queue/hold", BM_event_queue_hold)->RangeMultiplier(10)->Range(100, 1000000);
  benchmark::RegisterBenchmark("event_queue/schedule_cancel_pct", BM_event_queue_schedule_cancel)->Arg(0)->Arg(10)->Arg(50);
}

}  // namespace meshota::bench
