// Chunk bitmaps: every operation, at the edges (chunk 0, chunk 63, a full
// 64-chunk page), and at compile time.

#include <catch2/catch.hpp>

#include "meshota/core/ota/chunk_bitmap.hpp"

using meshota::core::ChunkBitmap;

namespace {

constexpr ChunkBitmap with(std::initializer_list<uint32_t> chunks) {
  ChunkBitmap b;
  for (uint32_t c : chunks) b.set(c);
  return b;
}

}  // namespace

TEST_CASE("ota bitmap: the operations are constexpr", "[ota][bitmap]") {
  STATIC_REQUIRE(ChunkBitmap::full(0).bits() == 0);
  STATIC_REQUIRE(ChunkBitmap::full(1).bits() == 1);
  STATIC_REQUIRE(ChunkBitmap::full(18).bits() == 0x3FFFF);
  STATIC_REQUIRE(ChunkBitmap::full(64).bits() == ~uint64_t{0});
  STATIC_REQUIRE(ChunkBitmap::full(100).bits() == ~uint64_t{0});
  STATIC_REQUIRE(with({0, 5, 63}).count() == 3);
  STATIC_REQUIRE(with({0, 1, 2}).first_missing(5) == 3);
  STATIC_REQUIRE(with({0, 1, 2}).missing(5) == with({3, 4}));
  STATIC_REQUIRE((with({1, 2}) | with({2, 3})) == with({1, 2, 3}));
  STATIC_REQUIRE((with({1, 2}) & with({2, 3})) == with({2}));
}

TEST_CASE("ota bitmap: set, test, reset and count", "[ota][bitmap]") {
  ChunkBitmap b;
  CHECK(b.empty());
  CHECK(b.set(0));
  CHECK(b.set(63));
  CHECK_FALSE(b.set(64));  // out of range: refused, nothing changes
  CHECK(b.bits() == ((uint64_t{1} << 63) | 1));
  CHECK(b.test(0));
  CHECK(b.test(63));
  CHECK_FALSE(b.test(1));
  CHECK_FALSE(b.test(64));
  CHECK_FALSE(b.test(1000));
  CHECK(b.count() == 2);
  CHECK(b.set(0));  // setting twice keeps one
  CHECK(b.count() == 2);
  b.reset(63);
  b.reset(64);  // out of range: no effect
  CHECK(b.bits() == 1);
}

TEST_CASE("ota bitmap: missing and first_missing against a total", "[ota][bitmap]") {
  ChunkBitmap b;
  CHECK(b.first_missing(18) == 0);
  CHECK(b.missing(18) == ChunkBitmap::full(18));
  for (uint32_t i = 0; i < 17; ++i) b.set(i);
  CHECK(b.first_missing(18) == 17);
  CHECK_FALSE(b.complete(18));
  b.set(17);
  CHECK(b.complete(18));
  CHECK(b.first_missing(18) == 18);
  CHECK(b.missing(18).empty());
  b.set(40);  // bits beyond the total never count as missing
  CHECK(b.missing(18).empty());
  CHECK(b.complete(18));
  CHECK(ChunkBitmap().complete(0));
}

TEST_CASE("ota bitmap: a 64-chunk page", "[ota][bitmap]") {
  ChunkBitmap b;
  for (uint32_t i = 0; i < 64; i += 2) b.set(i);
  CHECK(b.count() == 32);
  CHECK(b.first_missing(64) == 1);
  CHECK(b.missing(64).count() == 32);
  CHECK(b.missing(64).test(63));
  for (uint32_t i = 1; i < 63; i += 2) b.set(i);
  CHECK(b.first_missing(64) == 63);
  b.set(63);
  CHECK(b.complete(64));
  CHECK(b == ChunkBitmap::full(64));
  CHECK(b.first_missing(64) == 64);
  CHECK(b.count() == 64);
}

TEST_CASE("ota bitmap: next() walks the members", "[ota][bitmap]") {
  const ChunkBitmap b = with({0, 7, 8, 63});
  uint32_t seen[8] = {};
  uint32_t n = 0;
  for (uint32_t i = b.next(0); i < 64; i = b.next(i + 1)) seen[n++] = i;
  REQUIRE(n == 4);
  CHECK(seen[0] == 0);
  CHECK(seen[1] == 7);
  CHECK(seen[2] == 8);
  CHECK(seen[3] == 63);
  CHECK(b.next(9, 20) == 20);  // none below the total: the total comes back
  CHECK(b.next(64) == 64);
  CHECK(ChunkBitmap().next(0, 18) == 18);
}

TEST_CASE("ota bitmap: union and intersection of NACKs", "[ota][bitmap]") {
  // Three receivers' NACKs for one page: a broadcast serves their union once;
  // what all of them miss is the intersection.
  const ChunkBitmap a = with({1, 2, 3});
  const ChunkBitmap b = with({3, 4});
  const ChunkBitmap c = with({3, 63});
  CHECK((a | b | c) == with({1, 2, 3, 4, 63}));
  CHECK((a & b & c) == with({3}));
  ChunkBitmap acc;
  for (const ChunkBitmap& x : {a, b, c}) acc |= x;
  CHECK(acc.count() == 5);
  acc &= with({63, 1});
  CHECK(acc == with({1, 63}));
}

TEST_CASE("ota bitmap: highest is the last member, 0 when empty", "[ota][bitmap]") {
  CHECK(ChunkBitmap().highest() == 0);
  CHECK(ChunkBitmap::full(1).highest() == 0);
  CHECK(ChunkBitmap::full(13).highest() == 12);
  CHECK(ChunkBitmap::full(64).highest() == 63);
  ChunkBitmap b;
  b.set(5);
  b.set(40);
  CHECK(b.highest() == 40);
}
