#pragma once
// What one call into the core wants done: frames to transmit and, rarely, a
// reboot. Fixed capacity, so the data path never allocates; the caller drains
// it after each call.

#include <cstddef>
#include <cstdint>
#include <span>

#include "meshota/core/addressing.hpp"
#include "meshota/core/time.hpp"

namespace meshota::core {

/// One frame queued in an Outbox: its addressing and where its bytes are.
struct OutFrame {
  NodeId dest = 0;
  Routing routing = Routing::kSingle;
  uint32_t offset = 0;
  uint32_t size_bytes = 0;
};

/// The side effects of one core call: frames to send and a reboot request.
class Outbox {
 public:
  static constexpr size_t kCapacityBytes = 24 * 1024;
  static constexpr size_t kMaxFrames = 64;  // a whole 4 KB page in ESP-NOW v1 frames is 18

  /// Writable space for the next frame (empty when full); finish with commit().
  std::span<uint8_t> reserve() {
    if (frames_ == kMaxFrames) return {};
    return std::span<uint8_t>(bytes_ + used_, kCapacityBytes - used_);
  }

  /// Queues the first `size` bytes of the last reserve() as one frame.
  bool commit(NodeId dest, Routing routing, size_t size) {
    if (frames_ == kMaxFrames || size == 0 || size > kCapacityBytes - used_) return false;
    frame_[frames_++] = OutFrame{dest, routing, static_cast<uint32_t>(used_),
                                 static_cast<uint32_t>(size)};
    used_ += size;
    return true;
  }

  size_t size() const { return frames_; }
  const OutFrame& frame(size_t i) const { return frame_[i]; }
  std::span<const uint8_t> bytes(size_t i) const {
    return std::span<const uint8_t>(bytes_ + frame_[i].offset, frame_[i].size_bytes);
  }

  /// The core asks its host to restart the node (painlessMesh: ESP.restart()).
  void request_reboot() { reboot_ = true; }
  bool reboot_requested() const { return reboot_; }

  /// Frames that did not fit; a non-zero value is a sizing bug worth reporting.
  void count_overflow() { ++overflows_; }
  uint32_t overflows() const { return overflows_; }

  void clear() {
    used_ = 0;
    frames_ = 0;
    reboot_ = false;
    overflows_ = 0;
  }

 private:
  uint8_t bytes_[kCapacityBytes];
  OutFrame frame_[kMaxFrames];
  size_t used_ = 0;
  size_t frames_ = 0;
  bool reboot_ = false;
  uint32_t overflows_ = 0;
};

}  // namespace meshota::core
