// The image writer on the simulator's emulated NOR flash (and the fake HAL
// for failure injection): a full write ends with the image's SHA-256 checked
// and the slot set to boot; a wrong page never boots; an interrupted write
// resumes at the next page after a "reboot" (a new writer and a new inflater
// over the same flash and state store), compressed or not, with the history
// rebuilt either through reset()'s dictionary or by replaying flash.

#include <catch2/catch.hpp>
#include <memory>
#include <random>
#include <vector>

#include "meshota/core/ota/image_writer.hpp"
#include "meshota/core/ota/page_assembler.hpp"
#include "meshota/sim/node/emulated_flash.hpp"
#include "meshota/sim/node/zlib_inflater.hpp"
#include "ota_test_util.hpp"

using namespace meshota::core;
using meshota::sim::PackedImage;
using meshota::sim::ZlibInflater;
using meshota::test::Bytes;
namespace core = meshota::core;

namespace {

/// The parts of a node that survive a reboot: flash, boot control, state store.
struct Persistent {
  meshota::sim::PagePool pool{4096};
  meshota::sim::NodeSpec spec{};  // two 1,280 KiB slots of 4 KiB pages
  meshota::sim::EmulatedFlash flash{pool, spec};
  meshota::test::FakeBoot boot;
  meshota::test::FakeStateStore state;

  Bytes slot_bytes(uint32_t slot, size_t n) const {
    Bytes b(n);
    REQUIRE(flash.read(slot, 0, b));
    return b;
  }
};

/// What a boot builds in RAM: hasher, inflater, work buffer, writer.
struct Booted {
  Booted(core::FirmwareStore& flash, core::BootControl& boot, core::StateStore& state, size_t work_bytes)
      : work(work_bytes), writer(flash, boot, state, sha, &inflater, work) {}
  meshota::sim::OpenSslSha256 sha;
  ZlibInflater inflater;
  Bytes work;
  ImageWriter writer;
};

/// Writes pages [from, to) and returns the last status; every earlier one must be kOk.
WriterStatus write_pages(ImageWriter& w, const PackedImage& p, uint32_t from, uint32_t to) {
  WriterStatus s = WriterStatus::kOk;
  for (uint32_t k = from; k < to; ++k) {
    CAPTURE(k);
    REQUIRE(w.next_page_needed() == k);
    s = w.write_page(k, p.units[k]);
    if (k + 1 < to) REQUIRE(s == WriterStatus::kOk);
  }
  return s;
}

}  // namespace


TEST_CASE("ota writer: a whole image is written and checked, and nothing boots it yet", "[ota][writer]") {
  const Bytes& image = meshota::test::firmware("https_server.bin");
  for (const auto& [compress, wb, work] : {std::tuple{false, 0, size_t{256}}, std::tuple{true, 15, size_t{4097}},
                                          std::tuple{true, 12, size_t{256}}, std::tuple{true, 9, size_t{1000}}}) {
    CAPTURE(compress, wb, work);
    const PackedImage p = compress ? meshota::test::pack(image, meshota::test::deflate_options(static_cast<uint8_t>(wb)))
                                   : meshota::test::pack(image);
    Persistent node;
    Booted b(node.flash, node.boot, node.state, work);
    CHECK(b.writer.write_page(0, p.units[0]) == WriterStatus::kIdle);
    REQUIRE(b.writer.begin(p.header) == WriterStatus::kOk);
    CHECK(b.writer.image_id() == p.image_id);
    CHECK(b.writer.slot() == 1);  // slot 0 runs
    CHECK(b.writer.active());
    CHECK(write_pages(b.writer, p, 0, p.header.page_count) == WriterStatus::kComplete);
    CHECK(b.writer.complete());
    CHECK(b.writer.next_page_needed() == p.header.page_count);
    CHECK(node.boot.set_calls == 0);  // staging is ImageState::install's, when the rollout allows
    CHECK(node.slot_bytes(1, image.size()) == image);
    CHECK(b.writer.write_page(0, p.units[0]) == WriterStatus::kWrongPage);
    // A later boot with the same manifest finds the image done, with nothing to fetch.
    Booted again(node.flash, node.boot, node.state, work);
    CHECK(again.writer.begin(p.header) == WriterStatus::kComplete);
    CHECK(again.writer.next_page_needed() == p.header.page_count);
  }
}

TEST_CASE("ota writer: a wrong page never makes the slot bootable", "[ota][writer]") {
  const Bytes& image = meshota::test::firmware("hello_world_new.bin");
  SECTION("uncompressed: one byte differs in page 7") {
    PackedImage p = meshota::test::pack(image);
    const Bytes good = p.units[7];
    p.units[7][100] ^= 0x01;
    Persistent node;
    Booted b(node.flash, node.boot, node.state, 256);
    REQUIRE(b.writer.begin(p.header) == WriterStatus::kOk);
    CHECK(write_pages(b.writer, p, 0, p.header.page_count) == WriterStatus::kImageHashMismatch);
    CHECK(node.boot.set_calls == 0);
    CHECK_FALSE(b.writer.complete());
    CHECK(b.writer.next_page_needed() == 0);  // the image starts over
    // and the restart is persisted: a reboot does not resume a bad image.
    Booted rebooted(node.flash, node.boot, node.state, 256);
    REQUIRE(rebooted.writer.begin(p.header) == WriterStatus::kOk);
    CHECK(rebooted.writer.next_page_needed() == 0);
    p.units[7] = good;
    CHECK(write_pages(rebooted.writer, p, 0, p.header.page_count) == WriterStatus::kComplete);
    CHECK(node.slot_bytes(1, image.size()) == image);
  }
  SECTION("compressed: the units of another build under this manifest") {
    const Bytes& other = meshota::test::firmware("hello_world_old.bin");
    PackedImage p = meshota::test::pack(image, meshota::test::deflate_options(12));
    const PackedImage q = meshota::test::pack(other, meshota::test::deflate_options(12));
    // Page 0 of the other build, if it inflates to a whole page, is a wrong page that only the final hash catches.
    Persistent node;
    Booted b(node.flash, node.boot, node.state, 4097);
    REQUIRE(b.writer.begin(p.header) == WriterStatus::kOk);
    const WriterStatus first = b.writer.write_page(0, q.units[0]);
    if (first == WriterStatus::kOk) {
      const WriterStatus last = write_pages(b.writer, p, 1, p.header.page_count);
      CHECK((last == WriterStatus::kImageHashMismatch || last == WriterStatus::kBadUnit));
    } else {
      CHECK(first == WriterStatus::kBadUnit);
    }
    CHECK(node.boot.set_calls == 0);
    CHECK_FALSE(b.writer.complete());
  }
  SECTION("compressed: a manifest whose image digest is not this image's") {
    PackedImage p = meshota::test::pack(image, meshota::test::deflate_options(10));
    p.header.image_sha256[5] ^= 0x80;
    Persistent node;
    Booted b(node.flash, node.boot, node.state, 256);
    REQUIRE(b.writer.begin(p.header) == WriterStatus::kOk);
    CHECK(write_pages(b.writer, p, 0, p.header.page_count) == WriterStatus::kImageHashMismatch);
    CHECK(node.boot.set_calls == 0);
    CHECK(b.writer.next_page_needed() == 0);
  }
}

TEST_CASE("ota writer: interrupted after k pages, a new writer resumes at page k", "[ota][writer]") {
  const uint32_t seed = meshota::test::test_seed("writer interrupt page");
  CAPTURE(seed);
  std::mt19937 rng(seed);
  const Bytes& image = meshota::test::firmware("nvs_rw_blob.bin");
  // (compressed, window bits, work bytes): the small work buffers rebuild the
  // history by replaying flash, the large ones hand it to reset() as a dictionary.
  for (const auto& [compress, wb, work] :
       {std::tuple{false, 0, size_t{256}}, std::tuple{true, 9, size_t{256}}, std::tuple{true, 9, size_t{512}},
        std::tuple{true, 12, size_t{4097}}, std::tuple{true, 13, size_t{4097}}, std::tuple{true, 15, size_t{256}},
        std::tuple{true, 15, size_t{32768}}}) {
    const PackedImage p = compress ? meshota::test::pack(image, meshota::test::deflate_options(static_cast<uint8_t>(wb)))
                                   : meshota::test::pack(image);
    const uint32_t n = p.header.page_count;
    for (const uint32_t k : {0u, 1u, n - 1, 1 + static_cast<uint32_t>(rng() % (n - 2))}) {
      CAPTURE(compress, wb, work, k);
      Persistent node;
      {
        Booted first(node.flash, node.boot, node.state, work);
        REQUIRE(first.writer.begin(p.header) == WriterStatus::kOk);
        if (k > 0) REQUIRE(write_pages(first.writer, p, 0, k) == WriterStatus::kOk);
      }  // power cut: RAM is gone, flash and state remain
      Booted second(node.flash, node.boot, node.state, work);
      REQUIRE(second.writer.begin(p.header) == WriterStatus::kOk);
      CHECK(second.writer.resumed_at_page() == k);
      CHECK(second.writer.next_page_needed() == k);
      if (k > 0) CHECK(second.writer.write_page(k - 1, p.units[k - 1]) == WriterStatus::kWrongPage);
      CHECK(write_pages(second.writer, p, k, n) == WriterStatus::kComplete);
      CHECK(node.slot_bytes(1, image.size()) == image);
    }
  }
}

TEST_CASE("ota writer: RAM per window size", "[ota][writer]") {
  const Bytes& image = meshota::test::firmware("hello_world_new.bin");
  std::printf("\nota image writer RAM (x86-64, 4096-byte pages), measured after the last page:\n");
  std::printf("%-12s %8s %10s %12s %12s %22s\n", "image", "object", "work", "zlib state", "writer", "writer + 1 assembler");
  const auto row = [&](const char* what, const PackedImage& p, size_t work) {
    Persistent node;
    Booted b(node.flash, node.boot, node.state, work);
    REQUIRE(b.writer.begin(p.header) == WriterStatus::kOk);
    REQUIRE(write_pages(b.writer, p, 0, p.header.page_count) == WriterStatus::kComplete);
    const uint32_t zlib = p.header.compressed() ? b.inflater.peak_state_bytes() : 0;
    if (!p.header.compressed()) CHECK(b.writer.ram_bytes() == sizeof(ImageWriter) + work);
    const uint32_t writer = static_cast<uint32_t>(sizeof(ImageWriter) + work) + zlib;
    const uint32_t assembler = static_cast<uint32_t>(sizeof(PageAssembler) + p.header.max_unit_bytes());
    std::printf("%-12s %8zu %10zu %12u %12u %22u\n", what, sizeof(ImageWriter), work, zlib, writer, writer + assembler);
  };
  row("plain", meshota::test::pack(image), 256);
  for (uint8_t wb = 9; wb <= 15; ++wb) {
    const PackedImage p = meshota::test::pack(image, meshota::test::deflate_options(wb));
    char what[32];
    std::snprintf(what, sizeof(what), "wb=%d", wb);
    row(what, p, 256);
    std::snprintf(what, sizeof(what), "wb=%d page", wb);
    row(what, p, ImageWriter::work_bytes_for(p.header));
  }
}

TEST_CASE("ota writer: refusals and failures are status codes", "[ota][writer]") {
  const Bytes image = [] {
    Bytes b = meshota::test::pattern_bytes(10 * 4096 + 500, 4);
    for (size_t i = 0; i < 5 * 4096; ++i) b[i] = static_cast<uint8_t>("flash page "[i % 11]);
    return b;
  }();
  const PackedImage plain = meshota::test::pack(image);
  const PackedImage deflated = meshota::test::pack(image, meshota::test::deflate_options(11));

  SECTION("begin refuses what it cannot write") {
    meshota::test::FakeFlash flash(2, 64 * 1024, 4096);
    meshota::test::FakeBoot boot;
    meshota::test::FakeStateStore state;
    Booted b(flash, boot, state, 4097);
    ManifestHeader bad = plain.header;
    bad.page_count++;
    CHECK(b.writer.begin(bad) == WriterStatus::kBadManifest);
    CHECK(b.writer.write_page(0, plain.units[0]) == WriterStatus::kIdle);
    meshota::test::FakeFlash small(2, 32 * 1024, 4096);
    Booted on_small(small, boot, state, 4097);
    CHECK(on_small.writer.begin(plain.header) == WriterStatus::kNoSlot);
    meshota::test::FakeFlash one(1, 64 * 1024, 4096);
    Booted on_one(one, boot, state, 4097);
    CHECK(on_one.writer.begin(plain.header) == WriterStatus::kNoSlot);
    const PackedImage half_sector = [&] {
      meshota::sim::PackOptions o;
      o.page_size = 2048;
      return meshota::test::pack(image, o);
    }();
    CHECK(b.writer.begin(half_sector.header) == WriterStatus::kNoSlot);  // pages must be whole flash sectors
    Booted tiny(flash, boot, state, 255);
    CHECK(tiny.writer.begin(plain.header) == WriterStatus::kWorkTooSmall);
    meshota::sim::OpenSslSha256 sha;
    Bytes work(4097);
    ImageWriter no_inflater(flash, boot, state, sha, nullptr, work);
    CHECK(no_inflater.begin(deflated.header) == WriterStatus::kInflaterMissing);
    CHECK(no_inflater.begin(plain.header) == WriterStatus::kOk);
    CHECK(state.has(std::string(ImageWriter::kProgressKey)));
  }
  SECTION("out of order, wrong sizes and undecodable units") {
    meshota::test::FakeFlash flash(2, 64 * 1024, 4096);
    meshota::test::FakeBoot boot;
    meshota::test::FakeStateStore state;
    Booted b(flash, boot, state, 4097);
    REQUIRE(b.writer.begin(plain.header) == WriterStatus::kOk);
    CHECK(b.writer.write_page(1, plain.units[1]) == WriterStatus::kWrongPage);
    CHECK(b.writer.write_page(0, std::span<const uint8_t>(plain.units[0]).first(4095)) == WriterStatus::kBadUnit);
    CHECK(b.writer.write_page(0, plain.units[0]) == WriterStatus::kOk);

    Booted c(flash, boot, state, 300);
    REQUIRE(c.writer.begin(deflated.header) == WriterStatus::kOk);
    CHECK(c.writer.write_page(0, deflated.units[1]) == WriterStatus::kBadUnit);  // the wrong unit
    Bytes garbage(deflated.units[0].size(), 0xFF);
    CHECK(c.writer.write_page(0, garbage) == WriterStatus::kBadUnit);
    CHECK(c.writer.write_page(0, std::span<const uint8_t>(deflated.units[0]).first(deflated.units[0].size() - 1)) ==
          WriterStatus::kBadUnit);
    CHECK(c.writer.write_page(0, deflated.units[0]) == WriterStatus::kOk);  // the inflater is rebuilt after each failure
    // The stream's final unit ends the stream: never valid for a middle page.
    CHECK(c.writer.write_page(1, deflated.units.back()) == WriterStatus::kBadUnit);
    CHECK(write_pages(c.writer, deflated, 1, deflated.header.page_count) == WriterStatus::kComplete);
    CHECK(flash.contents(1, 0, image.size()) == image);
    CHECK(flash.violations == 0);  // every write went to erased flash
  }
  SECTION("flash failures: the same page is sent again") {
    for (const PackedImage* p : {&plain, &deflated}) {
      CAPTURE(p->header.compressed());
      meshota::test::FakeFlash flash(2, 64 * 1024, 4096);
      meshota::test::FakeBoot boot;
      meshota::test::FakeStateStore state;
      Booted b(flash, boot, state, 1024);
      REQUIRE(b.writer.begin(p->header) == WriterStatus::kOk);
      REQUIRE(write_pages(b.writer, *p, 0, 3) == WriterStatus::kOk);
      flash.fail_writes = true;
      CHECK(b.writer.write_page(3, p->units[3]) == WriterStatus::kFlashError);
      flash.fail_writes = false;
      flash.fail_erases = true;
      CHECK(b.writer.write_page(3, p->units[3]) == WriterStatus::kFlashError);
      flash.fail_erases = false;
      CHECK(b.writer.next_page_needed() == 3);
      const uint32_t last = p->header.page_count - 1;
      REQUIRE(write_pages(b.writer, *p, 3, last) == WriterStatus::kOk);
      flash.fail_reads = true;  // the final read-back, and for deflate the history rebuild too
      CHECK(b.writer.write_page(last, p->units[last]) == WriterStatus::kFlashError);
      CHECK(b.writer.next_page_needed() == last);
      CHECK(boot.set_calls == 0);
      flash.fail_reads = false;
      CHECK(b.writer.write_page(last, p->units[last]) == WriterStatus::kComplete);
      CHECK(flash.contents(1, 0, image.size()) == image);
      CHECK(flash.violations == 0);
    }
  }
  SECTION("progress not persisted: the page is redone after a reboot") {
    meshota::test::FakeFlash flash(2, 64 * 1024, 4096);
    meshota::test::FakeBoot boot;
    meshota::test::FakeStateStore state;
    {
      Booted b(flash, boot, state, 256);
      REQUIRE(b.writer.begin(deflated.header) == WriterStatus::kOk);
      REQUIRE(write_pages(b.writer, deflated, 0, 4) == WriterStatus::kOk);
      state.fail_writes = true;
      CHECK(b.writer.write_page(4, deflated.units[4]) == WriterStatus::kStateError);
      state.fail_writes = false;
    }
    Booted b(flash, boot, state, 256);
    REQUIRE(b.writer.begin(deflated.header) == WriterStatus::kOk);
    CHECK(b.writer.next_page_needed() == 4);
    CHECK(write_pages(b.writer, deflated, 4, deflated.header.page_count) == WriterStatus::kComplete);
    CHECK(flash.contents(1, 0, image.size()) == image);
  }
  SECTION("another image's progress, or a torn record, starts over") {
    meshota::test::FakeFlash flash(2, 64 * 1024, 4096);
    meshota::test::FakeBoot boot;
    meshota::test::FakeStateStore state;
    {
      Booted b(flash, boot, state, 256);
      REQUIRE(b.writer.begin(plain.header) == WriterStatus::kOk);
      REQUIRE(write_pages(b.writer, plain, 0, 5) == WriterStatus::kOk);
    }
    Booted other(flash, boot, state, 256);
    REQUIRE(other.writer.begin(deflated.header) == WriterStatus::kOk);
    CHECK(other.writer.next_page_needed() == 0);
    REQUIRE(write_pages(other.writer, deflated, 0, 3) == WriterStatus::kOk);
    state.records[std::string(ImageWriter::kProgressKey)][12] ^= 0x04;  // pages_written, without fixing the CRC
    Booted torn(flash, boot, state, 256);
    REQUIRE(torn.writer.begin(deflated.header) == WriterStatus::kOk);
    CHECK(torn.writer.next_page_needed() == 0);
  }
}
