#include "meshota/sim/node/emulated_flash.hpp"

#include <algorithm>

namespace meshota::sim {

EmulatedFlash::EmulatedFlash(PagePool& pool, const NodeSpec& spec, uint32_t slots)
    : EmulatedFlash(pool, spec, slots, spec.slot_size_bytes) {}

EmulatedFlash::EmulatedFlash(PagePool& pool, const NodeSpec& spec, uint32_t slots, uint32_t slot_bytes)
    : pool_(pool),
      slot_size_(slot_bytes),
      erase_us_(spec.flash_erase_ms * 1000.0),
      write_us_per_byte_(spec.flash_write_ms_per_kb * 1000.0 / 1024.0),
      slots_(slots, std::vector<PageRef>(slot_bytes / pool.page_size_bytes(), pool.erased())) {}

bool EmulatedFlash::erase_page(uint32_t slot, uint32_t page_index) {
  if (slot >= slots_.size() || page_index >= slots_[slot].size()) return false;
  const FlashPower::Op op = power_ == nullptr ? FlashPower::Op::kRun : power_->begin_op();
  if (op == FlashPower::Op::kOff) return false;
  if (op == FlashPower::Op::kCut && power_->effect() != CutEffect::kNone) {
    if (power_->effect() == CutEffect::kTorn) {  // half-erased: the first half reads 0xFF, the rest is kept
      Page half(*slots_[slot][page_index]);
      std::fill(half.begin(), half.begin() + static_cast<std::ptrdiff_t>(half.size() / 2), uint8_t{0xff});
      slots_[slot][page_index] = pool_.intern(half);
    }
    return false;
  }
  slots_[slot][page_index] = pool_.erased();
  busy_us_ += erase_us_;
  ++ops_;
  return true;
}

bool EmulatedFlash::write(uint32_t slot, uint32_t offset, std::span<const uint8_t> data) {
  if (slot >= slots_.size() || offset > slot_size_ || data.size() > slot_size_ - offset) return false;
  const FlashPower::Op op = power_ == nullptr ? FlashPower::Op::kRun : power_->begin_op();
  if (op == FlashPower::Op::kOff) return false;
  if (op == FlashPower::Op::kCut && power_->effect() != CutEffect::kNone) {
    if (power_->effect() == CutEffect::kTorn) program_bytes(slot, offset, data.first(data.size() / 2));
    return false;
  }
  program_bytes(slot, offset, data);
  busy_us_ += write_us_per_byte_ * static_cast<double>(data.size());
  ++ops_;
  return true;
}

void EmulatedFlash::program_bytes(uint32_t slot, uint32_t offset, std::span<const uint8_t> data) {
  const uint32_t page = pool_.page_size_bytes();
  size_t done = 0;
  Page scratch(page);
  while (done < data.size()) {  // bounded: one pass per page touched
    const uint32_t at = offset + static_cast<uint32_t>(done);
    const uint32_t index = at / page;
    const uint32_t in_page = at % page;
    const size_t n = std::min<size_t>(page - in_page, data.size() - done);
    PageRef& ref = slots_[slot][index];
    std::copy(ref->begin(), ref->end(), scratch.begin());
    for (size_t i = 0; i < n; ++i) scratch[in_page + i] &= data[done + i];  // NOR: clear bits only
    ref = pool_.intern(scratch);
    done += n;
  }
}

template <typename Visit>
bool EmulatedFlash::each_piece(uint32_t slot, uint32_t offset, size_t size, Visit visit) const {
  if (slot >= slots_.size() || offset > slot_size_ || size > slot_size_ - offset) return false;
  const uint32_t page = pool_.page_size_bytes();
  for (size_t done = 0; done < size;) {
    const uint32_t at = offset + static_cast<uint32_t>(done);
    const Page& p = *slots_[slot][at / page];
    const size_t n = std::min<size_t>(page - at % page, size - done);
    if (!visit(std::span<const uint8_t>(p.data() + at % page, n), done)) return false;
    done += n;
  }
  return true;
}

bool EmulatedFlash::read(uint32_t slot, uint32_t offset, std::span<uint8_t> out) const {
  return each_piece(slot, offset, out.size(), [&](std::span<const uint8_t> piece, size_t done) {
    std::copy(piece.begin(), piece.end(), out.begin() + static_cast<std::ptrdiff_t>(done));
    return true;
  });
}

bool EmulatedFlash::equals(uint32_t slot, uint32_t offset, std::span<const uint8_t> expected) const {
  // In place, without a copy: the holder's poison check runs for every duplicate it hears.
  return each_piece(slot, offset, expected.size(), [&](std::span<const uint8_t> piece, size_t done) {
    return std::equal(piece.begin(), piece.end(), expected.begin() + static_cast<std::ptrdiff_t>(done));
  });
}

void EmulatedFlash::program(uint32_t slot, std::span<const uint8_t> image) {
  const uint32_t page = pool_.page_size_bytes();
  Page scratch(page);
  for (size_t off = 0; off < image.size() && off / page < slots_[slot].size(); off += page) {
    std::fill(scratch.begin(), scratch.end(), uint8_t{0xff});
    std::copy_n(image.begin() + static_cast<std::ptrdiff_t>(off), std::min<size_t>(page, image.size() - off),
                scratch.begin());
    slots_[slot][off / page] = pool_.intern(scratch);
  }
}

int64_t EmulatedFlash::take_busy_us() {
  const auto us = static_cast<int64_t>(busy_us_);
  busy_us_ -= static_cast<double>(us);
  return us;
}

}  // namespace meshota::sim
