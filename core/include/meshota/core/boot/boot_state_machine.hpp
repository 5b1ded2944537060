#pragma once
// The rollback state machine as a table, in the manner of MCUboot's swap
// types and ESP-IDF's app rollback: for the state of the slot an event is
// about, the state it moves to and what to do. Every (state, event) pair has
// a row, so the tests can walk the whole table.

#include <cstdint>

#include "meshota/core/boot/boot_record.hpp"

namespace meshota::core {

/// What happens to a slot.
enum class BootEvent : uint8_t {
  kStage = 0,        ///< the application verified a new image in this slot and asks to boot it
  kBootIntact = 1,   ///< the bootloader is about to start this slot and its integrity check passed
  kBootCorrupt = 2,  ///< the bootloader is about to start this slot and its integrity check failed
  kConfirm = 3,      ///< the running image's health check passed
  kHealthFailed = 4, ///< the running image's health check failed
  kRollBack = 5,     ///< the rollout rolls the running image back (it was aborted); the host checks that a
                     ///< valid image is there to go back to
};
constexpr uint8_t kBootEventCount = 6;

/// What a transition does, as bits.
enum BootAction : uint16_t {
  kActNone = 0,
  kActSetBootSlot = 1 << 0,   ///< boot_slot = this slot (and its trial count starts at 0)
  kActStartTrial = 1 << 1,    ///< trial_boots = 1
  kActCountTrial = 1 << 2,    ///< trial_boots += 1
  kActRevert = 1 << 3,        ///< boot_slot = the fallback slot; note why
  kActRaiseCounter = 1 << 4,  ///< security_counter = max(it, this slot's image's counter)
  kActCommit = 1 << 5,        ///< write the record
  kActRun = 1 << 6,           ///< start boot_slot now
  kActReboot = 1 << 7,        ///< the application must restart now
  kActRefused = 1 << 8,       ///< the event does not apply in this state: nothing changes
};

/// One row: in `from`, `event` leads to `to` with `actions`. `trial_check` rows apply only when the
/// trial budget is spent (trial_boots >= max_trial_boots), the others only while it is not.
struct BootTransition {
  SlotState from;
  BootEvent event;
  bool trial_spent;
  SlotState to;
  uint16_t actions;
  RevertReason reason;
};

/// The row for (state, event, trial budget spent). Every combination has one.
const BootTransition& boot_transition(SlotState from, BootEvent event, bool trial_spent);

/// The whole table, for documentation and the tests.
const BootTransition* boot_table_begin();
const BootTransition* boot_table_end();

}  // namespace meshota::core
