#include "meshota/core/boot/boot_state_machine.hpp"

namespace meshota::core {
namespace {

using S = SlotState;
using E = BootEvent;
using R = RevertReason;
constexpr uint16_t kStageActs = kActSetBootSlot | kActCommit;
constexpr uint16_t kLeave = kActRevert | kActCommit | kActRun;  // go back to the fallback image
constexpr uint16_t kGiveUp = kActRevert | kActCommit | kActReboot;  // the running image leaves for it

// For each state: stage, boot-intact, boot-corrupt, confirm, health-failed, roll-back; the boot-intact row
// of kPendingVerify is the only one that depends on the trial budget, so both variants are listed.
constexpr BootTransition kTable[] = {
    // kEmpty: nothing to boot here; an update may fill it.
    {S::kEmpty, E::kStage, false, S::kNew, kStageActs, R::kNone},
    {S::kEmpty, E::kBootIntact, false, S::kEmpty, kLeave, R::kImageCheckFailed},
    {S::kEmpty, E::kBootCorrupt, false, S::kEmpty, kLeave, R::kImageCheckFailed},
    {S::kEmpty, E::kConfirm, false, S::kEmpty, kActRefused, R::kNone},
    {S::kEmpty, E::kHealthFailed, false, S::kEmpty, kActRefused, R::kNone},
    {S::kEmpty, E::kRollBack, false, S::kEmpty, kActRefused, R::kNone},
    // kNew: its first boot is a trial.
    {S::kNew, E::kStage, false, S::kNew, kStageActs, R::kNone},
    {S::kNew, E::kBootIntact, false, S::kPendingVerify, kActStartTrial | kActCommit | kActRun, R::kNone},
    {S::kNew, E::kBootCorrupt, false, S::kInvalid, kLeave, R::kImageCheckFailed},
    {S::kNew, E::kConfirm, false, S::kNew, kActRefused, R::kNone},
    {S::kNew, E::kHealthFailed, false, S::kNew, kActRefused, R::kNone},
    {S::kNew, E::kRollBack, false, S::kNew, kActRefused, R::kNone},
    // kPendingVerify: booted on trial. Booting it again means the last trial ended without a confirm.
    {S::kPendingVerify, E::kStage, false, S::kNew, kStageActs, R::kNone},
    {S::kPendingVerify, E::kBootIntact, false, S::kPendingVerify, kActCountTrial | kActCommit | kActRun, R::kNone},
    {S::kPendingVerify, E::kBootIntact, true, S::kAborted, kLeave, R::kTrialNotConfirmed},
    {S::kPendingVerify, E::kBootCorrupt, false, S::kInvalid, kLeave, R::kImageCheckFailed},
    {S::kPendingVerify, E::kConfirm, false, S::kValid, kActRaiseCounter | kActCommit, R::kNone},
    {S::kPendingVerify, E::kHealthFailed, false, S::kInvalid, kGiveUp, R::kHealthCheckFailed},
    {S::kPendingVerify, E::kRollBack, false, S::kInvalid, kGiveUp, R::kRolledBack},
    // kValid: confirmed images boot; its own check cannot fail a confirmed image, an aborted rollout can.
    {S::kValid, E::kStage, false, S::kNew, kStageActs, R::kNone},
    {S::kValid, E::kBootIntact, false, S::kValid, kActRun, R::kNone},
    {S::kValid, E::kBootCorrupt, false, S::kInvalid, kLeave, R::kImageCheckFailed},
    {S::kValid, E::kConfirm, false, S::kValid, kActNone, R::kNone},
    {S::kValid, E::kHealthFailed, false, S::kValid, kActRefused, R::kNone},
    {S::kValid, E::kRollBack, false, S::kInvalid, kGiveUp, R::kRolledBack},
    // kInvalid and kAborted never boot again; an update may replace them.
    {S::kInvalid, E::kStage, false, S::kNew, kStageActs, R::kNone},
    {S::kInvalid, E::kBootIntact, false, S::kInvalid, kLeave, R::kImageCheckFailed},
    {S::kInvalid, E::kBootCorrupt, false, S::kInvalid, kLeave, R::kImageCheckFailed},
    {S::kInvalid, E::kConfirm, false, S::kInvalid, kActRefused, R::kNone},
    {S::kInvalid, E::kHealthFailed, false, S::kInvalid, kActRefused, R::kNone},
    {S::kInvalid, E::kRollBack, false, S::kInvalid, kActRefused, R::kNone},
    {S::kAborted, E::kStage, false, S::kNew, kStageActs, R::kNone},
    {S::kAborted, E::kBootIntact, false, S::kAborted, kLeave, R::kTrialNotConfirmed},
    {S::kAborted, E::kBootCorrupt, false, S::kInvalid, kLeave, R::kImageCheckFailed},
    {S::kAborted, E::kConfirm, false, S::kAborted, kActRefused, R::kNone},
    {S::kAborted, E::kHealthFailed, false, S::kAborted, kActRefused, R::kNone},
    {S::kAborted, E::kRollBack, false, S::kAborted, kActRefused, R::kNone},
};

}  // namespace

const BootTransition& boot_transition(SlotState from, BootEvent event, bool trial_spent) {
  const BootTransition* fallback = nullptr;
  for (const BootTransition& t : kTable) {
    if (t.from != from || t.event != event) continue;
    if (t.trial_spent == trial_spent) return t;
    fallback = &t;
  }
  // Rows that do not depend on the budget have only the trial_spent=false variant.
  return *fallback;
}

const BootTransition* boot_table_begin() { return kTable; }
const BootTransition* boot_table_end() { return kTable + sizeof(kTable) / sizeof(kTable[0]); }

}  // namespace meshota::core
