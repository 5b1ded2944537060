#pragma once
// The chunks of one page unit as 64 bits: bit i is chunk i. Requests, NACKs
// and the assembler's progress all use it, so a page has at most 64 chunks
// (the manifest validation enforces it).

#include <bit>
#include <cstdint>

namespace meshota::core {

/// Set of chunk indices 0..63 of one page unit, as a u64 (bit i = chunk i).
class ChunkBitmap {
 public:
  static constexpr uint32_t kMaxChunks = 64;

  constexpr ChunkBitmap() = default;
  constexpr explicit ChunkBitmap(uint64_t bits) : bits_(bits) {}

  /// Chunks 0..n-1 (n clamped to 64).
  static constexpr ChunkBitmap full(uint32_t n) {
    return ChunkBitmap(n >= kMaxChunks ? ~uint64_t{0} : (uint64_t{1} << n) - 1);
  }

  constexpr uint64_t bits() const { return bits_; }
  /// Adds chunk i; false (and no change) when i >= 64.
  constexpr bool set(uint32_t i) {
    if (i >= kMaxChunks) return false;
    bits_ |= uint64_t{1} << i;
    return true;
  }
  constexpr void reset(uint32_t i) {
    if (i < kMaxChunks) bits_ &= ~(uint64_t{1} << i);
  }
  constexpr bool test(uint32_t i) const { return i < kMaxChunks && ((bits_ >> i) & 1u) != 0; }
  constexpr uint32_t count() const { return static_cast<uint32_t>(std::popcount(bits_)); }
  constexpr bool empty() const { return bits_ == 0; }

  /// The chunks of 0..total-1 not in this set.
  constexpr ChunkBitmap missing(uint32_t total) const { return ChunkBitmap(full(total).bits_ & ~bits_); }
  /// Lowest chunk of 0..total-1 not in the set, or `total` when none is missing.
  constexpr uint32_t first_missing(uint32_t total) const { return missing(total).next(0, total); }
  constexpr bool complete(uint32_t total) const { return missing(total).empty(); }
  /// Lowest member >= from, or `total` (clamped to 64) when there is none: iterates in O(1) per member.
  constexpr uint32_t next(uint32_t from, uint32_t total = kMaxChunks) const {
    const uint32_t end = total < kMaxChunks ? total : kMaxChunks;
    if (from >= end) return end;
    const uint64_t rest = bits_ & (~uint64_t{0} << from);
    if (rest == 0) return end;
    const auto i = static_cast<uint32_t>(std::countr_zero(rest));
    return i < end ? i : end;
  }

  /// Highest member, or 0 when the set is empty.
  constexpr uint32_t highest() const {
    return bits_ == 0 ? 0 : static_cast<uint32_t>(kMaxChunks - 1 - std::countl_zero(bits_));
  }

  /// Union: e.g. the NACKs of several receivers served by one broadcast.
  constexpr ChunkBitmap operator|(ChunkBitmap o) const { return ChunkBitmap(bits_ | o.bits_); }
  /// Intersection: e.g. chunks every receiver still misses.
  constexpr ChunkBitmap operator&(ChunkBitmap o) const { return ChunkBitmap(bits_ & o.bits_); }
  constexpr ChunkBitmap& operator|=(ChunkBitmap o) { return *this = *this | o; }
  constexpr ChunkBitmap& operator&=(ChunkBitmap o) { return *this = *this & o; }
  constexpr bool operator==(const ChunkBitmap&) const = default;

 private:
  uint64_t bits_ = 0;
};

}  // namespace meshota::core
