#include "meshota/sim/telemetry/telemetry_host.hpp"

#include <algorithm>
#include <cmath>
#include <string_view>

#include "meshota/core/codec/base64.hpp"
#include "meshota/core/telemetry/codec/enhanced_status.hpp"
#include "meshota/core/transport.hpp"
#include "meshota/sim/pm/pm_messages.hpp"

namespace meshota::sim {
namespace {

constexpr uint64_t kTelemetryRngStream = 0x74656c65;  // "tele"
constexpr uint64_t kHeapStream = 0x68656170;          // "heap"
constexpr size_t kJsonSlot = 7;

core::Duration duration_s(double s) { return core::Duration{static_cast<int64_t>(std::llround(s * 1e6))}; }
SimTime ns_of(core::Instant t) { return t.us * kNsPerUs; }

}  // namespace

/// A node's MetricsSource: the simulation measured through the provider.
class TelemetryHost::Source final : public core::MetricsSource {
 public:
  Source(MetricsProvider& p, uint32_t node) : provider_(p), node_(node) {}
  void sample(core::Instant now, core::NodeMetrics& out) override { provider_.sample_node(node_, now, out); }

 private:
  MetricsProvider& provider_;
  uint32_t node_;
};

core::TelemetryCollectorConfig collector_config(const TelemetrySpec& t) {
  core::TelemetryCollectorConfig c;
  core::DetectorConfig& d = c.detectors;
  const core::HysteresisConfig h{static_cast<uint8_t>(t.raise_after), static_cast<uint8_t>(t.clear_after)};
  const auto z = static_cast<float>(t.z_threshold);
  for (core::EwmaConfig* e : {&d.low_heap, &d.parent_rssi, &d.parent_loss, &d.drop_rate, &d.queue_depth}) {
    e->z_threshold = z;
    e->hysteresis = h;
  }
  d.parent_loss.min_sigma = static_cast<float>(t.loss_sigma_floor_pct);
  d.heap_leak.threshold = static_cast<float>(t.leak_threshold_bytes);
  d.heap_leak.horizon_s = static_cast<float>(t.leak_horizon_s);
  d.heap_leak.hysteresis = h;
  d.boot_loop.esphome_boots = static_cast<uint8_t>(t.boot_loop_boots);
  d.boot_loop.esphome_good_window_s = static_cast<uint32_t>(std::lround(t.boot_loop_window_s));
  d.offline.floor = duration_s(t.offline_floor_s);
  d.offline.grace = duration_s(t.offline_grace_s);
  d.offline.missed_reports = static_cast<uint8_t>(t.offline_missed);
  c.status.aggregation_timeout = duration_s(t.status_timeout_s);
  return c;
}

core::TelemetryAgentConfig agent_config(const TelemetrySpec& t, core::NodeId root_id) {
  core::TelemetryAgentConfig a;
  a.root_id = root_id;
  a.report_interval = duration_s(t.interval_s);
  a.delta.snapshot_every_reports = static_cast<uint16_t>(t.snapshot_every);
  switch (t.format) {
    case TelemetryFormat::kDelta: a.format = core::StatusFormat::kDelta; break;
    case TelemetryFormat::kEnhancedJson: a.format = core::StatusFormat::kEnhancedJson; break;
    case TelemetryFormat::kEnhancedBinary: a.format = core::StatusFormat::kEnhancedBinary; break;
  }
  return a;
}

TelemetryHost::TelemetryHost(const Scenario& sc, std::vector<uint32_t> ids, uint32_t root, MetricsProvider& provider)
    : sc_(sc),
      ids_(std::move(ids)),
      root_(root),
      agent_config_(agent_config(sc.telemetry, ids_[root])),
      collector_config_(collector_config(sc.telemetry)),
      agents_(ids_.size()),
      state_(ids_.size()),
      json_scratch_(1024),
      report_sent_ns_(ids_.size(), -1) {
  const size_t n = ids_.size();
  for (uint32_t i = 0; i < n; ++i) {
    index_of_id_[ids_[i]] = i;
    sources_.push_back(std::make_unique<Source>(provider, i));
    rngs_.push_back(std::make_unique<SimRng>(stream_seed(sc.seed, kTelemetryRngStream, i)));
    state_[i].heap_rng = RngStream(stream_seed(sc.seed, kHeapStream, i));
  }
  if (sc.medium.kind == MediumKind::kRadio) {  // one hop per frame: the simulator routes (Simulator::route_telemetry)
    agent_config_.routing = core::Routing::kNeighbour;
    collector_config_.routing = core::Routing::kNeighbour;
  }
  result_.enabled = true;
  result_.root = root;
  result_.last_frame_ns.assign(n, -1);
  for (uint32_t e = 0; e < sc.telemetry.events.size(); ++e) result_.events.push_back({e, -1});
}

TelemetryHost::~TelemetryHost() = default;

void TelemetryHost::attach(uint32_t node, core::Node& core, SimTime now_ns) {
  TelemetryNodeState& s = state_[node];
  ++s.boot_count;
  s.reset_reason = s.next_reason;
  s.next_reason = core::ResetReason::kPowerOn;
  s.booted_ns = now_ns;
  s.min_heap_bytes = UINT32_MAX;
  const core::MessageOut out(core.transport(), ids_[node]);
  if (node == root_) {
    // The root's RAM: per-node state for the whole mesh, lost at every reset like the rest.
    const size_t cap = 2 * ids_.size() + 1;
    decoder_slots_.assign(cap, core::DecoderSlot{});
    status_slots_.assign(cap, core::NodeStatus{});
    health_slots_.assign(cap, core::HealthSlot{});
    collector_ = std::make_unique<core::TelemetryCollector>(collector_config_, out, decoder_slots_, status_slots_,
                                                            health_slots_, this);
    core.add_component(*collector_);
    return;
  }
  agents_[node] = std::make_unique<core::TelemetryAgent>(agent_config_, *sources_[node], out, *rngs_[node]);
  core.add_component(*agents_[node]);
}

void TelemetryHost::detach(uint32_t node) {
  if (agents_[node]) add_agent_stats(agents_[node]->stats());
  agents_[node].reset();
  if (node == root_ && collector_) {
    add_collector_stats(collector_->stats());
    collector_.reset();
  }
}

void TelemetryHost::add_agent_stats(const core::TelemetryAgentStats& s) {
  core::TelemetryAgentStats& a = result_.agents;
  a.reports += s.reports;
  a.snapshots += s.snapshots;
  a.deltas += s.deltas;
  a.enhanced += s.enhanced;
  a.status_responses += s.status_responses;
  a.snapshot_requests += s.snapshot_requests;
  a.send_failures += s.send_failures;
  a.report_bytes += s.report_bytes;
  a.response_bytes += s.response_bytes;
}

void TelemetryHost::add_collector_stats(const core::CollectorStats& s) {
  core::CollectorStats& c = result_.collector;
  c.frames += s.frames;
  c.bad_frames += s.bad_frames;
  c.snapshots += s.snapshots;
  c.deltas += s.deltas;
  c.not_applied += s.not_applied;
  c.duplicates += s.duplicates;
  c.table_full += s.table_full;
  c.snapshot_requests += s.snapshot_requests;
  c.status_requests += s.status_requests;
  c.status_responses += s.status_responses;
  c.enhanced += s.enhanced;
  c.alerts_raised += s.alerts_raised;
  c.alerts_cleared += s.alerts_cleared;
  c.send_failures += s.send_failures;
}

void TelemetryHost::count_sent(uint32_t node, const std::vector<uint8_t>& bytes, SimTime now_ns) {
  const size_t type = classify(bytes);
  if (type == 0) return;
  if (type == 1 || type == 2 || type == 6 || type == kJsonSlot) report_sent_ns_[node] = now_ns;
}

size_t TelemetryHost::classify(const std::vector<uint8_t>& bytes) {
  if (bytes.empty()) return 0;
  if ((bytes[0] & 0xF0) == 0xE0 && bytes.size() >= 2) {  // a raw telemetry frame (ESP-NOW)
    const uint8_t code = core::telemetry_type_code(bytes);
    const size_t type = code < kJsonSlot ? code : 0;
    TelemetryTypeBytes& t = result_.by_type[type];
    ++t.messages;
    t.payload_bytes += bytes.size();
    t.wire_bytes += bytes.size();
    return type;
  }
  const int type = pm_message_type(bytes);
  if (type == 8 && sc_.telemetry.format == TelemetryFormat::kEnhancedJson) {
    TelemetryTypeBytes& t = result_.by_type[kJsonSlot];
    ++t.messages;
    t.payload_bytes += bytes.size();
    t.wire_bytes += bytes.size();
    return kJsonSlot;
  }
  if (type != core::kPmMeshotaType) return 0;
  static constexpr std::string_view kData = "\"data\":\"";
  const std::string_view text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  const size_t at = text.find(kData);
  if (at == std::string_view::npos) return 0;
  const size_t from = at + kData.size();
  const size_t end = text.find('"', from);
  if (end == std::string_view::npos) return 0;
  uint8_t message[core::kMaxMessageBytes];
  const int64_t n = core::base64_decode(text.substr(from, end - from), message);
  if (n < 2 || !core::looks_like_telemetry(std::span<const uint8_t>(message, 1))) return 0;
  const uint8_t code = core::telemetry_type_code(std::span<const uint8_t>(message, 1));
  const size_t slot = code < kJsonSlot ? code : 0;
  TelemetryTypeBytes& t = result_.by_type[slot];
  ++t.messages;
  t.payload_bytes += static_cast<uint64_t>(n);
  t.wire_bytes += bytes.size();
  return slot;
}

uint32_t TelemetryHost::index_of(core::NodeId id) const {
  const auto it = index_of_id_.find(id);
  return it == index_of_id_.end() ? UINT32_MAX : it->second;
}

void TelemetryHost::on_report(core::Instant now, core::NodeId id, const core::NodeMetrics& m, bool snapshot) {
  if (forward_ != nullptr) forward_->on_report(now, id, m, snapshot);
  const uint32_t i = index_of(id);
  if (i == UINT32_MAX) return;
  result_.samples.push_back(TelemetrySample{ns_of(now), i, snapshot, m});
  if (report_sent_ns_[i] >= 0) result_.report_latency_s.push_back(static_cast<float>(ns_of(now) - report_sent_ns_[i]) / 1e9f);
  result_.last_frame_ns[i] = ns_of(now);
  // What the seeds' 2A package would have cost for this very state (C17: "~500 B per report").
  const size_t json = core::encode_enhanced_status_broadcast(core::make_enhanced_status(m, id), json_scratch_);
  ++result_.json_2a_reports;
  result_.json_2a_bytes += json;
}

void TelemetryHost::on_alert(const core::Alert& a) {
  if (forward_ != nullptr) forward_->on_alert(a);
  const uint32_t i = index_of(a.node);
  if (i != UINT32_MAX) result_.alerts.push_back(TelemetryAlert{i, a});
}

void TelemetryHost::on_status_response(core::Instant now, core::NodeId id, const core::NodeMetrics&, bool) {
  const uint32_t i = index_of(id);
  if (i != UINT32_MAX) result_.last_frame_ns[i] = ns_of(now);
}

void TelemetryHost::on_aggregation_started(SimTime now_ns, uint32_t targets) {
  TelemetryAggregation a;
  a.started_ns = now_ns;
  a.targets = targets;
  result_.aggregations.push_back(a);
}

void TelemetryHost::on_aggregation_done(core::Instant now, const core::AggregationStatus& s) {
  if (result_.aggregations.empty() || !collector_) return;
  TelemetryAggregation& a = result_.aggregations.back();
  a.finished_ns = ns_of(now);
  a.targets = s.targets;
  a.answered = s.answered;
  a.partial = s.partial;
  uint32_t cursor = 0;
  core::NodeId page[64];
  for (size_t guard = 0; cursor != core::kCursorEnd && guard < ids_.size() + 1; ++guard) {
    const size_t n = collector_->status().silent_nodes(cursor, page);
    for (size_t k = 0; k < n; ++k)
      if (const uint32_t i = index_of(page[k]); i != UINT32_MAX) a.silent.push_back(i);
    if (n == 0) break;
  }
  std::sort(a.silent.begin(), a.silent.end());
}

void TelemetryHost::heard(uint32_t node, uint32_t from, SimTime now_ns) {
  auto& h = state_[node].heard;
  for (auto& [peer, at] : h)
    if (peer == from) {
      at = now_ns;
      return;
    }
  h.emplace_back(from, now_ns);
}

void TelemetryHost::event_started(uint32_t index, SimTime now_ns) {
  if (index < result_.events.size() && result_.events[index].started_ns < 0) result_.events[index].started_ns = now_ns;
}

TelemetryResult TelemetryHost::finish(SimTime) {
  for (uint32_t i = 0; i < agents_.size(); ++i)
    if (agents_[i]) add_agent_stats(agents_[i]->stats());
  if (collector_) add_collector_stats(collector_->stats());
  return result_;
}

}  // namespace meshota::sim
