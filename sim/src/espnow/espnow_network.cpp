#include "meshota/sim/espnow/espnow_network.hpp"

#include "meshota/sim/media/radio/phy_rate.hpp"
#include "meshota/sim/scenario/topology.hpp"

namespace meshota::sim {

EspNowNetwork::EspNowNetwork(EventQueue& queue, uint32_t first_handler, FramePool& frames, const MediumSpec& medium,
                             std::vector<Position> positions, uint64_t seed, RunResult& result, EspNowHost& host)
    : queue_(queue),
      first_handler_(first_handler),
      frames_(frames),
      result_(result),
      host_(host),
      radio_(queue, first_handler + kOwnHandlers, medium.radio, std::move(positions), seed, *this),
      max_payload_(medium.espnow_version == 1 ? kEspNowV1MaxPayload : kEspNowV2MaxPayload) {
  for (const RadioLinkLoss& l : medium.radio_link_loss) radio_.set_link_loss(l.from, l.to, l.loss);
}

void EspNowNetwork::dispatch(const Event& e) {
  if (e.handler - first_handler_ >= kOwnHandlers) {
    radio_.dispatch(e);
    return;
  }
  const Pending p = pending_[e.payload];
  free_pending_.push_back(e.payload);
  hand_to_mac(p.node, p.frame);
  frames_.release(p.frame);
}

void EspNowNetwork::send(uint32_t node, uint32_t frame, SimTime at_ns) {
  if (at_ns <= queue_.now()) {
    hand_to_mac(node, frame);
    return;
  }
  // The CPU is still encoding: the frame reaches the MAC when it is done.
  frames_.hold(frame);
  uint32_t slot = 0;
  if (free_pending_.empty()) {
    slot = static_cast<uint32_t>(pending_.size());
    pending_.emplace_back();
  } else {
    slot = free_pending_.back();
    free_pending_.pop_back();
  }
  pending_[slot] = {node, frame};
  queue_.push(at_ns, first_handler_, slot);
}

void EspNowNetwork::hand_to_mac(uint32_t node, uint32_t frame) {
  const Frame& f = frames_.frame(frame);
  TypeTraffic& t = result_.traffic[static_cast<size_t>(f.kind)];
  const auto bytes = static_cast<uint32_t>(f.bytes.size());
  if (bytes > max_payload_ || !radio_.node_up(node)) {  // the core sizes frames; a down node sends nothing
    ++t.lost;
    return;
  }
  const uint32_t dest = f.dest == kNoNode ? kRadioBroadcast : f.dest;
  frames_.hold(frame);
  if (!radio_.send(node, RadioTx{dest, espnow_mpdu_bytes(bytes), frame})) {
    ++t.lost;  // the MAC queue is full
    frames_.release(frame);
    return;
  }
  ++t.link_tx;
  t.link_bytes += bytes;
  NodeResult& r = result_.nodes[node];
  ++r.frames_sent;
  r.bytes_sent += bytes;
}

void EspNowNetwork::on_radio_receive(uint32_t node, uint32_t from, uint32_t handle, SimTime) {
  NodeResult& r = result_.nodes[node];
  ++r.frames_received;
  r.bytes_received += frames_.frame(handle).bytes.size();
  host_.deliver_from(node, from, handle);
}

void EspNowNetwork::on_radio_done(uint32_t node, uint32_t handle, bool delivered, SimTime) {
  const Frame& f = frames_.frame(handle);
  if (!delivered && f.dest != kNoNode) ++result_.traffic[static_cast<size_t>(f.kind)].lost;
  host_.frame_done(node, handle);
  frames_.release(handle);
}

}  // namespace meshota::sim
