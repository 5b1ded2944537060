#pragma once
// Frames in flight. A broadcast crosses many links as one shared buffer; a
// transit record says which link one copy is on. Both are recycled through
// free lists so the event loop stops allocating once warmed up.

#include <cstdint>
#include <span>
#include <vector>

#include "meshota/core/addressing.hpp"
#include "meshota/sim/report/run_result.hpp"

namespace meshota::sim {

/// One encoded frame and its addressing, shared by every hop that carries it.
struct Frame {
  std::vector<uint8_t> bytes;
  core::Routing routing = core::Routing::kSingle;
  uint32_t dest = 0;  ///< node index; kSingle only
  TrafficClass kind = TrafficClass::kOther;
  uint64_t meta = 0;  ///< for the layer that made it, e.g. the layout version a node sync describes
  uint32_t refs = 0;
};

/// One copy of a frame crossing one link.
struct Transit {
  uint32_t frame = 0;
  uint32_t from = 0;
  uint32_t to = 0;
  uint32_t epoch = 0;
  uint32_t link = 0;  ///< the tree link it crosses (its station node)
};

/// Recycling storage for frames and transits, addressed by 32-bit handles.
class FramePool {
 public:
  uint32_t new_frame() {
    if (free_frames_.empty()) {
      frames_.emplace_back();
      return static_cast<uint32_t>(frames_.size() - 1);
    }
    const uint32_t h = free_frames_.back();
    free_frames_.pop_back();
    return h;
  }
  Frame& frame(uint32_t h) { return frames_[h]; }
  void hold(uint32_t h) { ++frames_[h].refs; }
  void release(uint32_t h) {
    if (--frames_[h].refs == 0) free_frames_.push_back(h);
  }

  uint32_t new_transit(const Transit& t) {
    hold(t.frame);
    if (free_transits_.empty()) {
      transits_.push_back(t);
      return static_cast<uint32_t>(transits_.size() - 1);
    }
    const uint32_t h = free_transits_.back();
    free_transits_.pop_back();
    transits_[h] = t;
    return h;
  }
  Transit transit(uint32_t h) const { return transits_[h]; }
  void end_transit(uint32_t h) {
    release(transits_[h].frame);
    free_transits_.push_back(h);
  }

 private:
  std::vector<Frame> frames_;
  std::vector<uint32_t> free_frames_;
  std::vector<Transit> transits_;
  std::vector<uint32_t> free_transits_;
};

}  // namespace meshota::sim
