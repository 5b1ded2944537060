#include "meshota/core/codec/crc16.hpp"

#include <array>

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__OPTIMIZE_SIZE__)
#include <immintrin.h>
#define MESHOTA_CRC16_CLMUL 1
#endif

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

uint16_t update_sliced(uint16_t crc, std::span<const uint8_t> data) {
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

#if defined(MESHOTA_CRC16_CLMUL)
// On x86-64 hosts with PCLMULQDQ (the simulator checks every 1.4 KB frame once per
// receiver): folding by carry-less multiplication (Gopal et al., "Fast CRC Computation for
// Generic Polynomials Using PCLMULQDQ", Intel 2009). A 128-bit state X stays congruent
// modulo P to the message so far: X = H x^64 + L, and the block D that lies d bits further
// gives X' = H (x^(d+64) mod P) + L (x^d mod P) + D. Four states fold 64 bytes per step
// (d = 512), then fold into one, which takes the rest 16 bytes at a time (d = 128). The CRC
// of the state's 16 bytes, then of the tail, is the message's CRC; the initial value enters
// as a XOR into its first two bytes.
constexpr uint64_t kX576ModP = 0x8832, kX512ModP = 0x13fc;
constexpr uint64_t kX192ModP = 0x650b, kX128ModP = 0xaefc;
constexpr size_t kFoldMinBytes = 64;  // below this the tables are as quick

// 16 bytes of the message as a polynomial: the first byte holds the highest coefficients.
__attribute__((target("pclmul,ssse3"))) __m128i block(const uint8_t* at) {
  const __m128i reverse = _mm_set_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
  return _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(at)), reverse);
}

__attribute__((target("pclmul,ssse3"))) __m128i fold(__m128i x, __m128i k, __m128i d) {
  return _mm_xor_si128(_mm_xor_si128(_mm_clmulepi64_si128(x, k, 0x11), _mm_clmulepi64_si128(x, k, 0x00)), d);
}

__attribute__((target("pclmul,ssse3"))) uint16_t update_folded(uint16_t crc, std::span<const uint8_t> data) {
  const __m128i k512 = _mm_set_epi64x(static_cast<long long>(kX576ModP), static_cast<long long>(kX512ModP));
  const __m128i k128 = _mm_set_epi64x(static_cast<long long>(kX192ModP), static_cast<long long>(kX128ModP));
  const uint8_t* p = data.data();
  size_t n = data.size();
  __m128i x[4] = {block(p), block(p + 16), block(p + 32), block(p + 48)};
  x[0] = _mm_xor_si128(x[0], _mm_set_epi64x(static_cast<long long>(uint64_t{crc} << 48), 0));
  for (p += 64, n -= 64; n >= 64; p += 64, n -= 64)
    for (int i = 0; i < 4; ++i) x[i] = fold(x[i], k512, block(p + 16 * i));
  __m128i one = fold(fold(fold(x[0], k128, x[1]), k128, x[2]), k128, x[3]);
  for (; n >= 16; p += 16, n -= 16) one = fold(one, k128, block(p));
  alignas(16) uint8_t state[16];  // back to bytes, first byte highest: the same reversal
  _mm_store_si128(reinterpret_cast<__m128i*>(state),
                  _mm_shuffle_epi8(one, _mm_set_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)));
  return update_sliced(update_sliced(0, state), std::span<const uint8_t>(p, n));
}

bool has_clmul() {
  static const bool has = __builtin_cpu_supports("pclmul") && __builtin_cpu_supports("ssse3");
  return has;
}
#endif

uint16_t update(uint16_t crc, std::span<const uint8_t> data) {
#if defined(MESHOTA_CRC16_CLMUL)
  if (data.size() >= kFoldMinBytes && has_clmul()) return update_folded(crc, data);
#endif
  return update_sliced(crc, data);
}
#endif

}  // namespace

uint16_t crc16_ccitt(std::span<const uint8_t> data, uint16_t crc) { return update(crc, data); }

}  // namespace meshota::core
