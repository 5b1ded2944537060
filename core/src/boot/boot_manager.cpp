#include "meshota/core/boot/boot_manager.hpp"

#include <algorithm>

namespace meshota::core {

BootManager::BootManager(FirmwareStore& otadata, const BootConfig& config) : store_(otadata), config_(config) {}

uint16_t BootManager::apply(uint8_t slot, BootEvent event) {
  const bool spent = record_.trial_boots >= config_.max_trial_boots;
  const BootTransition& t = boot_transition(record_.state[slot], event, spent);
  if (t.actions & kActRefused) return t.actions;
  BootRecord next = record_;
  next.state[slot] = t.to;
  if (t.actions & kActSetBootSlot) {
    next.boot_slot = slot;
    next.trial_boots = 0;
    next.last_revert = RevertReason::kNone;  // a new update: the last revert was about an older one
    next.reverted_from = 0xff;
  }
  if (t.actions & kActStartTrial) next.trial_boots = 1;
  if (t.actions & kActCountTrial) ++next.trial_boots;
  if (t.actions & kActRevert) {
    const uint8_t back = record_.fallback(slot);
    if (back < BootRecord::kMaxSlots) next.boot_slot = back;
    next.trial_boots = 0;
    next.last_revert = t.reason;
    next.reverted_from = slot;
  }
  if ((t.actions & kActRaiseCounter) && next.slot_security[slot] > next.security_counter)
    next.security_counter = next.slot_security[slot];
  if (t.actions & kActCommit) {
    if (!store_.commit(next)) {
      flash_error_ = true;
      return 0;
    }
    ++commits_;
  }
  record_ = next;
  return t.actions;
}

BootDecision BootManager::boot(SlotVerifier& verify) {
  BootDecision d;
  flash_error_ = false;
  if (!store_.load(record_)) record_ = BootRecord{};  // factory: slot 0 valid
  // Each pass either runs a slot or leaves one for its fallback; a slot left is never
  // bootable again, so two passes per slot bound the loop.
  for (uint32_t pass = 0; pass < 2 * BootRecord::kMaxSlots; ++pass) {
    const uint8_t slot = record_.boot_slot;
    const SlotState state = record_.state[slot];
    // A slot with no recorded size holds the factory image, which no update staged: nothing to check
    // it against (the ROM's own image check is the platform's).
    const bool intact = state != SlotState::kEmpty &&
                        (record_.slot_bytes[slot] == 0 ||
                         verify.intact(slot, record_.slot_bytes[slot], record_.slot_digest[slot]));
    const uint16_t acts = apply(slot, intact ? BootEvent::kBootIntact : BootEvent::kBootCorrupt);
    if (flash_error_) {
      d.flash_error = true;
      d.bootable = false;
      return d;
    }
    if (acts & kActRevert) {
      d.reverted = true;
      d.reason = record_.last_revert;
      d.reverted_from = slot;
      if (record_.boot_slot == slot) break;  // no fallback left
      continue;
    }
    if (acts & kActRun) {
      running_ = slot;
      d.slot = slot;
      d.trial = record_.state[slot] == SlotState::kPendingVerify;
      return d;
    }
  }
  d.bootable = false;
  return d;
}

StageResult BootManager::stage(uint32_t slot_index, uint32_t bytes, std::span<const uint8_t, 32> digest,
                               uint32_t security_counter) {
  if (slot_index >= BootRecord::kMaxSlots || slot_index == running_) return StageResult::kBadSlot;
  const auto slot = static_cast<uint8_t>(slot_index);
  if (security_counter < record_.security_counter) return StageResult::kRollback;
  // An image that failed here (health check, rollout, used up its trial boots) stays failed: a crash-looping
  // image must not be installed again and again. Power cuts during a trial are what max_trial_boots is for.
  for (uint32_t s = 0; s < BootRecord::kMaxSlots; ++s) {
    const SlotState st = record_.state[s];
    if ((st == SlotState::kInvalid || st == SlotState::kAborted) && record_.slot_bytes[s] == bytes &&
        std::equal(digest.begin(), digest.end(), record_.slot_digest[s]))
      return StageResult::kRejected;
  }
  BootRecord before = record_;
  record_.slot_bytes[slot] = bytes;
  record_.slot_security[slot] = security_counter;
  for (size_t i = 0; i < 32; ++i) record_.slot_digest[slot][i] = digest[i];
  flash_error_ = false;
  apply(slot, BootEvent::kStage);
  if (flash_error_) {
    record_ = before;
    return StageResult::kFlashError;
  }
  return StageResult::kOk;
}

bool BootManager::confirm() {
  flash_error_ = false;
  const uint16_t acts = apply(running_, BootEvent::kConfirm);
  return !flash_error_ && !(acts & kActRefused) && record_.state[running_] == SlotState::kValid;
}

bool BootManager::leave_running(BootEvent event) {
  flash_error_ = false;
  const uint16_t acts = apply(running_, event);
  return !flash_error_ && (acts & kActReboot);
}

bool BootManager::fail_health() { return leave_running(BootEvent::kHealthFailed); }

bool BootManager::roll_back() {
  // Only towards a valid image: a rollback must never leave the device without one.
  if (record_.fallback(running_) >= BootRecord::kMaxSlots) return false;
  return leave_running(BootEvent::kRollBack);
}

}  // namespace meshota::core
