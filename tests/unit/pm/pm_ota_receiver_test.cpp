// painlessMesh's OTA receiver, driven through core::Node with encoded frames
// exactly as a distributing node would send them: which Announces it takes,
// the stop-and-wait requests and their TaskScheduler retries, installing and
// rebooting, the MD5 check, persistence across a reboot and broadcasted mode.

#include <catch2/catch.hpp>
#include <memory>
#include <string>
#include <vector>

#include "fake_hal.hpp"
#include "meshota/core/node.hpp"
#include "meshota/core/pm/pm_codec.hpp"

using namespace meshota::core;
using namespace meshota::test;

namespace {

constexpr NodeId kSelf = 1001;
constexpr NodeId kSender = 2002;
constexpr NodeId kRoot = 3003;
constexpr int64_t kSec = 1000000;

using Image = TestImage;

struct Polled {
  std::vector<Sent> sent;
  Instant next;
  bool reboot = false;
};

/// One receiving node over HAL objects that survive its reboots.
struct Rig {
  FakeHal hal;
  NodeConfig cfg;
  std::unique_ptr<Node> node;
  std::unique_ptr<Outbox> out = std::make_unique<Outbox>();
  Instant now{};

  explicit Rig(NodeId id = kSelf, bool root = false) {
    cfg.id = id;
    cfg.is_root = root;
    cfg.hardware.assign("ESP32");
    cfg.role.assign("sensor");
    boot();
  }
  /// Power-on or restart: a new Node over the same HAL.
  void boot() {
    node.reset();
    node = std::make_unique<Node>(cfg, hal.hal);
    node->on_boot(now);
  }
  PmOtaReceiver& rx() { return *node->pm_receiver(); }
  std::vector<Sent> deliver(const Bytes& frame) {
    out->clear();
    node->on_frame(now, 0, frame, *out);
    CHECK_FALSE(out->reboot_requested());
    CHECK(out->overflows() == 0);
    return drain(*out);
  }
  Polled poll_at(Instant t) {
    now = t;
    out->clear();
    Polled p;
    p.next = node->poll(now, *out);
    p.reboot = out->reboot_requested();
    p.sent = drain(*out);
    return p;
  }
  void advance(int64_t us) { now = now + Duration::micros(us); }
};

void check_request(const Sent& s, NodeId from, NodeId dest, uint32_t part, const Image& img) {
  CHECK(s.status == PmDecodeStatus::kOk);
  CHECK(s.frame.dest == dest);
  CHECK(s.frame.routing == Routing::kSingle);
  CHECK(s.pkg.type == PmType::kOtaDataRequest);
  CHECK(s.pkg.routing == Routing::kSingle);
  CHECK(s.pkg.from == from);
  CHECK(s.pkg.dest == dest);
  CHECK(s.pkg.part_no == part);
  CHECK(s.pkg.md5.view() == img.md5);
  CHECK(s.pkg.hardware.view() == "ESP32");
  CHECK(s.pkg.role.view() == "sensor");
  CHECK(s.pkg.no_part == img.parts());
}

/// Answers every request with its chunk until none follows; returns the requests seen.
uint32_t serve(Rig& rig, const Image& img, std::vector<Sent> sent, int corrupt_part = -1) {
  uint32_t requests = 0;
  const uint32_t first = sent.empty() ? 0 : sent[0].pkg.part_no;
  while (!sent.empty()) {
    REQUIRE(sent.size() == 1);
    const uint32_t part = sent[0].pkg.part_no;
    check_request(sent[0], kSelf, kSender, first + requests, img);
    REQUIRE(++requests <= img.parts());
    rig.advance(50000);
    Bytes payload = img.chunk_of(part);
    if (static_cast<int>(part) == corrupt_part) payload[7] ^= 0x01;
    sent = rig.deliver(img.data(part, kSelf, false, &payload));
  }
  return requests;
}

}  // namespace

TEST_CASE("core: receiver takes an Announce only for its role, hardware and a new md5", "[core][receiver]") {
  Rig rig;
  const Image img;
  PmOtaPackage other = img.announce_pkg();
  other.role.assign("relay");
  CHECK(rig.deliver(encode(other)).empty());
  other = img.announce_pkg();
  other.hardware.assign("ESP8266");
  CHECK(rig.deliver(encode(other)).empty());
  CHECK(rig.rx().updating_md5().empty());
  CHECK(rig.rx().stats().announces_accepted == 0);

  SECTION("the md5 installed (from /ota_fw.json) is ignored unless forced") {
    const std::string state = R"({"role":"sensor","md5":")" + img.md5 +
                              R"(","hardware":"ESP32","broadcasted":false,"compressed":false})";
    rig.hal.state.write(PmOtaReceiver::kStateKey, Bytes(state.begin(), state.end()));
    rig.boot();
    CHECK(rig.rx().installed_md5() == img.md5);
    CHECK(rig.deliver(img.announce()).empty());
    CHECK(rig.rx().updating_md5().empty());
    const auto sent = rig.deliver(img.announce(false, true));
    REQUIRE(sent.size() == 1);
    check_request(sent[0], kSelf, kSender, 0, img);
    CHECK(sent[0].pkg.forced);
  }
  SECTION("a state record for another role installs nothing") {
    const std::string state = R"({"role":"relay","md5":")" + img.md5 + R"(","hardware":"ESP32"})";
    rig.hal.state.write(PmOtaReceiver::kStateKey, Bytes(state.begin(), state.end()));
    rig.boot();
    CHECK(rig.rx().installed_md5().empty());
    CHECK(rig.deliver(img.announce()).size() == 1);
  }
  SECTION("a new md5 is taken once; repeats while updating are ignored") {
    const auto sent = rig.deliver(img.announce());
    REQUIRE(sent.size() == 1);
    CHECK(rig.rx().updating_md5() == img.md5);
    rig.advance(5 * kSec);
    CHECK(rig.deliver(img.announce()).empty());
    CHECK(rig.deliver(img.announce(false, true)).empty());
    CHECK(rig.rx().stats().announces_accepted == 1);
    CHECK(rig.rx().stats().orphan_tasks == 0);
  }
}

TEST_CASE("core: receiver requests part 0 at once and the next part on in-order Data", "[core][receiver]") {
  Rig rig;
  const Image img;
  auto sent = rig.deliver(img.announce());
  REQUIRE(sent.size() == 1);
  check_request(sent[0], kSelf, kSender, 0, img);
  CHECK_FALSE(sent[0].pkg.broadcasted);
  CHECK(rig.poll_at(rig.now).next.us == 30 * kSec);

  rig.advance(kSec);
  sent = rig.deliver(img.data(0, kSelf));
  REQUIRE(sent.size() == 1);
  check_request(sent[0], kSelf, kSender, 1, img);
  CHECK(rig.rx().part_no() == 1);
  // The request task restarted: its next send is 30 s after this one.
  CHECK(rig.poll_at(rig.now).next.us == 31 * kSec);

  // Out of order (ahead, or a duplicate of the last part) and foreign Data: ignored.
  CHECK(rig.deliver(img.data(2, kSelf)).empty());
  CHECK(rig.deliver(img.data(0, kSelf)).empty());
  CHECK(rig.rx().stats().out_of_order == 2);
  CHECK(rig.rx().stats().unicast_fallbacks == 0);
  Image other;
  other.md5 = std::string(32, 'f');
  CHECK(rig.deliver(other.data(1, kSelf)).empty());
  CHECK(rig.rx().part_no() == 1);
  CHECK(rig.rx().stats().parts_written == 1);
  CHECK(rig.poll_at(rig.now).next.us == 31 * kSec);
}

TEST_CASE("core: an unanswered request is re-sent every 30 s, 10 times, then abandoned and resumed", "[core][receiver]") {
  Rig rig;
  const Image img;
  REQUIRE(rig.deliver(img.announce()).size() == 1);
  rig.advance(kSec);
  REQUIRE(rig.deliver(img.data(0, kSelf)).size() == 1);
  rig.advance(kSec);
  REQUIRE(rig.deliver(img.data(1, kSelf)).size() == 1);  // request for part 2: send 1 of 10
  Polled p = rig.poll_at(rig.now);
  CHECK(p.sent.empty());
  for (int send = 2; send <= 10; ++send) {
    CAPTURE(send);
    REQUIRE(p.next.us == rig.now.us + 30 * kSec);
    const Instant deadline = p.next;
    CHECK(rig.poll_at(Instant{deadline.us - 1}).sent.empty());
    p = rig.poll_at(deadline);
    REQUIRE(p.sent.size() == 1);
    check_request(p.sent[0], kSelf, kSender, 2, img);
  }
  // Right after the 10th send the task is disabled and abandons the update.
  CHECK(p.next == Instant::never());
  CHECK(rig.rx().updating_md5().empty());
  CHECK(rig.rx().part_no() == 2);
  CHECK(rig.rx().stats().abandons == 1);
  CHECK(rig.rx().stats().requests_sent == 12);
  CHECK(rig.rx().stats().request_retries == 9);
  CHECK(rig.poll_at(Instant{rig.now.us + 3600 * kSec}).sent.empty());
  // The answer to the last send comes too late; nothing was installed.
  CHECK(rig.deliver(img.data(2, kSelf)).empty());
  CHECK(rig.rx().installed_md5().empty());
  CHECK(rig.hal.boot.set_calls == 0);

  // The next Announce resumes from the saved partNo, and the image completes.
  rig.advance(kSec);
  auto sent = rig.deliver(img.announce());
  REQUIRE(sent.size() == 1);
  CHECK(sent[0].pkg.part_no == 2);
  serve(rig, img, sent);
  CHECK(rig.hal.boot.boot == 1);
  CHECK(rig.hal.flash.contents(1, 0, img.bytes.size()) == img.bytes);
  CHECK(rig.rx().stats().md5_failures == 0);
}

TEST_CASE("core: a complete transfer installs the image, persists its md5 and reboots 2 s later", "[core][receiver]") {
  Rig rig;
  const Image img;
  REQUIRE(img.parts() == 12);
  const uint32_t requests = serve(rig, img, rig.deliver(img.announce()));
  CHECK(requests == img.parts());
  const PmReceiverStats& st = rig.rx().stats();
  CHECK(st.parts_written == img.parts());
  CHECK(st.requests_sent == img.parts());
  CHECK(st.request_retries == 0);
  CHECK(st.md5_failures == 0);
  CHECK(st.completed_at.us == rig.now.us);

  CHECK(rig.hal.boot.running == 0);
  CHECK(rig.hal.boot.boot == 1);
  CHECK(rig.hal.flash.contents(1, 0, img.bytes.size()) == img.bytes);
  CHECK(rig.hal.flash.violations == 0);
  CHECK(rig.hal.flash.erases == 3);  // 3000 bytes over 1024-byte pages
  CHECK(rig.hal.state.text(PmOtaReceiver::kStateKey) ==
        R"({"role":"sensor","md5":")" + img.md5 +
            R"(","hardware":"ESP32","broadcasted":false,"compressed":false})");

  const Instant done = rig.now;
  Polled p = rig.poll_at(done);
  CHECK_FALSE(p.reboot);
  CHECK(p.sent.empty());
  CHECK(p.next.us == done.us + 2 * kSec);  // no request task left: only the reboot
  CHECK_FALSE(rig.poll_at(Instant{done.us + 2 * kSec - 1}).reboot);
  p = rig.poll_at(Instant{done.us + 2 * kSec});
  CHECK(p.reboot);
  CHECK(p.next == Instant::never());
  CHECK_FALSE(rig.poll_at(Instant{done.us + 10 * kSec}).reboot);
}

// Upstream (ota.hpp) copies the Announce's `compressed` into updateFW, and
// ota::State::addTo writes it to /ota_fw.json; the core always writes false.
TEST_CASE("core: /ota_fw.json keeps the Announce's compressed flag", "[core][receiver]") {
  Rig rig;
  const Image img;
  PmOtaPackage a = img.announce_pkg();
  a.compressed = true;
  serve(rig, img, rig.deliver(encode(a)));
  REQUIRE(rig.hal.boot.boot == 1);
  CHECK(rig.hal.state.text(PmOtaReceiver::kStateKey).find("\"compressed\":true") != std::string::npos);
}

TEST_CASE("core: a corrupted image fails the MD5 check and is not installed", "[core][receiver]") {
  Rig rig;
  const Image img;
  CHECK(serve(rig, img, rig.deliver(img.announce()), 5) == img.parts());
  const PmReceiverStats& st = rig.rx().stats();
  CHECK(st.md5_failures == 1);
  CHECK(st.parts_written == img.parts());
  CHECK(rig.rx().part_no() == 0);
  CHECK(rig.rx().updating_md5().empty());
  CHECK(rig.rx().installed_md5().empty());
  CHECK(rig.hal.boot.set_calls == 0);
  CHECK(rig.hal.boot.boot == 0);
  CHECK_FALSE(rig.hal.state.has(PmOtaReceiver::kStateKey));
  const Polled p = rig.poll_at(rig.now);
  CHECK(p.next == Instant::never());
  CHECK_FALSE(p.reboot);
  // The next Announce starts over from part 0, and a clean copy installs.
  rig.advance(60 * kSec);
  auto sent = rig.deliver(img.announce());
  REQUIRE(sent.size() == 1);
  CHECK(sent[0].pkg.part_no == 0);
  serve(rig, img, sent);
  CHECK(rig.hal.boot.boot == 1);
  CHECK(rig.rx().installed_md5().empty());  // known after the reboot only, as upstream
}

TEST_CASE("core: a flash write failure stops the update", "[core][receiver]") {
  Rig rig;
  const Image img;
  REQUIRE(rig.deliver(img.announce()).size() == 1);
  rig.hal.flash.fail_writes = true;
  CHECK(rig.deliver(img.data(0, kSelf)).empty());
  CHECK(rig.rx().stats().write_failures == 1);
  CHECK(rig.rx().updating_md5().empty());
  CHECK(rig.rx().part_no() == 0);
  CHECK(rig.hal.boot.set_calls == 0);
}

TEST_CASE("core: after the reboot the installed md5 is loaded and the same Announce is ignored", "[core][receiver]") {
  Rig rig;
  const Image img;
  serve(rig, img, rig.deliver(img.announce()));
  REQUIRE(rig.poll_at(Instant{rig.now.us + 2 * kSec}).reboot);
  rig.hal.boot.reboot();
  rig.boot();
  CHECK(rig.hal.boot.running == 1);
  CHECK(rig.rx().installed_md5() == img.md5);
  CHECK(rig.deliver(img.announce()).empty());
  CHECK(rig.rx().stats().announces_accepted == 0);
  SECTION("a newer image goes to the other slot, now slot 0") {
    Image next;
    next.bytes = pattern_bytes(1000, 7);
    next.md5 = md5_of(next.bytes);
    serve(rig, next, rig.deliver(next.announce()));
    CHECK(rig.hal.boot.boot == 0);
    CHECK(rig.hal.flash.contents(0, 0, next.bytes.size()) == next.bytes);
    CHECK(rig.hal.flash.contents(1, 0, img.bytes.size()) == img.bytes);
    CHECK(rig.hal.state.text(PmOtaReceiver::kStateKey).find(next.md5) != std::string::npos);
  }
  SECTION("forced re-flashes the installed image from part 0") {
    const auto sent = rig.deliver(img.announce(false, true));
    REQUIRE(sent.size() == 1);
    check_request(sent[0], kSelf, kSender, 0, img);
    CHECK(sent[0].pkg.forced);
  }
}

TEST_CASE("core: a second image announced mid-update orphans the first request task", "[core][receiver]") {
  Rig rig;
  const Image a;
  Image b;
  b.bytes = pattern_bytes(500, 9);
  b.md5 = md5_of(b.bytes);
  REQUIRE(rig.deliver(a.announce()).size() == 1);
  rig.advance(5 * kSec);
  const auto sent = rig.deliver(b.announce());
  REQUIRE(sent.size() == 1);
  CHECK(sent[0].pkg.md5.view() == b.md5);
  CHECK(rig.rx().stats().orphan_tasks == 1);
  // Both tasks keep sending; when the first one runs out, its onDisable clears
  // the update in progress, which is now b's (upstream behaviour).
  Polled p = rig.poll_at(rig.now);
  uint32_t a_sends = 1;
  while (a_sends < 10) {
    REQUIRE(p.next.us <= 600 * kSec);
    p = rig.poll_at(p.next);
    for (const Sent& s : p.sent)
      if (s.pkg.md5.view() == a.md5) ++a_sends;
  }
  CHECK(rig.now.us == 270 * kSec);
  CHECK(rig.rx().updating_md5().empty());
  CHECK(rig.rx().stats().abandons == 1);
}

TEST_CASE("core: broadcasted mode: listeners listen, fall back to unicast, the root requests", "[core][receiver]") {
  const Image img;
  SECTION("a listener sends nothing and installs from in-order broadcast Data") {
    Rig rig;
    CHECK(rig.deliver(img.announce(true)).empty());
    CHECK(rig.rx().updating_md5() == img.md5);
    CHECK(rig.rx().listening_without_timer());
    CHECK(rig.poll_at(rig.now).next == Instant::never());
    for (uint32_t part = 0; part < img.parts(); ++part) {
      rig.advance(50000);
      CHECK(rig.deliver(img.data(part, kRoot, true)).empty());
    }
    CHECK(rig.rx().stats().requests_sent == 0);
    CHECK(rig.hal.boot.boot == 1);
    CHECK(rig.hal.flash.contents(1, 0, img.bytes.size()) == img.bytes);
    CHECK(rig.hal.state.text(PmOtaReceiver::kStateKey).find("\"broadcasted\":true") != std::string::npos);
    CHECK(rig.poll_at(Instant{rig.now.us + 2 * kSec}).reboot);
  }
  SECTION("an out-of-order broadcast chunk drops a listener to unicast, from the root's id") {
    Rig rig;
    REQUIRE(rig.deliver(img.announce(true)).empty());
    CHECK(rig.deliver(img.data(0, kRoot, true)).empty());
    CHECK(rig.deliver(img.data(1, kRoot, true)).empty());
    CHECK(rig.rx().part_no() == 2);
    rig.advance(kSec);
    const auto sent = rig.deliver(img.data(3, kRoot, true));
    REQUIRE(sent.size() == 1);
    // DataRequest::replyTo(Data): from is the Data's dest, the root, not this node.
    check_request(sent[0], kRoot, kSender, 2, img);
    CHECK_FALSE(sent[0].pkg.broadcasted);
    CHECK(rig.rx().stats().unicast_fallbacks == 1);
    CHECK_FALSE(rig.rx().listening_without_timer());
    CHECK(rig.poll_at(rig.now).next.us == rig.now.us + 30 * kSec);
    // Already unicast: a further gap is only counted.
    CHECK(rig.deliver(img.data(5, kRoot, true)).empty());
    CHECK(rig.rx().stats().unicast_fallbacks == 1);
    CHECK(rig.rx().stats().out_of_order == 2);
  }
  SECTION("the root requests, keeping broadcasted, and moves on per broadcast chunk") {
    Rig rig(kRoot, true);
    auto sent = rig.deliver(img.announce(true));
    REQUIRE(sent.size() == 1);
    check_request(sent[0], kRoot, kSender, 0, img);
    CHECK(sent[0].pkg.broadcasted);
    CHECK_FALSE(rig.rx().listening_without_timer());
    sent = rig.deliver(img.data(0, kRoot, true));
    REQUIRE(sent.size() == 1);
    check_request(sent[0], kRoot, kSender, 1, img);
    CHECK(sent[0].pkg.broadcasted);
  }
}
