// Radio PHY arithmetic against the standard's numbers, and propagation
// against brute force: airtime, error rates, path loss, shadowing,
// overrides, and the spatial grid's neighbour lists.

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <numbers>
#include <set>
#include <tuple>
#include <vector>

#include "meshota/sim/engine/rng_stream.hpp"
#include "meshota/sim/media/radio/neighbour_table.hpp"
#include "meshota/sim/media/radio/phy_rate.hpp"
#include "meshota/sim/media/radio/propagation.hpp"

using namespace meshota::sim;

TEST_CASE("radio phy: airtime of data and ACK frames", "[radio]") {
  // flood-radio: 1024 B payload + 24 MAC + 8 LLC/SNAP + 4 FCS = 1060 B; 192 µs + 8480 µs.
  CHECK(llc_mpdu_bytes(1024) == 1060);
  CHECK(frame_duration_ns(PhyRate::kDsss1, 1060) == 8'672 * kNsPerUs);
  // 2 Mbit/s: the preamble and header stay at 1 Mbit/s, the MPDU takes 4 µs per byte.
  CHECK(frame_duration_ns(PhyRate::kDsss2, 1060) == (192 + 4240) * kNsPerUs);
  // ESP-NOW: a 250-byte payload is a 293-byte action frame.
  CHECK(espnow_mpdu_bytes(kEspNowV1MaxPayload) == 293);
  CHECK(frame_duration_ns(PhyRate::kDsss1, espnow_mpdu_bytes(250)) == (192 + 8 * 293) * kNsPerUs);

  // ACK: 14 bytes at 1 Mbit/s after DSSS data (192 + 112 µs), at 6 Mbit/s after OFDM data:
  // 16 + 112 + 6 = 134 bits -> 6 symbols -> 20 + 24 + 6 µs of signal extension.
  CHECK(ack_duration_ns(PhyRate::kDsss1) == 304 * kNsPerUs);
  CHECK(ack_duration_ns(PhyRate::kDsss2) == 304 * kNsPerUs);
  CHECK(ack_duration_ns(PhyRate::kOfdm6) == 50 * kNsPerUs);

  // OFDM symbol rounding: 24 data bits per 4 µs symbol, SERVICE + tail add 22 bits.
  // 1 byte: 30 bits -> 2 symbols; 2 bytes: 38 -> 2; 3 bytes: 46 -> 2; 4 bytes: 54 -> 3.
  CHECK(frame_duration_ns(PhyRate::kOfdm6, 1) == (20 + 8 + 6) * kNsPerUs);
  CHECK(frame_duration_ns(PhyRate::kOfdm6, 3) == (20 + 8 + 6) * kNsPerUs);
  CHECK(frame_duration_ns(PhyRate::kOfdm6, 4) == (20 + 12 + 6) * kNsPerUs);
  // 1060 bytes: 8502 bits -> 355 symbols (354.25 rounded up).
  CHECK(frame_duration_ns(PhyRate::kOfdm6, 1060) == (20 + 355 * 4 + 6) * kNsPerUs);
}

TEST_CASE("radio phy: noise floor and the ns-3 bit error rates", "[radio]") {
  CHECK(noise_floor_dbm(PhyRate::kDsss1, 7.0) == Approx(-93.575).margin(0.001));
  CHECK(noise_floor_dbm(PhyRate::kOfdm6, 7.0) == Approx(-93.990).margin(0.001));

  CHECK(ber_dbpsk(1.0) == Approx(0.5 * std::exp(-22.0)).epsilon(1e-12));
  CHECK(ber_dbpsk(0.0) == 0.5);
  CHECK(ber_dbpsk(1e9) == 0.0);
  // DQPSK at SINR 1: Eb/N0 = 11.
  const double k = (std::sqrt(2.0) + 1.0) / std::sqrt(8.0 * std::numbers::pi * std::sqrt(2.0));
  CHECK(ber_dqpsk(1.0) == Approx(k / std::sqrt(11.0) * std::exp(-(2.0 - std::sqrt(2.0)) * 11.0)).epsilon(1e-12));
  CHECK(ber_dqpsk(0.0) == 0.5);
  CHECK(ber_dqpsk(1e-6) == 0.5);  // clamped
  // NIST BPSK 1/2 at SINR 1 (0 dB), from the formula written out independently.
  const double ber = 0.5 * std::erfc(1.0);
  const double d = std::sqrt(4.0 * ber * (1.0 - ber));
  const double pe = 0.5 * (36 * std::pow(d, 10) + 211 * std::pow(d, 12) + 1404 * std::pow(d, 14) +
                           11633 * std::pow(d, 16) + 77433 * std::pow(d, 18) + 502690 * std::pow(d, 20) +
                           3322763 * std::pow(d, 22) + 21292910 * std::pow(d, 24) + 134365911 * std::pow(d, 26));
  CHECK(pe_ofdm6(1.0) == Approx(std::min(pe, 1.0)).epsilon(1e-12));
  CHECK(pe_ofdm6(10.0) == Approx(0.5 * 36 * std::pow(std::sqrt(4 * 0.5 * std::erfc(std::sqrt(10.0)) *
                                                               (1 - 0.5 * std::erfc(std::sqrt(10.0)))),
                                                     10))
                              .epsilon(1e-3));
  CHECK(pe_ofdm6(0.01) == 1.0);  // capped
}

TEST_CASE("radio phy: a DSSS piece counts header bits at 1 Mbit/s and body bits at the data rate", "[radio]") {
  const double sinr = 0.2;  // Eb/N0 4.4 at 1 Mbit/s, 2.2 at 2 Mbit/s
  const double log_h = std::log1p(-ber_dbpsk(sinr)), log_b = std::log1p(-ber_dqpsk(sinr));
  // 100 µs of header and 50 µs of body at 2 Mbit/s: 100 + 100 bits.
  CHECK(log_piece_success(PhyRate::kDsss2, 92 * kNsPerUs, 242 * kNsPerUs, sinr) ==
        Approx(100 * log_h + 100 * log_b).epsilon(1e-12));
  CHECK(log_piece_success(PhyRate::kDsss1, 0, 8'672 * kNsPerUs, sinr) == Approx(8672 * log_h).epsilon(1e-12));
  CHECK(log_piece_success(PhyRate::kOfdm6, 0, 10 * kNsPerUs, 1.0) ==
        Approx(60 * std::log1p(-pe_ofdm6(1.0))).epsilon(1e-12));
}

TEST_CASE("radio propagation: log-distance power, shadowing and overrides", "[radio]") {
  RadioSpec spec;
  spec.propagation = PropagationKind::kLogDistance;
  const std::vector<Position> pos = {{0, 0}, {1, 0}, {10, 0}, {100, 0}, {0, 0.5}};
  const Propagation plain(spec, pos, 1);
  // 16.0206 dBm - 40.05 dB at 1 m - 30 dB per decade.
  CHECK(plain.rx_dbm(0, 1) == Approx(16.0206 - 40.05).margin(1e-9));
  CHECK(plain.rx_dbm(0, 2) == Approx(16.0206 - 40.05 - 30).margin(1e-9));
  CHECK(plain.rx_dbm(0, 3) == Approx(16.0206 - 40.05 - 60).margin(1e-9));
  CHECK(plain.rx_dbm(0, 4) == Approx(16.0206 - 40.05).margin(1e-9));  // closer than 1 m: reference loss
  CHECK(plain.delay_ns(0, 3) == 334);                                  // 100 m / c
  CHECK(plain.delay_ns(0, 0) == 1);                                    // never 0

  spec.shadowing_sigma_db = 6.0;
  const uint64_t seed = 77;
  CAPTURE(seed);
  const Propagation a(spec, pos, seed), b(spec, pos, seed), c(spec, pos, seed + 1);
  for (uint32_t i = 0; i < pos.size(); ++i)
    for (uint32_t j = 0; j < pos.size(); ++j) {
      if (i == j) continue;
      CHECK(a.rx_dbm(i, j) == a.rx_dbm(j, i));
      CHECK(a.rx_dbm(i, j) == b.rx_dbm(i, j));
    }
  CHECK(a.rx_dbm(0, 2) != c.rx_dbm(0, 2));
  CHECK(a.rx_dbm(0, 2) - plain.rx_dbm(0, 2) == Approx(a.shadowing_db(0, 2)).margin(1e-9));

  // Over many pairs the shadowing has mean 0 and standard deviation sigma.
  std::vector<Position> many(300);
  const Propagation big(spec, many, seed);
  double sum = 0, sum2 = 0;
  int count = 0;
  for (uint32_t i = 0; i < many.size(); ++i)
    for (uint32_t j = i + 1; j < many.size(); ++j) {
      const double s = big.shadowing_db(i, j);
      sum += s;
      sum2 += s * s;
      ++count;
    }
  const double mean = sum / count, sd = std::sqrt(sum2 / count - mean * mean);
  CHECK(std::abs(mean) < 0.1);  // 44,850 pairs: standard error 0.03 dB
  CHECK(sd == Approx(6.0).epsilon(0.02));

  spec.shadowing_sigma_db = 0.0;
  spec.overrides = {{3, 0, -70.0}, {1, 2, -200.0}};
  const Propagation over(spec, pos, 1);
  CHECK(over.rx_dbm(0, 3) == -70.0);
  CHECK(over.rx_dbm(3, 0) == -70.0);
  CHECK(over.rx_dbm(2, 1) == -200.0);
  CHECK(over.rx_dbm(0, 2) == plain.rx_dbm(0, 2));
  spec.overrides = {{1, 1, -50.0}};
  CHECK_THROWS_AS(Propagation(spec, pos, 1), std::invalid_argument);
}

TEST_CASE("radio propagation: grid neighbour lists equal the O(N^2) answer", "[radio]") {
  const uint64_t seed = GENERATE(3, 4);
  const auto kind = GENERATE(PropagationKind::kRange, PropagationKind::kLogDistance);
  CAPTURE(seed, static_cast<int>(kind));
  RadioSpec spec;
  spec.propagation = kind;
  spec.range_m = 80.0;
  spec.shadowing_sigma_db = kind == PropagationKind::kLogDistance ? 4.0 : 0.0;
  spec.interference_floor_dbm = -85.0;  // about 130 m on average with the default log-distance model
  RngStream rng(seed);
  std::vector<Position> pos(700);
  for (Position& p : pos) p = {rng.uniform() * 1500.0, rng.uniform() * 900.0};
  pos[5] = pos[6];  // two nodes at the same spot
  spec.overrides = {{0, 699, -60.0}, {1, 2, -300.0}};  // one far link added, one cut
  const Propagation prop(spec, pos, seed);
  const double decodable_dbm = -75.0;  // above the floor, so that some tracked signals are too weak
  const NeighbourTable table(prop, decodable_dbm);

  std::set<std::tuple<uint32_t, uint32_t, double>> brute, grid;
  for (uint32_t a = 0; a < pos.size(); ++a)
    for (uint32_t b = 0; b < pos.size(); ++b)
      if (a != b && prop.rx_dbm(a, b) >= prop.floor_dbm()) brute.emplace(a, b, prop.rx_dbm(a, b));
  uint32_t prev = 0;
  uint32_t weak_links = 0;
  for (uint32_t a = 0; a < pos.size(); ++a) {
    bool first = true;
    SimTime weak_first = std::numeric_limits<SimTime>::max();
    for (const RadioNeighbour& n : table.of(a))
      if (n.rx_dbm < decodable_dbm) weak_first = std::min(weak_first, prop.delay_ns(a, n.node));
    for (const RadioNeighbour& n : table.of(a)) {
      grid.emplace(a, n.node, n.rx_dbm);
      CHECK((first || n.node > prev));  // sorted by id
      // A decodable signal arrives after its propagation delay; a weaker one with the earliest weak one.
      CHECK(n.arrival_ns == (n.rx_dbm >= decodable_dbm ? prop.delay_ns(a, n.node) : weak_first));
      weak_links += n.rx_dbm < decodable_dbm ? 1 : 0;
      prev = n.node;
      first = false;
    }
    SimTime last = 0;
    for (const uint32_t l : table.by_arrival(a)) {
      CHECK(table.link(l).arrival_ns >= last);
      last = table.link(l).arrival_ns;
    }
  }
  if (kind == PropagationKind::kLogDistance) CHECK(weak_links > pos.size());
  CHECK(brute.size() > 2 * pos.size());
  CHECK(grid == brute);
  CHECK(table.find(0, 699) != NeighbourTable::kNoLink);
  CHECK(table.find(1, 2) == NeighbourTable::kNoLink);
  for (uint32_t l = 0; l < table.link_count(); ++l) CHECK(table.link(table.reverse(table.reverse(l))).node == table.link(l).node);
}
