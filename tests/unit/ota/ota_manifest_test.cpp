// The manifest: header round trip, each validation error, a stable image_id,
// page-table entries read in place, the streaming table check, and the
// packer's manifest for every shared ESP32 image checked against digests
// recomputed here from the file.

#include <catch2/catch.hpp>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "meshota/core/ota/manifest.hpp"
#include "meshota/core/ota/page_table_checker.hpp"
#include "meshota/sim/node/digest.hpp"
#include "ota_test_util.hpp"

using namespace meshota::core;
using meshota::test::Bytes;

namespace {

ManifestHeader sample_header() {
  ManifestHeader h;
  h.product.assign("meshota-demo");
  h.hardware.assign("ESP32");
  h.image_version = 0x01020304;
  h.image_size_bytes = 761184;
  h.page_size_bytes = 4096;
  h.page_count = 186;
  h.chunk_size_bytes = 229;
  h.compression = Compression::kRawDeflate;
  h.window_bits = 12;
  h.compressed_size_bytes = 480000;
  h.page_hash_bytes = 16;
  h.security_counter = 7;
  for (size_t i = 0; i < 32; ++i) {
    h.image_sha256[i] = static_cast<uint8_t>(i);
    h.page_table_sha256[i] = static_cast<uint8_t>(0xA0 + i);
  }
  return h;
}

Bytes encoded(const ManifestHeader& h) {
  Bytes b(kManifestHeaderBytes);
  REQUIRE(encode_manifest_header(h, b) == kManifestHeaderBytes);
  return b;
}

void check_same(const ManifestHeader& a, const ManifestHeader& b) {
  CHECK(a.format_version == b.format_version);
  CHECK(a.product == b.product);
  CHECK(a.hardware == b.hardware);
  CHECK(a.image_version == b.image_version);
  CHECK(a.image_size_bytes == b.image_size_bytes);
  CHECK(a.compressed_size_bytes == b.compressed_size_bytes);
  CHECK(a.page_size_bytes == b.page_size_bytes);
  CHECK(a.chunk_size_bytes == b.chunk_size_bytes);
  CHECK(a.page_count == b.page_count);
  CHECK(a.compression == b.compression);
  CHECK(a.window_bits == b.window_bits);
  CHECK(a.page_hash_bytes == b.page_hash_bytes);
  CHECK(a.security_counter == b.security_counter);
  CHECK(a.image_sha256 == b.image_sha256);
  CHECK(a.page_table_sha256 == b.page_table_sha256);
  CHECK(a.signature == b.signature);
}

}  // namespace

TEST_CASE("ota manifest: the header round-trips through its 192 bytes", "[ota][manifest]") {
  ManifestHeader h = sample_header();
  for (size_t i = 0; i < 64; ++i) h.signature[i] = static_cast<uint8_t>(0xFF - i);
  const Bytes b = encoded(h);
  CHECK(Bytes(b.begin(), b.begin() + 4) == Bytes{'M', 'O', 'T', 'A'});
  ManifestHeader out;
  REQUIRE(decode_manifest_header(b, out) == ManifestStatus::kOk);
  check_same(out, h);

  SECTION("uncompressed, 32-byte page hashes, 16-byte texts") {
    h.compression = Compression::kNone;
    h.window_bits = 0;
    h.compressed_size_bytes = h.image_size_bytes;
    h.page_hash_bytes = 32;
    h.product.assign("0123456789abcdef");
    h.hardware.assign("");
    REQUIRE(decode_manifest_header(encoded(h), out) == ManifestStatus::kOk);
    check_same(out, h);
    CHECK(out.page_entry_bytes() == 32);
  }
  SECTION("a buffer too small is refused") {
    Bytes small(kManifestHeaderBytes - 1);
    CHECK(encode_manifest_header(h, small) == 0);
  }
}

TEST_CASE("ota manifest: derived sizes", "[ota][manifest]") {
  const ManifestHeader h = sample_header();
  CHECK(h.page_entry_bytes() == 18);
  CHECK(h.page_table_bytes() == 186 * 18);
  CHECK(h.manifest_bytes() == 192 + 186 * 18);
  CHECK(h.page_entry_offset(0) == 192);
  CHECK(h.page_entry_offset(185) == 192 + 185 * 18);
  CHECK(h.page_output_bytes(0) == 4096);
  CHECK(h.page_output_bytes(185) == 761184 - 185 * 4096);
  CHECK(h.page_output_bytes(186) == 0);
  CHECK(h.max_unit_bytes() == 4096 + kUnitMarginBytes);
  CHECK(h.chunk_count(4096) == 18);
  CHECK(h.chunk_count(229) == 1);
  CHECK(h.chunk_count(230) == 2);
}

TEST_CASE("ota manifest: validation names what is inconsistent", "[ota][manifest]") {
  REQUIRE(validate_manifest_header(sample_header()) == ManifestStatus::kOk);
  const std::vector<std::tuple<std::string, std::function<void(ManifestHeader&)>, ManifestStatus>> cases = {
      {"version", [](ManifestHeader& h) { h.format_version = 2; }, ManifestStatus::kBadVersion},
      {"compression", [](ManifestHeader& h) { h.compression = static_cast<Compression>(2); }, ManifestStatus::kBadCompression},
      {"window 8", [](ManifestHeader& h) { h.window_bits = 8; }, ManifestStatus::kBadWindowBits},
      {"window 16", [](ManifestHeader& h) { h.window_bits = 16; }, ManifestStatus::kBadWindowBits},
      {"window without deflate", [](ManifestHeader& h) { h.compression = Compression::kNone; h.compressed_size_bytes = h.image_size_bytes; }, ManifestStatus::kBadWindowBits},
      {"hash 20", [](ManifestHeader& h) { h.page_hash_bytes = 20; }, ManifestStatus::kBadHashSize},
      {"hash 0", [](ManifestHeader& h) { h.page_hash_bytes = 0; }, ManifestStatus::kBadHashSize},
      {"empty image", [](ManifestHeader& h) { h.image_size_bytes = 0; }, ManifestStatus::kBadImageSize},
      {"page not a power of two", [](ManifestHeader& h) { h.page_size_bytes = 4000; }, ManifestStatus::kBadPageSize},
      {"page 128", [](ManifestHeader& h) { h.page_size_bytes = 128; }, ManifestStatus::kBadPageSize},
      {"page 64 KiB", [](ManifestHeader& h) { h.page_size_bytes = 65536; }, ManifestStatus::kBadPageSize},
      {"page count one short", [](ManifestHeader& h) { h.page_count = 185; }, ManifestStatus::kBadPageCount},
      {"page count one over", [](ManifestHeader& h) { h.page_count = 187; }, ManifestStatus::kBadPageCount},
      {"too many pages", [](ManifestHeader& h) { h.page_size_bytes = 256; h.image_size_bytes = 256u * 65536u; h.page_count = 0; }, ManifestStatus::kBadPageCount},
      {"chunk 0", [](ManifestHeader& h) { h.chunk_size_bytes = 0; }, ManifestStatus::kBadChunkSize},
      {"65 chunks", [](ManifestHeader& h) { h.chunk_size_bytes = 64; }, ManifestStatus::kTooManyChunks},
      {"units under a byte each", [](ManifestHeader& h) { h.compressed_size_bytes = 185; }, ManifestStatus::kBadCompressedSize},
      {"units over max", [](ManifestHeader& h) { h.compressed_size_bytes = 186 * (4096 + kUnitMarginBytes) + 1; }, ManifestStatus::kBadCompressedSize},
      {"uncompressed size differs", [](ManifestHeader& h) { h.compression = Compression::kNone; h.window_bits = 0; }, ManifestStatus::kBadCompressedSize},
  };
  for (const auto& [name, edit, status] : cases) {
    CAPTURE(name);
    ManifestHeader h = sample_header();
    edit(h);
    CHECK(validate_manifest_header(h) == status);
    ManifestHeader out;
    CHECK(decode_manifest_header(encoded(h), out) == status);
  }
  SECTION("64 chunks of 64 bytes are fine without compression") {
    ManifestHeader h = sample_header();
    h.compression = Compression::kNone;
    h.window_bits = 0;
    h.compressed_size_bytes = h.image_size_bytes;
    h.chunk_size_bytes = 64;
    CHECK(validate_manifest_header(h) == ManifestStatus::kOk);
  }
}

TEST_CASE("ota manifest: decoding refuses damaged bytes", "[ota][manifest]") {
  const Bytes good = encoded(sample_header());
  ManifestHeader out;
  for (size_t n = 0; n < kManifestHeaderBytes; ++n) {
    const Bytes prefix(good.begin(), good.begin() + static_cast<long>(n));
    CHECK(decode_manifest_header(prefix, out) == ManifestStatus::kTruncated);
  }
  Bytes b = good;
  b[0] = 'm';
  CHECK(decode_manifest_header(b, out) == ManifestStatus::kBadMagic);
  b = good;
  b[4] = 9;
  CHECK(decode_manifest_header(b, out) == ManifestStatus::kBadVersion);
  b = good;
  b[8 + 15] = 'x';  // a byte after the product's terminating zero
  CHECK(decode_manifest_header(b, out) == ManifestStatus::kBadText);
  b = good;
  b[24 + 6] = 'x';  // same in hardware ("ESP32" + zeros)
  CHECK(decode_manifest_header(b, out) == ManifestStatus::kBadText);
}

TEST_CASE("ota manifest: image_id is stable and covers everything but the signature", "[ota][manifest]") {
  meshota::sim::OpenSslSha256 sha;
  const ManifestHeader h = sample_header();
  const ImageId id = compute_image_id(h, sha);
  CHECK(compute_image_id(h, sha) == id);
  ImageId from_bytes{};
  REQUIRE(compute_image_id(encoded(h), sha, from_bytes));
  CHECK(from_bytes == id);
  // The first 8 bytes of SHA-256 over bytes [0, 128), computed independently.
  const Bytes b = encoded(h);
  const auto digest = meshota::sim::sha256_of(std::span<const uint8_t>(b).first(128));
  CHECK(std::equal(id.begin(), id.end(), digest.begin()));
  CHECK(!compute_image_id(std::span<const uint8_t>(b).first(127), sha, from_bytes));

  ManifestHeader signed_h = h;
  signed_h.signature[0] = 1;
  CHECK(compute_image_id(signed_h, sha) == id);
  for (const auto& edit : std::vector<std::function<void(ManifestHeader&)>>{
           [](ManifestHeader& x) { x.image_version++; }, [](ManifestHeader& x) { x.security_counter++; },
           [](ManifestHeader& x) { x.image_sha256[31] ^= 1; }, [](ManifestHeader& x) { x.page_table_sha256[0] ^= 1; },
           [](ManifestHeader& x) { x.hardware.assign("ESP8266"); }, [](ManifestHeader& x) { x.window_bits = 13; }}) {
    ManifestHeader x = h;
    edit(x);
    CHECK(compute_image_id(x, sha) != id);
  }
}

TEST_CASE("ota manifest: page-table entries are read in place", "[ota][manifest]") {
  meshota::sim::OpenSslSha256 sha;
  const Bytes image = meshota::test::pattern_bytes(10 * 4096 + 100, 3);
  for (bool compress : {false, true}) {
    CAPTURE(compress);
    meshota::sim::PackOptions o;
    o.compress = compress;
    o.window_bits = 10;
    const auto p = meshota::test::pack(image, o);
    const auto table = p.page_table();
    REQUIRE(table.size() == p.header.page_table_bytes());
    for (uint32_t k = 0; k < p.header.page_count; ++k) {
      PageEntry e;
      REQUIRE(read_page_entry(p.header, table, k, e) == ManifestStatus::kOk);
      CHECK(e.unit_bytes == p.units[k].size());
      const auto digest = meshota::sim::sha256_of(p.units[k]);
      CHECK(std::equal(e.hash.begin(), e.hash.begin() + 16, digest.begin()));
      CHECK(std::all_of(e.hash.begin() + 16, e.hash.end(), [](uint8_t v) { return v == 0; }));
      // The same entry from just its bytes, as read from storage at page_entry_offset.
      const auto bytes = std::span<const uint8_t>(p.manifest).subspan(p.header.page_entry_offset(k), p.header.page_entry_bytes());
      PageEntry e2;
      REQUIRE(decode_page_entry(p.header, k, bytes, e2) == ManifestStatus::kOk);
      CHECK(e2.hash == e.hash);
      CHECK(e2.unit_bytes == e.unit_bytes);
    }
    PageEntry e;
    CHECK(read_page_entry(p.header, table, p.header.page_count, e) == ManifestStatus::kBadIndex);
    CHECK(read_page_entry(p.header, table.first(table.size() - 1), p.header.page_count - 1, e) == ManifestStatus::kTruncated);
    CHECK(decode_page_entry(p.header, 0, table.first(p.header.page_entry_bytes() - 1), e) == ManifestStatus::kTruncated);
    if (compress) {
      Bytes bad(table.begin(), table.end());
      bad[16] = 0;  // unit size 0
      bad[17] = 0;
      CHECK(read_page_entry(p.header, bad, 0, e) == ManifestStatus::kBadEntry);
      bad[16] = 0xFF;  // unit size 65535 > max_unit_bytes
      bad[17] = 0xFF;
      CHECK(read_page_entry(p.header, bad, 0, e) == ManifestStatus::kBadEntry);
    }
  }
}

TEST_CASE("ota manifest: the page table is checked as it streams in", "[ota][manifest]") {
  const uint32_t seed = meshota::test::test_seed("page table pieces");
  CAPTURE(seed);
  std::mt19937 rng(seed);
  meshota::sim::OpenSslSha256 sha;
  const Bytes image = meshota::test::pattern_bytes(30 * 1024 + 7, 11);
  for (bool compress : {false, true}) {
    CAPTURE(compress);
    meshota::sim::PackOptions o;
    o.compress = compress;
    o.page_size = 1024;
    const auto p = meshota::test::pack(image, o);
    const Bytes table(p.page_table().begin(), p.page_table().end());
    CHECK(check_page_table(p.header, table, sha) == ManifestStatus::kOk);

    PageTableChecker pieces(p.header, sha);
    for (size_t at = 0; at < table.size();) {
      const size_t n = std::min<size_t>(1 + rng() % 40, table.size() - at);
      REQUIRE(pieces.update(std::span<const uint8_t>(table).subspan(at, n)) == ManifestStatus::kOk);
      at += n;
    }
    CHECK(pieces.finish() == ManifestStatus::kOk);

    Bytes flipped = table;
    flipped[rng() % flipped.size()] ^= 0x10;
    const ManifestStatus s = check_page_table(p.header, flipped, sha);
    CHECK((s == ManifestStatus::kBadPageTable || s == ManifestStatus::kBadEntry));
    CHECK(check_page_table(p.header, std::span<const uint8_t>(table).first(table.size() - 1), sha) ==
          ManifestStatus::kTruncated);
    Bytes longer = table;
    longer.push_back(0);
    CHECK(check_page_table(p.header, longer, sha) == ManifestStatus::kBadPageTable);
    if (compress) {  // a unit-size sum that does not match compressed_size_bytes
      ManifestHeader h = p.header;
      h.compressed_size_bytes += 1;
      CHECK(check_page_table(h, table, sha) == ManifestStatus::kBadPageTable);
    }
  }
}

TEST_CASE("ota manifest: the packer's manifest describes each shared ESP32 image exactly", "[ota][manifest][firmware]") {
  meshota::sim::OpenSslSha256 sha;
  std::printf("\nota page table per image (4096-byte pages, 16-byte hashes):\n");
  std::printf("%-20s %8s %6s %14s %16s %15s\n", "image", "bytes", "pages", "table (plain)", "table (deflate)",
              "manifest (defl)");
  for (const auto& name : meshota::test::firmware_names()) {
    CAPTURE(name);
    const Bytes& image = meshota::test::firmware(name);
    REQUIRE(!image.empty());
    // Digests recomputed here, through the incremental hasher in 1000-byte steps.
    uint8_t whole[32];
    sha.begin();
    for (size_t at = 0; at < image.size(); at += 1000)
      sha.update(std::span<const uint8_t>(image).subspan(at, std::min<size_t>(1000, image.size() - at)));
    sha.finish(whole);
    uint32_t table_bytes[2] = {};
    uint32_t manifest_bytes = 0;
    for (bool compress : {false, true}) {
      CAPTURE(compress);
      meshota::sim::PackOptions o;
      o.compress = compress;
      const auto p = meshota::test::pack(image, o);
      ManifestHeader h;
      REQUIRE(decode_manifest_header(p.manifest, h) == ManifestStatus::kOk);
      CHECK(h.image_size_bytes == image.size());
      CHECK(h.page_count == (image.size() + 4095) / 4096);
      CHECK(std::equal(h.image_sha256.begin(), h.image_sha256.end(), whole));
      CHECK(p.manifest.size() == h.manifest_bytes());
      const auto table = std::span<const uint8_t>(p.manifest).subspan(kManifestHeaderBytes);
      CHECK(check_page_table(h, table, sha) == ManifestStatus::kOk);
      uint64_t units = 0;
      for (uint32_t k = 0; k < h.page_count; ++k) {
        PageEntry e;
        REQUIRE(read_page_entry(h, table, k, e) == ManifestStatus::kOk);
        // Without compression the unit is the file's page itself.
        const Bytes unit = compress ? p.units[k] : meshota::test::page_of(image, k, 4096);
        uint8_t d[32];
        sha.begin();
        sha.update(unit);
        sha.finish(d);
        REQUIRE(std::equal(e.hash.begin(), e.hash.begin() + 16, d));
        REQUIRE(e.unit_bytes == unit.size());
        units += e.unit_bytes;
      }
      CHECK(units == h.compressed_size_bytes);
      ImageId id{};
      REQUIRE(compute_image_id(p.manifest, sha, id));
      CHECK(id == p.image_id);
      table_bytes[compress ? 1 : 0] = h.page_table_bytes();
      if (compress) manifest_bytes = h.manifest_bytes();
    }
    std::printf("%-20s %8zu %6zu %14u %16u %15u\n", name.c_str(), image.size(), (image.size() + 4095) / 4096,
                table_bytes[0], table_bytes[1], manifest_bytes);
  }
}
