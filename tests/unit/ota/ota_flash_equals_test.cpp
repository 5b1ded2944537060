// FirmwareStore::equals, which a holder uses to check an overheard chunk of a
// page it holds against its verified copy: the default (read through a small
// buffer, as on the device) and the simulator's in-place compare give the same
// answer across page boundaries, for a one-byte difference anywhere, and out
// of range.

#include <catch2/catch.hpp>

#include "fake_hal.hpp"
#include "meshota/sim/node/emulated_flash.hpp"

using meshota::test::Bytes;

namespace {

constexpr uint32_t kPage = 1024;
constexpr uint32_t kSlot = 4 * kPage;

template <typename Flash>
void check_equals(Flash& flash) {
  const Bytes data = meshota::test::pattern_bytes(kSlot, 5);
  for (uint32_t p = 0; p < kSlot / kPage; ++p) REQUIRE(flash.erase_page(1, p));
  REQUIRE(flash.write(1, 0, data));
  // Spans that start and end inside a page, cross one boundary, or cross several.
  for (const auto& [from, n] : {std::pair<uint32_t, size_t>{0, 1}, {100, 200}, {1000, 1449}, {0, kSlot}, {3000, 1096}}) {
    const std::span<const uint8_t> expected = std::span(data).subspan(from, n);
    CHECK(flash.equals(1, from, expected));
    for (const size_t at : {size_t{0}, n / 2, n - 1}) {
      Bytes changed(expected.begin(), expected.end());
      changed[at] ^= 0x01;
      CHECK_FALSE(flash.equals(1, from, changed));
    }
  }
  CHECK_FALSE(flash.equals(1, kSlot - 10, std::span(data).first(11)));  // past the slot's end
  CHECK_FALSE(flash.equals(2, 0, std::span(data).first(1)));            // no such slot
}

}  // namespace

TEST_CASE("flash equals: the default reads through a buffer and compares", "[ota][flash]") {
  meshota::test::FakeFlash flash(2, kSlot, kPage);
  check_equals(flash);
}

TEST_CASE("flash equals: the simulator's flash compares in place, with the same answers", "[ota][flash]") {
  meshota::sim::PagePool pool{kPage};
  meshota::sim::NodeSpec spec{};
  meshota::sim::EmulatedFlash flash(pool, spec, 2, kSlot);
  check_equals(flash);
}
