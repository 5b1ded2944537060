#pragma once
// What zlib did, shared by every node of a run. Inflating is deterministic:
// the same reset followed by the same calls (input bytes, output room) gives
// the same output, the same consumed/produced counts and the same allocations.
// 10,000 nodes inflating the same image would run zlib 10,000 times over the
// same streams; with this memo each distinct stream is inflated once and the
// others copy the output (MemoInflater).

#include <cstdint>
#include <span>
#include <unordered_map>
#include <vector>

#include "meshota/core/hal/inflater.hpp"

namespace meshota::sim {

/// One recorded step of an inflate stream: a reset (the root of a stream) or an inflate call.
struct InflateStep {
  static constexpr uint32_t kRoot = 0xffffffffu;
  uint32_t parent = kRoot;      ///< the step the stream stood at; kRoot for a reset
  uint32_t param = 0;           ///< output room in bytes; window bits for a reset
  std::vector<uint8_t> input;   ///< input bytes offered; the dictionary for a reset
  core::InflateResult result = core::InflateResult::kOk;
  uint32_t consumed = 0;
  std::vector<uint8_t> output;  ///< the bytes produced
  uint32_t allocated_after = 0; ///< bytes zlib held after the step
  uint32_t peak_during = 0;     ///< most bytes zlib held during the step
  uint32_t allocations = 0;     ///< allocations zlib made during the step
};

/// The steps every node's inflate streams took, found by (parent, param, input).
class InflateMemo {
 public:
  static constexpr uint32_t kNone = 0xffffffffu;
  /// Beyond this many bytes of recorded input and output, new steps are not kept.
  static constexpr size_t kMaxBytes = size_t{256} << 20;

  /// The step taken from `parent` with `param` and `input`, or kNone.
  uint32_t find(uint32_t parent, uint32_t param, std::span<const uint8_t> input) const;
  /// Keeps a step; kNone once the memo is full.
  uint32_t add(InflateStep step);
  const InflateStep& step(uint32_t id) const { return steps_[id]; }

 private:
  static constexpr size_t kKeyBytes = 64;  ///< input bytes hashed into a step's key
  static uint64_t key(uint32_t parent, uint32_t param, std::span<const uint8_t> input);

  std::vector<InflateStep> steps_;
  std::unordered_multimap<uint64_t, uint32_t> by_key_;
  size_t bytes_ = 0;
};

}  // namespace meshota::sim
