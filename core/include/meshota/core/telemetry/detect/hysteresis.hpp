#pragma once
// Consecutive-points hysteresis, as AWS IoT Device Defender's "datapoints to
// alarm / to clear" and SmokePing: an alarm is raised after k anomalous points
// in a row and cleared after k normal points in a row, so one noisy sample
// neither raises nor clears it.

#include <cstdint>

namespace meshota::core {

/// Points in a row needed to raise and to clear an alarm (each 1-10).
struct HysteresisConfig {
  uint8_t raise_after = 3;
  uint8_t clear_after = 3;
};

/// An alarm's state change on one point.
enum class AlarmEdge : uint8_t { kNone, kRaise, kClear };

/// Raise/clear state of one alarm: 2 bytes.
class Hysteresis {
 public:
  AlarmEdge update(bool anomalous, const HysteresisConfig& c) {
    const uint8_t need = clamp(active_ ? c.clear_after : c.raise_after);
    // A point that agrees with the current state resets the run.
    if (anomalous == active_) {
      run_ = 0;
      return AlarmEdge::kNone;
    }
    if (++run_ < need) return AlarmEdge::kNone;
    run_ = 0;
    active_ = !active_;
    return active_ ? AlarmEdge::kRaise : AlarmEdge::kClear;
  }
  bool active() const { return active_; }
  void reset() {
    run_ = 0;
    active_ = false;
  }

 private:
  static uint8_t clamp(uint8_t k) { return k < 1 ? 1 : (k > 10 ? 10 : k); }
  uint8_t run_ = 0;
  bool active_ = false;
};
static_assert(sizeof(Hysteresis) == 2);

}  // namespace meshota::core
