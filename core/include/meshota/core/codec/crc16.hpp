#pragma once
// CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no reflection, no final xor;
// check value 0x29B1 for "123456789"). It guards meshota's binary frames
// against corruption and truncation; authenticity comes from SHA-256, not from
// here. docs/wire-format.md says why 16 bits are enough.

#include <cstdint>
#include <span>

namespace meshota::core {

inline constexpr uint16_t kCrc16Init = 0xFFFF;

/// CRC-16/CCITT-FALSE of `data`, continuing from `crc` (pass the previous result to chain).
uint16_t crc16_ccitt(std::span<const uint8_t> data, uint16_t crc = kCrc16Init);

}  // namespace meshota::core
