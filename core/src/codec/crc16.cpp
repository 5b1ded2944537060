#include "meshota/core/codec/crc16.hpp"

namespace meshota::core {
namespace {

// A nibble table: 32 bytes of flash instead of 512 for a byte table, at two
// lookups per byte; frames are at most 1.5 KB, so speed is not the constraint.
constexpr uint16_t kNibble[16] = {0x0000, 0x1021, 0x2042, 0x3063, 0x4084, 0x50a5, 0x60c6, 0x70e7,
                                  0x8108, 0x9129, 0xa14a, 0xb16b, 0xc18c, 0xd1ad, 0xe1ce, 0xf1ef};

}  // namespace

uint16_t crc16_ccitt(std::span<const uint8_t> data, uint16_t crc) {
  for (const uint8_t b : data) {
    crc = static_cast<uint16_t>((crc << 4) ^ kNibble[(crc >> 12) ^ (b >> 4)]);
    crc = static_cast<uint16_t>((crc << 4) ^ kNibble[(crc >> 12) ^ (b & 0x0f)]);
  }
  return crc;
}

}  // namespace meshota::core
