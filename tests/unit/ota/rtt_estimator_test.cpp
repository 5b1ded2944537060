// RFC 6298's retransmission timeout as the unicast strategy uses it.

#include <catch2/catch.hpp>

#include "meshota/core/rtt_estimator.hpp"

using meshota::core::Duration;
using meshota::core::RttEstimator;

TEST_CASE("rtt estimator: the floor before any sample, then SRTT + 4 RTTVAR, doubled per unanswered try") {
  RttEstimator e(Duration::millis(400), Duration::millis(25600));
  CHECK_FALSE(e.sampled());
  CHECK(e.timeout().us == Duration::millis(400).us);
  CHECK(e.timeout(2).us == Duration::millis(1600).us);
  e.sample(Duration::millis(1000));  // first sample: SRTT = R, RTTVAR = R / 2 -> RTO = 3 R
  CHECK(e.srtt().us == Duration::millis(1000).us);
  CHECK(e.timeout().us == Duration::millis(3000).us);
  e.sample(Duration::millis(1000));  // RTTVAR = 3/4 x 500 ms; SRTT stays
  CHECK(e.timeout().us == Duration::millis(1000 + 4 * 375).us);
  CHECK(e.timeout(1).us == Duration::millis(2 * 2500).us);
  CHECK(e.timeout(20).us == Duration::millis(25600).us);  // the ceiling
}

TEST_CASE("rtt estimator: short round trips never bring the timeout below the floor") {
  RttEstimator e(Duration::millis(400), Duration::millis(25600));
  for (int i = 0; i < 50; ++i) e.sample(Duration::millis(10));
  CHECK(e.srtt().us < Duration::millis(20).us);
  CHECK(e.timeout().us == Duration::millis(400).us);
}
