#pragma once
// Raw ESP-NOW on the shared radio: what a protocol that does not use
// painlessMesh's TCP tree (meshota with Transport::kEspNow) has. A frame goes
// one hop, to one neighbour (unicast with the MAC's ACK and retries) or to every
// node in range (broadcast, no ACK); its payload is at most 250 bytes (v1) or
// 1470 (v2) and it costs an action frame's 43 bytes of framing on the air.
// There is no routing, no connection and no queue above the MAC's.

#include <cstdint>
#include <vector>

#include "meshota/sim/engine/event_queue.hpp"
#include "meshota/sim/engine/frame_pool.hpp"
#include "meshota/sim/media/radio/radio_medium.hpp"
#include "meshota/sim/report/run_result.hpp"
#include "meshota/sim/scenario/scenario.hpp"

namespace meshota::sim {

/// What the ESP-NOW layer needs from the simulator that hosts it.
class EspNowHost {
 public:
  /// An intact frame from neighbour `from` for `node`'s core.
  virtual void deliver_from(uint32_t node, uint32_t from, uint32_t frame) = 0;
  /// The medium is done with `frame`, sent by `node`: every reception of it has been delivered.
  virtual void frame_done(uint32_t node, uint32_t frame) = 0;

 protected:
  ~EspNowHost() = default;
};

/// Every node's ESP-NOW interface on one radio channel.
class EspNowNetwork final : public RadioListener {
 public:
  static constexpr uint32_t kOwnHandlers = 1;

  EspNowNetwork(EventQueue& queue, uint32_t first_handler, FramePool& frames, const MediumSpec& medium,
                std::vector<Position> positions, uint64_t seed, RunResult& result, EspNowHost& host);

  uint32_t handler_count() const { return kOwnHandlers + RadioMedium::kHandlerCount; }
  void dispatch(const Event& e);

  /// Hands `frame` (its dest a node index, or kNoNode for every neighbour) to `node`'s MAC at `at_ns`.
  void send(uint32_t node, uint32_t frame, SimTime at_ns);
  void set_node_up(uint32_t node, bool up) { radio_.set_node_up(node, up); }
  uint32_t max_payload() const { return max_payload_; }
  /// Receiver-side loss on the directed link from -> to from now on (a degrading link).
  void set_link_loss(uint32_t from, uint32_t to, const LossSpec& loss) { radio_.set_link_loss(from, to, loss); }

  // RadioListener
  void on_radio_receive(uint32_t node, uint32_t from, uint32_t handle, SimTime now_ns) override;
  void on_radio_done(uint32_t node, uint32_t handle, bool delivered, SimTime now_ns) override;

  const RadioMedium& radio() const { return radio_; }

 private:
  struct Pending {
    uint32_t node = 0;
    uint32_t frame = 0;
  };
  void hand_to_mac(uint32_t node, uint32_t frame);

  EventQueue& queue_;
  uint32_t first_handler_;
  FramePool& frames_;
  RunResult& result_;
  EspNowHost& host_;
  RadioMedium radio_;
  uint32_t max_payload_;
  std::vector<Pending> pending_;
  std::vector<uint32_t> free_pending_;
};

}  // namespace meshota::sim
