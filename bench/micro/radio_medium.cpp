// The radio medium delivering one broadcast frame from a node in the middle
// of a 50 m grid (the flood-radio density: 4 neighbours in range, more within
// interference range) for N = 100..10,000. Neighbours come from a spatial
// grid, so frames/s must stay flat as N grows.

#include <benchmark/benchmark.h>

#include <cstdint>

#include "micro/micro.hpp"
#include "meshota/sim/bench/flood_radio.hpp"
#include "meshota/sim/engine/event_queue.hpp"
#include "meshota/sim/media/radio/radio_listener.hpp"
#include "meshota/sim/media/radio/radio_medium.hpp"

namespace {

using namespace meshota::sim;

/// Counts what the medium hands up; the benchmark only needs the work done.
class CountingListener final : public RadioListener {
 public:
  void on_radio_receive(uint32_t, uint32_t, uint32_t, SimTime) override { ++received; }
  void on_radio_done(uint32_t, uint32_t, bool, SimTime) override { ++done; }
  uint64_t received = 0;
  uint64_t done = 0;
};

void BM_radio_one_frame(benchmark::State& state) {
  const auto nodes = static_cast<uint32_t>(state.range(0));
  EventQueue queue;
  CountingListener listener;
  RadioMedium radio(queue, 0, FloodRadioParams{}.radio, grid_positions(nodes, 50.0), 1, listener);
  const uint32_t middle = nodes / 2;
  uint32_t handle = 0;
  for (auto _ : state) {
    radio.send(middle, RadioTx{kRadioBroadcast, 1060, handle++});
    while (!queue.empty()) radio.dispatch(queue.pop());
  }
  benchmark::DoNotOptimize(listener.received);
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
  state.counters["receivers_per_frame"] =
      static_cast<double>(listener.received) / static_cast<double>(state.iterations());
}

}  // namespace

namespace meshota::bench {

void register_radio_medium() {
  benchmark::RegisterBenchmark("radio_medium/one_frame_nodes", BM_radio_one_frame)->Arg(100)->Arg(1000)->Arg(10000);
}

}  // namespace meshota::bench
