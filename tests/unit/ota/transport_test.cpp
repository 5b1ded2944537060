// A component's binary message on both transports: raw on ESP-NOW, base64 in a
// painlessMesh package of type 90 on the tree, handed back byte for byte.

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "fake_hal.hpp"
#include "meshota/core/node.hpp"
#include "meshota/core/transport.hpp"

using namespace meshota::core;

namespace {

struct Capture final : Component {
  std::vector<std::vector<uint8_t>> messages;
  std::vector<NodeId> from;
  void on_boot(Instant) override {}
  void on_message(Instant, NodeId sender, std::span<const uint8_t> m, Outbox&) override {
    messages.emplace_back(m.begin(), m.end());
    from.push_back(sender);
  }
  Instant poll(Instant, Outbox&) override { return Instant::never(); }
};

struct Rig {
  explicit Rig(Transport t) {
    NodeConfig c;
    c.id = 7;
    c.transport = t;
    c.pm_ota_receiver = false;
    node = std::make_unique<Node>(c, hal.hal);
    REQUIRE(node->add_component(capture));
  }
  meshota::test::FakeHal hal;
  Capture capture;
  std::unique_ptr<Node> node;
  Outbox out;
};

const std::vector<uint8_t> kMessage = {0x4d, 0x01, 0x00, 0xff, 0x7f, 0x80, 0x22, 0x5c, 0x00, 0x0a};

}  // namespace

TEST_CASE("transport: painlessMesh carries a binary message base64-encoded in a type-90 package") {
  Outbox out;
  const MessageOut sender(Transport::kPainlessMesh, 1234567890);
  REQUIRE(sender.send(out, 42, Routing::kSingle, kMessage));
  REQUIRE(out.size() == 1);
  const auto frame = out.bytes(0);
  const std::string text(reinterpret_cast<const char*>(frame.data()), frame.size());
  CHECK(text == std::string(R"({"from":1234567890,"routing":1,"type":90,"dest":42,"data":"TQEA/3+AIlwACg=="})") + '\0');
  CHECK(out.frame(0).dest == 42);
  CHECK(out.frame(0).routing == Routing::kSingle);

  Rig rx(Transport::kPainlessMesh);
  rx.node->on_frame(Instant{1}, 0, frame, rx.out);
  REQUIRE(rx.capture.messages.size() == 1);
  CHECK(rx.capture.messages[0] == kMessage);
  CHECK(rx.capture.from[0] == 1234567890);
  CHECK(rx.node->stats().messages == 1);
}

TEST_CASE("transport: ESP-NOW frames are the message, one hop only") {
  Outbox out;
  const MessageOut sender(Transport::kEspNow, 5);
  REQUIRE(sender.send(out, kAllNeighbours, Routing::kNeighbour, kMessage));
  CHECK(std::vector<uint8_t>(out.bytes(0).begin(), out.bytes(0).end()) == kMessage);
  // Multi-hop routing does not exist on ESP-NOW: refused, counted.
  CHECK_FALSE(sender.send(out, 9, Routing::kSingle, kMessage));
  CHECK(out.overflows() == 1);

  Rig rx(Transport::kEspNow);
  rx.node->on_frame(Instant{1}, 5, out.bytes(0), rx.out);
  REQUIRE(rx.capture.messages.size() == 1);
  CHECK(rx.capture.messages[0] == kMessage);
  CHECK(rx.capture.from[0] == 5);
}

TEST_CASE("transport: a type-90 package with bad data is counted, never handed on") {
  Rig rx(Transport::kPainlessMesh);
  for (const std::string bad : {R"({"from":1,"routing":1,"type":90,"dest":7,"data":"*not base64*"})",
                                R"({"from":1,"routing":1,"type":90,"dest":7})",
                                R"({"routing":1,"type":90,"dest":7,"data":"TQ=="})"}) {
    const std::string frame = bad + '\0';
    rx.node->on_frame(Instant{1}, 0,
                      std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(frame.data()), frame.size()), rx.out);
  }
  CHECK(rx.capture.messages.empty());
  CHECK(rx.node->stats().bad_envelopes == 3);
}
