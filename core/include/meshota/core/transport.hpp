#pragma once
// How a node's frames travel, and how a component's binary message is put on
// that transport. On painlessMesh's tree every frame is a JSON package, so a
// binary message rides base64-encoded inside a package of its own type; on the
// radio (ESP-NOW) the message is the frame.

#include <cstddef>
#include <cstdint>
#include <span>

#include "meshota/core/addressing.hpp"
#include "meshota/core/outbox.hpp"

namespace meshota::core {

/// The transport a node's frames use.
enum class Transport : uint8_t {
  kPainlessMesh,  ///< JSON packages on painlessMesh's TCP tree
  kEspNow,        ///< raw frames on the radio: one hop, to every neighbour or to one
};

/// painlessMesh package type that carries a meshota binary message (base64 in `data`).
constexpr int kPmMeshotaType = 90;

/// Largest binary message a component may send, in bytes (an ESP-NOW v2 payload).
constexpr size_t kMaxMessageBytes = 1470;

/// `dest` meaning "every direct neighbour" with Routing::kNeighbour.
constexpr NodeId kAllNeighbours = 0;

/// Puts a component's binary messages on the node's transport.
class MessageOut {
 public:
  MessageOut(Transport transport, NodeId self) : transport_(transport), self_(self) {}

  /// Queues `message` for `dest` with `routing`. kNeighbour with kAllNeighbours reaches every
  /// direct neighbour (one radio broadcast, or one package per tree link); kSingle and kBroadcast
  /// exist only on painlessMesh's tree. Returns false (and counts an overflow) when it does not fit.
  bool send(Outbox& out, NodeId dest, Routing routing, std::span<const uint8_t> message) const;

  Transport transport() const { return transport_; }
  NodeId self() const { return self_; }

 private:
  Transport transport_;
  NodeId self_;
};

}  // namespace meshota::core
