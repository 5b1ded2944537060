#pragma once
// The Trickle algorithm (RFC 6206), sans-I/O: when to advertise so that a
// consistent neighbourhood stays quiet (a few messages per hour) and an
// inconsistency spreads in milliseconds. Deluge times its advertisements with it.

#include <cstdint>

#include "meshota/core/hal/rng.hpp"
#include "meshota/core/time.hpp"

namespace meshota::core {

/// Trickle's parameters: Imin, Imax as a duration (RFC 6206's Imin * 2^doublings) and k.
struct TrickleConfig {
  Duration imin = Duration::millis(50);
  Duration imax = Duration::seconds(60);
  uint32_t k = 1;  ///< redundancy constant: stay quiet after hearing k consistent messages
};

/// One Trickle timer (RFC 6206 section 4.2).
class Trickle {
 public:
  explicit Trickle(const TrickleConfig& config) : config_(config) {}

  /// Rule 1: start with I uniform in [Imin, Imax] and begin an interval.
  void start(Instant now, Rng& rng);
  /// Rule 3: a consistent transmission was heard.
  void heard_consistent() { ++c_; }
  /// Rule 6: an inconsistency resets I to Imin (no-op when I is already Imin).
  void inconsistent(Instant now, Rng& rng);
  /// Runs the timer: true exactly once per interval, at t, when fewer than k consistent
  /// messages were heard (rule 4); rolls into the next, doubled interval (rule 5).
  bool poll(Instant now, Rng& rng);
  /// When poll() next has something to do.
  Instant deadline() const { return fire_at_ < interval_end_ ? fire_at_ : interval_end_; }

  Duration interval() const { return i_; }
  bool running() const { return running_; }
  /// Transmissions this timer allowed and ones it suppressed, for reports.
  uint32_t transmissions() const { return sent_; }
  uint32_t suppressed() const { return suppressed_; }

 private:
  void begin_interval(Instant now, Rng& rng);

  TrickleConfig config_;
  Duration i_;
  Instant interval_end_ = Instant::never();
  Instant fire_at_ = Instant::never();
  uint32_t c_ = 0;
  bool running_ = false;
  uint32_t sent_ = 0;
  uint32_t suppressed_ = 0;
};

}  // namespace meshota::core
