#pragma once
// LEB128 varints and zigzag signed integers on top of ByteWriter/ByteReader,
// for telemetry bodies where most values are small. The reader takes only
// canonical encodings (no redundant 0x80 groups, at most 64 bits) and checks
// each value against the caller's bound, so one value has one encoding and a
// decoder never stores a number its field cannot hold.

#include <cstddef>
#include <cstdint>
#include <span>

#include "meshota/core/codec/byte_reader.hpp"
#include "meshota/core/codec/byte_writer.hpp"

namespace meshota::core {

constexpr uint64_t zigzag_encode(int64_t v) {
  return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
}
constexpr int64_t zigzag_decode(uint64_t v) {
  return static_cast<int64_t>(v >> 1) ^ -static_cast<int64_t>(v & 1);
}

/// Bytes the LEB128 encoding of `v` takes (1-10).
constexpr size_t varint_size(uint64_t v) {
  size_t n = 1;
  for (int i = 0; i < 9 && v >= 0x80; ++i, ++n) v >>= 7;
  return n;
}

/// ByteWriter plus LEB128 varints; errors stay sticky as in ByteWriter.
class VarWriter {
 public:
  explicit VarWriter(std::span<uint8_t> out) : w_(out) {}

  void u8(uint8_t v) { w_.u8(v); }
  void u32(uint32_t v) { w_.u32(v); }
  void bytes(std::span<const uint8_t> b) { w_.bytes(b); }
  void varint(uint64_t v) {
    for (int i = 0; i < 10; ++i) {
      const auto low = static_cast<uint8_t>(v & 0x7f);
      v >>= 7;
      if (v == 0) {
        w_.u8(low);
        return;
      }
      w_.u8(static_cast<uint8_t>(low | 0x80));
    }
  }
  void svarint(int64_t v) { varint(zigzag_encode(v)); }

  bool ok() const { return w_.ok(); }
  size_t size() const { return w_.size(); }
  std::span<const uint8_t> written() const { return w_.written(); }

 private:
  ByteWriter w_;
};

/// ByteReader plus canonical LEB128 varints with bounds; any error is sticky.
class VarReader {
 public:
  explicit VarReader(std::span<const uint8_t> in) : r_(in) {}

  uint8_t u8() { return r_.u8(); }
  uint32_t u32() { return r_.u32(); }
  std::span<const uint8_t> bytes(size_t n) { return r_.bytes(n); }
  /// A varint no larger than `max` (0 and an error otherwise).
  uint64_t varint(uint64_t max = UINT64_MAX) {
    uint64_t v = 0;
    for (int i = 0; i < 10; ++i) {
      const uint8_t b = r_.u8();
      if (!r_.ok()) return 0;
      const uint64_t group = b & 0x7f;
      if (i == 9 && group > 1) return fail();  // more than 64 bits
      v |= group << (7 * i);
      if ((b & 0x80) == 0) {
        if (i > 0 && group == 0) return fail();  // redundant trailing group
        return v <= max ? v : fail();
      }
    }
    return fail();
  }
  int64_t svarint() { return zigzag_decode(varint()); }
  /// Marks the input invalid (a value out of range); returns 0 for convenience.
  uint64_t fail() {
    bad_ = true;
    return 0;
  }

  bool ok() const { return r_.ok() && !bad_; }
  /// The input ended before a field did.
  bool truncated() const { return !r_.ok(); }
  size_t remaining() const { return ok() ? r_.remaining() : 0; }

 private:
  ByteReader r_;
  bool bad_ = false;
};

}  // namespace meshota::core
