#include "meshota/core/telemetry/detect/ewma_detector.hpp"

#include "meshota/core/telemetry/detect/approx_sqrt.hpp"

namespace meshota::core {

EwmaResult EwmaDetector::update(float x, const EwmaConfig& c) {
  EwmaResult r;
  r.mean = mean_;
  if (n_ == 0) {
    mean_ = x;
    var_ = 0;
    n_ = 1;
    return r;
  }
  const float floor_sq = c.min_sigma * c.min_sigma;
  const float sigma_sq = var_ > floor_sq ? var_ : floor_sq;
  r.sigma_sq = sigma_sq;
  const float d = x - mean_;
  const float limit_sq = c.z_threshold * c.z_threshold * sigma_sq;
  const bool outside = d * d > limit_sq;
  const bool warm = n_ >= c.warmup;
  r.anomalous = warm && outside &&
                (c.direction == Direction::kBoth || (c.direction == Direction::kHigh ? d > 0 : d < 0));
  if (warm) r.edge = hysteresis_.update(r.anomalous, c.hysteresis);
  // Learn: during warm-up with weight 1/(n+1) (the plain mean and variance), then alpha.
  float alpha = c.alpha;
  if (!warm && 1.0f / static_cast<float>(n_ + 1) > alpha) alpha = 1.0f / static_cast<float>(n_ + 1);
  if (warm && outside) {
    // An outlier pulls the mean by at most alpha * z * sigma and leaves the variance alone: a spike
    // cannot widen the band it is judged by, and a lasting shift still becomes the new mean after
    // about shift / (alpha * z * sigma) points, which then clears the alarm.
    const float limit = c.z_threshold * approx_sqrt(sigma_sq);
    mean_ += alpha * (d > 0 ? limit : -limit);
  } else if (warm) {
    // A point inside the band counts its deviation clipped at 2 sigma (Huber), scaled so a normal
    // series keeps its true variance (E[min(z^2, 4)] = 0.920): one point just inside the band must
    // not widen it by half and let the level shift it announces through.
    const float clip = 2.0f * approx_sqrt(sigma_sq);
    const float dc = d > clip ? clip : (d < -clip ? -clip : d);
    mean_ += alpha * d;
    var_ = (1.0f - alpha) * (var_ + alpha * dc * dc * (1.0f / 0.920f));
  } else {
    mean_ += alpha * d;
    var_ = (1.0f - alpha) * (var_ + alpha * d * d);
  }
  if (n_ < 255) ++n_;
  return r;
}

}  // namespace meshota::core
