#pragma once
// What the bootloader must remember across resets: which slot boots, the state
// of each slot's image (ESP-IDF's NEW -> PENDING_VERIFY -> VALID / INVALID /
// ABORTED), how many trial boots were spent, why the last revert happened, and
// the anti-rollback counter. Encoded in a fixed block with a sequence number
// and a CRC, so that of two copies the newest intact one always wins.

#include <cstddef>
#include <cstdint>
#include <span>

namespace meshota::core {

/// The state of the image in one slot.
enum class SlotState : uint8_t {
  kEmpty = 0,          ///< nothing bootable (erased, or an update in progress)
  kNew = 1,            ///< written and verified, waiting for its first (trial) boot
  kPendingVerify = 2,  ///< booted on trial, not yet confirmed by its health check
  kValid = 3,          ///< confirmed: boots from now on
  kInvalid = 4,        ///< failed a check: never boots again
  kAborted = 5,        ///< its trial ended without a confirmation (reset, crash, boot loop)
};
constexpr uint8_t kSlotStateCount = 6;

/// Why the bootloader last left an image for the previous one.
enum class RevertReason : uint8_t {
  kNone = 0,
  kTrialNotConfirmed = 1,  ///< reset (crash, watchdog, power) before the health check passed
  kHealthCheckFailed = 2,  ///< the image's own health check said no
  kImageCheckFailed = 3,   ///< the bootloader's integrity check of the slot failed
  kRolledBack = 4,         ///< the rollout was aborted and rolled the image back
};

/// The boot-control record, one per commit.
struct BootRecord {
  static constexpr uint32_t kMaxSlots = 2;
  static constexpr size_t kEncodedBytes = 112;

  uint32_t seq = 0;               ///< bumped at every commit; the highest intact copy wins
  uint8_t boot_slot = 0;          ///< the slot the bootloader starts next
  SlotState state[kMaxSlots] = {SlotState::kValid, SlotState::kEmpty};  ///< factory: slot 0 valid
  uint8_t trial_boots = 0;        ///< boots of boot_slot spent in kPendingVerify
  RevertReason last_revert = RevertReason::kNone;
  uint8_t reverted_from = 0xff;   ///< the slot left by the last revert
  uint32_t security_counter = 0;  ///< anti-rollback: images below it are refused
  uint32_t slot_security[kMaxSlots] = {0, 0};  ///< each slot's image's security counter
  uint32_t slot_bytes[kMaxSlots] = {0, 0};     ///< each slot's image size, for the integrity check
  uint8_t slot_digest[kMaxSlots][32] = {};     ///< SHA-256 each slot's image must have

  /// The slot the bootloader would fall back to from `slot` (kMaxSlots when there is none).
  uint8_t fallback(uint8_t slot) const;
};

/// Writes `r` into a block of kEncodedBytes (magic, fields, CRC-32 last).
void encode_boot_record(const BootRecord& r, std::span<uint8_t, BootRecord::kEncodedBytes> out);
/// Reads a block; false when the magic, a value or the CRC is wrong (erased, torn or foreign).
bool decode_boot_record(std::span<const uint8_t, BootRecord::kEncodedBytes> in, BootRecord& out);

}  // namespace meshota::core
