#pragma once
// CRC-32 (IEEE 802.3, reflected, as zlib's crc32): guards records in flash
// against torn writes. Bitwise, no table: records are small and rare.

#include <cstdint>
#include <span>

namespace meshota::core {

/// CRC-32 of `data`, continuing from `crc` (0 to start).
constexpr uint32_t crc32(std::span<const uint8_t> data, uint32_t crc = 0) {
  crc = ~crc;
  for (const uint8_t b : data) {
    crc ^= b;
    for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

}  // namespace meshota::core
