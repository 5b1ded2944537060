// The root's detectors on synthetic series with a known change point: a step
// (EWMA z-score), a slow linear leak (Holt projection), a noisy stationary
// series (no alarm, over many seeds; false alarms printed), hysteresis that
// raises after k anomalous points and clears after k normal ones, boot loops
// under both rules, and the offline timer. State per metric <= 16 bytes.

#include <catch2/catch.hpp>
#include <algorithm>
#include <random>
#include <vector>

#include "meshota/core/telemetry/detect/detectors.hpp"
#include "meshota/core/telemetry/detect/node_health.hpp"
#include "telemetry_test_util.hpp"

using namespace meshota::core;

namespace {

constexpr float kLevel = 40000.0f;  // free heap, bytes
constexpr float kSigma = 200.0f;

/// Index of the first raise at or after `from`, -1 if none; `early` counts raises before `from`.
template <typename Update>
int first_raise(int points, int from, int& early, Update&& update) {
  early = 0;
  for (int i = 0; i < points; ++i) {
    if (update(i) != AlarmEdge::kRaise) continue;
    if (i < from) ++early;
    else return i;
  }
  return -1;
}

}  // namespace

TEST_CASE("telemetry detectors: state per metric fits 16 bytes", "[telemetry][detect]") {
  STATIC_REQUIRE(sizeof(EwmaDetector) <= 16);
  STATIC_REQUIRE(sizeof(HoltDetector) <= 16);
  STATIC_REQUIRE(sizeof(OfflineWatch) <= 16);
  STATIC_REQUIRE(sizeof(Hysteresis) == 2);
  std::printf("telemetry detectors: EwmaDetector %zu B, HoltDetector %zu B, OfflineWatch %zu B, "
              "BootLoopDetector %zu B (per node), HealthSlot %zu B (per node)\n",
              sizeof(EwmaDetector), sizeof(HoltDetector), sizeof(OfflineWatch), sizeof(BootLoopDetector),
              sizeof(HealthSlot));
}

TEST_CASE("telemetry detectors: hysteresis raises after k anomalous points and clears after k normal",
          "[telemetry][detect]") {
  for (uint8_t k = 1; k <= 10; ++k) {
    CAPTURE(k);
    const HysteresisConfig c{k, k};
    Hysteresis h;
    // k-1 anomalous points, then a normal one: no alarm, the run starts over.
    for (int i = 0; i + 1 < k; ++i) CHECK(h.update(true, c) == AlarmEdge::kNone);
    CHECK(h.update(false, c) == AlarmEdge::kNone);
    for (int i = 0; i + 1 < k; ++i) CHECK(h.update(true, c) == AlarmEdge::kNone);
    CHECK(h.update(true, c) == AlarmEdge::kRaise);
    CHECK(h.active());
    for (int i = 0; i + 1 < k; ++i) CHECK(h.update(false, c) == AlarmEdge::kNone);
    CHECK(h.update(false, c) == AlarmEdge::kClear);
    CHECK_FALSE(h.active());
  }
}

TEST_CASE("telemetry detectors: EWMA catches a step k points after it, never before it", "[telemetry][detect]") {
  const uint32_t seed = meshota::test::telemetry_seed("ewma step");
  CAPTURE(seed);
  std::mt19937 rng(seed);
  EwmaConfig c;
  c.min_sigma = 50;
  c.direction = Direction::kLow;
  constexpr int kChange = 300, kPoints = 400, kSeeds = 500;
  int false_alarms = 0, worst = 0;
  for (int s = 0; s < kSeeds; ++s) {
    EwmaDetector d;
    std::normal_distribution<float> noise(0, kSigma);
    int early = 0;
    // A drop of 10 sigma (2 KB): far outside z = 4.
    const int at = first_raise(kPoints, kChange, early, [&](int i) {
      return d.update(kLevel + noise(rng) - (i >= kChange ? 10 * kSigma : 0), c).edge;
    });
    false_alarms += early;
    REQUIRE(at >= kChange);
    worst = std::max(worst, at - kChange + 1);
  }
  std::printf("telemetry EWMA step (10 sigma, z 4, k %d): worst delay %d points, false alarms before the change "
              "%d over %d series x %d points\n", c.hysteresis.raise_after, worst, false_alarms, kSeeds, kChange);
  // The k-th point after the change raises: the delay the hysteresis implies, no more.
  CHECK(worst == c.hysteresis.raise_after);
  CHECK(false_alarms == 0);
}

TEST_CASE("telemetry detectors: an EWMA alarm clears after k normal points", "[telemetry][detect]") {
  EwmaConfig c;
  c.min_sigma = 50;
  EwmaDetector d;
  std::mt19937 rng(7);
  std::normal_distribution<float> noise(0, kSigma);
  for (int i = 0; i < 100; ++i) REQUIRE(d.update(kLevel + noise(rng), c).edge == AlarmEdge::kNone);
  // A burst of 5 outliers, then back to normal.
  std::vector<AlarmEdge> edges;
  for (int i = 0; i < 5; ++i) edges.push_back(d.update(kLevel - 20 * kSigma, c).edge);
  for (int i = 0; i < 5; ++i) edges.push_back(d.update(kLevel + noise(rng), c).edge);
  CHECK(edges[2] == AlarmEdge::kRaise);  // 3rd outlier
  CHECK(edges[7] == AlarmEdge::kClear);  // 3rd normal point
  CHECK(std::count(edges.begin(), edges.end(), AlarmEdge::kNone) == 8);
  // A single outlier never raises with k = 3.
  for (int i = 0; i < 50; ++i) {
    CHECK(d.update(i % 10 == 0 ? kLevel - 20 * kSigma : kLevel + noise(rng), c).edge == AlarmEdge::kNone);
  }
}

TEST_CASE("telemetry detectors: Holt projects a slow leak long before the heap runs out", "[telemetry][detect]") {
  const uint32_t seed = meshota::test::telemetry_seed("holt leak");
  CAPTURE(seed);
  std::mt19937 rng(seed);
  const HoltConfig c;  // threshold 10 KB, horizon 1 h
  constexpr float kDt = 30.0f;
  constexpr float kLeakPerS = 5.0f;  // 150 B per report: 40 KB -> 10 KB in 1.7 h
  constexpr int kChange = 200, kPoints = 600, kSeeds = 500;
  const int crossing = kChange + static_cast<int>((kLevel - c.threshold) / (kLeakPerS * kDt));
  auto series = [&](int i, float noise) {
    return kLevel + noise - (i >= kChange ? kLeakPerS * kDt * static_cast<float>(i - kChange + 1) : 0.0f);
  };
  // What the parameters imply: the projection (level - threshold) / leak first falls within the
  // horizon when the level is threshold + leak * horizon; then k points of hysteresis.
  const float level_at_horizon = c.threshold + kLeakPerS * c.horizon_s;
  const int implied = static_cast<int>((kLevel - level_at_horizon) / (kLeakPerS * kDt)) + c.hysteresis.raise_after;
  HoltDetector clean;
  int early = 0;
  const int ideal = first_raise(kPoints, kChange, early, [&](int i) { return clean.update(series(i, 0), kDt, c).edge; });
  REQUIRE(ideal > kChange);
  // Holt's level lags a ramp by a point or two.
  CHECK(std::abs((ideal - kChange + 1) - implied) <= 3);
  int false_alarms = 0, worst = 0, best = kPoints;
  for (int s = 0; s < kSeeds; ++s) {
    HoltDetector d;
    std::normal_distribution<float> noise(0, kSigma);
    const int at = first_raise(kPoints, kChange, early, [&](int i) { return d.update(series(i, noise(rng)), kDt, c).edge; });
    false_alarms += early;
    REQUIRE(at > 0);
    worst = std::max(worst, at - kChange + 1);
    best = std::min(best, at - kChange + 1);
  }
  std::printf("telemetry Holt leak (%.0f B/s from 40 KB, threshold 10 KB, horizon 1 h): implied delay %d points, "
              "noiseless %d, noisy %d-%d points (%.0f-%.0f min), heap would reach 10 KB after %d points; false alarms "
              "before the leak %d over %d series\n", kLeakPerS, implied, ideal - kChange + 1, best, worst, static_cast<float>(best) * kDt / 60,
              static_cast<float>(worst) * kDt / 60, crossing - kChange, false_alarms, kSeeds);
  CHECK(false_alarms == 0);
  // The trend estimate's noise (sigma 200 B per point) moves detection by up to ~15 points either
  // way; the alarm still comes about an hour before the heap would reach the threshold.
  CHECK(worst <= implied + 20);
  CHECK(kChange + worst < crossing - 60);
}

TEST_CASE("telemetry detectors: a noisy stationary series raises nothing", "[telemetry][detect]") {
  const uint32_t seed = meshota::test::telemetry_seed("stationary");
  CAPTURE(seed);
  std::mt19937 rng(seed);
  const DetectorConfig dc;
  constexpr int kSeeds = 300, kPoints = 2000;  // 2000 points = 16.7 h at 30 s
  int ewma_alarms = 0, holt_alarms = 0, rssi_alarms = 0;
  for (int s = 0; s < kSeeds; ++s) {
    EwmaDetector heap, rssi;
    HoltDetector leak;
    std::normal_distribution<float> noise(0, kSigma);
    std::uniform_int_distribution<int> rssi_noise(-3, 3);
    for (int i = 0; i < kPoints; ++i) {
      const float x = kLevel + noise(rng);
      ewma_alarms += heap.update(x, dc.low_heap).edge == AlarmEdge::kRaise;
      holt_alarms += leak.update(x, 30.0f, dc.heap_leak).edge == AlarmEdge::kRaise;
      rssi_alarms += rssi.update(static_cast<float>(-67 + rssi_noise(rng)), dc.parent_rssi).edge == AlarmEdge::kRaise;
    }
  }
  std::printf("telemetry stationary series: false alarms over %d series x %d points: EWMA heap %d, Holt leak %d, "
              "EWMA RSSI %d\n", kSeeds, kPoints, ewma_alarms, holt_alarms, rssi_alarms);
  CHECK(ewma_alarms == 0);
  CHECK(holt_alarms == 0);
  CHECK(rssi_alarms == 0);
}

TEST_CASE("telemetry detectors: boot loops under the ESPHome and ESPurna rules", "[telemetry][detect]") {
  auto run = [](BootLoopRule rule, int period_s, int boots, int& raised_at_boot) {
    BootLoopConfig c;
    c.rule = rule;
    BootLoopDetector d;
    raised_at_boot = -1;
    int64_t t = 1000;
    for (int b = 0; b < boots; ++b) {
      // Each boot reports once right after booting and once just before it crashes.
      for (uint32_t up : {uint32_t{1}, static_cast<uint32_t>(period_s - 1)}) {
        const auto r = d.observe(Instant{(t + up) * 1000000}, 10u + static_cast<uint32_t>(b), up, c);
        if (r.edge == AlarmEdge::kRaise && raised_at_boot < 0) raised_at_boot = b + 1;
      }
      t += period_s;
    }
    return d.active();
  };
  int at = 0;
  // ESPHome: the 10th bad boot in a row raises, fast or slow.
  CHECK(run(BootLoopRule::kEsphome, 8, 20, at));
  CHECK(at == 11);  // the 10th boot is judged bad when the 11th begins
  CHECK(run(BootLoopRule::kEsphome, 50, 20, at));
  CHECK(at == 11);
  CHECK_FALSE(run(BootLoopRule::kEsphome, 70, 20, at));  // every boot reached 60 s
  // ESPurna: 5 resets within 60 s raise at the 5th boot; a 30 s loop is too slow for it.
  CHECK(run(BootLoopRule::kEspurna, 8, 20, at));
  CHECK(at == 5);
  CHECK_FALSE(run(BootLoopRule::kEspurna, 30, 20, at));
  CHECK(run(BootLoopRule::kEither, 30, 20, at));

  // Boots the root never saw count as bad ones; surviving the good window clears.
  BootLoopConfig c;
  BootLoopDetector d;
  d.observe(Instant{1000000}, 5, 1, c);
  auto r = d.observe(Instant{30000000}, 14, 2, c);  // 9 boots happened unseen
  CHECK(r.bad_boots == 9);
  CHECK(r.edge == AlarmEdge::kNone);
  r = d.observe(Instant{40000000}, 15, 2, c);
  CHECK(r.bad_boots == 10);
  CHECK(r.edge == AlarmEdge::kRaise);
  r = d.observe(Instant{100000000}, 15, 62, c);
  CHECK(r.edge == AlarmEdge::kClear);
  CHECK(d.bad_boots() == 0);
}

TEST_CASE("telemetry detectors: offline after max(floor, interval + grace) of silence, never before",
          "[telemetry][detect]") {
  const OfflineConfig c;  // floor 10 s, grace 5 s, 10 s until the node announces its interval
  OfflineWatch w;
  CHECK(w.deadline(c) == Instant::never());
  CHECK(w.check(Instant{0} + Duration::seconds(100), c) == AlarmEdge::kNone);
  const Instant last = Instant{0} + Duration::seconds(1000);
  w.heard(last);
  CHECK(w.timeout(c) == Duration::seconds(15));
  CHECK(w.check(last + (Duration::seconds(15) - Duration::micros(1)), c) == AlarmEdge::kNone);
  CHECK(w.check(last + Duration::seconds(15), c) == AlarmEdge::kRaise);  // within 15 s of the last frame
  CHECK(w.offline());
  CHECK(w.check(last + Duration::seconds(60), c) == AlarmEdge::kNone);  // raised once
  CHECK(w.heard(last + Duration::seconds(61)) == AlarmEdge::kClear);
  // A node that announces 30 s reports: offline 35 s after its last frame.
  w.heard(last, 30000);
  CHECK(w.timeout(c) == Duration::seconds(35));
  CHECK(w.check(last + Duration::seconds(34), c) == AlarmEdge::kNone);
  CHECK(w.check(last + Duration::seconds(35), c) == AlarmEdge::kRaise);
  // The floor: a node reporting every 2 s is not declared offline before NODE_TIMEOUT.
  OfflineWatch fast;
  fast.heard(last, 2000);
  CHECK(fast.timeout(c) == Duration::seconds(10));
}
