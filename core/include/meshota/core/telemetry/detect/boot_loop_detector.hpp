#pragma once
// Boot-loop detection at the root from what reports carry: the node's boot
// count (persisted on the node) and its uptime. Two rules, both parameters:
// - ESPHome safe mode: N boots in a row that never reached a good-boot window
//   (10 boots, 60 s); catches every loop shorter than the window, slow or fast;
// - ESPurna: M resets within a time window (5 resets in 60 s); faster on a
//   fast loop, blind to a loop slower than window / M.
// Boots the root never heard of (the count jumped by more than one) count as
// bad boots that started just before the one reported: a node that reboots
// faster than it reports is exactly what this detector is for.

#include <cstdint>

#include "meshota/core/telemetry/detect/hysteresis.hpp"
#include "meshota/core/time.hpp"

namespace meshota::core {

/// Which boot-loop rule decides.
enum class BootLoopRule : uint8_t { kEsphome, kEspurna, kEither };

/// Boot-loop parameters (ESPHome's and ESPurna's defaults).
struct BootLoopConfig {
  static constexpr uint8_t kMaxResets = 10;
  BootLoopRule rule = BootLoopRule::kEsphome;
  uint8_t esphome_boots = 10;             ///< bad boots in a row that raise
  uint32_t esphome_good_window_s = 60;    ///< uptime that makes a boot good (and clears)
  uint8_t espurna_resets = 5;             ///< resets within the window that raise (<= kMaxResets)
  uint32_t espurna_window_s = 60;
};

/// What one observation did: edge, and the numbers behind it.
struct BootLoopResult {
  AlarmEdge edge = AlarmEdge::kNone;
  uint32_t bad_boots = 0;        ///< ESPHome count now
  uint32_t resets_in_window = 0; ///< ESPurna count now
};

/// One node's boot history as the root sees it (per node, not per metric: 56 bytes).
class BootLoopDetector {
 public:
  /// A report from the node at root time `now`: its boot count and uptime.
  BootLoopResult observe(Instant now, uint32_t boot_count, uint32_t uptime_s, const BootLoopConfig& c);
  bool active() const { return active_; }
  uint32_t bad_boots() const { return bad_run_; }

 private:
  void record_boot(int64_t boot_s);
  uint32_t resets_within(uint32_t window_s, uint8_t limit) const;

  int32_t boot_s_[BootLoopConfig::kMaxResets] = {};  // root-clock second each boot started, ring
  uint32_t boot_count_ = 0;
  uint32_t best_uptime_s_ = 0;  // longest uptime seen in the current boot
  uint16_t bad_run_ = 0;
  uint8_t head_ = 0;
  uint8_t recorded_ = 0;
  bool known_ = false;
  bool active_ = false;
};
static_assert(sizeof(BootLoopDetector) <= 56);

}  // namespace meshota::core
