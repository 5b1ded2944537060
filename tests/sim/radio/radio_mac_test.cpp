// The DCF MAC against timing worked out from the spec: a lone saturated
// sender, carrier sense between two senders, unicast ACK / retry /
// duplicate filtering, and a node going down.

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <vector>

#include "meshota/sim/media/radio/phy_rate.hpp"
#include "radio_harness.hpp"

using namespace meshota::sim;
using meshota::test::RadioHarness;
using meshota::test::RadioUpcall;

namespace {

/// Data frames one node finished (broadcast done events), in time order.
std::vector<SimTime> done_times(const RadioHarness& h, uint32_t node) {
  std::vector<SimTime> t;
  for (const RadioUpcall& d : h.done)
    if (d.node == node) t.push_back(d.time_ns);
  return t;
}

}  // namespace

TEST_CASE("radio mac: a lone saturated broadcaster gets payload / (DIFS + CWmin/2 slots + frame)", "[radio]") {
  const uint64_t seed = 11;
  CAPTURE(seed);
  RadioHarness h(RadioSpec{}, {{0, 0}, {10, 0}}, seed);
  h.saturate(0, {kRadioBroadcast, llc_mpdu_bytes(1024), 0});
  h.run_until(100 * kNsPerS);
  const std::vector<SimTime> t = done_times(h, 0);
  REQUIRE(t.size() > 10'000);
  // From the spec, not from the code: DIFS 50 µs + 15.5 slots of 20 µs + 192 µs + 1060 x 8 µs.
  const double cycle_us = 50.0 + 31.0 / 2.0 * 20.0 + 192.0 + 1060.0 * 8.0;
  const double expected_bps = 1024.0 * 8.0 / (cycle_us * 1e-6);
  const double measured_bps =
      static_cast<double>(t.size() - 1) * 1024.0 * 8.0 / (static_cast<double>(t.back() - t.front()) * 1e-9);
  INFO("expected " << expected_bps << " bit/s, measured " << measured_bps << " over " << t.size() << " frames");
  CHECK(measured_bps == Approx(expected_bps).epsilon(0.005));
  // Every frame reached the other node intact (one sender: no interference).
  const RadioNodeStats& rx = h.radio.stats(1);
  CHECK(rx.rx_frames + 1 >= h.radio.stats(0).tx_frames);  // the last may still be on the air
  CHECK(rx.collisions == 0);
  CHECK(h.radio.stats(0).busy_ns == Approx(static_cast<double>(h.radio.stats(0).tx_airtime_ns)).epsilon(1e-3));
}

TEST_CASE("radio mac: senders that hear each other overlap only when their backoffs end in the same slot",
          "[radio]") {
  const uint64_t seed = 12;
  CAPTURE(seed);
  // 10 m apart: 33 ns of propagation delay. Short frames, so many contention rounds.
  const RadioTx tx{kRadioBroadcast, llc_mpdu_bytes(100), 0};
  RadioHarness h(RadioSpec{}, {{0, 0}, {10, 0}}, seed);
  h.saturate(0, tx);
  h.saturate(1, tx);
  h.run_until(60 * kNsPerS);
  const SimTime delay = h.radio.neighbours(0)[0].arrival_ns;
  const SimTime frame = h.radio.airtime_ns(tx.mpdu_bytes);
  REQUIRE(delay == 33);
  // A broadcast is done when its signal has ended at the other node: start = done - delay - frame.
  struct Tx {
    SimTime start;
    uint32_t node;
  };
  std::vector<Tx> txs;
  for (const RadioUpcall& d : h.done) txs.push_back({d.time_ns - delay - frame, d.node});
  std::sort(txs.begin(), txs.end(), [](const Tx& a, const Tx& b) { return a.start < b.start; });
  uint64_t overlaps = 0, same_slot = 0, other_overlaps = 0;
  for (size_t i = 0; i + 1 < txs.size(); ++i) {
    // Frames of one node never overlap, so an overlap is always with the next frame.
    const SimTime gap = txs[i + 1].start - txs[i].start;
    if (txs[i + 1].node == txs[i].node) continue;
    if (gap <= delay) ++same_slot;
    if (gap < frame) {
      ++overlaps;
      if (gap > delay) ++other_overlaps;
    }
  }
  INFO(txs.size() << " frames, " << overlaps << " overlaps, " << same_slot << " same-slot starts");
  CHECK(txs.size() > 20'000);
  CHECK(overlaps > 0);
  CHECK(overlaps == same_slot);
  CHECK(other_overlaps == 0);
  // Same slot about once per 32 contention rounds (both draw the same residual backoff).
  CHECK(static_cast<double>(same_slot) / static_cast<double>(txs.size()) > 0.005);
}

TEST_CASE("radio mac: unicast is ACKed once; out of range it is retried retry_limit times", "[radio]") {
  RadioSpec spec;
  const uint64_t seed = 5;
  CAPTURE(seed);
  RadioHarness h(spec, {{0, 0}, {40, 0}, {500, 0}}, seed);
  REQUIRE(h.radio.in_range(0, 1));
  REQUIRE_FALSE(h.radio.in_range(0, 2));

  h.radio.send(0, {1, 100, 42});
  h.run_all();
  REQUIRE(h.received.size() == 1);
  CHECK(h.received[0].node == 1);
  CHECK(h.received[0].other == 0);
  CHECK(h.received[0].handle == 42);
  REQUIRE(h.done.size() == 1);
  CHECK(h.done[0].other == 1);  // delivered
  CHECK(h.done[0].time_ns > h.received[0].time_ns);
  CHECK(h.radio.stats(0).tx_frames == 1);
  CHECK(h.radio.stats(1).ack_frames == 1);
  CHECK(h.radio.stats(0).retries == 0);
  // One DIFS + backoff, the frame, SIFS, the ACK: the ACK arrives 2 delays later.
  const SimTime data = h.radio.airtime_ns(100), ack = h.radio.ack_airtime_ns();
  const SimTime delay = h.radio.neighbours(0)[0].arrival_ns;
  const SimTime access = h.done[0].time_ns - (data + delay + 10 * kNsPerUs + ack + delay);
  CHECK(access >= 50 * kNsPerUs);
  CHECK(access <= (50 + 31 * 20) * kNsPerUs);
  CHECK((access - 50 * kNsPerUs) % (20 * kNsPerUs) == 0);

  h.received.clear();
  h.done.clear();
  h.radio.send(0, {2, 100, 43});
  h.run_all();
  CHECK(h.received.empty());
  REQUIRE(h.done.size() == 1);
  CHECK(h.done[0].other == 0);  // not delivered
  CHECK(h.radio.stats(0).tx_frames == 1 + 1 + spec.retry_limit);
  CHECK(h.radio.stats(0).retries == spec.retry_limit);
  CHECK(h.radio.stats(0).retry_drops == 1);
  CHECK(h.radio.contention_window(0) == spec.cw_min);
}

TEST_CASE("radio mac: the contention window doubles per retry up to cw_max", "[radio]") {
  RadioSpec spec;
  spec.retry_limit = 10;
  const uint64_t seed = 6;
  CAPTURE(seed);
  RadioHarness h(spec, {{0, 0}, {500, 0}}, seed);
  h.radio.send(0, {1, 100, 1});
  std::vector<uint32_t> cws;
  while (!h.queue.empty()) {
    const uint64_t before = h.radio.stats(0).retries;
    h.radio.dispatch(h.queue.pop());
    if (h.radio.stats(0).retries != before) cws.push_back(h.radio.contention_window(0));
  }
  CHECK(cws == std::vector<uint32_t>{63, 127, 255, 511, 1023, 1023, 1023, 1023, 1023, 1023});
  CHECK(h.radio.contention_window(0) == 31);
}

TEST_CASE("radio mac: a lost ACK makes a retransmission that is ACKed but delivered once", "[radio]") {
  const uint64_t seed = 7;
  CAPTURE(seed);
  RadioHarness h(RadioSpec{}, {{0, 0}, {40, 0}}, seed);
  LossSpec all;
  all.kind = LossKind::kBernoulli;
  all.p = 1.0;
  h.radio.set_link_loss(1, 0, all);  // every ACK from 1 to 0 is lost
  h.radio.send(0, {1, 100, 9});
  h.run_all();
  CHECK(h.received.size() == 1);  // delivered up once
  CHECK(h.radio.stats(1).duplicates == 7);
  CHECK(h.radio.stats(1).ack_frames == 8);
  CHECK(h.radio.stats(0).extra_losses == 8);  // the ACKs, lost at node 0
  REQUIRE(h.done.size() == 1);
  CHECK(h.done[0].other == 0);

  // Half the ACKs lost: eventually delivered, still once per frame.
  LossSpec half = all;
  half.p = 0.5;
  h.radio.set_link_loss(1, 0, half);
  h.received.clear();
  h.done.clear();
  for (uint32_t k = 0; k < 50; ++k) h.radio.send(0, {1, 100, 100 + k});
  h.run_all();
  REQUIRE(h.received.size() == 50);
  for (uint32_t k = 0; k < 50; ++k) CHECK(h.received[k].handle == 100 + k);
  uint32_t delivered = 0;
  for (const RadioUpcall& d : h.done) delivered += d.other;
  CHECK(delivered >= 48);  // a frame fails only when 8 ACKs in a row are lost
  CHECK(h.radio.stats(1).duplicates > 20);
}

TEST_CASE("radio mac: a node going down reports its queue and its frame on the air reaches nobody", "[radio]") {
  const uint64_t seed = 8;
  CAPTURE(seed);
  RadioHarness h(RadioSpec{}, {{0, 0}, {40, 0}}, seed);
  for (uint32_t k = 0; k < 3; ++k) h.radio.send(0, {kRadioBroadcast, 1060, k});
  // Into the first frame: 50 µs DIFS + at most 620 µs backoff, then 8.672 ms on air.
  h.run_until(5 * kNsPerMs);
  REQUIRE(h.radio.stats(0).tx_frames == 1);
  h.radio.set_node_up(0, false);
  REQUIRE(h.done.size() == 3);
  for (const RadioUpcall& d : h.done) CHECK(d.other == 0);
  CHECK_FALSE(h.radio.send(0, {kRadioBroadcast, 100, 9}));
  CHECK(h.radio.stats(0).queue_drops == 1);
  h.run_all();
  CHECK(h.received.empty());  // the truncated frame reaches nobody
  CHECK(h.done.size() == 3);
  h.radio.set_node_up(0, true);
  CHECK(h.radio.send(0, {kRadioBroadcast, 100, 10}));
  h.run_all();
  REQUIRE(h.received.size() == 1);
  CHECK(h.received[0].handle == 10);
}

TEST_CASE("radio mac: a bounded queue refuses frames beyond its limit", "[radio]") {
  RadioSpec spec;
  spec.queue_limit_frames = 2;
  const uint64_t seed = 9;
  CAPTURE(seed);
  RadioHarness h(spec, {{0, 0}, {40, 0}}, seed);
  CHECK(h.radio.send(0, {kRadioBroadcast, 100, 1}));
  CHECK(h.radio.send(0, {kRadioBroadcast, 100, 2}));
  CHECK_FALSE(h.radio.send(0, {kRadioBroadcast, 100, 3}));
  CHECK(h.radio.stats(0).queue_drops == 1);
  CHECK(h.radio.stats(0).queue_peak == 2);
  h.run_all();
  CHECK(h.received.size() == 2);
}

TEST_CASE("radio mac: after a frame received in error the node waits EIFS, else DIFS", "[radio]") {
  const bool eifs = GENERATE(false, true);
  CAPTURE(eifs);
  RadioSpec spec;
  spec.eifs = eifs;
  const uint64_t seed = 10;
  CAPTURE(seed);
  RadioHarness h(spec, {{0, 0}, {40, 0}}, seed);
  LossSpec all;
  all.kind = LossKind::kBernoulli;
  all.p = 1.0;
  h.radio.set_link_loss(0, 1, all);  // node 1 locks node 0's frame, which then fails
  h.radio.send(0, {kRadioBroadcast, 1060, 1});
  h.run_until(2 * kNsPerMs);  // node 0 is on the air
  REQUIRE(h.radio.stats(0).tx_frames == 1);
  h.radio.send(1, {kRadioBroadcast, 100, 2});
  h.run_all();
  REQUIRE(h.radio.stats(1).extra_losses == 1);
  REQUIRE(h.done.size() == 2);
  const SimTime delay = h.radio.neighbours(0)[0].arrival_ns;
  const SimTime end0_at_1 = h.done[0].time_ns;  // node 0's frame ended at node 1
  const SimTime start1 = h.done[1].time_ns - delay - h.radio.airtime_ns(100);
  const SimTime ifs = eifs ? (10 + 304 + 50) * kNsPerUs : 50 * kNsPerUs;
  CHECK(h.radio.eifs_ns() == (10 + 304 + 50) * kNsPerUs);
  CHECK(start1 - end0_at_1 >= ifs);
  CHECK(start1 - end0_at_1 <= ifs + 31 * 20 * kNsPerUs);
  CHECK((start1 - end0_at_1 - ifs) % (20 * kNsPerUs) == 0);
}
