#pragma once
// Small-state random streams for the simulator: one per link, per node and per
// purpose, derived from the run seed so that a result never depends on the
// order in which events happen to draw numbers. 8 bytes of state each, so
// 10,000 nodes x 4 links cost nothing.

#include <cstdint>

namespace meshota::sim {

/// SplitMix64 finaliser: mixes a 64-bit value into a well-spread one.
constexpr uint64_t mix64(uint64_t z) {
  z += 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

/// Seed of the independent stream number `index` of kind `purpose` in a run.
constexpr uint64_t stream_seed(uint64_t run_seed, uint64_t purpose, uint64_t index) {
  return mix64(mix64(run_seed ^ mix64(purpose)) + index);
}

/// A deterministic random stream (SplitMix64), 8 bytes of state.
class RngStream {
 public:
  explicit constexpr RngStream(uint64_t seed = 0) : state_(seed) {}

  uint64_t next_u64() {
    state_ += 0x9e3779b97f4a7c15ULL;
    uint64_t z = state_;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  uint32_t next_u32() { return static_cast<uint32_t>(next_u64() >> 32); }

  /// Uniform in [0, 1).
  double uniform() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }

  /// Uniform integer in [0, n); n > 0.
  uint64_t below(uint64_t n) { return static_cast<uint64_t>(uniform() * static_cast<double>(n)); }

  /// True with probability p, as an integer compare (no floating point per draw).
  bool chance(uint64_t threshold) { return next_u64() < threshold; }

  /// The threshold for chance() that makes it true with probability p.
  static uint64_t threshold(double p) {
    if (p <= 0.0) return 0;
    if (p >= 1.0) return ~uint64_t{0};
    return static_cast<uint64_t>(p * 18446744073709551616.0);
  }

 private:
  uint64_t state_;
};

}  // namespace meshota::sim
