#pragma once
// The small HAL services of a simulated node. They live in the SimNode, not
// in the core node, so they survive a reboot as flash and NVS do.

#include <map>
#include <string>
#include <vector>

#include "meshota/core/hal/boot_control.hpp"
#include "meshota/core/hal/rng.hpp"
#include "meshota/core/hal/state_store.hpp"
#include "meshota/sim/engine/rng_stream.hpp"
#include "meshota/sim/node/flash_power.hpp"

namespace meshota::sim {

/// Which slot runs and which boots next; reboot() makes the switch.
class SimBootControl final : public core::BootControl {
 public:
  uint32_t running_slot() const override { return running_; }
  bool set_boot_slot(uint32_t slot) override {
    next_ = slot;
    return true;
  }
  /// Called by the simulator when the node restarts.
  void reboot() { running_ = next_; }

 private:
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
