#pragma once
// NOR flash for one simulated node: erase sets a page to 0xFF, a write can
// only clear bits, and every operation costs time on the node's CPU. Pages
// are shared through a PagePool, copied only while a node is writing one.

#include <algorithm>
#include <cstdint>
#include <vector>

#include "meshota/core/hal/firmware_store.hpp"
#include "meshota/sim/node/flash_power.hpp"
#include "meshota/sim/node/page_pool.hpp"
#include "meshota/sim/scenario/scenario.hpp"

namespace meshota::sim {

/// One node's firmware slots, with the time its flash operations cost.
class EmulatedFlash final : public core::FirmwareStore {
 public:
  EmulatedFlash(PagePool& pool, const NodeSpec& spec, uint32_t slots = 2);
  /// A flash area of `slots` slots of `slot_bytes` each (e.g. the two boot-record sectors).
  EmulatedFlash(PagePool& pool, const NodeSpec& spec, uint32_t slots, uint32_t slot_bytes);

  /// Shares `power` with the node's other flash areas: operations then count, and can be cut.
  void attach_power(FlashPower& power) { power_ = &power; }

  uint32_t slot_count() const override { return static_cast<uint32_t>(slots_.size()); }
  uint32_t slot_size_bytes() const override { return slot_size_; }
  uint32_t page_size_bytes() const override { return pool_.page_size_bytes(); }
  bool erase_page(uint32_t slot, uint32_t page_index) override;
  bool write(uint32_t slot, uint32_t offset_bytes, std::span<const uint8_t> data) override;
  bool read(uint32_t slot, uint32_t offset_bytes, std::span<uint8_t> out) const override;
  /// Compares against the shared pages in place, without a copy.
  bool equals(uint32_t slot, uint32_t offset_bytes, std::span<const uint8_t> expected) const override;

  /// Puts an image in a slot directly (factory programming), free of cost.
  void program(uint32_t slot, std::span<const uint8_t> image);
  /// The shared pages holding the first `bytes` of a slot: equal lists mean
  /// equal contents, because identical pages are interned once.
  std::vector<PageRef> pages(uint32_t slot, uint32_t bytes) const {
    const uint32_t page = pool_.page_size_bytes();
    const size_t n = std::min<size_t>((size_t{bytes} + page - 1) / page, slots_[slot].size());
    return std::vector<PageRef>(slots_[slot].begin(), slots_[slot].begin() + static_cast<std::ptrdiff_t>(n));
  }
  /// Busy time the operations since the last call cost, in microseconds.
  int64_t take_busy_us();
  uint64_t operations() const { return ops_; }

 private:
  PagePool& pool_;
  uint32_t slot_size_;
  double erase_us_;
  double write_us_per_byte_;
  /// Writes `n` bytes of `data` at `offset`, NOR-style (clears bits), without costing time.
  void program_bytes(uint32_t slot, uint32_t offset, std::span<const uint8_t> data);
  /// Calls visit(page bytes, done) for each page piece of [offset, offset + size) of `slot`, in
  /// order, until it returns false; false when out of range or stopped.
  template <typename Visit>
  bool each_piece(uint32_t slot, uint32_t offset, size_t size, Visit visit) const;

  std::vector<std::vector<PageRef>> slots_;
  FlashPower* power_ = nullptr;
  double busy_us_ = 0.0;
  uint64_t ops_ = 0;
};

}  // namespace meshota::sim
