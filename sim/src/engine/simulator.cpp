#include "meshota/sim/engine/simulator.hpp"

#include <algorithm>
#include <cmath>

#include "meshota/core/pm/pm_package.hpp"
#include "meshota/sim/engine/rng_stream.hpp"

namespace meshota::sim {
namespace {

constexpr uint64_t kNodeRngStream = 0x6e6f6465;  // "node"
constexpr uint64_t kNodeIdStream = 0x6964;       // "id"
constexpr uint64_t kOldImageSeed = 0x6f6c64;     // "old"

SimTime seconds(double s) { return static_cast<SimTime>(std::llround(s * kNsPerS)); }

core::Duration duration(double s) { return core::Duration{static_cast<int64_t>(std::llround(s * 1e6))}; }

// The `type` of an encoded painlessMesh frame, read from its bytes.
TrafficClass classify(std::span<const uint8_t> bytes) {
  static constexpr std::string_view kKey = "\"type\":";
  const std::string_view text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  const size_t at = text.find(kKey);
  if (at == std::string_view::npos) return TrafficClass::kOther;
  int type = 0;
  for (size_t i = at + kKey.size(); i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i)
    type = type * 10 + (text[i] - '0');
  switch (type) {
    case 8:
    case 9: return TrafficClass::kUser;
    case 10: return TrafficClass::kAnnounce;
    case 11: return TrafficClass::kDataRequest;
    case 12: return TrafficClass::kData;
    default: return TrafficClass::kOther;
  }
}

// Counters add up over boots; milestones keep their first occurrence.
void accumulate(core::PmReceiverStats& acc, const core::PmReceiverStats& s) {
  acc.announces_accepted += s.announces_accepted;
  acc.requests_sent += s.requests_sent;
  acc.request_retries += s.request_retries;
  acc.abandons += s.abandons;
  acc.parts_written += s.parts_written;
  acc.out_of_order += s.out_of_order;
  acc.unicast_fallbacks += s.unicast_fallbacks;
  acc.md5_failures += s.md5_failures;
  acc.write_failures += s.write_failures;
  acc.orphan_tasks += s.orphan_tasks;
  acc.first_request_at = core::earliest(acc.first_request_at, s.first_request_at);
  acc.first_data_at = core::earliest(acc.first_data_at, s.first_data_at);
  acc.completed_at = core::earliest(acc.completed_at, s.completed_at);
  acc.part_wait_us += s.part_wait_us;
  acc.parts_timed += s.parts_timed;
  acc.max_part_wait_us = std::max(acc.max_part_wait_us, s.max_part_wait_us);
}

}  // namespace

Simulator::Simulator(const Scenario& scenario, const FirmwareImage& image, const Topology& topology)
    : sc_(scenario),
      image_(image),
      topo_(topology),
      medium_(topology, scenario.medium, scenario.seed),
      pages_(scenario.node.page_size_bytes),
      forced_down_until_(topology.nodes, 0) {
  FirmwareSpec old_spec;
  old_spec.size_bytes = static_cast<uint32_t>(image.bytes.size());
  old_spec.seed = kOldImageSeed;
  const FirmwareImage old_image = load_firmware(old_spec, scenario.path);
  core::PmOtaConfig timers;
  timers.announce_interval = duration(sc_.ota.announce_interval_s);
  timers.announce_count = sc_.ota.announce_count;
  timers.request_interval = duration(sc_.ota.request_interval_s);
  timers.request_attempts = sc_.ota.request_attempts;
  timers.reboot_delay = duration(sc_.ota.reboot_delay_s);

  RngStream ids(stream_seed(sc_.seed, kNodeIdStream, 0));
  nodes_.reserve(topo_.nodes);
  for (uint32_t i = 0; i < topo_.nodes; ++i) {
    auto n = std::make_unique<SimNode>(pages_, sc_.node, stream_seed(sc_.seed, kNodeRngStream, i));
    // painlessMesh ids come from MAC addresses: 10-digit numbers, all distinct.
    uint32_t id = 0;
    do id = 1000000000u + static_cast<uint32_t>(ids.below(3294967295u)); while (index_of_id_.count(id));
    index_of_id_[id] = i;
    const bool sender = i == sc_.ota.sender;
    n->flash.program(0, sender ? std::span<const uint8_t>(image.bytes) : std::span<const uint8_t>(old_image.bytes));
    n->config.id = id;
    n->config.is_root = i == topo_.root;
    n->config.hardware.assign(sc_.node.hardware);
    n->config.role.assign(sc_.node.role);
    n->config.pm_ota = timers;
    n->config.pm_ota_receiver = !sender;
    if (sender) {
      n->source = std::make_unique<ImageChunks>(image.bytes);
      n->config.pm_ota_source = n->source.get();
    }
    NodeResult& r = n->result;
    r.index = i;
    r.id = id;
    r.depth = topo_.depth[i];
    r.hops_to_sender = topo_.hops(i, sc_.ota.sender);
    r.is_root = n->config.is_root;
    r.is_sender = sender;
    r.is_receiver = !sender;
    receivers_ += sender ? 0 : 1;
    nodes_.push_back(std::move(n));
  }
}

Simulator::~Simulator() = default;

RunResult Simulator::run(const ProgressFn& progress) {
  for (uint32_t i = 0; i < topo_.nodes; ++i) start_node(i);
  queue_.push(seconds(sc_.ota.start_s), kOffer, 0);
  for (uint32_t f = 0; f < sc_.faults.size(); ++f) queue_.push(seconds(sc_.faults[f].at_s), kFault, f);
  const SimTime limit = seconds(sc_.duration_s);
  uint64_t events = 0;
  while (!queue_.empty() && !done_) {
    if (queue_.next_time() > limit) break;
    const Event e = queue_.pop();
    ++events;
    switch (e.handler) {
      case kPoll: on_poll(e.payload); break;
      case kDeliver: on_deliver(e.payload); break;
      case kBoot: on_boot(e.payload); break;
      case kLinkUp: on_link_up(e.payload); break;
      case kLinkDrop: on_link_drop(e.payload); break;
      case kOffer: on_offer(); break;
      case kFault: on_fault(e.payload); break;
    }
    if (progress && (events & 0xffff) == 0) progress(queue_.now(), updated_, receivers_);
  }
  result_.events = events;
  result_.stopped_when_done = done_;
  // Done, or out of events: the clock stands where the last event left it;
  // otherwise the run hit its time limit.
  result_.end_ns = done_ || queue_.empty() ? queue_.now() : limit;
  RunResult r = result_;
  collect(r);
  if (progress) progress(r.end_ns, updated_, receivers_);
  return r;
}

void Simulator::start_node(uint32_t i) {
  SimNode& n = *nodes_[i];
  n.core = std::make_unique<core::Node>(n.config, n.hal);
  n.up = true;
  n.core->on_boot(instant(queue_.now()));
  outbox_.clear();
  flush(i, queue_.now(), n.core->poll(instant(queue_.now()), outbox_));
  // Did it boot into the image being distributed?
  if (n.result.is_receiver && n.result.updated_at_ns < 0 && n.boot.running_slot() != 0) {
    if (running_image_sha256(n) == image_.sha256) {
      n.result.updated_at_ns = queue_.now();
      if (++updated_ == receivers_ && sc_.stop_when_done) done_ = true;
    }
  }
}

const std::string& Simulator::running_image_sha256(const SimNode& n) {
  // Nodes holding the same image hold the same shared pages, so the digest is
  // computed once per distinct content, not once per node. The key holds its
  // pages, so no address in it can be reused for other contents.
  std::vector<PageRef> key = n.flash.pages(n.boot.running_slot(), static_cast<uint32_t>(image_.bytes.size()));
  auto it = digest_by_pages_.find(key);
  if (it == digest_by_pages_.end()) {
    std::vector<uint8_t> slot(image_.bytes.size());
    n.flash.read(n.boot.running_slot(), 0, slot);
    it = digest_by_pages_.emplace(std::move(key), sha256_hex(slot)).first;
  }
  return it->second;
}

void Simulator::schedule_poll(uint32_t i, core::Instant deadline) {
  SimNode& n = *nodes_[i];
  if (deadline == core::Instant::never()) return;
  const SimTime at = std::max(deadline.us * kNsPerUs, queue_.now());
  if (n.poll_at_ns == at) return;
  n.poll_at_ns = at;
  queue_.push(at, kPoll, i);
}

SimTime Simulator::charge_cpu(SimNode& n, uint64_t bytes) {
  const auto cost_ns = static_cast<SimTime>(sc_.node.cpu_us_per_kb * static_cast<double>(bytes) / 1024.0 * 1e3) +
                       n.flash.take_busy_us() * kNsPerUs;
  n.cpu_free_ns = std::max(n.cpu_free_ns, queue_.now()) + cost_ns;
  return n.cpu_free_ns;
}

void Simulator::flush(uint32_t i, SimTime at_ns, core::Instant deadline) {
  SimNode& n = *nodes_[i];
  result_.outbox_overflows += outbox_.overflows();
  uint64_t out_bytes = 0;
  for (size_t k = 0; k < outbox_.size(); ++k) out_bytes += outbox_.frame(k).size_bytes;
  // Encoding what goes out and the flash work of the call both keep the CPU busy.
  const SimTime send_at = std::max(at_ns, charge_cpu(n, out_bytes));
  for (size_t k = 0; k < outbox_.size(); ++k) {
    const core::OutFrame& of = outbox_.frame(k);
    const uint32_t h = frames_.new_frame();
    Frame& f = frames_.frame(h);
    const auto bytes = outbox_.bytes(k);
    f.bytes.assign(bytes.begin(), bytes.end());
    f.routing = of.routing;
    const auto dest = index_of_id_.find(of.dest);
    f.dest = dest == index_of_id_.end() ? kNoNode : dest->second;
    f.kind = classify(bytes);
    f.refs = 0;
    TypeTraffic& t = result_.traffic[static_cast<size_t>(f.kind)];
    ++t.app_sends;
    t.app_bytes += f.bytes.size();
    ++n.result.app_frames_sent;
    n.result.app_bytes_sent += f.bytes.size();
    frames_.hold(h);
    send(i, h, send_at);
    frames_.release(h);
  }
  const bool reboot = outbox_.reboot_requested();
  outbox_.clear();
  if (reboot) {
    take_down(i, seconds(sc_.node.boot_s), false);
    return;
  }
  schedule_poll(i, deadline);
}

void Simulator::send(uint32_t i, uint32_t h, SimTime at_ns) {
  const Frame& f = frames_.frame(h);
  if (f.routing == core::Routing::kBroadcast) {
    forward(i, kNoNode, h, at_ns);
  } else if (f.dest != kNoNode && f.dest != i) {
    transmit(i, topo_.next_hop(i, f.dest), h, at_ns);
  } else {
    ++result_.traffic[static_cast<size_t>(f.kind)].lost;  // no route: painlessMesh drops it
  }
}

// BROADCAST: every link except the one it came in on.
void Simulator::forward(uint32_t i, uint32_t came_from, uint32_t h, SimTime at_ns) {
  if (topo_.parent[i] != kNoNode && topo_.parent[i] != came_from) transmit(i, topo_.parent[i], h, at_ns);
  for (uint32_t k = topo_.child_offsets[i]; k < topo_.child_offsets[i + 1]; ++k)
    if (topo_.children[k] != came_from) transmit(i, topo_.children[k], h, at_ns);
}

void Simulator::transmit(uint32_t from, uint32_t to, uint32_t h, SimTime at_ns) {
  const Frame& f = frames_.frame(h);
  const auto bytes = static_cast<uint32_t>(f.bytes.size());
  TypeTraffic& t = result_.traffic[static_cast<size_t>(f.kind)];
  const Transmission tx = medium_.transmit(from, to, bytes, at_ns);
  t.retransmissions += tx.retransmissions;
  if (tx.outcome == Transmission::Outcome::kTimedOut) {
    ++t.link_tx;
    t.link_bytes += bytes;
    ++t.lost;
    queue_.push(std::max(tx.drop_at_ns, queue_.now()), kLinkDrop, TcpTreeMedium::link_between(topo_, from, to));
    return;
  }
  if (tx.outcome != Transmission::Outcome::kQueued) {
    ++t.lost;
    return;
  }
  ++t.link_tx;
  t.link_bytes += bytes;
  NodeResult& r = nodes_[from]->result;
  ++r.frames_sent;
  r.bytes_sent += bytes;
  queue_.push(tx.arrival_ns, kDeliver, frames_.new_transit(Transit{h, from, to, tx.epoch}));
}

void Simulator::on_deliver(uint32_t th) {
  const Transit tr = frames_.transit(th);
  Frame& f = frames_.frame(tr.frame);
  const auto bytes = static_cast<uint32_t>(f.bytes.size());
  medium_.dequeued(tr.from, tr.to, bytes, tr.epoch);
  SimNode& n = *nodes_[tr.to];
  if (tr.epoch != medium_.epoch(TcpTreeMedium::link_between(topo_, tr.from, tr.to)) || !n.up) {
    ++result_.traffic[static_cast<size_t>(f.kind)].lost;
    frames_.end_transit(th);
    return;
  }
  ++n.result.frames_received;
  n.result.bytes_received += bytes;
  // painlessMesh parses every frame it gets, once, whether to relay it, handle it, or both.
  const SimTime parsed = charge_cpu(n, bytes);
  const bool broadcast = f.routing == core::Routing::kBroadcast;
  if (broadcast || f.dest != tr.to) {
    ++n.result.frames_forwarded;
    if (broadcast) forward(tr.to, tr.from, tr.frame, parsed);
    else if (f.dest != kNoNode) transmit(tr.to, topo_.next_hop(tr.to, f.dest), tr.frame, parsed);
  }
  if (broadcast || f.dest == tr.to) {
    outbox_.clear();
    const core::Instant now = instant(queue_.now());
    n.core->on_frame(now, f.bytes, outbox_);
    flush(tr.to, parsed, n.core->poll(now, outbox_));
  }
  frames_.end_transit(th);
}

void Simulator::on_poll(uint32_t i) {
  SimNode& n = *nodes_[i];
  if (!n.up || n.poll_at_ns != queue_.now()) return;  // stale
  n.poll_at_ns = -1;
  outbox_.clear();
  flush(i, queue_.now(), n.core->poll(instant(queue_.now()), outbox_));
}

void Simulator::on_offer() {
  SimNode& n = *nodes_[sc_.ota.sender];
  result_.offer_ns = queue_.now();
  if (!n.up) return;
  core::PmOffer offer;
  offer.md5.assign(image_.md5);
  offer.hardware.assign(sc_.node.hardware);
  offer.role.assign(sc_.node.role);
  offer.chunk_bytes = sc_.ota.chunk_bytes;
  offer.no_part = static_cast<uint32_t>((image_.bytes.size() + sc_.ota.chunk_bytes - 1) / sc_.ota.chunk_bytes);
  offer.forced = sc_.ota.forced;
  offer.broadcasted = sc_.ota.broadcasted;
  offer.compressed = sc_.ota.compressed;
  outbox_.clear();
  n.core->pm_sender()->offer(instant(queue_.now()), offer, outbox_);
  flush(sc_.ota.sender, queue_.now(), n.core->poll(instant(queue_.now()), outbox_));
}

void Simulator::take_down(uint32_t i, SimTime boot_after_ns, bool crash) {
  SimNode& n = *nodes_[i];
  if (!n.up) return;
  if (const core::PmOtaReceiver* rx = n.core->pm_receiver()) accumulate(n.result.rx, rx->stats());
  if (crash) ++n.result.crashes;
  else ++n.result.reboots;
  n.core.reset();
  n.up = false;
  n.poll_at_ns = -1;
  ++n.generation;
  // Its TCP connections die with it.
  if (topo_.parent[i] != kNoNode) medium_.drop(i, queue_.now());
  for (uint32_t k = topo_.child_offsets[i]; k < topo_.child_offsets[i + 1]; ++k)
    medium_.drop(topo_.children[k], queue_.now());
  queue_.push(queue_.now() + boot_after_ns, kBoot, i);
}

void Simulator::on_boot(uint32_t i) {
  SimNode& n = *nodes_[i];
  if (n.up) return;
  n.boot.reboot();
  n.cpu_free_ns = queue_.now();
  start_node(i);
  // Re-join: each link comes back once both ends are up and a join has had time.
  const SimTime rejoin = queue_.now() + seconds(sc_.medium.reconnect_s);
  if (topo_.parent[i] != kNoNode) queue_.push(rejoin, kLinkUp, i);
  for (uint32_t k = topo_.child_offsets[i]; k < topo_.child_offsets[i + 1]; ++k)
    queue_.push(rejoin, kLinkUp, topo_.children[k]);
}

void Simulator::on_link_up(uint32_t link) {
  if (medium_.up(link) || !nodes_[link]->up || !nodes_[topo_.parent[link]]->up) return;
  if (forced_down_until_[link] > queue_.now()) return;
  medium_.restore(link);
}

void Simulator::on_link_drop(uint32_t link) {
  if (!medium_.up(link)) return;
  ++result_.link_drops;
  medium_.drop(link, queue_.now());
  queue_.push(queue_.now() + seconds(sc_.medium.reconnect_s), kLinkUp, link);
}

void Simulator::on_fault(uint32_t index) {
  const FaultSpec& f = sc_.faults[index];
  if (f.kind == FaultKind::kCrash) {
    take_down(f.node, seconds(f.for_s) + seconds(sc_.node.boot_s), true);
    return;
  }
  const uint32_t link = TcpTreeMedium::link_between(topo_, f.node, f.peer);
  if (f.for_s < sc_.medium.node_timeout_s) {
    medium_.block(link, queue_.now() + seconds(f.for_s));  // TCP rides out a short outage
    return;
  }
  forced_down_until_[link] = queue_.now() + seconds(f.for_s);
  if (medium_.up(link)) {
    ++result_.link_drops;
    medium_.drop(link, queue_.now());
  }
  queue_.push(forced_down_until_[link] + seconds(sc_.medium.reconnect_s), kLinkUp, link);
}

void Simulator::collect(RunResult& r) {
  r.receivers = receivers_;
  r.updated = updated_;
  r.distinct_flash_pages = pages_.distinct_pages();
  r.nodes.clear();
  for (uint32_t i = 0; i < topo_.nodes; ++i) {
    SimNode& n = *nodes_[i];
    NodeResult nr = n.result;
    if (n.up && n.core) {
      if (const core::PmOtaReceiver* rx = n.core->pm_receiver()) {
        accumulate(nr.rx, rx->stats());  // the running boot's counters, as a shutdown would
        nr.part_no = rx->part_no();
        nr.no_part = rx->no_part();
        nr.updating = !rx->updating_md5().empty();
        nr.listening_without_timer = rx->listening_without_timer();
      }
      if (const core::PmOtaSender* tx = n.core->pm_sender()) r.sender = tx->stats();
    }
    nr.up = n.up;
    nr.peak_queue_bytes = medium_.peak_queue_bytes(i);
    nr.boot_slot_sha256 = running_image_sha256(n);
    nr.updated = nr.boot_slot_sha256 == image_.sha256;
    r.nodes.push_back(std::move(nr));
  }
}

}  // namespace meshota::sim
