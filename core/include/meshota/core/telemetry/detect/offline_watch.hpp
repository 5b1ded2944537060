#pragma once
// Offline detection from silence: a node is offline when nothing was heard
// from it for max(floor, missed_reports * expected interval + grace). The
// expected interval is the report interval the node announces in its
// snapshots (until then, `default_interval`). The floor is painlessMesh's
// NODE_TIMEOUT (10 s): the transport itself gives up on a silent link then, so
// an earlier verdict would only report jitter. At the defaults a node that
// reports every 10 s is declared offline 15 s after its last frame; one that
// reports every 30 s (the agent's default) after 35 s: no alert can come
// before the next frame was due without false alarms. On a lossy radio link
// one lost report then raises (and the next report clears) a false alarm;
// missed_reports = 2 or 3 trades that for one or two intervals of delay.

#include <cstdint>

#include "meshota/core/telemetry/detect/hysteresis.hpp"
#include "meshota/core/time.hpp"

namespace meshota::core {

/// Silence timeout parameters.
struct OfflineConfig {
  Duration floor = Duration::seconds(10);             ///< never sooner (painlessMesh NODE_TIMEOUT)
  Duration grace = Duration::seconds(5);              ///< allowance past the expected interval
  Duration default_interval = Duration::seconds(10);  ///< expected interval before the node announces one
  uint8_t missed_reports = 1;                         ///< reports that may go missing before "offline"
};

/// One node's liveness: last frame heard and the interval it promised (16 bytes).
class OfflineWatch {
 public:
  /// A frame from the node at `now`; `interval_ms` > 0 updates the expected interval.
  /// Returns kClear when the node was offline.
  AlarmEdge heard(Instant now, uint32_t interval_ms = 0) {
    last_us_ = now.us;
    if (interval_ms > 0) interval_ms_ = interval_ms;
    heard_ = true;
    if (!offline_) return AlarmEdge::kNone;
    offline_ = false;
    return AlarmEdge::kClear;
  }
  /// The silence after which the node counts as offline.
  Duration timeout(const OfflineConfig& c) const {
    const Duration interval = interval_ms_ > 0 ? Duration::millis(interval_ms_) : c.default_interval;
    const Duration t = interval * (c.missed_reports < 1 ? 1 : c.missed_reports) + c.grace;
    return t > c.floor ? t : c.floor;
  }
  /// When check() will raise (never before the first frame or while offline).
  Instant deadline(const OfflineConfig& c) const {
    return heard_ && !offline_ ? Instant{last_us_} + timeout(c) : Instant::never();
  }
  /// kRaise once `now` reaches the deadline.
  AlarmEdge check(Instant now, const OfflineConfig& c) {
    if (now < deadline(c)) return AlarmEdge::kNone;
    offline_ = true;
    return AlarmEdge::kRaise;
  }
  bool offline() const { return offline_; }
  Instant last_heard() const { return heard_ ? Instant{last_us_} : Instant::never(); }

 private:
  int64_t last_us_ = 0;
  uint32_t interval_ms_ = 0;
  bool heard_ = false;
  bool offline_ = false;
};
static_assert(sizeof(OfflineWatch) <= 16, "state per metric must stay within 16 bytes");

}  // namespace meshota::core
