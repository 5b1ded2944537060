#pragma once
// Which firmware slot runs, and how a new image comes to run. Two ways in:
// painlessMesh's (set_boot_slot: the next reset runs the slot, no trial, as
// Update.end() does), and meshota's (stage: a verified image boots on trial
// and must confirm itself, or the previous image comes back). A device without
// rollback keeps the defaults: stage() is set_boot_slot() and nothing is ever
// on trial. core::BootManager implements rollback for devices whose boot ROM
// has none (ESP8266, the simulator); on ESP-IDF it maps onto esp_ota_*.

#include <cstdint>
#include <span>

namespace meshota::core {

/// Why a stage() was refused.
enum class StageResult : uint8_t {
  kOk,
  kBadSlot,    ///< not a slot, or the running one
  kRollback,   ///< the image's security counter is below the device's (anti-rollback)
  kRejected,   ///< this device already gave the image its trial and left it: it is never installed again
  kFlashError,
};

/// A device's boot control (see file comment).
class BootControl {
 public:
  virtual uint32_t running_slot() const = 0;
  /// painlessMesh's install: the next reset runs `slot` as it is (esp_ota_set_boot_partition).
  virtual bool set_boot_slot(uint32_t slot) = 0;
  /// meshota's install: `slot` holds a verified image of `bytes` bytes whose SHA-256 is `digest`; the
  /// next reset runs it on trial. Devices without rollback just switch.
  virtual StageResult stage(uint32_t slot, uint32_t /*bytes*/, std::span<const uint8_t, 32> /*digest*/,
                            uint32_t /*security_counter*/) {
    return set_boot_slot(slot) ? StageResult::kOk : StageResult::kFlashError;
  }
  /// The running image is on trial: it must confirm itself (ESP_OTA_IMG_PENDING_VERIFY).
  virtual bool on_trial() const { return false; }
  /// The running trial image passed its health check (esp_ota_mark_app_valid_cancel_rollback).
  virtual bool confirm() { return false; }
  /// The running trial image failed its health check: true when the device must restart now into the
  /// previous image (esp_ota_mark_app_invalid_rollback_and_reboot).
  virtual bool fail_health() { return false; }
  /// The rollout was aborted: the running image (on trial or confirmed) leaves for the previous one if
  /// that one is still valid; true when the device must restart now.
  virtual bool roll_back() { return false; }
  /// The device's anti-rollback counter: images with a lower one are refused.
  virtual uint32_t security_counter() const { return 0; }

 protected:
  ~BootControl() = default;
};

}  // namespace meshota::core
