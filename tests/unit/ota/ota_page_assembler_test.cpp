// Page assembly: a complete unit verifies against its page-table hash in any
// chunk order; a corrupted chunk fails the hash, is counted, and the page
// then assembles again; duplicates and out-of-range chunks are refused.

#include <catch2/catch.hpp>
#include <random>
#include <vector>

#include "meshota/core/ota/page_assembler.hpp"
#include "meshota/sim/node/digest.hpp"
#include "ota_test_util.hpp"

using namespace meshota::core;
using meshota::test::Bytes;

namespace {

struct Fixture {
  explicit Fixture(bool compress, uint32_t page_size = 4096, uint16_t chunk = 229, size_t image_bytes = 20000) {
    meshota::sim::PackOptions o;
    o.compress = compress;
    o.window_bits = 11;
    o.page_size = page_size;
    o.chunk_size = chunk;
    // Half text-like, half random: compressible pages and a stored fallback page.
    image = meshota::test::pattern_bytes(image_bytes, 1);
    for (size_t i = 0; i < image.size() / 2; ++i) image[i] = static_cast<uint8_t>("meshota page "[i % 13]);
    packed = meshota::test::pack(image, o);
    buffer.resize(packed.header.max_unit_bytes());
  }
  PageEntry entry(uint32_t k) const {
    PageEntry e;
    REQUIRE(read_page_entry(packed.header, packed.page_table(), k, e) == ManifestStatus::kOk);
    return e;
  }
  /// Feeds every chunk of `page` in `order`; returns the last result.
  ChunkResult feed(PageAssembler& a, uint32_t page, const std::vector<uint32_t>& order) {
    ChunkResult r = ChunkResult::kIdle;
    for (uint32_t i : order) r = a.add_chunk(page, i, packed.chunk(page, i));
    return r;
  }
  std::vector<uint32_t> in_order(uint32_t page) const {
    std::vector<uint32_t> v(packed.chunk_count(page));
    for (uint32_t i = 0; i < v.size(); ++i) v[i] = i;
    return v;
  }

  Bytes image;
  meshota::sim::PackedImage packed;
  Bytes buffer;
  meshota::sim::OpenSslSha256 sha;
};

}  // namespace

TEST_CASE("ota assembler: every page verifies, in any chunk order", "[ota][assembler]") {
  const uint32_t seed = meshota::test::test_seed("assembler order");
  CAPTURE(seed);
  std::mt19937 rng(seed);
  for (bool compress : {false, true}) {
    CAPTURE(compress);
    Fixture f(compress);
    PageAssembler a(f.buffer, f.sha);
    for (uint32_t k = 0; k < f.packed.header.page_count; ++k) {
      CAPTURE(k);
      REQUIRE(a.begin(f.packed.header, k, f.entry(k)));
      CHECK(a.active());
      CHECK(a.missing() == ChunkBitmap::full(a.chunk_count()));
      auto order = f.in_order(k);
      std::shuffle(order.begin(), order.end(), rng);
      for (size_t i = 0; i + 1 < order.size(); ++i)
        REQUIRE(a.add_chunk(k, order[i], f.packed.chunk(k, order[i])) == ChunkResult::kAccepted);
      CHECK(a.unit().empty());  // nothing leaves before it is verified
      CHECK(a.add_chunk(k, order.back(), f.packed.chunk(k, order.back())) == ChunkResult::kVerified);
      CHECK(a.verified());
      CHECK(Bytes(a.unit().begin(), a.unit().end()) == f.packed.units[k]);
      CHECK(a.missing().empty());
    }
    CHECK(a.bad_pages() == 0);
    a.clear();
    CHECK_FALSE(a.active());
    CHECK(a.add_chunk(0, 0, f.packed.chunk(0, 0)) == ChunkResult::kIdle);
  }
}

TEST_CASE("ota assembler: a corrupted chunk fails the page, which then assembles again", "[ota][assembler]") {
  for (bool compress : {false, true}) {
    CAPTURE(compress);
    Fixture f(compress);
    PageAssembler a(f.buffer, f.sha);
    const uint32_t k = 3;  // a random-data page: several chunks even compressed
    REQUIRE(a.begin(f.packed.header, k, f.entry(k)));
    const uint32_t n = a.chunk_count();
    REQUIRE(n >= 2);
    Bytes bad(f.packed.chunk(k, 0).begin(), f.packed.chunk(k, 0).end());
    bad[bad.size() / 2] ^= 0x01;
    CHECK(a.add_chunk(k, 0, bad) == ChunkResult::kAccepted);
    for (uint32_t i = 1; i + 1 < n; ++i) a.add_chunk(k, i, f.packed.chunk(k, i));
    CHECK(a.add_chunk(k, n - 1, f.packed.chunk(k, n - 1)) == ChunkResult::kHashMismatch);
    CHECK(a.bad_pages() == 1);
    CHECK_FALSE(a.verified());
    CHECK(a.unit().empty());
    CHECK(a.received().empty());  // the whole unit is fetched again
    CHECK(a.missing() == ChunkBitmap::full(n));
    CHECK(a.active());
    CHECK(a.page() == k);
    CHECK(f.feed(a, k, f.in_order(k)) == ChunkResult::kVerified);
    CHECK(Bytes(a.unit().begin(), a.unit().end()) == f.packed.units[k]);
    CHECK(a.bad_pages() == 1);
  }
}

TEST_CASE("ota assembler: duplicates, wrong pages and bad chunks are refused", "[ota][assembler]") {
  Fixture f(false);
  PageAssembler a(f.buffer, f.sha);
  const uint32_t k = 2;
  REQUIRE(a.begin(f.packed.header, k, f.entry(k)));
  const uint32_t n = a.chunk_count();
  CHECK(n == (4096 + 228) / 229);
  CHECK(a.add_chunk(k, 3, f.packed.chunk(k, 3)) == ChunkResult::kAccepted);
  CHECK(a.add_chunk(k, 3, f.packed.chunk(k, 3)) == ChunkResult::kDuplicate);
  CHECK(a.received().count() == 1);
  CHECK(a.add_chunk(k + 1, 0, f.packed.chunk(k + 1, 0)) == ChunkResult::kWrongPage);
  CHECK(a.add_chunk(k, n, f.packed.chunk(k, 0)) == ChunkResult::kBadIndex);
  CHECK(a.add_chunk(k, 63, f.packed.chunk(k, 0)) == ChunkResult::kBadIndex);
  CHECK(a.add_chunk(k, 200, f.packed.chunk(k, 0)) == ChunkResult::kBadIndex);
  const auto c0 = f.packed.chunk(k, 0);
  CHECK(a.add_chunk(k, 0, c0.first(c0.size() - 1)) == ChunkResult::kBadSize);
  CHECK(a.add_chunk(k, 0, {}) == ChunkResult::kBadSize);
  Bytes longer(c0.begin(), c0.end());
  longer.push_back(0);
  CHECK(a.add_chunk(k, 0, longer) == ChunkResult::kBadSize);
  // The last chunk is short (4096 = 17 * 229 + 203) and must be exactly that.
  CHECK(f.packed.chunk(k, n - 1).size() == 4096 - (n - 1) * 229);
  CHECK(a.add_chunk(k, n - 1, c0) == ChunkResult::kBadSize);
  CHECK(a.received().count() == 1);
  CHECK(f.feed(a, k, f.in_order(k)) == ChunkResult::kVerified);
  CHECK(a.add_chunk(k, 0, c0) == ChunkResult::kDuplicate);  // after verification too
  CHECK(a.bad_pages() == 0);
}

TEST_CASE("ota assembler: short last page, 64-chunk pages, and begin's limits", "[ota][assembler]") {
  SECTION("the image's short last page") {
    Fixture f(false);
    const uint32_t last = f.packed.header.page_count - 1;
    PageAssembler a(f.buffer, f.sha);
    REQUIRE(a.begin(f.packed.header, last, f.entry(last)));
    CHECK(a.unit_bytes() == 20000 - last * 4096);
    CHECK(f.feed(a, last, f.in_order(last)) == ChunkResult::kVerified);
  }
  SECTION("64 chunks of 64 bytes") {
    Fixture f(false, 4096, 64);
    PageAssembler a(f.buffer, f.sha);
    REQUIRE(a.begin(f.packed.header, 0, f.entry(0)));
    CHECK(a.chunk_count() == 64);
    CHECK(a.missing() == ChunkBitmap::full(64));
    std::vector<uint32_t> backwards = f.in_order(0);
    std::reverse(backwards.begin(), backwards.end());
    CHECK(f.feed(a, 0, backwards) == ChunkResult::kVerified);
  }
  SECTION("begin refuses what does not fit") {
    Fixture f(true);
    Bytes small(f.packed.header.page_size_bytes);  // no deflate margin
    PageAssembler a(small, f.sha);
    PageEntry e = f.entry(0);
    e.unit_bytes = f.packed.header.page_size_bytes + 1;
    CHECK_FALSE(a.begin(f.packed.header, 0, e));
    CHECK_FALSE(a.active());
    CHECK_FALSE(a.begin(f.packed.header, f.packed.header.page_count, f.entry(0)));
    e.unit_bytes = 0;
    CHECK_FALSE(a.begin(f.packed.header, 0, e));
    CHECK(a.begin(f.packed.header, 0, f.entry(0)));
  }
  SECTION("FixedPageAssembler owns its buffer and reports its RAM") {
    Fixture f(true);
    FixedPageAssembler<4096 + kUnitMarginBytes> a(f.sha);
    CHECK(a.ram_bytes() >= 4096 + kUnitMarginBytes);
    CHECK(a.ram_bytes() < 4096 + kUnitMarginBytes + 192);  // the object: 64 bytes of them pieces, one per chunk
    REQUIRE(a.begin(f.packed.header, 0, f.entry(0)));
    CHECK(f.feed(a, 0, f.in_order(0)) == ChunkResult::kVerified);
    CHECK(Bytes(a.unit().begin(), a.unit().end()) == f.packed.units[0]);
    std::printf("ota assembler RAM: %u bytes for 4096-byte pages with deflate margin (object %zu + buffer %u)\n",
                a.ram_bytes(), sizeof(PageAssembler), 4096 + kUnitMarginBytes);
  }
}

TEST_CASE("ota assembler: pieces make chunks, beside whole chunks; a bad piece fails the page", "[ota][assembler]") {
  // 1449-byte chunks (ESP-NOW v2): a 4096-byte page is chunks of 1449, 1449 and 1198 bytes, 7, 7 and 6 pieces.
  Fixture f(false, 4096, 1449);
  PageAssembler a(f.buffer, f.sha);
  const uint32_t k = 1;
  REQUIRE(a.begin(f.packed.header, k, f.entry(k)));
  REQUIRE(a.chunk_count() == 3);
  const auto piece = [&](uint32_t index, uint32_t p) {
    const auto c = f.packed.chunk(k, index);
    const size_t from = p * wire::kPieceBytes;
    return c.subspan(from, std::min(wire::kPieceBytes, c.size() - from));
  };
  CHECK(a.missing_pieces(0) == 0x7F);
  CHECK(a.missing_pieces(2) == 0x3F);
  CHECK(a.missing_pieces(3) == 0);  // no such chunk

  SECTION("in any order, mixed with a whole chunk") {
    for (uint32_t p : {6u, 0u, 3u, 1u, 5u, 2u}) CHECK(a.add_piece(k, 0, p, piece(0, p)) == ChunkResult::kPiece);
    CHECK(a.missing_pieces(0) == 0x10);
    CHECK(a.received().empty());
    CHECK(a.add_piece(k, 0, 4, piece(0, 4)) == ChunkResult::kAccepted);  // chunk 0 is in
    CHECK(a.received() == ChunkBitmap(1));
    CHECK(a.missing_pieces(0) == 0);
    CHECK(a.add_piece(k, 0, 4, piece(0, 4)) == ChunkResult::kDuplicate);
    CHECK(a.add_piece(k, 2, 0, piece(2, 0)) == ChunkResult::kPiece);
    CHECK(a.add_chunk(k, 2, f.packed.chunk(k, 2)) == ChunkResult::kAccepted);  // the whole chunk wins
    CHECK(a.add_piece(k, 2, 1, piece(2, 1)) == ChunkResult::kDuplicate);
    for (uint32_t p = 0; p + 1 < 7; ++p) CHECK(a.add_piece(k, 1, p, piece(1, p)) == ChunkResult::kPiece);
    CHECK(a.add_piece(k, 1, 6, piece(1, 6)) == ChunkResult::kVerified);
    CHECK(Bytes(a.unit().begin(), a.unit().end()) == f.packed.units[k]);
  }
  SECTION("out of range or of the wrong size: refused, nothing stored") {
    CHECK(a.add_piece(k, 2, 6, piece(2, 0)) == ChunkResult::kBadIndex);  // chunk 2 has pieces 0..5
    CHECK(a.add_piece(k, 0, 8, piece(0, 0)) == ChunkResult::kBadIndex);
    CHECK(a.add_piece(k, 3, 0, piece(0, 0)) == ChunkResult::kBadIndex);
    CHECK(a.add_piece(k + 1, 0, 0, piece(0, 0)) == ChunkResult::kWrongPage);
    CHECK(a.add_piece(k, 0, 6, piece(0, 0)) == ChunkResult::kBadSize);  // the last piece is 81 bytes
    CHECK(a.add_piece(k, 0, 0, piece(0, 6)) == ChunkResult::kBadSize);
    CHECK(a.add_piece(k, 0, 0, {}) == ChunkResult::kBadSize);
    CHECK(a.missing_pieces(0) == 0x7F);
    CHECK(a.received().empty());
  }
  SECTION("a corrupted piece fails the page's hash; its pieces are fetched again") {
    Bytes bad(piece(0, 3).begin(), piece(0, 3).end());
    bad[10] ^= 0x40;
    for (uint32_t p = 0; p < 7; ++p)
      a.add_piece(k, 0, p, p == 3 ? std::span<const uint8_t>(bad) : piece(0, p));
    CHECK(a.add_chunk(k, 1, f.packed.chunk(k, 1)) == ChunkResult::kAccepted);
    CHECK(a.add_piece(k, 2, 0, piece(2, 0)) == ChunkResult::kPiece);
    CHECK(a.add_chunk(k, 2, f.packed.chunk(k, 2)) == ChunkResult::kHashMismatch);
    CHECK(a.bad_pages() == 1);
    CHECK(a.missing_pieces(0) == 0x7F);
    CHECK(a.missing_pieces(2) == 0x3F);
    CHECK(f.feed(a, k, f.in_order(k)) == ChunkResult::kVerified);
  }
}
