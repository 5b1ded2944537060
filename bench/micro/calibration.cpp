// The calibration loop every figure is divided by (scripts/bench.py): a fixed
// mix of integer arithmetic, unpredictable branches and L2-sized memory
// traffic (filling and sorting 64 Ki random keys), so that a machine twice as
// fast, or a CI runner twice as busy, moves it as much as the benchmarks.
// Registered first and last (bench_main.cpp); the report uses the better of the two.
// Google Benchmark's rates are per CPU second, the macro runs' per wall second,
// so the loop reports both and each figure is divided by its own kind.

#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <vector>

#include "micro/micro.hpp"
#include "meshota/sim/engine/rng_stream.hpp"

namespace {

void BM_calibration(benchmark::State& state) {
  constexpr size_t kKeys = 1u << 16;
  std::vector<uint32_t> keys(kKeys);
  meshota::sim::RngStream rng(42);
  const auto start = std::chrono::steady_clock::now();
  for (auto _ : state) {
    for (uint32_t& k : keys) k = rng.next_u32();
    std::sort(keys.begin(), keys.end());
    benchmark::DoNotOptimize(keys.data());
    benchmark::ClobberMemory();
  }
  const double wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * kKeys));
  // Macro figures are per wall second, so they are divided by this one (items/s is per CPU second).
  state.counters["keys_per_wall_s"] = static_cast<double>(state.iterations() * kKeys) / wall_s;
}

}  // namespace

namespace meshota::bench {

void register_calibration(const char* name) { benchmark::RegisterBenchmark(name, BM_calibration)->MinTime(0.2); }

}  // namespace meshota::bench
