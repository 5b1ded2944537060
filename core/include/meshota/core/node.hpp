#pragma once
// A mesh node as a sans-I/O state machine. The host (the simulator, or the ESP
// main loop) delivers frames, calls poll() at the deadline it returns, and
// transmits what lands in the Outbox.

#include <cstdint>
#include <optional>
#include <span>

#include "meshota/core/component.hpp"
#include "meshota/core/hal.hpp"
#include "meshota/core/hal/image_source.hpp"
#include "meshota/core/codec/json_reader.hpp"
#include "meshota/core/pm/pm_ota_receiver.hpp"
#include "meshota/core/pm/pm_ota_sender.hpp"
#include "meshota/core/transport.hpp"

namespace meshota::core {

/// What a node is and which protocols it runs.
struct NodeConfig {
  NodeId id = 0;
  bool is_root = false;
  Transport transport = Transport::kPainlessMesh;
  FixedString<16> hardware;
  FixedString<32> role;
  PmOtaConfig pm_ota;
  bool pm_ota_receiver = true;
  ImageSource* pm_ota_source = nullptr;  ///< set on a distributing node
};

/// Frames a node refused, by reason.
struct NodeStats {
  uint32_t frames_received = 0;
  uint32_t frames_not_json = 0;   ///< not one JSON object (or over the token limit)
  uint32_t frames_untyped = 0;    ///< JSON without a numeric `type`
  uint32_t user_messages = 0;     ///< types 8 and 9, for the application
  uint32_t messages = 0;          ///< meshota binary messages handed to components
  uint32_t bad_envelopes = 0;     ///< meshota packages whose `data` is not valid base64 or too long
};

/// One node: parses each frame once and hands it to its protocol components.
class Node {
 public:
  static constexpr size_t kMaxComponents = 6;

  Node(const NodeConfig& config, Hal& hal);
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;

  /// Resume from what persisted storage holds (power-on or reboot).
  void on_boot(Instant now);
  /// Adds a component the caller owns (it must outlive the node); false when full.
  bool add_component(Component& c);
  /// A frame arrived for this node (addressed to it, or a broadcast); `from_hop` is the
  /// neighbour it came from (the ESP-NOW sender; 0 when the transport does not say).
  void on_frame(Instant now, NodeId from_hop, std::span<const uint8_t> bytes, Outbox& out);
  /// Runs due timers; returns the next deadline.
  Instant poll(Instant now, Outbox& out);

  NodeId id() const { return config_.id; }
  Transport transport() const { return config_.transport; }
  const NodeStats& stats() const { return stats_; }
  PmOtaReceiver* pm_receiver() { return receiver_ ? &*receiver_ : nullptr; }
  const PmOtaReceiver* pm_receiver() const { return receiver_ ? &*receiver_ : nullptr; }
  PmOtaSender* pm_sender() { return sender_ ? &*sender_ : nullptr; }
  const PmOtaSender* pm_sender() const { return sender_ ? &*sender_ : nullptr; }

 private:
  void on_envelope(Instant now, Outbox& out);

  NodeConfig config_;
  std::optional<PmOtaReceiver> receiver_;
  std::optional<PmOtaSender> sender_;
  Component* components_[kMaxComponents] = {};
  size_t component_count_ = 0;
  JsonReader json_;
  NodeStats stats_;
  uint8_t message_[kMaxMessageBytes];  // a meshota message decoded from its painlessMesh envelope
};

}  // namespace meshota::core
