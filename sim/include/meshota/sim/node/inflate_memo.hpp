#pragma once
// What zlib did, shared by every node of a run (StepMemo): each step is a
// reset or an inflate call with its output, counts and zlib's allocations.

#include <cstdint>
#include <vector>

#include "meshota/core/hal/inflater.hpp"
#include "meshota/sim/node/step_memo.hpp"

namespace meshota::sim {

/// One recorded step of an inflate stream: a reset (parent kRoot) or an inflate call.
struct InflateStep {
  uint32_t parent = 0;          ///< the step the stream stood at
  uint32_t param = 0;           ///< output room in bytes; window bits for a reset
  std::vector<uint8_t> input;   ///< input bytes offered; the dictionary for a reset
  core::InflateResult result = core::InflateResult::kOk;
  uint32_t consumed = 0;
  std::vector<uint8_t> output;  ///< the bytes produced
  uint32_t allocated_after = 0; ///< bytes zlib held after the step
  uint32_t peak_during = 0;     ///< most bytes zlib held during the step
  uint32_t allocations = 0;     ///< allocations zlib made during the step

  size_t bytes() const { return input.size() + output.size(); }
};

/// The steps every node's inflate streams took.
using InflateMemo = StepMemo<InflateStep>;

}  // namespace meshota::sim
