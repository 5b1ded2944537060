#include "meshota/core/boot/boot_record.hpp"

#include "meshota/core/codec/crc32.hpp"

namespace meshota::core {
namespace {

constexpr uint32_t kMagic = 0x42544f4d;  // "MOTB" little-endian

void put32(uint8_t* p, uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<uint8_t>(v >> (8 * i));
}
uint32_t get32(const uint8_t* p) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v |= uint32_t{p[i]} << (8 * i);
  return v;
}

// Layout: magic 0, seq 4, boot_slot 8, state[2] 9, trial_boots 11, last_revert 12, reverted_from 13,
// security_counter 14, slot_security[2] 18, slot_bytes[2] 26, slot_digest[2] 34..97, zero padding,
// CRC-32 over everything before it in the last 4 bytes.
constexpr size_t kCrcAt = BootRecord::kEncodedBytes - 4;

}  // namespace

uint8_t BootRecord::fallback(uint8_t slot) const {
  for (uint8_t s = 0; s < kMaxSlots; ++s)
    if (s != slot && state[s] == SlotState::kValid) return s;
  return kMaxSlots;
}

void encode_boot_record(const BootRecord& r, std::span<uint8_t, BootRecord::kEncodedBytes> out) {
  uint8_t* p = out.data();
  for (size_t i = 0; i < out.size(); ++i) p[i] = 0;
  put32(p, kMagic);
  put32(p + 4, r.seq);
  p[8] = r.boot_slot;
  p[9] = static_cast<uint8_t>(r.state[0]);
  p[10] = static_cast<uint8_t>(r.state[1]);
  p[11] = r.trial_boots;
  p[12] = static_cast<uint8_t>(r.last_revert);
  p[13] = r.reverted_from;
  put32(p + 14, r.security_counter);
  put32(p + 18, r.slot_security[0]);
  put32(p + 22, r.slot_security[1]);
  put32(p + 26, r.slot_bytes[0]);
  put32(p + 30, r.slot_bytes[1]);
  for (size_t s = 0; s < BootRecord::kMaxSlots; ++s)
    for (size_t i = 0; i < 32; ++i) p[34 + 32 * s + i] = r.slot_digest[s][i];
  put32(p + kCrcAt, crc32(std::span<const uint8_t>(p, kCrcAt)));
}

bool decode_boot_record(std::span<const uint8_t, BootRecord::kEncodedBytes> in, BootRecord& out) {
  const uint8_t* p = in.data();
  if (get32(p) != kMagic || get32(p + kCrcAt) != crc32(std::span<const uint8_t>(p, kCrcAt))) return false;
  if (p[8] >= BootRecord::kMaxSlots || p[9] >= kSlotStateCount || p[10] >= kSlotStateCount || p[12] > 4) return false;
  BootRecord r;
  r.seq = get32(p + 4);
  r.boot_slot = p[8];
  r.state[0] = static_cast<SlotState>(p[9]);
  r.state[1] = static_cast<SlotState>(p[10]);
  r.trial_boots = p[11];
  r.last_revert = static_cast<RevertReason>(p[12]);
  r.reverted_from = p[13];
  r.security_counter = get32(p + 14);
  r.slot_security[0] = get32(p + 18);
  r.slot_security[1] = get32(p + 22);
  r.slot_bytes[0] = get32(p + 26);
  r.slot_bytes[1] = get32(p + 30);
  for (size_t s = 0; s < BootRecord::kMaxSlots; ++s)
    for (size_t i = 0; i < 32; ++i) r.slot_digest[s][i] = p[34 + 32 * s + i];
  out = r;
  return true;
}

}  // namespace meshota::core
