// Power-cut sweeps over one whole device (issue 9, "Power-cut proof"), in the
// manner of MCUboot's simulator and littlefs's power-loss runner. The app
// flash (two slots), the staging area, the boot records (otadata) and the
// state store share one FlashPower. Each sequence -- update + trial +
// confirm, update + failed health check + revert, update + crash on trial +
// revert -- runs once to count its flash operations N, then again on a fresh
// device for every k in 1..N and every cut effect (lost, torn, completed).
// At the cut all RAM is dropped; the bootloader runs with a real SHA-256
// check of the slot; the slot that runs must hold the old or the new image
// byte for byte. Then the sequence resumes and must end on the right image
// without fetching again a page the device had already completed.

#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

#include "meshota/core/boot/boot_manager.hpp"
#include "meshota/core/ota/image_state.hpp"
#include "meshota/sim/node/digest.hpp"
#include "meshota/sim/node/emulated_flash.hpp"
#include "meshota/sim/node/flash_power.hpp"
#include "meshota/sim/node/sim_hal.hpp"
#include "meshota/sim/node/zlib_inflater.hpp"
#include "ota/ota_test_util.hpp"

namespace mc = meshota::core;
namespace ms = meshota::sim;
using meshota::test::Bytes;

namespace {

constexpr uint8_t kOldSlot = 0;  // the factory image runs here
constexpr uint8_t kNewSlot = 1;  // the update is written here
constexpr uint32_t kPeer = 7;    // the sender of every chunk
constexpr uint32_t kMaxLives = 12;
// Two trial boots: a power cut during the trial must not cost the update (a device that used up its
// trial boots never installs that image again, BootManager::stage -> kRejected).
const mc::BootConfig kDeviceBoot{2};

const Bytes& old_image() { return meshota::test::firmware("hello_world_old.bin"); }
const Bytes& new_image() { return meshota::test::firmware("hello_world_new.bin"); }

/// The bootloader's integrity check: SHA-256 of the slot's first `bytes` against the record's digest.
class Sha256Slots final : public mc::SlotVerifier {
 public:
  explicit Sha256Slots(const mc::FirmwareStore& flash) : flash_(flash) {}
  bool intact(uint8_t slot, uint32_t bytes, const uint8_t (&digest)[32]) override {
    if (slot >= flash_.slot_count() || bytes == 0 || bytes > flash_.slot_size_bytes()) return false;
    Bytes b(bytes);
    if (!flash_.read(slot, 0, b)) return false;
    const std::array<uint8_t, 32> d = ms::sha256_of(b);
    return std::equal(d.begin(), d.end(), digest);
  }

 private:
  const mc::FirmwareStore& flash_;
};

/// What survives a power cut: flash areas and state store on one power supply. Built as it leaves the
/// factory: the old image in slot 0 and a boot record naming it (size and digest), then powered.
struct Device {
  Device() {
    flash.program(kOldSlot, old_image());
    mc::BootRecord factory;
    factory.slot_bytes[kOldSlot] = static_cast<uint32_t>(old_image().size());
    const std::array<uint8_t, 32> d = ms::sha256_of(old_image());
    std::copy(d.begin(), d.end(), factory.slot_digest[kOldSlot]);
    mc::BootRecordStore records(otadata);
    REQUIRE(records.commit(factory));
    flash.attach_power(power);
    stage.attach_power(power);
    otadata.attach_power(power);
    nvs.attach_power(power);
  }
  /// Slot `slot` starts with `image`, byte for byte.
  bool slot_holds(uint32_t slot, const Bytes& image) const {
    Bytes b(image.size());
    return flash.read(slot, 0, b) && b == image;
  }

  ms::PagePool pool{4096};
  ms::NodeSpec spec{};
  ms::EmulatedFlash flash{pool, spec};
  ms::EmulatedFlash stage{pool, spec, 1, spec.stage_size_bytes};
  ms::EmulatedFlash otadata{pool, spec, 2, 4096};
  ms::SimStateStore nvs;
  ms::FlashPower power;
  Sha256Slots verify{flash};
};

/// What a boot of the old image builds in RAM to fetch and write the update; gone at every reset.
struct UpdateRam {
  UpdateRam(Device& d, mc::BootControl& boot, const mc::ManifestHeader& h, size_t manifest_bytes)
      : manifest(manifest_bytes),
        unit(h.max_unit_bytes()),
        work(mc::ImageWriter::work_bytes_for(h)),
        a_buf(h.max_unit_bytes()),
        b_buf(h.max_unit_bytes()),
        offsets(size_t{h.page_count} + 1),
        image(mc::ImageStorage{d.flash, d.stage, boot, d.nvs, sha, &inflater}, mc::ManifestTrust{},
              mc::ImageBuffers{manifest, offsets, unit, work, std::span<mc::PageAssembler* const>(window)}) {}

  ms::OpenSslSha256 sha;
  ms::ZlibInflater inflater;
  Bytes manifest, unit, work, a_buf, b_buf;
  std::vector<uint32_t> offsets;
  mc::PageAssembler a{a_buf, sha}, b{b_buf, sha};
  mc::PageAssembler* window[2] = {&a, &b};
  mc::ImageState image;
};

/// What the trial image does.
enum class Trial : uint8_t { kConfirm, kFailHealth, kCrash };

/// One sequence on one packing of the new image.
struct Case {
  const char* name;
  Trial trial;
  const ms::PackedImage* image;
};

/// One run's bookkeeping; `context` names the run in failure messages.
struct Tally {
  explicit Tally(uint32_t pages) : fetches(pages, 0), done(pages, false) {}
  std::vector<uint32_t> fetches;  ///< how often each page was fetched
  std::vector<bool> done;         ///< pages that completed (kPageDone) before the cut
  uint32_t failures = 0;
  bool woke_on_new = false;  ///< the first boot after the cut ran the new image
  std::string context;
};

bool expect(bool ok, Tally& t, const char* what) {
  if (!ok) {
    ++t.failures;
    FAIL_CHECK(what << " [" << t.context << "]");
  }
  return ok;
}

/// How a life (boot to reset) or a step of it ended.
enum class Life : uint8_t { kGoOn, kReset, kDone, kPowerCut, kStuck };

}  // namespace

namespace {

/// The manifest in chunk-sized pieces, as a peer answers a request.
Life feed_manifest(Device& d, mc::ImageState& s, const ms::PackedImage& p, Tally& t) {
  const auto total = static_cast<uint32_t>(p.manifest.size());
  for (uint32_t off = 0; off < total;) {
    const uint32_t n = std::min<uint32_t>(total - off, mc::wire::kMaxChunkPayloadV1);
    const mc::wire::ManifestData m{kPeer, p.image_id, total, off, std::span<const uint8_t>(p.manifest).subspan(off, n)};
    const mc::ManifestPiece r = s.on_manifest(m);
    if (d.power.off()) return Life::kPowerCut;
    off += n;
    if (!expect(r == (off == total ? mc::ManifestPiece::kComplete : mc::ManifestPiece::kStored), t, "manifest piece"))
      return Life::kStuck;
  }
  return Life::kGoOn;
}

/// Every chunk of page `page`; its last one completes, stages and (in order) writes it.
Life feed_page(Device& d, mc::ImageState& s, const ms::PackedImage& p, uint32_t page, Tally& t) {
  ++t.fetches[page];
  const uint32_t n = p.chunk_count(page);
  for (uint32_t i = 0; i < n; ++i) {
    const mc::wire::Chunk c{kPeer, p.image_id, static_cast<uint16_t>(page), static_cast<uint8_t>(i), p.chunk(page, i)};
    const mc::ChunkOutcome o = s.on_chunk(c);
    if (d.power.off()) return Life::kPowerCut;
    if (!expect(o == (i + 1 == n ? mc::ChunkOutcome::kPageDone : mc::ChunkOutcome::kAccepted), t, "chunk outcome"))
      return Life::kStuck;
  }
  t.done[page] = true;
  return Life::kGoOn;
}

/// The old image runs: resume (or start) the update from what flash and state hold, then install it.
Life update(Device& d, const Case& c, Tally& t, mc::BootManager& bm) {
  const ms::PackedImage& p = *c.image;
  UpdateRam ram(d, bm, p.header, p.manifest.size());
  ram.image.load();
  if (d.power.off()) return Life::kPowerCut;
  if (!ram.image.has_manifest()) {
    if (const Life l = feed_manifest(d, ram.image, p, t); l != Life::kGoOn) return l;
  }
  for (uint32_t page = 0; page < p.header.page_count; ++page) {
    // A page completed before a cut is still held: it is never fetched again.
    if (t.done[page] && !expect(ram.image.holds(page), t, "a completed page was lost")) return Life::kStuck;
    if (ram.image.holds(page)) continue;
    if (const Life l = feed_page(d, ram.image, p, page, t); l != Life::kGoOn) return l;
  }
  if (!expect(ram.image.written(), t, "every page fed but the image is not written")) return Life::kStuck;
  const mc::StageResult r = ram.image.install();
  if (d.power.off()) return Life::kPowerCut;
  return expect(r == mc::StageResult::kOk, t, "install refused") ? Life::kReset : Life::kStuck;
}

/// The new image runs: on trial it confirms, fails its health check (and restarts) or crashes.
Life live_new(Device& d, const Case& c, Tally& t, mc::BootManager& bm) {
  if (!bm.on_trial()) return Life::kDone;  // confirmed: the end of the update (a wrong end for the others)
  bool ok = true;
  if (c.trial == Trial::kConfirm) ok = bm.confirm();
  if (c.trial == Trial::kFailHealth) ok = bm.fail_health();
  if (d.power.off()) return Life::kPowerCut;
  return expect(ok, t, "confirm or fail_health refused") ? Life::kReset : Life::kStuck;
}

/// One life after the bootloader chose `bm`'s slot.
Life live(Device& d, const Case& c, Tally& t, mc::BootManager& bm) {
  if (bm.running_slot() == kNewSlot) return live_new(d, c, t, bm);
  // Back on the old image: done when the trial ended as this sequence ends it, else the update goes on.
  const mc::SlotState reverted = c.trial == Trial::kFailHealth ? mc::SlotState::kInvalid : mc::SlotState::kAborted;
  if (c.trial != Trial::kConfirm && bm.record().state[kNewSlot] == reverted) return Life::kDone;
  return update(d, c, t, bm);
}

/// The first boot after a cut: bootable, and on the old or the new image byte for byte.
bool check_after_cut(Device& d, Tally& t, const mc::BootManager& bm, const mc::BootDecision& dec) {
  if (!expect(dec.bootable && !dec.flash_error, t, "not bootable after the cut")) return false;
  const bool old_runs = dec.slot == kOldSlot && d.slot_holds(kOldSlot, old_image());
  const bool new_runs = dec.slot == kNewSlot && d.slot_holds(kNewSlot, new_image());
  const mc::SlotState st = bm.running_state();
  t.woke_on_new = new_runs;
  return expect(old_runs || new_runs, t, "the running slot holds neither the old nor the new image") &&
         expect(st == mc::SlotState::kValid || st == mc::SlotState::kPendingVerify, t, "runs a slot not bootable");
}

/// Resets and lives until the sequence ends or power goes; `after_cut` checks the first boot.
Life run(Device& d, const Case& c, Tally& t, bool after_cut) {
  for (uint32_t life = 0; life < kMaxLives; ++life) {
    mc::BootManager bm(d.otadata, kDeviceBoot);
    const mc::BootDecision dec = bm.boot(d.verify);
    if (d.power.off()) return Life::kPowerCut;
    if (life == 0 && after_cut && !check_after_cut(d, t, bm, dec)) return Life::kStuck;
    const Life l = live(d, c, t, bm);
    if (l != Life::kReset) return l;
  }
  expect(false, t, "the sequence did not end");
  return Life::kStuck;
}

}  // namespace

namespace {

/// After the sequence: a reset boots the right image, in the right state, and no page was fetched twice
/// except the one a cut interrupted.
void check_end(Device& d, const Case& c, Tally& t) {
  mc::BootManager bm(d.otadata, kDeviceBoot);
  const mc::BootDecision dec = bm.boot(d.verify);
  expect(dec.bootable && !dec.trial, t, "final boot");
  const mc::BootRecord& r = bm.record();
  if (c.trial == Trial::kConfirm) {
    expect(dec.slot == kNewSlot && d.slot_holds(kNewSlot, new_image()), t, "the update did not end on the new image");
    expect(r.state[kNewSlot] == mc::SlotState::kValid, t, "the new image is not valid");
  } else {
    expect(dec.slot == kOldSlot && d.slot_holds(kOldSlot, old_image()), t, "the revert did not end on the old image");
    const bool failed = c.trial == Trial::kFailHealth;
    expect(r.state[kNewSlot] == (failed ? mc::SlotState::kInvalid : mc::SlotState::kAborted), t, "new slot state");
    expect(r.last_revert == (failed ? mc::RevertReason::kHealthCheckFailed : mc::RevertReason::kTrialNotConfirmed), t,
           "revert reason");
  }
  uint32_t twice = 0;
  for (const uint32_t f : t.fetches) {
    expect(f >= 1 && f <= 2, t, "a page fetched never or more than twice");
    twice += f == 2 ? 1 : 0;
  }
  expect(twice <= 1, t, "more than the interrupted page fetched again");
}

struct SweepResult {
  uint64_t ops = 0;
  uint32_t tried = 0;
  uint32_t failures = 0;
  uint32_t woke_on_new = 0;  ///< cuts after which the new image ran at once
};

const char* effect_name(ms::CutEffect e) {
  return e == ms::CutEffect::kLost ? "lost" : e == ms::CutEffect::kTorn ? "torn" : "completed";
}

/// One cut: run to operation k, lose power with `effect`, boot and check, resume to the end.
void cut_once(const Case& c, uint64_t k, ms::CutEffect effect, SweepResult& out) {
  Device d;
  Tally t(c.image->header.page_count);
  std::ostringstream ctx;
  ctx << c.name << (c.image->header.compressed() ? ", deflate" : ", plain") << ", cut at op " << k << " ("
      << effect_name(effect) << ")";
  t.context = ctx.str();
  d.power.cut_at(k, effect);
  expect(run(d, c, t, false) == Life::kPowerCut, t, "power was never cut");
  d.power.power_on();
  if (expect(run(d, c, t, true) == Life::kDone, t, "the resumed sequence did not end")) check_end(d, c, t);
  out.woke_on_new += t.woke_on_new ? 1 : 0;
  ++out.tried;
  out.failures += t.failures;
}

SweepResult sweep(const Case& c) {
  SweepResult out;
  {
    Device probe;
    Tally t(c.image->header.page_count);
    t.context = std::string(c.name) + ", no cut";
    REQUIRE(run(probe, c, t, false) == Life::kDone);
    check_end(probe, c, t);
    for (const uint32_t f : t.fetches) CHECK(f == 1);
    REQUIRE(t.failures == 0);
    out.ops = probe.power.operations();
  }
  for (uint64_t k = 1; k <= out.ops; ++k)
    for (const ms::CutEffect e : {ms::CutEffect::kLost, ms::CutEffect::kTorn, ms::CutEffect::kNone})
      cut_once(c, k, e, out);
  return out;
}

void sweep_both_packings(const char* name, Trial trial) {
  const ms::PackedImage plain = meshota::test::pack(new_image());
  const ms::PackedImage deflated = meshota::test::pack(new_image(), meshota::test::deflate_options(15));
  for (const ms::PackedImage* p : {&plain, &deflated}) {
    const auto start = std::chrono::steady_clock::now();
    const SweepResult r = sweep(Case{name, trial, p});
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("power-cut sweep: %-28s %-7s %2u pages, %4llu flash ops, %5u cut points tried (x lost/torn/completed), "
                "new image at once after %u, %u failures, %.1f s\n",
                name, p->header.compressed() ? "deflate" : "plain", unsigned{p->header.page_count},
                static_cast<unsigned long long>(r.ops), r.tried, r.woke_on_new, r.failures, s);
    CHECK(r.tried == 3 * r.ops);
    REQUIRE(r.failures == 0);
  }
}

}  // namespace

TEST_CASE("power cut at every flash operation: update, trial boot, confirm", "[safety][power]") {
  sweep_both_packings("update+trial+confirm", Trial::kConfirm);
}

TEST_CASE("power cut at every flash operation: update, failed health check, revert", "[safety][power]") {
  sweep_both_packings("update+failed check+revert", Trial::kFailHealth);
}

TEST_CASE("power cut at every flash operation: update, crash on trial, revert", "[safety][power]") {
  sweep_both_packings("update+trial crash+revert", Trial::kCrash);
}
