// Telemetry in the simulator: every node's MetricsSource reads the simulation
// (its boots, counters, connections, queues, link counters, OTA state and a
// heap model), the injected events change the simulated world (never the
// reports), and the root runs status aggregations on a timer.

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "meshota/sim/engine/simulator.hpp"
#include "meshota/sim/engine/time_units.hpp"
#include "meshota/sim/media/independent_links.hpp"

namespace meshota::sim {
namespace {

constexpr uint64_t kDegradeStream = 0x64656772;  // "degr"
constexpr uint32_t kMinHeapBytes = 1024;
constexpr uint32_t kQueuedMessageHeapBytes = 256;  // heap model: one queued painlessMesh message (String + node)

uint8_t hex_value(char c) {
  if (c >= '0' && c <= '9') return static_cast<uint8_t>(c - '0');
  if (c >= 'a' && c <= 'f') return static_cast<uint8_t>(c - 'a' + 10);
  return 0;
}

}  // namespace

void Simulator::setup_telemetry(const std::vector<uint32_t>& id_of) {
  telemetry_ = std::make_unique<TelemetryHost>(sc_, id_of, topo_.root, *this);
}

void Simulator::schedule_telemetry() {
  const TelemetrySpec& t = sc_.telemetry;
  for (uint32_t e = 0; e < t.events.size(); ++e) queue_.push(seconds(t.events[e].at_s), kTelemetry, e);
  if (t.status_every_s > 0) queue_.push(seconds(t.status_every_s), kTelemetry, kAggregationTick);
}

void Simulator::on_telemetry(uint32_t payload) {
  if (payload == kAggregationTick) {
    start_aggregation();
    queue_.push(queue_.now() + seconds(sc_.telemetry.status_every_s), kTelemetry, kAggregationTick);
    return;
  }
  inject(payload);
}

void Simulator::start_aggregation() {
  const uint32_t root = topo_.root;
  core::TelemetryCollector* c = telemetry_->collector();
  SimNode& n = *nodes_[root];
  if (c == nullptr || !n.up) return;
  const core::Instant now = instant(queue_.now());
  if (c->begin_aggregation(now, core::StatusFilter{}) == 0) return;  // one running, or nobody known yet
  telemetry_->on_aggregation_started(queue_.now(), c->status().aggregation().targets);
  outbox_.clear();
  flush(root, queue_.now(), n.core->poll(now, outbox_));
}

void Simulator::inject(uint32_t index) {
  const TelemetryEvent& e = sc_.telemetry.events[index];
  TelemetryNodeState& s = telemetry_->state(e.node);
  const bool first = s.boot_loop_left == 0;
  telemetry_->event_started(index, queue_.now());
  switch (e.kind) {
    case TelemetryEventKind::kLeak:
      s.leak_bytes_per_s = e.bytes_per_s;
      s.leak_since_ns = queue_.now();
      return;
    case TelemetryEventKind::kSilent: {
      // Power gone: no reset reason of its own; back after for_s, or never within the run.
      const SimTime off = e.for_s > 0 ? seconds(e.for_s) : 2 * seconds(sc_.duration_s) + queue_.now();
      take_down(e.node, off + seconds(sc_.node.boot_s), false);
      s.next_reason = core::ResetReason::kPowerOn;
      return;
    }
    case TelemetryEventKind::kLinkDegrade: {
      LossSpec loss;
      loss.kind = LossKind::kBernoulli;
      loss.p = e.loss;
      if (espnow_) {  // both directions of the radio link to the routing parent lose frames at the receiver
        espnow_->set_link_loss(e.node, topo_.parent[e.node], loss);
        espnow_->set_link_loss(topo_.parent[e.node], e.node, loss);
        return;
      }
      auto* links = dynamic_cast<IndependentLinks*>(channel_.get());
      if (links == nullptr) return;  // the loader allows no other tree channel
      links->medium().set_loss(e.node, loss, stream_seed(sc_.seed, kDegradeStream, index));
      return;
    }
    case TelemetryEventKind::kBootLoop:
      if (first) s.boot_loop_left = e.boots;
      if (s.boot_loop_left == 0) return;
      --s.boot_loop_left;
      take_down(e.node, seconds(sc_.node.boot_s), true);  // a panic, then a boot
      if (s.boot_loop_left > 0) queue_.push(queue_.now() + seconds(e.period_s), kTelemetry, index);
      return;
  }
}

void Simulator::sample_node(uint32_t i, core::Instant now, core::NodeMetrics& m) {
  const SimTime now_ns = now.us * kNsPerUs;
  const TelemetrySpec& t = sc_.telemetry;
  TelemetryNodeState& s = telemetry_->state(i);
  const NodeResult& r = result_.nodes[i];
  const bool full = t.fields == TelemetryFields::kFull;
  m.uptime_s = static_cast<uint32_t>((now_ns - s.booted_ns) / kNsPerS);
  m.boot_count = s.boot_count;
  m.reset_reason = s.reset_reason;
  m.msgs_sent = static_cast<uint32_t>(r.app_frames_sent - s.sent_at_boot);
  m.msgs_received = static_cast<uint32_t>(s.received - s.received_at_boot);
  m.msgs_dropped = static_cast<uint32_t>(r.frames_dropped - s.dropped_at_boot);
  const uint32_t parent = tree_.parent(i);
  m.parent_id = parent == kNoNode ? 0 : nodes_[parent]->config.id;
  m.hop_count = i == tree_.root() ? 0 : (tree_.connected_to_root(i) ? static_cast<uint8_t>(std::min<uint32_t>(tree_.depth(i), 254)) : core::kHopsUnknown);
  m.known_nodes = static_cast<uint16_t>(std::min<uint32_t>(tree_.subtree_size(tree_.top(i)), UINT16_MAX));
  if (espnow_) sample_radio(i, now_ns, m);
  else sample_links(i, now_ns, m);
  if (full && !espnow_) {
    const auto* links = dynamic_cast<const IndependentLinks*>(channel_.get());
    uint32_t queued = pm_->send_buffer_frames(i);
    if (links != nullptr) {
      if (parent != kNoNode && pm_->link_open(i)) queued += links->medium().queued_frames(i, true);
      for (uint32_t c = tree_.first_child(i); c != kNoNode; c = tree_.next_sibling(c))
        if (pm_->link_open(c)) queued += links->medium().queued_frames(c, false);
    }
    m.queue_depth = static_cast<uint16_t>(std::min<uint32_t>(queued, UINT16_MAX));
  }
  if (full) {
    const uint64_t bytes = r.bytes_sent + r.bytes_received;
    if (s.last_sample_ns >= 0 && now_ns > s.last_sample_ns)
      m.throughput_bps = static_cast<uint32_t>(static_cast<double>(bytes - s.bytes_at_last_sample) * 1e9 /
                                               static_cast<double>(now_ns - s.last_sample_ns));
    s.bytes_at_last_sample = bytes;
    s.last_sample_ns = now_ns;
  }
  sample_update(i, m);
  m.free_heap_bytes = sample_heap(i, now_ns, m);
  s.min_heap_bytes = std::min(s.min_heap_bytes, m.free_heap_bytes);
  if (full) m.min_free_heap_bytes = s.min_heap_bytes;
}

uint32_t Simulator::sample_heap(uint32_t i, SimTime now_ns, const core::NodeMetrics& m) {
  // A model, not a measurement (docs/telemetry.md, "In the simulator"): what the node's allocations
  // would leave, from what the simulation does hold for it.
  const TelemetrySpec& t = sc_.telemetry;
  TelemetryNodeState& s = telemetry_->state(i);
  double heap = t.heap_bytes;
  heap -= static_cast<double>(t.connection_heap_bytes) * m.direct_links;
  heap -= static_cast<double>(kQueuedMessageHeapBytes) * m.queue_depth;
  if (nodes_[i]->meshota) heap -= nodes_[i]->meshota->image().ram_bytes() + nodes_[i]->inflater.peak_state_bytes();
  if (s.leak_since_ns >= 0) heap -= s.leak_bytes_per_s * static_cast<double>(now_ns - std::max(s.leak_since_ns, s.booted_ns)) / kNsPerS;
  const double j = t.heap_jitter_bytes;
  heap += (s.heap_rng.uniform() * 2.0 - 1.0) * j;
  return static_cast<uint32_t>(std::max<double>(heap, kMinHeapBytes));
}

void Simulator::sample_links(uint32_t i, SimTime now_ns, core::NodeMetrics& m) {
  TelemetryNodeState& s = telemetry_->state(i);
  const auto* links = dynamic_cast<const IndependentLinks*>(channel_.get());
  const bool full = sc_.telemetry.fields == TelemetryFields::kFull;
  std::vector<uint32_t> live;  // peers over open connections, the parent first
  if (tree_.parent(i) != kNoNode && pm_->link_open(i)) live.push_back(tree_.parent(i));
  for (uint32_t c = tree_.first_child(i); c != kNoNode; c = tree_.next_sibling(c))
    if (pm_->link_open(c)) live.push_back(c);
  m.direct_links = static_cast<uint8_t>(std::min<size_t>(live.size(), UINT8_MAX));
  for (TelemetryNodeState::LinkMemory& l : s.links)
    if (std::find(live.begin(), live.end(), l.peer) == live.end() && l.dead_since_ns < 0) l.dead_since_ns = now_ns;
  std::erase_if(s.links, [&](const TelemetryNodeState::LinkMemory& l) {
    return l.dead_since_ns >= 0 && now_ns - l.dead_since_ns > seconds(sc_.telemetry.dead_link_keep_s);
  });
  uint8_t k = 0;
  auto add = [&](const TelemetryNodeState::LinkMemory& l, uint16_t rtt_ms) {
    if (k == core::kMaxNeighbours) return;
    core::NeighbourLink& n = m.neighbours[k++];
    n.id = nodes_[l.peer]->config.id;
    n.loss_pct = l.loss_pct;
    n.rtt_ms = rtt_ms;
    n.flags = l.dead_since_ns >= 0 ? core::kLinkDead : 0;
  };
  for (const uint32_t p : live) {
    const uint32_t link = p == tree_.parent(i) ? i : p;
    const bool upward = link == i;
    auto it = std::find_if(s.links.begin(), s.links.end(), [&](const auto& l) { return l.peer == p; });
    const uint64_t seg = links ? links->medium().segments_sent(link, upward) : 0;
    const uint64_t lost = links ? links->medium().segments_lost(link, upward) : 0;
    if (it == s.links.end()) {
      s.links.push_back({p, seg, lost, core::kLossUnmeasured, -1});
      it = s.links.end() - 1;
    } else if (seg > it->segments) {
      // Loss among the segments this end sent (its TCP retransmissions), over fading counts (about two reports): a leaf
      // sends 2-3 segments per report, too few for one window to say much on its own.
      it->recent_segments = kLossMemory * it->recent_segments + static_cast<double>(seg - it->segments);
      it->recent_lost = kLossMemory * it->recent_lost + static_cast<double>(lost - it->lost);
      it->loss_pct = static_cast<uint8_t>(std::lround(100.0 * it->recent_lost / it->recent_segments));
      it->segments = seg;
      it->lost = lost;
    }
    it->dead_since_ns = -1;
    const SimTime rtt = pm_->link_rtt_ns(i, link);
    const uint16_t rtt_ms = rtt < 0 ? core::kRttUnmeasured : static_cast<uint16_t>(std::min<SimTime>(rtt / kNsPerMs, 65534));
    if (full || p == tree_.parent(i)) add(*it, rtt_ms);
  }
  if (full)
    for (const TelemetryNodeState::LinkMemory& l : s.links)
      if (l.dead_since_ns >= 0) add(l, core::kRttUnmeasured);
  m.neighbour_count = k;
}

void Simulator::sample_radio(uint32_t i, SimTime now_ns, core::NodeMetrics& m) {
  // Raw ESP-NOW: the neighbours it has heard (a frame received), their RSSI as the radio model
  // delivers it and SNR against the noise floor; silent for dead_link_keep_s: dead. The parent link's
  // loss is the MAC's retransmissions per data frame sent (most unicasts go to the routing parent).
  TelemetryNodeState& s = telemetry_->state(i);
  const RadioNodeStats& st = radio_->stats(i);
  const bool full = sc_.telemetry.fields == TelemetryFields::kFull;
  const SimTime keep = seconds(sc_.telemetry.dead_link_keep_s);
  const uint32_t parent = topo_.parent[i];
  m.known_nodes = static_cast<uint16_t>(std::min<uint32_t>(topo_.nodes, UINT16_MAX));  // the routing table
  s.recent_tx = kLossMemory * s.recent_tx + static_cast<double>(st.tx_frames - s.tx_frames);
  s.recent_retries = kLossMemory * s.recent_retries + static_cast<double>(st.retries - s.retries);
  if (full) {
    m.queue_depth = static_cast<uint16_t>(std::min<uint32_t>(radio_->queued(i), UINT16_MAX));
    if (s.last_sample_ns >= 0 && now_ns > s.last_sample_ns)
      m.airtime_permille = static_cast<uint16_t>(std::min<SimTime>(
          (st.tx_airtime_ns - s.airtime_ns) * 1000 / (now_ns - s.last_sample_ns), core::kPermilleMax));
  }
  s.tx_frames = st.tx_frames;
  s.retries = st.retries;
  s.airtime_ns = st.tx_airtime_ns;
  // The parent first, then the strongest of the others.
  std::vector<std::pair<uint32_t, SimTime>> heard = s.heard;
  std::stable_sort(heard.begin(), heard.end(), [&](const auto& a, const auto& b) {
    if ((a.first == parent) != (b.first == parent)) return a.first == parent;
    return radio_->rx_dbm(a.first, i) > radio_->rx_dbm(b.first, i);
  });
  uint8_t k = 0;
  uint32_t live = 0;
  for (const auto& [peer, at] : heard) {
    const bool dead = now_ns - at > keep;
    live += dead ? 0 : 1;
    if (k == core::kMaxNeighbours || (!full && peer != parent)) continue;
    core::NeighbourLink& n = m.neighbours[k++];
    const double rssi = radio_->rx_dbm(peer, i);
    n.id = nodes_[peer]->config.id;
    n.rssi_dbm = static_cast<int8_t>(std::clamp<long>(std::lround(rssi), -127, 0));
    n.snr_db = static_cast<int8_t>(std::clamp<long>(std::lround(rssi - radio_->noise_floor_dbm()), -127, 127));
    n.flags = dead ? core::kLinkDead : 0;
    if (peer == parent && s.recent_tx > 0)
      n.loss_pct = static_cast<uint8_t>(std::min<long>(std::lround(100.0 * s.recent_retries / s.recent_tx), 100));
  }
  m.neighbour_count = k;
  m.direct_links = static_cast<uint8_t>(std::min<uint32_t>(live, UINT8_MAX));
}

void Simulator::sample_update(uint32_t i, core::NodeMetrics& m) {
  SimNode& n = *nodes_[i];
  const bool runs_new = n.boot.running_slot() != 0 && running_image_sha256(n) == image_.sha256;
  const std::string& sha = running_image_sha256(n);
  for (size_t b = 0; b < core::kImageHashPrefixBytes && 2 * b + 1 < sha.size(); ++b)
    m.image_hash_prefix[b] = static_cast<uint8_t>(hex_value(sha[2 * b]) << 4 | hex_value(sha[2 * b + 1]));
  char version[16];
  std::snprintf(version, sizeof version, "%u.0.0", runs_new || i == sc_.ota.sender ? sc_.ota.image_version : 1u);
  m.fw_version.assign(version);
  if (runs_new) {
    m.update_state = n.boot.on_trial() ? core::UpdateState::kTrial : core::UpdateState::kConfirmed;
    m.update_progress_permille = core::kPermilleMax;
    return;
  }
  if (result_.nodes[i].reverts > 0 && result_.nodes[i].exposed) {  // it ran the new image and went back
    m.update_state = core::UpdateState::kReverted;
    m.update_progress_permille = static_cast<uint16_t>(result_.nodes[i].last_revert);  // why (docs/telemetry.md)
    return;
  }
  uint64_t done = 0, total = 0;
  bool written = false;
  if (n.meshota && n.meshota->image().has_manifest()) {
    done = n.meshota->image().pages_written();
    total = n.meshota->image().header().page_count;
    written = n.meshota->image().written();
  } else if (const core::PmOtaReceiver* rx = n.core ? n.core->pm_receiver() : nullptr; rx && rx->no_part() > 0) {
    done = rx->part_no();
    total = rx->no_part();
    written = done >= total;
  }
  if (total == 0) return;
  m.update_state = written ? core::UpdateState::kPendingReboot : core::UpdateState::kDownloading;
  m.update_progress_permille = static_cast<uint16_t>(std::min<uint64_t>(done * core::kPermilleMax / total, core::kPermilleMax));
}

}  // namespace meshota::sim
