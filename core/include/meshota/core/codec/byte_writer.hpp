#pragma once
// Little-endian binary writer over a caller's buffer, for meshota's binary
// formats (manifest, wire messages). Errors are sticky: once a write does not
// fit, ok() stays false and nothing more is written, so an encoder checks once.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>

namespace meshota::core {

/// Appends little-endian integers and byte strings to a fixed buffer; ok() turns false on overflow.
class ByteWriter {
 public:
  constexpr explicit ByteWriter(std::span<uint8_t> out) : out_(out) {}

  constexpr void u8(uint8_t v) { put(v, 1); }
  constexpr void u16(uint16_t v) { put(v, 2); }
  constexpr void u32(uint32_t v) { put(v, 4); }
  constexpr void u64(uint64_t v) { put(v, 8); }
  void bytes(std::span<const uint8_t> b) {
    if (!room(b.size())) return;
    if (!b.empty()) std::memcpy(out_.data() + used_, b.data(), b.size());
    used_ += b.size();
  }
  /// `n` zero bytes (padding of fixed-width fields).
  constexpr void zeros(size_t n) {
    if (!room(n)) return;
    for (size_t i = 0; i < n; ++i) out_[used_ + i] = 0;
    used_ += n;
  }
  /// Overwrites a u16 already written at `offset` (a length or CRC known only at the end).
  constexpr void patch_u16(size_t offset, uint16_t v) {
    if (!ok_ || offset + 2 > used_) {
      ok_ = false;
      return;
    }
    out_[offset] = static_cast<uint8_t>(v);
    out_[offset + 1] = static_cast<uint8_t>(v >> 8);
  }

  constexpr bool ok() const { return ok_; }
  /// Bytes written; 0 once anything failed, so a failed encode reports "did not fit".
  constexpr size_t size() const { return ok_ ? used_ : 0; }
  constexpr std::span<const uint8_t> written() const { return out_.first(ok_ ? used_ : 0); }

 private:
  constexpr bool room(size_t n) {
    if (!ok_ || n > out_.size() - used_) ok_ = false;
    return ok_;
  }
  constexpr void put(uint64_t v, size_t n) {
    if (!room(n)) return;
    for (size_t i = 0; i < n; ++i) out_[used_ + i] = static_cast<uint8_t>(v >> (8 * i));
    used_ += n;
  }

  std::span<uint8_t> out_;
  size_t used_ = 0;
  bool ok_ = true;
};

}  // namespace meshota::core
