#include "meshota/sim/engine/simulator.hpp"

#include <algorithm>
#include <cmath>

#include "meshota/core/codec/base64.hpp"
#include "meshota/core/ota/wire.hpp"
#include "meshota/core/pm/pm_package.hpp"
#include "meshota/sim/engine/rng_stream.hpp"
#include "meshota/sim/engine/time_units.hpp"
#include "meshota/sim/media/independent_links.hpp"
#include "meshota/sim/media/radio/phy_rate.hpp"
#include "meshota/sim/pm/pm_messages.hpp"

namespace meshota::sim {
namespace {

constexpr uint64_t kNodeRngStream = 0x6e6f6465;  // "node"
constexpr uint64_t kNodeIdStream = 0x6964;       // "id"
constexpr uint64_t kOldImageSeed = 0x6f6c64;     // "old"
constexpr uint8_t kTelemetryMagicHigh = 0xE0;    // telemetry frames: 0xE1-0xE6 (docs/telemetry.md)

// The traffic class of a meshota message from its type byte.
TrafficClass classify_ota(uint8_t type) {
  switch (static_cast<core::wire::Type>(type)) {
    case core::wire::Type::kAdvertise: return TrafficClass::kOtaAdvert;
    case core::wire::Type::kManifestRequest:
    case core::wire::Type::kManifestData: return TrafficClass::kOtaManifest;
    case core::wire::Type::kPageRequest:
    case core::wire::Type::kRepairNack:
    case core::wire::Type::kPieceRequest: return TrafficClass::kOtaRequest;
    case core::wire::Type::kChunk:
    case core::wire::Type::kChunkPiece: return TrafficClass::kOtaChunk;
  }
  return TrafficClass::kOther;
}

// The traffic class of an encoded frame: a painlessMesh package by its `type`, a meshota
// message (raw, or base64 in a type-90 package) by its type byte.
TrafficClass classify(const std::vector<uint8_t>& bytes) {
  if (bytes.size() >= 2 && (bytes[0] & 0xF0) == core::wire::kMagic) return classify_ota(bytes[1]);
  if (bytes.size() >= 2 && (bytes[0] & 0xF0) == kTelemetryMagicHigh) return TrafficClass::kTelemetry;
  if (!bytes.empty() && bytes[0] == 0xA7) return TrafficClass::kTelemetry;  // routed on ESP-NOW (simulator_route.cpp)
  const int type = pm_message_type(bytes);
  if (type == core::kPmMeshotaType) {
    static constexpr std::string_view kData = "\"data\":\"";
    const std::string_view text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    const size_t at = text.find(kData);
    uint8_t head[3];
    if (at == std::string_view::npos || core::base64_decode(text.substr(at + kData.size(), 4), head) != 3)
      return TrafficClass::kOther;
    if ((head[0] & 0xF0) == kTelemetryMagicHigh) return TrafficClass::kTelemetry;
    return classify_ota(head[1]);
  }
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

void accumulate(core::OtaPeerStats& acc, const core::OtaPeerStats& s) {
  acc.adverts_sent += s.adverts_sent;
  acc.adverts_heard += s.adverts_heard;
  acc.requests_sent += s.requests_sent;
  acc.requests_suppressed += s.requests_suppressed;
  acc.requests_served += s.requests_served;
  acc.chunks_sent += s.chunks_sent;
  acc.chunks_suppressed += s.chunks_suppressed;
  acc.piece_requests_sent += s.piece_requests_sent;
  acc.pieces_sent += s.pieces_sent;
  acc.manifest_requests_sent += s.manifest_requests_sent;
  acc.manifest_pieces_sent += s.manifest_pieces_sent;
  acc.bad_messages += s.bad_messages;
  acc.forged_manifests += s.forged_manifests;
  acc.replayed_manifests += s.replayed_manifests;
  acc.distrusted_adverts += s.distrusted_adverts;
  acc.poisoned_chunks += s.poisoned_chunks;
  acc.distrusted_chunks += s.distrusted_chunks;
  acc.requests_limited += s.requests_limited;
  acc.installs_refused += s.installs_refused;
  acc.rolled_back += s.rolled_back;
  acc.manifest_at = core::earliest(acc.manifest_at, s.manifest_at);
  acc.first_chunk_at = core::earliest(acc.first_chunk_at, s.first_chunk_at);
  acc.written_at = core::earliest(acc.written_at, s.written_at);
  // The latest page over the boots (never: none yet, so not a plain max).
  if (s.page_done_at != core::Instant::never() &&
      (acc.page_done_at == core::Instant::never() || s.page_done_at > acc.page_done_at))
    acc.page_done_at = s.page_done_at;
}

void accumulate(core::ImageStateStats& acc, const core::ImageStateStats& s) {
  acc.pages_verified += s.pages_verified;
  acc.bad_pages += s.bad_pages;
  acc.chunks_useful += s.chunks_useful;
  acc.chunks_duplicate += s.chunks_duplicate;
  acc.chunks_out_of_window += s.chunks_out_of_window;
  acc.storage_errors += s.storage_errors;
  acc.writer_resumed_at = std::max(acc.writer_resumed_at, s.writer_resumed_at);
}

}  // namespace

Simulator::Simulator(const Scenario& scenario, const FirmwareImage& image, const Topology& topology)
    : sc_(scenario), image_(image), topo_(topology), pages_(scenario.node.page_size_bytes), tree_(topology) {
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
  std::vector<uint32_t> id_of(topo_.nodes);
  nodes_.reserve(topo_.nodes);
  result_.nodes.resize(topo_.nodes);
  for (uint32_t i = 0; i < topo_.nodes; ++i) {
    auto n = std::make_unique<SimNode>(pages_, sc_.node, stream_seed(sc_.seed, kNodeRngStream, i), &inflate_memo_,
                                      &sha_memo_);
    // painlessMesh ids come from MAC addresses: 10-digit numbers, all distinct.
    uint32_t id = 0;
    do id = 1000000000u + static_cast<uint32_t>(ids.below(3294967295u)); while (index_of_id_.count(id));
    index_of_id_[id] = i;
    id_of[i] = id;
    const bool sender = i == sc_.ota.sender;
    n->flash.program(0, sender ? std::span<const uint8_t>(image.bytes) : std::span<const uint8_t>(old_image.bytes));
    n->config.id = id;
    n->config.is_root = i == topo_.root;
    n->config.hardware.assign(sc_.node.hardware);
    n->config.role.assign(sc_.node.role);
    if (sc_.medium.kind == MediumKind::kRadio) n->config.transport = core::Transport::kEspNow;
    n->config.pm_ota = timers;
    n->config.pm_ota_receiver = !sender && !sc_.ota.meshota();
    if (sender && !sc_.ota.meshota()) {
      n->source = std::make_unique<ImageChunks>(image.bytes);
      n->config.pm_ota_source = n->source.get();
    }
    NodeResult& r = result_.nodes[i];
    r.index = i;
    r.id = id;
    r.depth = topo_.depth[i];
    r.hops_to_sender = topo_.hops(i, sc_.ota.sender);
    r.is_root = n->config.is_root;
    r.is_sender = sender;
    r.is_attacker = is_attacker(i);
    r.is_receiver = !sender && !r.is_attacker;
    receivers_ += r.is_receiver ? 1 : 0;
    nodes_.push_back(std::move(n));
  }
  old_sha256_ = old_image.sha256;
  if (sc_.ota.meshota()) {
    setup_meshota();
    setup_attacks(old_image);
  }
  if (sc_.telemetry.enabled) setup_telemetry(id_of);
  if (sc_.ota.meshota()) setup_safety();
  build_network(std::move(id_of));
}

Simulator::~Simulator() = default;

void Simulator::setup_meshota() {
  PackOptions o;
  o.hardware = sc_.node.hardware;
  o.version = sc_.ota.image_version;
  o.page_size = sc_.ota.page_bytes;
  o.chunk_size = static_cast<uint16_t>(sc_.ota.chunk_bytes);
  o.compress = sc_.ota.compressed;
  o.window_bits = static_cast<uint8_t>(sc_.ota.window_bits);
  pack_options_ = signing_options(o);
  packed_ = pack_image(image_.bytes, pack_options_);
  unit_source_ = std::make_unique<PackedUnitSource>(packed_);
  meshota_.image = &packed_;
  meshota_.strategy = sc_.ota.strategy;
  meshota_.window_pages = sc_.ota.receive_window_pages;
  meshota_.unicast_window_pages = sc_.ota.unicast_window_pages;
  meshota_.push_chunk_gap = duration(sc_.ota.push_chunk_gap_ms / 1e3);
  core::OtaPeerConfig& p = meshota_.peer;
  p.transport = sc_.medium.kind == MediumKind::kRadio ? core::Transport::kEspNow : core::Transport::kPainlessMesh;
  p.trickle = core::TrickleConfig{duration(sc_.ota.trickle_imin_ms / 1e3), duration(sc_.ota.trickle_imax_s),
                                  sc_.ota.trickle_k};
  p.request_jitter = duration(sc_.ota.request_jitter_ms / 1e3);
  p.request_timeout = duration(sc_.ota.request_timeout_ms / 1e3);
  p.serve_delay = duration(sc_.ota.serve_delay_ms / 1e3);
  p.serve_jitter = duration(sc_.ota.serve_jitter_ms / 1e3);
  p.data_timeout = duration(sc_.ota.data_timeout_ms / 1e3);
  p.answer_timeout = duration(sc_.ota.answer_timeout_ms / 1e3);
  p.piece_below_256 = static_cast<uint32_t>(std::lround(sc_.ota.piece_below * 256.0));
  p.piece_lossy_pages = sc_.ota.piece_lossy_pages;
  p.reboot_delay = duration(sc_.ota.reboot_delay_s);
  p.serve_limit_per_s = sc_.ota.serve_limit_per_s;
  p.install_wait_max = duration(sc_.ota.install_wait_max_s);
  p.frame_bytes = static_cast<uint32_t>(sc_.medium.kind == MediumKind::kRadio && sc_.medium.espnow_version == 1
                                            ? core::wire::kEspNowV1MaxBytes
                                            : core::wire::kEspNowV2MaxBytes);
  // A broadcast answer's pace: what the scenario says, or one full frame's airtime on the radio (DIFS +
  // the frame), so that a neighbour's chunks heard meanwhile can be struck from it.
  const SimTime frame_ns = espnow_frame_ns(sc_.medium.radio, p.frame_bytes);
  p.serve_gap = sc_.ota.serve_gap_ms > 0 ? duration(sc_.ota.serve_gap_ms / 1e3) : core::Duration{frame_ns / 1000};
  p.piece_gap = core::Duration{espnow_frame_ns(sc_.medium.radio, core::wire::kEspNowV1MaxBytes) / 1000};
}

void Simulator::dispatch(const Event& e) {
  switch (e.handler) {
    case kPoll: on_poll(e.payload); return;
    case kBoot: on_boot(e.payload); return;
    case kOffer: on_offer(); return;
    case kFault: on_fault(e.payload); return;
    case kReboot: take_down(e.payload, seconds(sc_.node.boot_s), false); return;
    case kTelemetry: on_telemetry(e.payload); return;
    case kBadImage: on_bad_image(e.payload); return;
    case kRollout: on_rollout_tick(); return;
    case kRolloutCommand: on_rollout_command(e.payload); return;
    default: break;
  }
  if (espnow_) espnow_->dispatch(e);
  else if (e.handler < channel_first_) pm_->dispatch(e);
  else channel_->dispatch(e);
}

RunResult Simulator::run(const ProgressFn& progress) {
  if (pm_) pm_->start();
  for (uint32_t i = 0; i < topo_.nodes; ++i) start_node(i);
  queue_.push(seconds(sc_.ota.start_s), kOffer, 0);
  for (uint32_t f = 0; f < sc_.faults.size(); ++f) queue_.push(seconds(sc_.faults[f].at_s), kFault, f);
  if (telemetry_) schedule_telemetry();
  const SimTime limit = seconds(sc_.duration_s);
  queue_.set_horizon(limit);  // the radio runs chained events in place, never past the limit
  uint64_t events = 0;
  while (!queue_.empty() && !done_) {
    if (queue_.next_time() > limit) break;
    dispatch(queue_.pop());
    ++events;
    if (progress && (events & (kProgressEveryEvents - 1)) == 0) progress(queue_.now(), updated_, receivers_);
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
  if (start_hostile(i)) {
    // A hostile node runs its attack instead of the meshota stack.
  } else if (sc_.ota.meshota()) {
    // The version it runs: the offered one once it booted into it, the factory's (1) before.
    const bool runs_new = n.boot.running_slot() != 0 && running_image_sha256(n) == image_.sha256;
    const uint32_t version = i == sc_.ota.sender || runs_new ? sc_.ota.image_version : 1;
    const uint32_t up = i == sc_.ota.sender ? kNoNode : topo_.next_hop(i, sc_.ota.sender);
    n.meshota = std::make_unique<MeshotaStack>(n, meshota_, n.config.id, version, nodes_[sc_.ota.sender]->config.id,
                                               up == kNoNode ? 0 : nodes_[up]->config.id,
                                               device_security_counter(i, runs_new));
    n.core->add_component(n.meshota->peer());
    start_safety(i, runs_new);
  }
  if (telemetry_) {
    telemetry_->attach(i, *n.core, queue_.now());
    TelemetryNodeState& ts = telemetry_->state(i);  // counters since boot start here
    ts.sent_at_boot = result_.nodes[i].app_frames_sent;
    ts.dropped_at_boot = result_.nodes[i].frames_dropped;
    ts.received_at_boot = ts.received;
  }
  n.up = true;
  n.core->on_boot(instant(queue_.now()));
  outbox_.clear();
  flush(i, queue_.now(), n.core->poll(instant(queue_.now()), outbox_));
  // Did it boot into the image being distributed?
  NodeResult& r = result_.nodes[i];
  if (r.is_receiver && r.updated_at_ns < 0 && n.boot.running_slot() != 0) {
    if (running_image_sha256(n) == image_.sha256) {
      r.updated_at_ns = queue_.now();
      // A rollout's run is done when the rollout is (simulator_safety.cpp), not when the last node boots.
      if (++updated_ == receivers_ && sc_.stop_when_done && !rollout_) {
        done_ = true;
        queue_.set_horizon(queue_.now());  // nothing later runs, in place or not
      }
    }
  }
}

const std::string& Simulator::running_image_sha256(const SimNode& n) {
  return slot_sha256(n, n.boot.running_slot(), static_cast<uint32_t>(image_.bytes.size()));
}

const std::string& Simulator::slot_sha256(const SimNode& n, uint32_t slot, uint32_t bytes) {
  // Nodes holding the same image hold the same shared pages, so the digest is
  // computed once per distinct content, not once per node. The key holds its
  // pages, so no address in it can be reused for other contents.
  bytes = std::min(bytes, n.flash.slot_size_bytes());
  std::pair<std::vector<PageRef>, uint32_t> key{n.flash.pages(slot, bytes), bytes};
  auto it = digest_by_pages_.find(key);
  if (it == digest_by_pages_.end()) {
    std::vector<uint8_t> data(bytes);
    n.flash.read(slot, 0, data);
    it = digest_by_pages_.emplace(std::move(key), sha256_hex(data)).first;
  }
  return it->second;
}

void Simulator::schedule_poll(uint32_t i, core::Instant deadline) {
  SimNode& n = *nodes_[i];
  if (deadline == core::Instant::never()) return;
  // The core's timers are TaskScheduler tasks: they run on the node's next pass.
  const SimTime at = std::max(pass_at(i, deadline.us * kNsPerUs), queue_.now());
  if (n.poll_at_ns == at) return;
  n.poll_at_ns = at;
  queue_.push(at, kPoll, i);
}

SimTime Simulator::charge_cpu(uint32_t node, uint64_t bytes) {
  SimNode& n = *nodes_[node];
  // painlessMesh's JSON costs cpu_us_per_kb; a binary ESP-NOW frame frame_us_per_kb.
  const double us_per_kb = espnow_ ? sc_.node.frame_us_per_kb : sc_.node.cpu_us_per_kb;
  const auto cost_ns = static_cast<SimTime>(us_per_kb * static_cast<double>(bytes) / 1024.0 * 1e3) +
                       (n.flash.take_busy_us() + n.stage.take_busy_us() + n.cpu.take_us()) * kNsPerUs;
  n.cpu_free_ns = std::max(n.cpu_free_ns, queue_.now()) + cost_ns;
  return n.cpu_free_ns;
}

void Simulator::flush(uint32_t i, SimTime at_ns, core::Instant deadline) {
  result_.outbox_overflows += outbox_.overflows();
  uint64_t out_bytes = 0;
  for (size_t k = 0; k < outbox_.size(); ++k) out_bytes += outbox_.frame(k).size_bytes;
  // Encoding what goes out and the flash work of the call both keep the CPU busy.
  const SimTime send_at = std::max(at_ns, charge_cpu(i, out_bytes));
  NodeResult& r = result_.nodes[i];
  for (size_t k = 0; k < outbox_.size(); ++k) {
    const core::OutFrame& of = outbox_.frame(k);
    const uint32_t h = frames_.new_frame();
    Frame& f = frames_.frame(h);
    const auto bytes = outbox_.bytes(k);
    f.bytes.assign(bytes.begin(), bytes.end());
    f.routing = of.routing;
    const auto dest = index_of_id_.find(of.dest);
    f.dest = dest == index_of_id_.end() ? kNoNode : dest->second;
    f.kind = classify(f.bytes);
    f.meta = 0;
    f.refs = 0;
    TypeTraffic& t = result_.traffic[static_cast<size_t>(f.kind)];
    ++t.app_sends;
    t.app_bytes += f.bytes.size();
    ++r.app_frames_sent;
    r.app_bytes_sent += f.bytes.size();
    if (telemetry_) {
      telemetry_->count_sent(i, f.bytes, send_at);
      if (espnow_ && !route_telemetry_out(i, f)) {
        frames_.hold(h);  // no route: free the frame
        frames_.release(h);
        continue;
      }
    }
    frames_.hold(h);
    net_send(i, h, send_at);
    frames_.release(h);
  }
  const bool reboot = outbox_.reboot_requested();
  outbox_.clear();
  if (reboot) {
    queue_.push(queue_.now(), kReboot, i);  // after this call returns: the library may be mid-iteration
    return;
  }
  schedule_poll(i, deadline);
}

void Simulator::deliver(uint32_t node, uint32_t frame, SimTime at_ns) {
  SimNode& n = *nodes_[node];
  if (!n.up) return;
  outbox_.clear();
  const core::Instant now = instant(queue_.now());
  if (telemetry_) ++telemetry_->state(node).received;
  n.core->on_frame(now, 0, frames_.frame(frame).bytes, outbox_);
  flush(node, at_ns, n.core->poll(now, outbox_));
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
  if (sc_.ota.meshota()) {
    outbox_.clear();
    n.meshota->peer().offer(instant(queue_.now()), packed_.manifest, *unit_source_, outbox_);
    flush(sc_.ota.sender, queue_.now(), n.core->poll(instant(queue_.now()), outbox_));
    if (rollout_) start_rollout();
    return;
  }
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
  NodeResult& r = result_.nodes[i];
  accumulate_boot(i);
  if (crash) ++r.crashes;
  else ++r.reboots;
  n.core.reset();
  n.health.reset();
  n.meshota.reset();
  if (telemetry_) {
    telemetry_->state(i).next_reason = crash ? core::ResetReason::kPanic : core::ResetReason::kSoftware;
    telemetry_->detach(i);
  }
  n.up = false;
  n.poll_at_ns = -1;
  ++n.generation;
  net_node_up(i, false);  // its connections die with it, its radio goes quiet
  queue_.push(queue_.now() + boot_after_ns, kBoot, i);
}

void Simulator::on_boot(uint32_t i) {
  SimNode& n = *nodes_[i];
  if (n.up || result_.nodes[i].bricked) return;  // a bricked node never boots again
  if (!bootloader(i)) return;  // nothing can start: counted, and the node stays down
  n.cpu_free_ns = queue_.now();
  start_node(i);
  net_node_up(i, true);  // it scans and re-joins; stations that lost it join again
}

void Simulator::on_fault(uint32_t index) {
  const FaultSpec& f = sc_.faults[index];
  if (f.kind == FaultKind::kCrash) {
    take_down(f.node, seconds(f.for_s) + seconds(sc_.node.boot_s), true);
    return;
  }
  const uint32_t link = topo_.parent[f.node] == f.peer ? f.node : f.peer;
  pm_->fault_link(link, queue_.now() + seconds(f.for_s));
}

void Simulator::accumulate_boot(uint32_t i) {
  SimNode& n = *nodes_[i];
  NodeResult& r = result_.nodes[i];
  if (const core::PmOtaReceiver* rx = n.core->pm_receiver()) accumulate(r.rx, rx->stats());
  if (n.meshota) {
    accumulate(r.ota, n.meshota->peer().stats());
    accumulate(r.image, n.meshota->image().stats());
    r.ota_ram_bytes = std::max(r.ota_ram_bytes, n.meshota->image().ram_bytes() + n.inflater.peak_state_bytes());
    r.staging_flash_bytes = std::max(r.staging_flash_bytes, n.meshota->image().staging_bytes());
  }
  if (n.health && n.health->verdict() == core::HealthVerdict::kConfirmed && r.confirmed_at_ns < 0)
    r.confirmed_at_ns = n.health->decided_at().us * kNsPerUs;
}

void Simulator::collect(RunResult& r) {
  r.receivers = receivers_;
  r.updated = updated_;
  r.distinct_flash_pages = pages_.distinct_pages();
  if (sc_.ota.meshota()) {
    r.ota_transfer_bytes = packed_.unit_bytes;
    r.ota_pages = packed_.header.page_count;
    r.ota_chunk_bytes = packed_.header.chunk_size_bytes;
    for (uint32_t p = 0; p < packed_.header.page_count; ++p) r.ota_chunks += packed_.chunk_count(p);
  }
  for (uint32_t i = 0; i < topo_.nodes; ++i) {
    SimNode& n = *nodes_[i];
    NodeResult& nr = r.nodes[i];
    if (n.up && n.core) {
      accumulate_boot(i);  // the running boot's counters, as a shutdown would
      nr = result_.nodes[i];
      if (n.meshota) nr.pages_held = n.meshota->image().pages_complete();
      if (const core::PmOtaReceiver* rx = n.core->pm_receiver()) {
        nr.part_no = rx->part_no();
        nr.no_part = rx->no_part();
        nr.updating = !rx->updating_md5().empty();
        nr.listening_without_timer = rx->listening_without_timer();
      }
      if (const core::PmOtaSender* tx = n.core->pm_sender()) r.sender = tx->stats();
    }
    nr.up = n.up;
    nr.boot_slot_sha256 = running_image_sha256(n);
    nr.updated = nr.boot_slot_sha256 == image_.sha256;
  }
  if (sc_.ota.meshota()) collect_attacks(r);
  if (sc_.ota.meshota()) collect_safety(r);
  collect_network(r);
  if (telemetry_) {
    r.telemetry = telemetry_->finish(r.end_ns);
    r.telemetry.true_hops.resize(topo_.nodes);
    for (uint32_t i = 0; i < topo_.nodes; ++i)
      r.telemetry.true_hops[i] = nodes_[i]->up && tree_.connected_to_root(i) ? static_cast<int>(tree_.depth(i)) : -1;
  }
}

}  // namespace meshota::sim
