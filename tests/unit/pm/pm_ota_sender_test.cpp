// painlessMesh's distributing side, through core::Node: offerOTA()'s Announce
// schedule (at once, then every 60 s, 60 in all) and the answer to each
// DataRequest addressed to it (the chunk, to the requester, SINGLE or BROADCAST).

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

constexpr NodeId kSender = 2002;
constexpr NodeId kAsker = 77;
constexpr int64_t kSec = 1000000;

struct SenderRig {
  FakeHal hal;
  MemoryImage image;
  PmOffer offer;
  std::unique_ptr<Node> node;
  std::unique_ptr<Outbox> out = std::make_unique<Outbox>();

  explicit SenderRig(size_t image_bytes = 2500, uint32_t chunk = 1024)
      : image(pattern_bytes(image_bytes, 5)) {
    NodeConfig cfg;
    cfg.id = kSender;
    cfg.hardware.assign("ESP32");
    cfg.role.assign("gateway");
    cfg.pm_ota_receiver = false;
    cfg.pm_ota_source = &image;
    node = std::make_unique<Node>(cfg, hal.hal);
    node->on_boot(Instant{});
    offer.md5.assign(md5_of(image.bytes));
    offer.hardware.assign("ESP32");
    offer.role.assign("sensor");
    offer.chunk_bytes = chunk;
    offer.no_part = static_cast<uint32_t>((image_bytes + chunk - 1) / chunk);
  }
  PmOtaSender& tx() { return *node->pm_sender(); }

  PmOtaPackage request(uint32_t part, bool broadcasted = false) const {
    PmOtaPackage r;
    r.type = PmType::kOtaDataRequest;
    r.routing = Routing::kSingle;
    r.from = kAsker;
    r.dest = kSender;
    r.md5 = offer.md5;
    r.hardware = offer.hardware;
    r.role = offer.role;
    r.no_part = offer.no_part;
    r.part_no = part;
    r.broadcasted = broadcasted;
    return r;
  }
  std::vector<Sent> deliver(const Bytes& frame) {
    out->clear();
    node->on_frame(Instant{kSec}, 0, frame, *out);
    CHECK(out->overflows() == 0);
    return drain(*out);
  }
  Bytes chunk(uint32_t part) const {
    const size_t begin = size_t{part} * offer.chunk_bytes;
    const size_t end = std::min(image.bytes.size(), begin + offer.chunk_bytes);
    return Bytes(image.bytes.begin() + static_cast<std::ptrdiff_t>(begin),
                 image.bytes.begin() + static_cast<std::ptrdiff_t>(end));
  }
};

void check_data(const Sent& s, const SenderRig& rig, const PmOtaPackage& req) {
  const Routing routing = req.broadcasted ? Routing::kBroadcast : Routing::kSingle;
  CHECK(s.status == PmDecodeStatus::kOk);
  CHECK(s.frame.dest == req.from);
  CHECK(s.frame.routing == routing);
  CHECK(s.pkg.type == PmType::kOtaData);
  CHECK(s.pkg.routing == routing);
  CHECK(s.pkg.from == kSender);
  CHECK(s.pkg.dest == req.from);
  CHECK(s.pkg.part_no == req.part_no);
  CHECK(s.pkg.md5 == req.md5);
  CHECK(s.pkg.hardware == req.hardware);
  CHECK(s.pkg.role == req.role);
  CHECK(s.pkg.no_part == req.no_part);
  CHECK(s.pkg.broadcasted == req.broadcasted);
  CHECK(s.pkg.forced == req.forced);
  CHECK(s.pkg.compressed == req.compressed);
  bool ok = false;
  CHECK(from_base64(s.data_b64, &ok) == rig.chunk(req.part_no));
  CHECK(ok);
}

}  // namespace

TEST_CASE("core: offer() announces at once, then every 60 s, 60 Announces in all", "[core][sender]") {
  SenderRig rig;
  rig.offer.forced = true;
  rig.offer.broadcasted = GENERATE(false, true);
  CAPTURE(rig.offer.broadcasted);
  const Instant start{10 * kSec};
  rig.tx().offer(start, rig.offer, *rig.out);
  auto sent = drain(*rig.out);
  REQUIRE(sent.size() == 1);

  PmOtaPackage expected;
  expected.type = PmType::kOtaAnnounce;
  expected.from = kSender;
  expected.routing = Routing::kBroadcast;
  expected.md5 = rig.offer.md5;
  expected.hardware = rig.offer.hardware;
  expected.role = rig.offer.role;
  expected.no_part = 3;
  expected.forced = true;
  expected.broadcasted = rig.offer.broadcasted;
  const std::string wire = as_text(encode(expected));
  CHECK(sent[0].text == wire);
  CHECK(sent[0].frame.routing == Routing::kBroadcast);
  CHECK(sent[0].frame.dest == 0);

  uint32_t announces = 1;
  Instant next = rig.node->poll(start, *rig.out);
  CHECK(rig.out->size() == 0);
  while (next != Instant::never()) {
    CAPTURE(announces);
    REQUIRE(next.us == start.us + announces * 60 * kSec);
    CHECK(rig.node->poll(Instant{next.us - 1}, *rig.out) == next);
    CHECK(rig.out->size() == 0);
    const Instant at = next;
    next = rig.node->poll(at, *rig.out);
    sent = drain(*rig.out);
    REQUIRE(sent.size() == 1);
    CHECK(sent[0].text == wire);
    ++announces;
    REQUIRE(announces <= 60);
  }
  CHECK(announces == 60);
  CHECK(rig.tx().stats().announces_sent == 60);
  CHECK(rig.node->poll(Instant{start.us + 7200 * kSec}, *rig.out) == Instant::never());
  CHECK(rig.out->size() == 0);
}

TEST_CASE("core: a rebooted sender stops announcing until offered again", "[core][sender]") {
  SenderRig rig;
  rig.tx().offer(Instant{}, rig.offer, *rig.out);
  REQUIRE(drain(*rig.out).size() == 1);
  rig.node->on_boot(Instant{kSec});
  CHECK(rig.node->poll(Instant{120 * kSec}, *rig.out) == Instant::never());
  CHECK(rig.out->size() == 0);
}

TEST_CASE("core: a DataRequest addressed to the sender gets its chunk back", "[core][sender]") {
  SenderRig rig;
  rig.tx().offer(Instant{}, rig.offer, *rig.out);
  drain(*rig.out);
  SECTION("every part, unicast, the last one short") {
    for (uint32_t part = 0; part < 3; ++part) {
      CAPTURE(part);
      const PmOtaPackage req = rig.request(part);
      const auto sent = rig.deliver(encode(req));
      REQUIRE(sent.size() == 1);
      check_data(sent[0], rig, req);
    }
    CHECK(rig.chunk(2).size() == 452);
    CHECK(rig.tx().stats().requests_answered == 3);
    CHECK(rig.tx().stats().data_broadcast == 0);
  }
  SECTION("broadcasted: BROADCAST routing, still naming the requester as dest") {
    PmOtaPackage req = rig.request(1, true);
    req.forced = true;
    req.compressed = true;
    const auto sent = rig.deliver(encode(req));
    REQUIRE(sent.size() == 1);
    check_data(sent[0], rig, req);
    CHECK(rig.tx().stats().data_broadcast == 1);
  }
  SECTION("a part past the end gets no answer") {
    CHECK(rig.deliver(encode(rig.request(3))).empty());
    CHECK(rig.deliver(encode(rig.request(UINT32_MAX))).empty());
    CHECK(rig.tx().stats().requests_unanswerable == 2);
    CHECK(rig.tx().stats().requests_answered == 0);
  }
  SECTION("a request addressed to another node, and non-request packages, are ignored") {
    PmOtaPackage req = rig.request(0);
    req.dest = 4242;
    CHECK(rig.deliver(encode(req)).empty());
    PmOtaPackage data = rig.request(0);
    data.type = PmType::kOtaData;
    CHECK(rig.deliver(encode_data(data, rig.chunk(0))).empty());
    PmOtaPackage ann = rig.request(0);
    ann.type = PmType::kOtaAnnounce;
    CHECK(rig.deliver(encode(ann)).empty());
    CHECK(rig.image.reads == 0);
    CHECK(rig.tx().stats().requests_answered == 0);
    CHECK(rig.tx().stats().requests_unanswerable == 0);
  }
  SECTION("upstream answers by partNo whatever md5 the request names") {
    PmOtaPackage req = rig.request(0);
    req.md5.assign(std::string(32, 'a'));
    const auto sent = rig.deliver(encode(req));
    REQUIRE(sent.size() == 1);
    check_data(sent[0], rig, req);
  }
}

TEST_CASE("core: chunks larger than the core's buffer are clamped to kPmMaxChunkBytes", "[core][sender]") {
  SenderRig rig(20000, 10000);
  rig.tx().offer(Instant{}, rig.offer, *rig.out);
  drain(*rig.out);
  const auto sent = rig.deliver(encode(rig.request(1)));
  REQUIRE(sent.size() == 1);
  const Bytes got = from_base64(sent[0].data_b64);
  CHECK(got.size() == kPmMaxChunkBytes);
  CHECK(got == Bytes(rig.image.bytes.begin() + kPmMaxChunkBytes, rig.image.bytes.begin() + 2 * kPmMaxChunkBytes));
}

TEST_CASE("core: Node counts frames it cannot use", "[core][sender][node]") {
  SenderRig rig;
  for (const std::string bad : {"not json", "{\"type\":", "[10]"}) rig.deliver(Bytes(bad.begin(), bad.end()));
  const std::string untyped = "{\"from\":1}";
  rig.deliver(Bytes(untyped.begin(), untyped.end()));
  PmUserMessage m;
  m.dest = kSender;
  m.from = kAsker;
  m.msg = "hi";
  Bytes buf(256);
  buf.resize(pm_encode(m, buf));
  CHECK(rig.deliver(buf).empty());
  const NodeStats& st = rig.node->stats();
  CHECK(st.frames_received == 5);
  CHECK(st.frames_not_json == 3);
  CHECK(st.frames_untyped == 1);
  CHECK(st.user_messages == 1);
}
