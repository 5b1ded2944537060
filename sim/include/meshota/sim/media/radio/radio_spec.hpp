#pragma once
// Parameters of the shared radio channel (802.11 / ESP-NOW style PHY + DCF MAC).
// Plain data with the defaults of shared/bench/flood-radio.md, so a scenario
// or a test only writes down what it changes.

#include <cstdint>
#include <optional>
#include <vector>

#include "meshota/sim/media/loss_spec.hpp"

namespace meshota::sim {

/// How received power falls with distance.
enum class PropagationKind : uint8_t {
  kRange,        ///< full transmit power up to range_m, nothing beyond
  kLogDistance,  ///< reference loss at 1 m + 10 n log10(d), plus optional log-normal shadowing
};

/// Modulation of data frames (ESP-NOW sends at 1 Mbit/s DSSS by default).
enum class PhyRate : uint8_t { kDsss1, kDsss2, kOfdm6 };

/// Fixed received power of one node pair, both directions, replacing the propagation model.
struct LinkOverride {
  uint32_t a = 0;
  uint32_t b = 0;
  double rx_dbm = 0.0;
};

/// Everything the radio medium is configured with; defaults are flood-radio.md's model.
struct RadioSpec {
  // Propagation.
  PropagationKind propagation = PropagationKind::kRange;
  double range_m = 55.0;
  double tx_power_dbm = 16.0206;     // 40 mW
  double reference_loss_db = 40.05;  // free space at 1 m, 2.4 GHz
  double path_loss_exponent = 3.0;
  double shadowing_sigma_db = 0.0;   // drawn once per unordered pair, fixed for the run
  std::vector<LinkOverride> overrides;

  // PHY.
  PhyRate data_rate = PhyRate::kDsss1;
  double noise_figure_db = 7.0;
  double rx_sensitivity_dbm = -98.0;     // ESP32 datasheet, 802.11b 1 Mbit/s
  double cca_ed_threshold_dbm = -62.0;   // energy detect
  /// Weaker signals are not tracked at all; unset = noise floor - 15 dB.
  std::optional<double> interference_floor_dbm;
  /// Bianchi's assumption: any overlap at the receiver destroys the locked frame.
  bool any_overlap_destroys = false;

  // DCF MAC.
  uint32_t slot_us = 20;
  uint32_t sifs_us = 10;
  uint32_t difs_us = 50;
  uint32_t cw_min = 31;
  uint32_t cw_max = 1023;
  uint32_t retry_limit = 7;          // unicast retransmissions after the first try
  uint32_t queue_limit_frames = 0;   // 0 = unbounded
  /// Wait EIFS instead of DIFS after a frame that was received in error. Off by
  /// default because flood-radio.md (the benchmark this medium must reproduce)
  /// says DIFS; the Bianchi test turns it on, as the standard does.
  bool eifs = false;

  /// Extra receiver-side loss of frames that survived the PHY, one model per directed link.
  LossSpec rx_loss;
};

}  // namespace meshota::sim
