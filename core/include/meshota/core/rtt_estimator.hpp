#pragma once
// The retransmission timeout of RFC 6298 (Jacobson's SRTT and RTTVAR), for
// asks answered across a queue whose depth the asker cannot see: a page
// requested over several loaded tree hops can take seconds to start arriving,
// and asking again then only adds to the queue. Samples follow Karn's rule:
// only asks that were not repeated are timed.

#include <cstdint>

#include "meshota/core/time.hpp"

namespace meshota::core {

/// SRTT, RTTVAR and the timeout they give (RFC 6298 section 2, alpha 1/8, beta 1/4, K 4).
class RttEstimator {
 public:
  /// `floor`: the smallest timeout (and the first one, before any sample); `ceiling`: the largest.
  RttEstimator(Duration floor, Duration ceiling) : floor_(floor), ceiling_(ceiling) {}

  void sample(Duration rtt) {
    const int64_t r = rtt.us < 0 ? 0 : rtt.us;
    if (!sampled_) {
      srtt_ = r;
      rttvar_ = r / 2;
      sampled_ = true;
      return;
    }
    const int64_t err = r > srtt_ ? r - srtt_ : srtt_ - r;
    rttvar_ += (err - rttvar_) / 4;
    srtt_ += (r - srtt_) / 8;
  }

  /// The timeout after `tries` unanswered asks: RTO doubled per try, within [floor, ceiling].
  Duration timeout(uint32_t tries = 0) const {
    int64_t rto = sampled_ ? srtt_ + 4 * rttvar_ : floor_.us;
    if (rto < floor_.us) rto = floor_.us;
    for (uint32_t i = 0; i < tries && rto < ceiling_.us; ++i) rto *= 2;
    return Duration{rto < ceiling_.us ? rto : ceiling_.us};
  }

  bool sampled() const { return sampled_; }
  Duration srtt() const { return Duration{srtt_}; }

 private:
  Duration floor_;
  Duration ceiling_;
  int64_t srtt_ = 0;
  int64_t rttvar_ = 0;
  bool sampled_ = false;
};

}  // namespace meshota::core
