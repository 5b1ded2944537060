#pragma once
// Drives a RadioMedium on its own event queue for the radio tests: records
// what the listener hears and keeps chosen nodes saturated (a frame always
// waiting at the MAC).

#include <cstdint>
#include <functional>
#include <vector>

#include "meshota/sim/engine/event_queue.hpp"
#include "meshota/sim/media/radio/radio_medium.hpp"

namespace meshota::test {

using sim::SimTime;

/// One upcall the listener received.
struct RadioUpcall {
  uint32_t node;
  uint32_t other;  // receive: the sender; done: 1 if delivered
  uint32_t handle;
  SimTime time_ns;
  bool operator==(const RadioUpcall&) const = default;
};

/// A RadioMedium with a recording listener and saturated senders.
class RadioHarness final : public sim::RadioListener {
 public:
  RadioHarness(const sim::RadioSpec& spec, std::vector<sim::Position> positions, uint64_t seed)
      : saturated_(positions.size()), radio(queue, 0, spec, std::move(positions), seed, *this) {}

  /// Keeps `node` sending `tx` forever: two frames queued, one more per finished frame.
  void saturate(uint32_t node, const sim::RadioTx& tx) {
    saturated_[node] = {true, tx};
    radio.send(node, tx);
    radio.send(node, tx);
  }

  /// Runs every event up to and including `end_ns`.
  void run_until(SimTime end_ns) {
    queue.set_horizon(end_ns);
    while (!queue.empty() && queue.next_time() <= end_ns) radio.dispatch(queue.pop());
  }
  void run_all() {
    queue.set_horizon(sim::kSimNever);
    while (!queue.empty()) radio.dispatch(queue.pop());
  }

  void on_radio_receive(uint32_t node, uint32_t from, uint32_t handle, SimTime now) override {
    if (record) received.push_back({node, from, handle, now});
    if (on_receive) on_receive(node, from, handle, now);
  }
  void on_radio_done(uint32_t node, uint32_t handle, bool delivered, SimTime now) override {
    if (record) done.push_back({node, delivered ? 1u : 0u, handle, now});
    if (saturated_[node].on) radio.send(node, saturated_[node].tx);
  }

  bool record = true;
  std::vector<RadioUpcall> received;
  std::vector<RadioUpcall> done;
  std::function<void(uint32_t, uint32_t, uint32_t, SimTime)> on_receive;

 private:
  struct Saturation {
    bool on = false;
    sim::RadioTx tx;
  };
  std::vector<Saturation> saturated_;

 public:
  sim::EventQueue queue;
  sim::RadioMedium radio;
};

}  // namespace meshota::test
