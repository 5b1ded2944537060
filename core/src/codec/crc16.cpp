#include "meshota/core/codec/crc16.hpp"

#include <array>

namespace meshota::core {
namespace {

constexpr uint16_t kPoly = 0x1021;

#if defined(__OPTIMIZE_SIZE__)
// A size-optimised build (the ESP targets): a nibble table, 32 bytes of flash
// instead of 8 KB, at two lookups per byte; a node checks a few frames a
// second of at most 1.5 KB, so speed is not the constraint there.
constexpr uint16_t kNibble[16] = {0x0000, 0x1021, 0x2042, 0x3063, 0x4084, 0x50a5, 0x60c6, 0x70e7,
                                  0x8108, 0x9129, 0xa14a, 0xb16b, 0xc18c, 0xd1ad, 0xe1ce, 0xf1ef};

uint16_t update(uint16_t crc, std::span<const uint8_t> data) {
  for (const uint8_t b : data) {
    crc = static_cast<uint16_t>((crc << 4) ^ kNibble[(crc >> 12) ^ (b >> 4)]);
    crc = static_cast<uint16_t>((crc << 4) ^ kNibble[(crc >> 12) ^ (b & 0x0f)]);
  }
  return crc;
}
#else
// Elsewhere (the simulator checks every frame once per receiver, tens of
// millions of times a run): slicing by 16, sixteen bytes per step through
// sixteen 256-entry tables (8 KB). kSlice[k][b] is the CRC of byte b followed
// by k zero bytes.
constexpr size_t kSliceBytes = 16;
using SliceTables = std::array<std::array<uint16_t, 256>, kSliceBytes>;

constexpr SliceTables make_slices() {
  SliceTables t{};
  for (uint32_t b = 0; b < 256; ++b) {
    uint32_t crc = b << 8;
    for (int bit = 0; bit < 8; ++bit) crc = (crc & 0x8000) != 0 ? (crc << 1) ^ kPoly : crc << 1;
    t[0][b] = static_cast<uint16_t>(crc);
  }
  for (size_t k = 1; k < t.size(); ++k)
    for (uint32_t b = 0; b < 256; ++b)
      t[k][b] = static_cast<uint16_t>((t[k - 1][b] << 8) ^ t[0][t[k - 1][b] >> 8]);
  return t;
}

constexpr SliceTables kSlice = make_slices();

uint16_t update(uint16_t crc, std::span<const uint8_t> data) {
  const uint8_t* p = data.data();
  size_t n = data.size();
  for (; n >= kSliceBytes; n -= kSliceBytes, p += kSliceBytes) {
    // The CRC so far folds into the first two bytes; each byte then goes through
    // the table for the distance from it to the end of the step.
    uint16_t next = kSlice[kSliceBytes - 1][static_cast<uint8_t>((crc >> 8) ^ p[0])] ^
                    kSlice[kSliceBytes - 2][static_cast<uint8_t>((crc & 0xff) ^ p[1])];
    for (size_t k = 2; k < kSliceBytes; ++k) next ^= kSlice[kSliceBytes - 1 - k][p[k]];
    crc = next;
  }
  for (; n > 0; --n, ++p) crc = static_cast<uint16_t>((crc << 8) ^ kSlice[0][(crc >> 8) ^ *p]);
  return crc;
}
#endif

}  // namespace

uint16_t crc16_ccitt(std::span<const uint8_t> data, uint16_t crc) { return update(crc, data); }

}  // namespace meshota::core
