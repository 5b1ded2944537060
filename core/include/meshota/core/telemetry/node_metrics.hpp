#pragma once
// What one node measures about itself, as one plain value. The HAL fills it
// (MetricsSource: esp_* APIs on a node, the simulation in the simulator);
// nothing in the core invents a value. A field the platform cannot measure
// keeps its "not measured" value (the k*Unmeasured constants below), and every
// encoder says so on the wire instead of writing a made-up number.

#include <array>
#include <cstddef>
#include <cstdint>

#include "meshota/core/addressing.hpp"
#include "meshota/core/fixed_string.hpp"

namespace meshota::core {

/// Why the node last restarted (esp_reset_reason_t folded into what a fleet operator acts on).
enum class ResetReason : uint8_t {
  kUnknown = 0,
  kPowerOn = 1,   ///< ESP_RST_POWERON
  kExternal = 2,  ///< ESP_RST_EXT: reset pin
  kSoftware = 3,  ///< ESP_RST_SW: esp_restart(), e.g. after an update
  kPanic = 4,     ///< ESP_RST_PANIC: exception or abort
  kWatchdog = 5,  ///< ESP_RST_INT_WDT, ESP_RST_TASK_WDT, ESP_RST_WDT
  kBrownout = 6,  ///< ESP_RST_BROWNOUT
  kDeepSleep = 7, ///< ESP_RST_DEEPSLEEP
};
inline constexpr uint8_t kResetReasonCount = 8;

/// Where the node's firmware update stands (the A/B install's boot states seen from outside).
enum class UpdateState : uint8_t {
  kIdle = 0,
  kDownloading = 1,
  kVerifying = 2,
  kPendingReboot = 3,
  kTrial = 4,      ///< booted the new image, not confirmed yet
  kConfirmed = 5,
  kReverted = 6,   ///< the new image did not confirm and the old one runs again
  kFailed = 7,     ///< download or verification failed
};
inline constexpr uint8_t kUpdateStateCount = 8;

inline constexpr int8_t kRssiUnmeasured = INT8_MIN;
inline constexpr int8_t kSnrUnmeasured = INT8_MIN;
inline constexpr uint8_t kLossUnmeasured = 0xFF;
inline constexpr uint16_t kRttUnmeasured = 0xFFFF;
inline constexpr uint32_t kThroughputUnmeasured = 0xFFFFFFFF;
inline constexpr uint8_t kHopsUnknown = 0xFF;

/// NeighbourLink::flags: no frame from this neighbour for the source's dead-link time.
inline constexpr uint8_t kLinkDead = 0x01;

/// Quality of the link to one direct neighbour: radio fields (rssi, snr) or tcp-tree ones (loss, rtt).
struct NeighbourLink {
  NodeId id = 0;
  int8_t rssi_dbm = kRssiUnmeasured;
  int8_t snr_db = kSnrUnmeasured;
  uint8_t loss_pct = kLossUnmeasured;  ///< 0-100
  uint8_t flags = 0;                   ///< kLinkDead
  uint16_t rtt_ms = kRttUnmeasured;

  bool operator==(const NeighbourLink&) const = default;
};

inline constexpr size_t kMaxNeighbours = 8;
inline constexpr size_t kFwVersionMaxBytes = 31;  ///< esp_app_desc_t::version is char[32]
inline constexpr size_t kImageHashPrefixBytes = 8;
inline constexpr uint16_t kPermilleMax = 1000;

/// One sample of everything a node measures about itself; counters count since boot.
struct NodeMetrics {
  uint32_t uptime_s = 0;
  uint32_t boot_count = 0;  ///< persisted by the node, +1 per boot
  ResetReason reset_reason = ResetReason::kUnknown;
  uint32_t free_heap_bytes = 0;
  uint32_t min_free_heap_bytes = 0;  ///< lowest free heap since boot
  uint32_t msgs_sent = 0;
  uint32_t msgs_received = 0;
  uint32_t msgs_dropped = 0;  ///< messages the node could not send or deliver
  NodeId parent_id = 0;       ///< 0: no parent (the root, or not joined)
  uint8_t hop_count = kHopsUnknown;  ///< 0 at the root
  uint16_t queue_depth = 0;          ///< frames waiting in the node's send queues
  uint16_t airtime_permille = 0;     ///< share of the last sample interval spent transmitting
  uint32_t throughput_bps = kThroughputUnmeasured;  ///< bytes/s sent + received over the last interval
  uint16_t known_nodes = 0;  ///< nodes this node knows in the mesh (painlessMesh getNodeList().size())
  uint8_t direct_links = 0;  ///< open links to direct neighbours
  UpdateState update_state = UpdateState::kIdle;
  uint16_t update_progress_permille = 0;
  FixedString<kFwVersionMaxBytes> fw_version;
  std::array<uint8_t, kImageHashPrefixBytes> image_hash_prefix{};  ///< first bytes of the running image's digest
  uint8_t neighbour_count = 0;
  std::array<NeighbourLink, kMaxNeighbours> neighbours{};

  bool operator==(const NodeMetrics&) const = default;

  /// Brings a sample into the ranges the wire carries (per mille <= 1000, loss <= 100 %, at most
  /// kMaxNeighbours) and resets the slots past the neighbour count, so equal samples compare equal.
  void normalize() {
    if (airtime_permille > kPermilleMax) airtime_permille = kPermilleMax;
    if (update_progress_permille > kPermilleMax) update_progress_permille = kPermilleMax;
    if (static_cast<uint8_t>(reset_reason) >= kResetReasonCount) reset_reason = ResetReason::kUnknown;
    if (static_cast<uint8_t>(update_state) >= kUpdateStateCount) update_state = UpdateState::kIdle;
    if (neighbour_count > kMaxNeighbours) neighbour_count = kMaxNeighbours;
    for (size_t i = 0; i < kMaxNeighbours; ++i) {
      NeighbourLink& n = neighbours[i];
      if (i >= neighbour_count) n = NeighbourLink{};
      else if (n.loss_pct > 100 && n.loss_pct != kLossUnmeasured) n.loss_pct = 100;
    }
  }
  /// The entry for the parent link, or nullptr when the parent is not in the table.
  const NeighbourLink* parent_link() const {
    if (parent_id == 0) return nullptr;
    for (size_t i = 0; i < neighbour_count && i < kMaxNeighbours; ++i)
      if (neighbours[i].id == parent_id) return &neighbours[i];
    return nullptr;
  }
};

}  // namespace meshota::core
