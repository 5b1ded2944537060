#pragma once
// A protocol plugged into a Node: its own state and message types. A new
// strategy is a new Component, not an edit to the others.

#include "meshota/core/codec/json_reader.hpp"
#include "meshota/core/outbox.hpp"
#include "meshota/core/time.hpp"

namespace meshota::core {

/// One protocol running on a node; the Node hands it every parsed package.
class Component {
 public:
  /// Called once after the node (re)starts, before any package.
  virtual void on_boot(Instant now) = 0;
  /// Called for every package that reached this node; `type` is its JSON `type`.
  virtual void on_package(Instant now, const JsonReader& json, int type, Outbox& out) = 0;
  /// Runs due timers; returns the next deadline (Instant::never() when idle).
  virtual Instant poll(Instant now, Outbox& out) = 0;

 protected:
  ~Component() = default;
};

}  // namespace meshota::core
