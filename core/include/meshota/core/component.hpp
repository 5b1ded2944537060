#pragma once
// A protocol plugged into a Node: its own state and message types. A new
// strategy is a new Component, not an edit to the others.

#include <cstdint>
#include <span>

#include "meshota/core/addressing.hpp"
#include "meshota/core/codec/json_reader.hpp"
#include "meshota/core/outbox.hpp"
#include "meshota/core/time.hpp"

namespace meshota::core {

/// One protocol running on a node; the Node hands it every parsed package.
class Component {
 public:
  /// Called once after the node (re)starts, before any package.
  virtual void on_boot(Instant now) = 0;
  /// A painlessMesh JSON package reached this node; `type` is its JSON `type`.
  virtual void on_package(Instant, const JsonReader&, int /*type*/, Outbox&) {}
  /// A meshota binary message reached this node from `from` (the sender's id).
  virtual void on_message(Instant, NodeId /*from*/, std::span<const uint8_t> /*message*/, Outbox&) {}
  /// Runs due timers; returns the next deadline (Instant::never() when idle).
  virtual Instant poll(Instant now, Outbox& out) = 0;

 protected:
  ~Component() = default;
};

}  // namespace meshota::core
