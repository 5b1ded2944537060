#include "meshota/core/telemetry/detect/boot_loop_detector.hpp"

#include <cstddef>

namespace meshota::core {

void BootLoopDetector::record_boot(int64_t boot_s) {
  boot_s_[head_] = static_cast<int32_t>(boot_s);
  head_ = static_cast<uint8_t>((head_ + 1) % BootLoopConfig::kMaxResets);
  if (recorded_ < BootLoopConfig::kMaxResets) ++recorded_;
}

uint32_t BootLoopDetector::resets_within(uint32_t window_s, uint8_t limit) const {
  // Boots among the last `limit` that started within the window before the newest one.
  uint32_t n = 0;
  const int64_t newest = boot_s_[(head_ + BootLoopConfig::kMaxResets - 1u) % BootLoopConfig::kMaxResets];
  for (uint8_t i = 0; i < recorded_ && i < limit; ++i) {
    const size_t at = (head_ + BootLoopConfig::kMaxResets - 1u - i) % BootLoopConfig::kMaxResets;
    if (newest - boot_s_[at] <= static_cast<int64_t>(window_s)) ++n;
  }
  return n;
}

BootLoopResult BootLoopDetector::observe(Instant now, uint32_t boot_count, uint32_t uptime_s,
                                         const BootLoopConfig& c) {
  BootLoopResult r;
  const int64_t now_s = now.us / 1000000;
  const int64_t boot_s = now_s - uptime_s;
  if (!known_) {
    known_ = true;
    boot_count_ = boot_count;
    best_uptime_s_ = uptime_s;
    record_boot(boot_s);
  } else if (boot_count != boot_count_) {
    // New boot(s). The one that ended was bad unless it reached the window; unseen ones are bad.
    const uint32_t jumped = boot_count > boot_count_ ? boot_count - boot_count_ : 1u;
    const uint32_t unseen = jumped - 1u;
    const bool last_good = best_uptime_s_ >= c.esphome_good_window_s;
    const uint32_t run = (last_good ? 0u : bad_run_ + 1u) + unseen;
    bad_run_ = static_cast<uint16_t>(run > 0xFFFF ? 0xFFFF : run);
    for (uint32_t i = 0; i < jumped && i < BootLoopConfig::kMaxResets; ++i) record_boot(boot_s);
    boot_count_ = boot_count;
    best_uptime_s_ = uptime_s;
  } else if (uptime_s > best_uptime_s_) {
    best_uptime_s_ = uptime_s;
  }
  const uint8_t limit = c.espurna_resets < BootLoopConfig::kMaxResets ? c.espurna_resets : BootLoopConfig::kMaxResets;
  r.bad_boots = bad_run_;
  r.resets_in_window = resets_within(c.espurna_window_s, limit);
  const bool esphome = bad_run_ >= c.esphome_boots;
  const bool espurna = r.resets_in_window >= limit;
  const bool loop = c.rule == BootLoopRule::kEsphome ? esphome
                    : c.rule == BootLoopRule::kEspurna ? espurna : (esphome || espurna);
  // Surviving the good-boot window ends a loop under either rule.
  const bool good_now = best_uptime_s_ >= c.esphome_good_window_s;
  if (good_now) bad_run_ = 0;
  if (!active_ && loop && !good_now) {
    active_ = true;
    r.edge = AlarmEdge::kRaise;
  } else if (active_ && good_now) {
    active_ = false;
    r.edge = AlarmEdge::kClear;
  }
  return r;
}

}  // namespace meshota::core
