#pragma once
// The small HAL services of a simulated node. They live in the SimNode, not
// in the core node, so they survive a reboot as flash and NVS do.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "meshota/core/boot/boot_manager.hpp"
#include "meshota/core/hal/boot_control.hpp"
#include "meshota/core/hal/rng.hpp"
#include "meshota/core/hal/state_store.hpp"
#include "meshota/sim/engine/rng_stream.hpp"
#include "meshota/sim/node/flash_power.hpp"

namespace meshota::sim {

/// Which slot runs and which boots next. painlessMesh's nodes switch plainly at reboot(), as
/// Update.end() does; meshota's nodes keep a boot record in their otadata flash and boot through
/// core::BootManager (trial boots, confirm, revert).
class SimBootControl final : public core::BootControl {
 public:
  /// From now on the boot record in `otadata` decides (meshota scenarios).
  void use_boot_manager(core::FirmwareStore& otadata, const core::BootConfig& config) {
    manager_.emplace(otadata, config);
  }
  const core::BootManager* manager() const { return manager_ ? &*manager_ : nullptr; }

  uint32_t running_slot() const override { return manager_ ? manager_->running_slot() : running_; }
  bool set_boot_slot(uint32_t slot) override {
    if (manager_) return manager_->set_boot_slot(slot);
    next_ = slot;
    return true;
  }
  core::StageResult stage(uint32_t slot, uint32_t bytes, std::span<const uint8_t, 32> digest,
                          uint32_t security_counter) override {
    return manager_ ? manager_->stage(slot, bytes, digest, security_counter)
                    : core::BootControl::stage(slot, bytes, digest, security_counter);
  }
  bool on_trial() const override { return manager_ && manager_->on_trial(); }
  bool confirm() override { return manager_ && manager_->confirm(); }
  bool fail_health() override { return manager_ && manager_->fail_health(); }
  bool roll_back() override { return manager_ && manager_->roll_back(); }
  uint32_t security_counter() const override { return manager_ ? manager_->security_counter() : 0; }

  /// Called by the simulator when the node restarts: the bootloader picks the slot.
  core::BootDecision reboot(core::SlotVerifier& verify) {
    if (manager_) return manager_->boot(verify);
    running_ = next_;
    core::BootDecision d;
    d.slot = static_cast<uint8_t>(running_);
    return d;
  }

 private:
  std::optional<core::BootManager> manager_;
  uint32_t running_ = 0;
  uint32_t next_ = 0;
};

/// Named records kept across reboots (SPIFFS / NVS).
class SimStateStore final : public core::StateStore {
 public:
  int32_t read(std::string_view key, std::span<uint8_t> out) const override {
    const auto it = records_.find(std::string(key));
    if (it == records_.end() || it->second.size() > out.size()) return -1;
    std::copy(it->second.begin(), it->second.end(), out.begin());
    return static_cast<int32_t>(it->second.size());
  }
  /// NVS writes are journaled: a write cut by a power loss leaves the old record, never half of one.
  bool write(std::string_view key, std::span<const uint8_t> data) override {
    if (power_ != nullptr) {
      const FlashPower::Op op = power_->begin_op();
      if (op == FlashPower::Op::kOff || (op == FlashPower::Op::kCut && power_->effect() != CutEffect::kNone))
        return false;
    }
    records_[std::string(key)].assign(data.begin(), data.end());
    return true;
  }
  void attach_power(FlashPower& power) { power_ = &power; }

 private:
  std::map<std::string, std::vector<uint8_t>> records_;
  FlashPower* power_ = nullptr;
};

/// The core's Rng on a per-node simulator stream.
class SimRng final : public core::Rng {
 public:
  explicit SimRng(uint64_t seed) : stream_(seed) {}
  uint32_t next_u32() override { return stream_.next_u32(); }

 private:
  RngStream stream_;
};

}  // namespace meshota::sim
