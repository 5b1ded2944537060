// The rollback state machine: every (state, event) row, the boot sequences of
// an update (confirmed, crashed on trial, failed its check, corrupt, downgraded),
// and a power cut at every flash operation of the boot-record commits, torn
// writes included.

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstring>
#include <set>

#include "meshota/core/boot/boot_manager.hpp"

using namespace meshota::core;

namespace {

/// Two 4 KB sectors of NOR flash that can lose power at its k-th operation: an erase
/// cut leaves the sector erased or not (chosen by `erase_completes`), a write cut leaves
/// only the first half of its bytes written (a torn write). After the cut every
/// operation fails, until power_on().
class CutFlash final : public FirmwareStore {
 public:
  uint32_t slot_count() const override { return 2; }
  uint32_t slot_size_bytes() const override { return kSector; }
  uint32_t page_size_bytes() const override { return kSector; }
  bool erase_page(uint32_t slot, uint32_t page) override {
    if (!tick() || slot > 1 || page > 0) {
      if (cut_now_ && erase_completes) std::fill(bytes_[slot].begin(), bytes_[slot].end(), 0xff);
      return false;
    }
    std::fill(bytes_[slot].begin(), bytes_[slot].end(), 0xff);
    return true;
  }
  bool write(uint32_t slot, uint32_t offset, std::span<const uint8_t> data) override {
    const bool ok = tick();
    const size_t n = ok ? data.size() : (cut_now_ ? data.size() / 2 : 0);
    if (slot > 1 || offset + data.size() > kSector) return false;
    for (size_t i = 0; i < n; ++i) bytes_[slot][offset + i] &= data[i];
    return ok;
  }
  bool read(uint32_t slot, uint32_t offset, std::span<uint8_t> out) const override {
    if (slot > 1 || offset + out.size() > kSector) return false;
    std::copy_n(bytes_[slot].begin() + offset, out.size(), out.begin());
    return true;
  }
  /// Power fails at the k-th operation from now (1-based); 0: never.
  void cut_at(uint32_t k) {
    cut_at_ = k;
    ops_since_ = 0;
  }
  void power_on() {
    off_ = false;
    cut_at_ = 0;
  }
  uint32_t ops = 0;
  bool erase_completes = false;

 private:
  static constexpr uint32_t kSector = 4096;
  bool tick() {
    cut_now_ = false;
    if (off_) return false;
    ++ops;
    if (cut_at_ != 0 && ++ops_since_ == cut_at_) {
      off_ = true;
      cut_now_ = true;
      return false;
    }
    return true;
  }
  std::vector<uint8_t> bytes_[2] = {std::vector<uint8_t>(kSector, 0xff), std::vector<uint8_t>(kSector, 0xff)};
  uint32_t cut_at_ = 0, ops_since_ = 0;
  bool off_ = false, cut_now_ = false;
};

/// Slot contents as the test decides: a slot is intact unless marked corrupt.
struct Slots final : SlotVerifier {
  bool intact(uint8_t slot, uint32_t, const uint8_t (&)[32]) override { return !corrupt[slot]; }
  bool corrupt[2] = {false, false};
};

constexpr uint8_t kDigest[32] = {1, 2, 3};

}  // namespace

TEST_CASE("boot table: every state and event has exactly the rows it needs") {
  for (uint8_t s = 0; s < kSlotStateCount; ++s)
    for (uint8_t e = 0; e < kBootEventCount; ++e) {
      INFO("state " << int(s) << " event " << int(e));
      size_t rows = 0;
      for (const BootTransition* t = boot_table_begin(); t != boot_table_end(); ++t)
        rows += t->from == SlotState(s) && t->event == BootEvent(e) ? 1 : 0;
      // Only a trial boot of a pending image depends on the trial budget.
      const bool budgeted = SlotState(s) == SlotState::kPendingVerify && BootEvent(e) == BootEvent::kBootIntact;
      CHECK(rows == (budgeted ? 2u : 1u));
      const BootTransition& t = boot_transition(SlotState(s), BootEvent(e), false);
      CHECK(t.from == SlotState(s));
      CHECK(t.event == BootEvent(e));
      // No row both refuses and acts, and only bootloader events start a slot.
      if (t.actions & kActRefused) CHECK(t.actions == kActRefused);
      if (t.actions & kActRun) CHECK((BootEvent(e) == BootEvent::kBootIntact || BootEvent(e) == BootEvent::kBootCorrupt));
      // Nothing the application says makes a slot start: it can only stage, confirm or fail.
      if (BootEvent(e) == BootEvent::kBootCorrupt) CHECK((t.actions & kActRevert));
    }
  CHECK(boot_transition(SlotState::kPendingVerify, BootEvent::kBootIntact, true).to == SlotState::kAborted);
  CHECK(boot_transition(SlotState::kPendingVerify, BootEvent::kBootIntact, false).to == SlotState::kPendingVerify);
}

TEST_CASE("boot: a staged image boots on trial, is confirmed, and keeps booting") {
  CutFlash flash;
  Slots slots;
  BootManager m(flash, {});
  BootDecision d = m.boot(slots);  // fresh device: the factory image in slot 0
  REQUIRE(d.bootable);
  CHECK(d.slot == 0);
  CHECK_FALSE(d.trial);
  REQUIRE(m.stage(1, 1000, kDigest, 1) == StageResult::kOk);
  d = m.boot(slots);
  CHECK(d.slot == 1);
  CHECK(d.trial);
  CHECK(m.running_state() == SlotState::kPendingVerify);
  CHECK(m.confirm());
  CHECK(m.record().security_counter == 1);
  d = m.boot(slots);
  CHECK(d.slot == 1);
  CHECK_FALSE(d.trial);
  CHECK(m.stage(1, 1000, kDigest, 1) == StageResult::kBadSlot);  // the running slot
}

TEST_CASE("boot: a reset during the trial reverts to the previous image, saying why") {
  CutFlash flash;
  Slots slots;
  BootManager m(flash, {});
  m.boot(slots);
  REQUIRE(m.stage(1, 1000, kDigest, 0) == StageResult::kOk);
  REQUIRE(m.boot(slots).trial);
  // The trial image crashes before its health check: the next reset reverts.
  const BootDecision d = m.boot(slots);
  CHECK(d.slot == 0);
  CHECK(d.reverted);
  CHECK(d.reason == RevertReason::kTrialNotConfirmed);
  CHECK(m.record().state[1] == SlotState::kAborted);
  CHECK(m.boot(slots).slot == 0);  // and stays reverted
}

TEST_CASE("boot: a trial budget of 3 allows two crashes before reverting") {
  CutFlash flash;
  Slots slots;
  BootManager m(flash, {3});
  m.boot(slots);
  m.stage(1, 1000, kDigest, 0);
  CHECK(m.boot(slots).slot == 1);
  CHECK(m.boot(slots).slot == 1);
  CHECK(m.boot(slots).slot == 1);
  CHECK(m.record().trial_boots == 3);
  const BootDecision d = m.boot(slots);
  CHECK(d.slot == 0);
  CHECK(d.reason == RevertReason::kTrialNotConfirmed);
}

TEST_CASE("boot: a failed health check reverts at once; a confirmed image cannot be failed") {
  CutFlash flash;
  Slots slots;
  BootManager m(flash, {});
  m.boot(slots);
  m.stage(1, 1000, kDigest, 0);
  m.boot(slots);
  CHECK(m.fail_health());
  const BootDecision d = m.boot(slots);
  CHECK(d.slot == 0);
  CHECK(m.record().state[1] == SlotState::kInvalid);
  CHECK(m.record().last_revert == RevertReason::kHealthCheckFailed);
  CHECK_FALSE(m.fail_health());  // slot 0 is valid: refused
  CHECK(m.running_state() == SlotState::kValid);
}

TEST_CASE("boot: a corrupt new image never runs; anti-rollback refuses an older security counter") {
  CutFlash flash;
  Slots slots;
  BootManager m(flash, {});
  m.boot(slots);
  m.stage(1, 1000, kDigest, 7);
  slots.corrupt[1] = true;
  const BootDecision d = m.boot(slots);
  CHECK(d.slot == 0);
  CHECK(d.reason == RevertReason::kImageCheckFailed);
  CHECK(m.record().state[1] == SlotState::kInvalid);
  slots.corrupt[1] = false;
  m.stage(1, 1000, kDigest, 7);
  m.boot(slots);
  REQUIRE(m.confirm());
  CHECK(m.record().security_counter == 7);
  // Now slot 0 may be refilled only with a counter >= 7.
  CHECK(m.stage(0, 1000, kDigest, 6) == StageResult::kRollback);
  CHECK(m.stage(0, 1000, kDigest, 7) == StageResult::kOk);
}

TEST_CASE("boot: a power cut at any record operation leaves a bootable device") {
  // The sequence: boot, stage, trial boot, confirm, boot; every commit is one erase and
  // one write. Cut at each operation (erase left done or not), power on, boot again.
  auto sequence = [](BootManager& m, Slots& s) {
    m.boot(s);
    m.stage(1, 1000, kDigest, 2);
    m.boot(s);
    m.confirm();
    m.boot(s);
  };
  CutFlash probe;
  Slots slots;
  {
    BootManager m(probe, {});
    sequence(m, slots);
  }
  const uint32_t total = probe.ops;
  REQUIRE(total >= 4);
  uint32_t tried = 0;
  for (uint32_t k = 1; k <= total; ++k)
    for (const bool erase_done : {false, true}) {
      CAPTURE(k, erase_done);
      CutFlash flash;
      flash.erase_completes = erase_done;
      flash.cut_at(k);
      {
        BootManager m(flash, {});
        sequence(m, slots);
      }
      flash.power_on();
      BootManager after(flash, {});
      const BootDecision d = after.boot(slots);
      CHECK(d.bootable);
      const SlotState st = after.record().state[d.slot];
      CHECK((st == SlotState::kValid || st == SlotState::kPendingVerify));
      // Whatever state it lost power in, a confirm then boots the new image for good, or the old one runs.
      if (d.trial) CHECK(after.confirm());
      CHECK(after.boot(slots).bootable);
      ++tried;
    }
  UNSCOPED_INFO("power-cut points tried on the record commits: " << tried);
  CHECK(tried == 2 * total);
}

TEST_CASE("boot: an image this device reverted from is never staged again; another image is") {
  CutFlash flash;
  Slots slots;
  BootManager m(flash, {});
  m.boot(slots);
  REQUIRE(m.stage(1, 1000, kDigest, 0) == StageResult::kOk);
  REQUIRE(m.boot(slots).trial);
  CHECK(m.boot(slots).reverted);  // crashed on trial: aborted
  CHECK(m.stage(1, 1000, kDigest, 0) == StageResult::kRejected);
  constexpr uint8_t kOther[32] = {9, 9, 9};
  CHECK(m.stage(1, 1000, kOther, 0) == StageResult::kOk);
  REQUIRE(m.boot(slots).trial);
  CHECK(m.fail_health());
  m.boot(slots);
  CHECK(m.stage(1, 1000, kOther, 0) == StageResult::kRejected);  // failed its health check: invalid
}
