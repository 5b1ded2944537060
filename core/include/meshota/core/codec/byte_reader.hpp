#pragma once
// Little-endian binary reader over untrusted bytes. Every read is
// bounds-checked; errors are sticky (a failed read yields 0 or an empty span
// and ok() stays false), so a decoder checks once at the end and can never
// read outside its input.

#include <cstddef>
#include <cstdint>
#include <span>

namespace meshota::core {

/// Takes little-endian integers and byte strings off a buffer; ok() turns false on overrun.
class ByteReader {
 public:
  constexpr explicit ByteReader(std::span<const uint8_t> in) : in_(in) {}

  constexpr uint8_t u8() { return static_cast<uint8_t>(get(1)); }
  constexpr uint16_t u16() { return static_cast<uint16_t>(get(2)); }
  constexpr uint32_t u32() { return static_cast<uint32_t>(get(4)); }
  constexpr uint64_t u64() { return get(8); }
  /// The next `n` bytes as a view into the input (no copy).
  constexpr std::span<const uint8_t> bytes(size_t n) {
    if (!room(n)) return {};
    const auto b = in_.subspan(used_, n);
    used_ += n;
    return b;
  }
  /// Everything not read yet, as a view; the reader is then at the end.
  constexpr std::span<const uint8_t> rest() { return bytes(remaining()); }

  constexpr bool ok() const { return ok_; }
  constexpr size_t remaining() const { return ok_ ? in_.size() - used_ : 0; }
  constexpr size_t position() const { return used_; }

 private:
  constexpr bool room(size_t n) {
    if (!ok_ || n > in_.size() - used_) ok_ = false;
    return ok_;
  }
  constexpr uint64_t get(size_t n) {
    if (!room(n)) return 0;
    uint64_t v = 0;
    for (size_t i = 0; i < n; ++i) v |= uint64_t{in_[used_ + i]} << (8 * i);
    used_ += n;
    return v;
  }

  std::span<const uint8_t> in_;
  size_t used_ = 0;
  bool ok_ = true;
};

}  // namespace meshota::core
