// DCF saturation throughput against Bianchi's model (IEEE JSAC 18(3), 2000,
// basic access): n stations in one collision domain, all saturated, unicast
// to a sink that only ACKs, binary exponential backoff, and the reception
// rule "any overlap destroys the frame" that the model assumes.
//
// Timing of this MAC, with delta = 1 ns (every node at the same spot):
//  - success: the data (T_data), delta, SIFS, the ACK (T_ack), delta, then
//    everybody (the sender included) waits DIFS: Ts = T_data + SIFS + T_ack + DIFS + 2 delta.
//  - collision: bystanders locked a colliding frame that failed, so with
//    eifs = true they wait EIFS = SIFS + T_ack + DIFS after it: Tc = T_data +
//    SIFS + T_ack + DIFS + delta. The colliding stations wait for the ACK
//    timeout (SIFS + T_ack + slot after their frame), then DIFS: they start
//    counting exactly one slot later than the bystanders. In the slot model
//    that is the same as a colliding station's new backoff being one slot
//    longer, which the refined tau below counts (+1 slot for every attempt
//    after a collision). Without EIFS the bystanders would be SIFS + T_ack +
//    slot (16.7 slots) ahead of the colliders after every collision, which
//    Bianchi's model has no room for; with EIFS the two agree to one slot.

#include <catch2/catch.hpp>

#include <cmath>
#include <functional>

#include "meshota/sim/media/radio/phy_rate.hpp"
#include "radio_harness.hpp"

using namespace meshota::sim;
using meshota::test::RadioHarness;

namespace {

/// Bianchi's saturation model for n stations; times in µs.
struct Bianchi {
  double w;           // CW_min + 1
  int m;              // backoff stages: log2((CW_max + 1) / (CW_min + 1))
  double slot, ts, tc;
  bool collider_extra_slot;

  /// Transmission probability per slot given the conditional collision probability p:
  /// attempts per packet over slots per packet, a renewal argument that reproduces
  /// tau = 2(1-2p) / ((1-2p)(W+1) + pW(1-(2p)^m)) when collider_extra_slot is off.
  double tau(double p) const {
    double attempts = 0.0, slots = 0.0, pk = 1.0;
    for (int k = 0; k < 4000 && pk > 1e-300; ++k, pk *= p) {
      const double wk = w * std::pow(2.0, std::min(k, m));
      attempts += pk;
      slots += pk * ((wk + 1.0) / 2.0 + (collider_extra_slot && k > 0 ? 1.0 : 0.0));
    }
    return attempts / slots;
  }
  static double bianchi_tau(double p, double w, int m) {
    return 2.0 * (1.0 - 2.0 * p) / ((1.0 - 2.0 * p) * (w + 1.0) + p * w * (1.0 - std::pow(2.0 * p, m)));
  }
  /// Solves p = 1 - (1 - tau(p))^(n-1) by bisection; returns tau.
  double solve_tau(int n) const {
    double lo = 0.0, hi = 1.0;
    for (int i = 0; i < 200; ++i) {
      const double p = (lo + hi) / 2.0;
      const double f = 1.0 - std::pow(1.0 - tau(p), n - 1) - p;
      (f > 0.0 ? lo : hi) = p;
    }
    return tau((lo + hi) / 2.0);
  }
  /// Successful frames per µs.
  double success_rate(int n) const {
    const double t = solve_tau(n);
    const double ptr = 1.0 - std::pow(1.0 - t, n);
    const double ps = n * t * std::pow(1.0 - t, n - 1) / ptr;
    return ptr * ps / ((1.0 - ptr) * slot + ptr * ps * ts + ptr * (1.0 - ps) * tc);
  }
};

}  // namespace

TEST_CASE("radio bianchi: the renewal form of tau is Bianchi's closed form", "[radio]") {
  const Bianchi b{32.0, 5, 20.0, 0.0, 0.0, false};
  for (double p : {0.01, 0.1, 0.3, 0.45}) CHECK(b.tau(p) == Approx(Bianchi::bianchi_tau(p, 32.0, 5)).epsilon(1e-9));
}

TEST_CASE("radio bianchi: saturation throughput within 3 % of the model", "[radio]") {
  const int n = GENERATE(2, 5, 10, 20, 50);
  const uint64_t seed = 1000 + static_cast<uint64_t>(n);
  CAPTURE(n, seed);
  RadioSpec spec;
  spec.any_overlap_destroys = true;
  spec.eifs = true;
  spec.retry_limit = 1000;  // p^1000 is 0: no frame is ever dropped
  const uint32_t mpdu = llc_mpdu_bytes(1024);
  const uint32_t sink = static_cast<uint32_t>(n);
  RadioHarness h(spec, std::vector<Position>(n + 1), seed);
  h.record = false;
  uint64_t successes = 0;
  // 300 s: 22,000 (n = 50) to 32,000 (n = 2) frames, a standard error near 0.45 %;
  // over 1,200 s and 3 seeds the measured bias against the refined model is -0.3 %
  // (n = 2, 5) to +0.8 % (n = 50), the known error of Bianchi's decoupling assumption.
  const SimTime warmup = 2 * kNsPerS, end = warmup + 300 * kNsPerS;
  h.on_receive = [&](uint32_t node, uint32_t, uint32_t, SimTime t) {
    if (node == sink && t > warmup && t <= end) ++successes;
  };
  for (uint32_t s = 0; s < sink; ++s) h.saturate(s, {sink, mpdu, s});
  h.run_until(end);

  // Times from the spec's values (µs): T_data = 192 + 8 x 1060, T_ack = 192 + 8 x 14.
  const double delta = 1e-3, t_data = 192.0 + 8.0 * 1060, t_ack = 192.0 + 8.0 * 14;
  const double ts = t_data + 10.0 + t_ack + 50.0 + 2 * delta;
  const double tc = t_data + 10.0 + t_ack + 50.0 + delta;
  const Bianchi refined{32.0, 5, 20.0, ts, tc, true};
  const Bianchi classic{32.0, 5, 20.0, ts, tc, false};
  const double window_us = static_cast<double>(end - warmup) / 1e3;
  const double measured = static_cast<double>(successes) / window_us;
  const double payload_us = 8.0 * 1024;
  INFO("throughput (fraction of time carrying payload): measured " << measured * payload_us << ", refined model "
                                                                   << refined.success_rate(n) * payload_us
                                                                   << ", Bianchi's tau " << classic.success_rate(n) * payload_us
                                                                   << " (" << successes << " frames)");
  CHECK(measured == Approx(refined.success_rate(n)).epsilon(0.03));
  CHECK(measured == Approx(classic.success_rate(n)).epsilon(0.03));
  uint64_t drops = 0;
  for (uint32_t s = 0; s < sink; ++s) drops += h.radio.stats(s).retry_drops;
  CHECK(drops == 0);
}
