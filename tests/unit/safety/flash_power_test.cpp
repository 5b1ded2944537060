// The emulated flash loses power at a chosen operation: lost, torn or completed.

#include <catch2/catch.hpp>

#include "meshota/sim/node/emulated_flash.hpp"
#include "meshota/sim/node/sim_hal.hpp"

namespace ms = meshota::sim;

namespace {
std::vector<uint8_t> page_of(const ms::EmulatedFlash& f, uint32_t slot) {
  std::vector<uint8_t> b(4096);
  REQUIRE(f.read(slot, 0, b));
  return b;
}
}  // namespace

TEST_CASE("flash power: a cut write is lost, torn in half, or completed; later operations fail") {
  ms::NodeSpec spec;
  ms::PagePool pool(4096);
  const std::vector<uint8_t> data(4096, 0x00);
  for (const ms::CutEffect effect : {ms::CutEffect::kLost, ms::CutEffect::kTorn, ms::CutEffect::kNone}) {
    CAPTURE(static_cast<int>(effect));
    ms::EmulatedFlash flash(pool, spec, 2, 4096);
    ms::FlashPower power;
    flash.attach_power(power);
    power.cut_at(2, effect);
    REQUIRE(flash.erase_page(0, 0));                         // op 1
    const bool ok = flash.write(0, 0, data);                 // op 2: cut
    const std::vector<uint8_t> p = page_of(flash, 0);
    const size_t zeros = static_cast<size_t>(std::count(p.begin(), p.end(), 0));
    if (effect == ms::CutEffect::kLost) CHECK((!ok && zeros == 0));
    if (effect == ms::CutEffect::kTorn) CHECK((!ok && zeros == 2048));
    if (effect == ms::CutEffect::kNone) CHECK((ok && zeros == 4096));
    CHECK(power.off());
    CHECK_FALSE(flash.erase_page(1, 0));
    CHECK(power.operations() == 2);
    power.power_on();
    CHECK(flash.erase_page(1, 0));
  }
}

TEST_CASE("flash power: a torn erase leaves half the page erased; NVS writes are all or nothing") {
  ms::NodeSpec spec;
  ms::PagePool pool(4096);
  ms::EmulatedFlash flash(pool, spec, 1, 4096);
  ms::FlashPower power;
  flash.attach_power(power);
  const std::vector<uint8_t> zeros(4096, 0x00);
  REQUIRE(flash.erase_page(0, 0));
  REQUIRE(flash.write(0, 0, zeros));
  power.cut_at(1, ms::CutEffect::kTorn);
  CHECK_FALSE(flash.erase_page(0, 0));
  const std::vector<uint8_t> p = page_of(flash, 0);
  CHECK(std::count(p.begin(), p.end(), 0xff) == 2048);
  CHECK(p[0] == 0xff);
  CHECK(p[4095] == 0x00);

  power.power_on();
  ms::SimStateStore nvs;
  nvs.attach_power(power);
  const uint8_t a[] = {1, 2, 3}, b[] = {4, 5};
  REQUIRE(nvs.write("k", a));
  power.cut_at(1, ms::CutEffect::kTorn);
  CHECK_FALSE(nvs.write("k", b));
  uint8_t out[8];
  CHECK(nvs.read("k", out) == 3);  // the old record, whole
  CHECK(out[2] == 3);
}
