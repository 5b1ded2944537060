#pragma once
// Anomaly detection on one metric by an exponentially weighted mean and
// variance (two floats) and a z-score, with hysteresis. An anomalous point
// moves the mean by at most alpha * z * sigma and does not touch the
// variance, so a spike cannot widen the band it is judged by, while a lasting
// level shift still becomes the new normal (and the alarm then clears); a
// point inside the band updates the variance with its deviation clipped at
// 2 sigma (Huber), so a borderline point cannot widen the band by half. The
// warm-up learns the plain mean and variance of its points: 20 by default,
// because a variance learned from 10 quiet points can be a quarter of the
// truth, and frozen variance would then never recover.

#include <cstdint>

#include "meshota/core/telemetry/detect/hysteresis.hpp"

namespace meshota::core {

/// Which side of the mean is anomalous.
enum class Direction : uint8_t { kBoth, kHigh, kLow };

/// EWMA detector parameters.
struct EwmaConfig {
  float alpha = 0.05f;       ///< weight of the newest point (memory of about 1/alpha points)
  float z_threshold = 4.0f;  ///< |x - mean| > z * sigma is anomalous
  float min_sigma = 1.0f;    ///< sigma floor, in the metric's units (a constant series has sigma 0)
  uint8_t warmup = 20;       ///< points learned before any verdict (10 min at 30 s)
  Direction direction = Direction::kBoth;
  HysteresisConfig hysteresis;
};

/// One point's verdict.
struct EwmaResult {
  AlarmEdge edge = AlarmEdge::kNone;
  bool anomalous = false;
  float mean = 0;   ///< before this point
  float sigma_sq = 0;
};

/// EWMA mean/variance + z-score + hysteresis for one metric: 12 bytes.
class EwmaDetector {
 public:
  EwmaResult update(float x, const EwmaConfig& c);
  bool active() const { return hysteresis_.active(); }
  float mean() const { return mean_; }
  float variance() const { return var_; }
  uint8_t points() const { return n_; }
  void reset() { *this = EwmaDetector{}; }

 private:
  float mean_ = 0;
  float var_ = 0;
  uint8_t n_ = 0;  // saturates at 255
  Hysteresis hysteresis_;
};
static_assert(sizeof(EwmaDetector) <= 16, "state per metric must stay within 16 bytes");

}  // namespace meshota::core
