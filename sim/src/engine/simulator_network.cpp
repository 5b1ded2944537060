// The network under the nodes' cores, chosen by the scenario's medium:
// painlessMesh's library layer over independent links or over the shared radio
// (TcpOverRadio, tree formed and re-formed by RSSI), or raw ESP-NOW frames on
// the radio for protocols that use it directly.

#include "meshota/sim/engine/simulator.hpp"
#include "meshota/core/ota/wire.hpp"
#include "meshota/sim/media/independent_links.hpp"
#include "meshota/sim/media/tcp_over_radio.hpp"
#include "meshota/sim/scenario/placement.hpp"

namespace meshota::sim {

void Simulator::build_network(std::vector<uint32_t> id_of) {
  if (sc_.medium.kind == MediumKind::kRadio) {
    espnow_ = std::make_unique<EspNowNetwork>(queue_, kModules, frames_, sc_.medium, topo_.positions, sc_.seed,
                                              result_, *this);
    radio_ = &espnow_->radio();
    result_.on_radio = true;
    return;
  }
  if (sc_.medium.channel == Channel::kRadio) join_ = rssi_join(sc_, topo_);
  else join_ = std::make_unique<StaticJoin>(topo_);
  pm_ = std::make_unique<PmNetwork>(queue_, kModules, frames_, sc_, tree_, std::move(id_of), *join_, result_, *this);
  channel_first_ = kModules + PmNetwork::kHandlerCount;
  if (sc_.medium.channel == Channel::kRadio) {
    TcpRadioParams tcp;
    tcp.mss_bytes = sc_.medium.mss_bytes;
    tcp.rto_ns = static_cast<SimTime>(sc_.medium.rto_ms * kNsPerMs);
    auto radio = std::make_unique<TcpOverRadio>(queue_, channel_first_, frames_, tree_, sc_.medium.radio,
                                                topo_.positions, tcp, sc_.seed, result_, *pm_);
    for (const RadioLinkLoss& l : sc_.medium.radio_link_loss) radio->set_link_loss(l.from, l.to, l.loss);
    radio_ = &radio->radio();
    result_.on_radio = true;
    channel_ = std::move(radio);
  } else {
    // Without simulated node sync, the link model stands in for its NODE_TIMEOUT.
    channel_ = std::make_unique<IndependentLinks>(queue_, channel_first_, frames_, tree_, sc_.medium, sc_.seed,
                                                  !sc_.mesh.node_sync, result_, *pm_);
  }
  pm_->set_channel(*channel_);
}

void Simulator::net_send(uint32_t node, uint32_t frame, SimTime at_ns) {
  if (espnow_) espnow_->send(node, frame, at_ns);
  else pm_->send(node, frame, at_ns);
}

void Simulator::net_node_up(uint32_t node, bool up) {
  if (espnow_) {
    espnow_->set_node_up(node, up);
    return;
  }
  channel_->set_node_up(node, up);
  if (up) pm_->node_up(node);
  else pm_->node_down(node);
}

SimTime Simulator::pass_at(uint32_t node, SimTime t_ns) const {
  // An ESP-NOW application runs its callbacks and timers as they come, not in scheduler passes.
  return espnow_ ? t_ns : pm_->pass_at(node, t_ns);
}

void Simulator::deliver_from(uint32_t node, uint32_t from, uint32_t frame) {
  SimNode& n = *nodes_[node];
  if (!n.up) return;
  if (telemetry_) telemetry_->heard(node, from, queue_.now());
  if (telemetry_ && route_telemetry_in(node, from, frame)) return;
  const std::vector<uint8_t>& bytes = frames_.frame(frame).bytes;
  const SimTime ready = charge_cpu(node, bytes.size());
  outbox_.clear();
  const core::Instant now = instant(queue_.now());
  const uint32_t useful_before = n.meshota ? n.meshota->image().stats().chunks_useful : 0;
  n.core->on_frame(now, nodes_[from]->config.id, bytes, outbox_);
  // A chunk frame's meta counts the receivers it gave a chunk they lacked (frame_done reads it).
  if (n.meshota) frames_.frame(frame).meta += n.meshota->image().stats().chunks_useful - useful_before;
  flush(node, ready, n.core->poll(now, outbox_));
}

void Simulator::frame_done(uint32_t node, uint32_t frame) {
  const Frame& f = frames_.frame(frame);
  // Pieces fill a chunk only together: they count in useful receptions, not here. (A chunk-class frame's
  // type byte tells; it is decoded only when it served nobody, to find its page.)
  if (f.kind != TrafficClass::kOtaChunk || f.bytes[1] != static_cast<uint8_t>(core::wire::Type::kChunk)) return;
  ++result_.chunk_frames_ended;
  if (f.meta != 0) return;
  ++result_.chunk_frames_new_to_none;
  core::wire::Chunk c;
  if (core::wire::decode(f.bytes, c) == core::wire::Status::kOk && wanted_in_range(node, c.page, c.index))
    ++result_.chunk_frames_wanted_in_range;
}

bool Simulator::wanted_in_range(uint32_t sender, uint32_t page, uint32_t index) const {
  for (const RadioNeighbour& l : radio_->neighbours(sender)) {
    if (!(l.rx_dbm >= radio_->spec().rx_sensitivity_dbm)) continue;
    const SimNode& n = *nodes_[l.node];
    if (!n.up || !n.meshota) continue;
    // It works on that page (in its receive window) and still lacks the chunk.
    const core::ImageState& img = n.meshota->image();
    if (img.has_manifest() && img.in_window(page) && img.missing(page).test(index)) return true;
  }
  return false;
}

void Simulator::collect_network(RunResult& r) const {
  for (uint32_t i = 0; i < topo_.nodes; ++i) {
    NodeResult& nr = r.nodes[i];
    if (channel_) nr.peak_queue_bytes = channel_->peak_queue_bytes(i);
    if (radio_) nr.radio = radio_->stats(i);
  }
  if (const auto* tcp = dynamic_cast<const TcpOverRadio*>(channel_.get())) {
    r.tcp_rto_retransmissions = tcp->rto_retransmissions();
    r.tcp_aborted = tcp->aborted_connections();
  }
}

}  // namespace meshota::sim
