#pragma once
// Shared by the [telemetry] tests: a fixed sample, a MetricsSource the test
// drives, a synthetic node whose measurements move like a real one's (slowly
// varying heap, RSSI noise, counters increasing), seeds for randomised tests,
// and small helpers over frames.

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "fake_hal.hpp"
#include "meshota/core/codec/crc16.hpp"
#include "meshota/core/hal/metrics_source.hpp"
#include "meshota/core/telemetry/node_metrics.hpp"

namespace meshota::test {

/// Seed of a randomised test: MESHOTA_TEST_SEED when set (to replay a failure), else fresh; printed.
inline uint32_t telemetry_seed(const char* what) {
  uint32_t seed = 0;
  if (const char* env = std::getenv("MESHOTA_TEST_SEED"); env != nullptr && *env != '\0')
    seed = static_cast<uint32_t>(std::strtoul(env, nullptr, 0));
  else
    seed = std::random_device{}();
  std::printf("telemetry: %s: seed %u (replay with MESHOTA_TEST_SEED=%u)\n", what, seed, seed);
  return seed;
}

/// A plausible ESP32 node on painlessMesh's tree: two neighbours, parent first.
inline core::NodeMetrics sample_metrics() {
  core::NodeMetrics m;
  m.uptime_s = 3600;
  m.boot_count = 3;
  m.reset_reason = core::ResetReason::kSoftware;
  m.free_heap_bytes = 43210;
  m.min_free_heap_bytes = 39876;
  m.msgs_sent = 1200;
  m.msgs_received = 1234;
  m.msgs_dropped = 3;
  m.parent_id = 2222222222u;
  m.hop_count = 2;
  m.queue_depth = 1;
  m.airtime_permille = 12;
  m.throughput_bps = 512;
  m.known_nodes = 12;
  m.direct_links = 2;
  m.update_state = core::UpdateState::kIdle;
  m.update_progress_permille = 0;
  m.fw_version.assign("1.2.3");
  m.image_hash_prefix = {0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef};
  m.neighbour_count = 2;
  m.neighbours[0] = core::NeighbourLink{2222222222u, -64, core::kSnrUnmeasured, 1, 0, 45};
  m.neighbours[1] = core::NeighbourLink{3333333333u, -71, core::kSnrUnmeasured, 0, 0, 38};
  return m;
}

/// A MetricsSource that hands out whatever the test put in `next`.
class ScriptedSource final : public core::MetricsSource {
 public:
  void sample(core::Instant now, core::NodeMetrics& out) override {
    out = next;
    ++samples;
    last_at = now;
  }
  core::NodeMetrics next = sample_metrics();
  uint32_t samples = 0;
  core::Instant last_at;
};

/// How a synthetic node's measurements move from one report to the next.
struct Dynamics {
  double heap_step_sd_bytes = 60;   ///< random walk of free heap per report
  double heap_leak_bytes = 0;       ///< steady decrease per report
  int rssi_noise_db = 3;            ///< uniform integer noise +-this around each link's mean
  double rx_per_report = 6;         ///< Poisson mean of messages received per report
  double tx_per_report = 3;         ///< Poisson mean of messages sent per report (plus the report)
  double drop_probability = 0.02;   ///< chance of one dropped message per report
  bool tcp_links = false;           ///< measure loss and rtt (tcp-tree) besides RSSI
  bool snr = true;                  ///< measure SNR on radio links (+-2 dB noise)
  bool throughput = false;          ///< measure throughput (noisy)
  uint8_t neighbours = 1;           ///< links in the table, the parent first
  uint32_t interval_s = 30;
};

/// A node whose measurements follow Dynamics, reproducible from a seed.
class SyntheticNode {
 public:
  SyntheticNode(const Dynamics& d, uint32_t seed) : d_(d), rng_(seed) {
    m_ = sample_metrics();
    m_.uptime_s = 0;
    m_.msgs_sent = m_.msgs_received = m_.msgs_dropped = 0;
    m_.airtime_permille = 0;
    m_.queue_depth = 0;
    m_.throughput_bps = d.throughput ? 400 : core::kThroughputUnmeasured;
    heap_ = m_.free_heap_bytes;
    m_.min_free_heap_bytes = m_.free_heap_bytes;
    m_.neighbour_count = d.neighbours;
    for (uint8_t i = 0; i < d.neighbours; ++i) {
      rssi_mean_[i] = -60 - 3 * i;
      core::NeighbourLink& n = m_.neighbours[i];
      n = core::NeighbourLink{};
      n.id = i == 0 ? m_.parent_id : 100000000u + i;
      n.rssi_dbm = static_cast<int8_t>(rssi_mean_[i]);
      if (d.tcp_links) {
        n.loss_pct = 1;
        n.rtt_ms = 40;
      } else if (d.snr) {
        n.snr_db = 20;
      }
    }
  }

  /// The measurements one report interval later.
  const core::NodeMetrics& step() {
    m_.uptime_s += d_.interval_s;
    m_.msgs_received += poisson(d_.rx_per_report);
    m_.msgs_sent += 1 + poisson(d_.tx_per_report);
    if (uniform() < d_.drop_probability) m_.msgs_dropped += 1;
    heap_ += normal() * d_.heap_step_sd_bytes - d_.heap_leak_bytes;
    heap_ += (43210.0 - heap_) * 0.01 * (d_.heap_leak_bytes == 0 ? 1 : 0);  // mean-reverting unless leaking
    m_.free_heap_bytes = static_cast<uint32_t>(heap_ < 0 ? 0 : heap_);
    if (m_.free_heap_bytes < m_.min_free_heap_bytes) m_.min_free_heap_bytes = m_.free_heap_bytes;
    for (uint8_t i = 0; i < d_.neighbours; ++i) {
      core::NeighbourLink& n = m_.neighbours[i];
      n.rssi_dbm = static_cast<int8_t>(rssi_mean_[i] + noise(d_.rssi_noise_db));
      if (d_.tcp_links) {
        n.loss_pct = static_cast<uint8_t>(uniform() < 0.8 ? 0 : 1 + noise(1) + 1);
        n.rtt_ms = static_cast<uint16_t>(40 + noise(8));
      } else if (d_.snr) {
        n.snr_db = static_cast<int8_t>(20 + noise(2));
      }
    }
    if (d_.throughput) m_.throughput_bps = static_cast<uint32_t>(400 + noise(120));
    return m_;
  }
  /// The dynamics from the next step on (e.g. a leak that starts now).
  Dynamics& dynamics() { return d_; }
  const core::NodeMetrics& metrics() const { return m_; }
  core::NodeMetrics& metrics() { return m_; }
  std::mt19937& rng() { return rng_; }

 private:
  uint32_t poisson(double mean) { return std::poisson_distribution<uint32_t>(mean)(rng_); }
  double uniform() { return std::uniform_real_distribution<double>(0, 1)(rng_); }
  double normal() { return std::normal_distribution<double>(0, 1)(rng_); }
  int noise(int amplitude) { return std::uniform_int_distribution<int>(-amplitude, amplitude)(rng_); }

  Dynamics d_;
  std::mt19937 rng_;
  core::NodeMetrics m_;
  double heap_ = 0;
  int rssi_mean_[core::kMaxNeighbours] = {};
};

/// Re-seals a frame after a test edited it: new CRC over the edited bytes.
inline void reseal(Bytes& b) {
  const uint16_t crc = core::crc16_ccitt(std::span<const uint8_t>(b).first(b.size() - 2));
  b[b.size() - 2] = static_cast<uint8_t>(crc);
  b[b.size() - 1] = static_cast<uint8_t>(crc >> 8);
}

}  // namespace meshota::test
