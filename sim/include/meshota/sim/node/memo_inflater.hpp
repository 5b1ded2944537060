#pragma once
// A node's Inflater: zlib, except for the steps some node of the run has
// already taken from the same point with the same input (InflateMemo). Those
// are copied: the output, the counts, and what zlib would hold and allocate,
// so state_bytes() and the peak read as if zlib had run. The node's zlib
// stream is freed meanwhile; a step the memo has not seen replays the
// recorded path on a fresh stream first (a node that goes its own way pays
// once for the way so far).

#include <cstdint>
#include <span>

#include "meshota/core/hal/inflater.hpp"
#include "meshota/sim/node/inflate_memo.hpp"
#include "meshota/sim/node/zlib_inflater.hpp"

namespace meshota::sim {

/// zlib's raw inflate sharing identical streams with the run's other nodes (see file comment).
class MemoInflater final : public core::Inflater {
 public:
  /// `memo` null: plain zlib.
  explicit MemoInflater(InflateMemo* memo) : memo_(memo) {}

  bool reset(uint8_t window_bits, std::span<const uint8_t> dictionary) override;
  core::InflateResult inflate(std::span<const uint8_t> in, std::span<uint8_t> out, size_t& consumed,
                              size_t& produced) override;
  uint32_t state_bytes() const override { return zlib_.state_bytes(); }
  uint32_t peak_state_bytes() const { return zlib_.peak_state_bytes(); }

 private:
  /// Stands at a recorded step without running zlib.
  void take(uint32_t id);
  /// Brings zlib to the step the stream stands at, by running the recorded path again.
  void replay();
  /// Records the call zlib just ran from `parent`; the new step's id, or kNone when the memo is full.
  uint32_t record(uint32_t parent, uint32_t param, std::span<const uint8_t> input, core::InflateResult result,
                  size_t consumed, std::span<const uint8_t> output, const ZlibInflater::Accounting& before);

  ZlibInflater zlib_;
  InflateMemo* memo_;
  uint32_t at_ = InflateMemo::kNone;  ///< the step the stream stands at; kNone: not recorded (zlib_ holds it)
  bool live_ = true;                  ///< zlib_ holds the stream; else only the memo does, up to at_
};

}  // namespace meshota::sim
