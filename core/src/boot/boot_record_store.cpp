#include "meshota/core/boot/boot_record_store.hpp"

namespace meshota::core {

bool BootRecordStore::read_copy(uint32_t copy, BootRecord& out) const {
  uint8_t block[BootRecord::kEncodedBytes];
  if (!flash_.read(copy, 0, block)) return false;
  return decode_boot_record(std::span<const uint8_t, BootRecord::kEncodedBytes>(block), out);
}

bool BootRecordStore::load(BootRecord& out) {
  BootRecord a, b;
  const bool ok_a = read_copy(0, a);
  const bool ok_b = read_copy(1, b);
  newest_ = -1;
  if (!ok_a && !ok_b) return false;
  // Sequence numbers only grow; with 2^32 commits per device they never wrap in practice.
  newest_ = ok_a && (!ok_b || a.seq >= b.seq) ? 0 : 1;
  out = newest_ == 0 ? a : b;
  newest_seq_ = out.seq;
  return true;
}

bool BootRecordStore::commit(BootRecord& r) {
  const uint32_t target = newest_ == 0 ? 1 : 0;
  r.seq = newest_ < 0 ? 1 : newest_seq_ + 1;
  uint8_t block[BootRecord::kEncodedBytes];
  encode_boot_record(r, std::span<uint8_t, BootRecord::kEncodedBytes>(block));
  if (!flash_.erase_page(target, 0) || !flash_.write(target, 0, block)) return false;
  newest_ = static_cast<int>(target);
  newest_seq_ = r.seq;
  return true;
}

}  // namespace meshota::core
