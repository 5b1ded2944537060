#pragma once
// Power to one node's flash, shared by all its flash areas (the app slots, the
// boot records, the state store), so a test can cut it at the node's k-th
// flash operation, as MCUboot's simulator and littlefs's power-loss runner do.

#include <cstdint>

namespace meshota::sim {

/// What happens to the operation during which power is cut.
enum class CutEffect : uint8_t {
  kNone,      ///< the operation completes; power goes right after
  kLost,      ///< the operation leaves no trace
  kTorn,      ///< a write lands half-way (its first half of bytes); an erase leaves the page half-erased
};

/// Counts a node's flash operations and cuts power at a chosen one.
class FlashPower {
 public:
  /// Power fails during operation number `k` (1-based, counted from now); 0 disarms.
  void cut_at(uint64_t k, CutEffect effect) {
    cut_at_ = k == 0 ? 0 : ops_ + k;
    effect_ = effect;
  }
  /// What an operation may do: run; run partly as effect() says (it is the one cut); or nothing.
  enum class Op : uint8_t { kRun, kCut, kOff };
  /// Called by each flash operation before it touches anything.
  Op begin_op() {
    if (off_) return Op::kOff;
    ++ops_;
    if (cut_at_ != 0 && ops_ == cut_at_) {
      off_ = true;
      return Op::kCut;
    }
    return Op::kRun;
  }
  CutEffect effect() const { return effect_; }
  /// True once power has been cut (every later operation fails) until power_on().
  bool off() const { return off_; }
  void power_on() {
    off_ = false;
    cut_at_ = 0;
  }
  uint64_t operations() const { return ops_; }

 private:
  uint64_t ops_ = 0;
  uint64_t cut_at_ = 0;
  CutEffect effect_ = CutEffect::kLost;
  bool off_ = false;
};

}  // namespace meshota::sim
