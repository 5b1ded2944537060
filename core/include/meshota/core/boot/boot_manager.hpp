#pragma once
// The bootloader's and the application's side of the rollback state machine,
// on top of the power-safe record store: which slot starts at a reset (with an
// integrity check), staging a new image for a trial boot, confirming it, and
// failing it back to the previous image. The portable part, as MCUboot's
// bootutil; on ESP-IDF the same decisions map onto esp_ota_* calls.

#include <cstdint>

#include "meshota/core/boot/boot_record.hpp"
#include "meshota/core/boot/boot_record_store.hpp"
#include "meshota/core/boot/boot_state_machine.hpp"
#include "meshota/core/hal/boot_control.hpp"

namespace meshota::core {

/// Checks that a slot holds the image the record names (its SHA-256 over `bytes`).
class SlotVerifier {
 public:
  virtual bool intact(uint8_t slot, uint32_t bytes, const uint8_t (&digest)[32]) = 0;

 protected:
  ~SlotVerifier() = default;
};

/// Rollback policy.
struct BootConfig {
  uint8_t max_trial_boots = 1;  ///< resets allowed on trial before reverting (ESP-IDF: 1, revert at once)
};

/// What the bootloader decided at a reset.
struct BootDecision {
  bool bootable = true;  ///< false only if no slot can start (reported; never expected)
  uint8_t slot = 0;      ///< the slot that runs
  bool trial = false;    ///< it runs on trial: it must confirm itself
  bool reverted = false; ///< this reset fell back from another image
  RevertReason reason = RevertReason::kNone;
  uint8_t reverted_from = 0xff;
  bool flash_error = false;  ///< a record could not be written (power lost while booting)
};

/// The boot-control record's owner for one device, and the application's BootControl on it.
class BootManager final : public BootControl {
 public:
  BootManager(FirmwareStore& otadata, const BootConfig& config);

  /// Bootloader: reads the record (the factory one on a fresh device) and picks the slot to run.
  BootDecision boot(SlotVerifier& verify);

  // Application side (BootControl).
  uint32_t running_slot() const override { return running_; }
  /// Refused: a BootManager boots only images staged with their size and digest.
  bool set_boot_slot(uint32_t) override { return false; }
  /// A verified image is in `slot`; boot it next, on trial.
  StageResult stage(uint32_t slot, uint32_t bytes, std::span<const uint8_t, 32> digest,
                    uint32_t security_counter) override;
  bool on_trial() const override { return running_state() == SlotState::kPendingVerify; }
  /// The running trial image passed its health check. False when there is nothing to confirm.
  bool confirm() override;
  /// The running trial image failed its health check; true when the device must restart now (the
  /// previous image boots next).
  bool fail_health() override;
  /// The running image (trial or confirmed) leaves for the other slot's valid image; false when there
  /// is none (nothing changes).
  bool roll_back() override;
  uint32_t security_counter() const override { return record_.security_counter; }

  const BootRecord& record() const { return record_; }
  SlotState running_state() const { return record_.state[running_]; }
  /// Record writes so far, for reports.
  uint32_t commits() const { return commits_; }

 private:
  /// Applies the row for `slot` and `event`; returns its actions, or kActRefused, or 0 with
  /// `flash_error_` set when the commit failed.
  uint16_t apply(uint8_t slot, BootEvent event);
  /// apply() for the running slot; true when it says restart now.
  bool leave_running(BootEvent event);

  BootRecordStore store_;
  BootConfig config_;
  BootRecord record_;
  uint8_t running_ = 0;
  uint32_t commits_ = 0;
  bool flash_error_ = false;
};

}  // namespace meshota::core
