// What Python sees of a run: the summary numbers and the tables, each one line
// mapping a name to an accessor over the C++ result structs (ScenarioRun:
// scenario, topology, image, result, analysis).
//
// THE place to extend the module: a new summary number is one line in
// summary_fields(); a new column is one line in its table's column list; a new
// table is one make_table(...) line in result_tables() (plus its column list).
// The Python side (Result.summary, Result.table(name), sweeps) picks them up
// without a change. Names follow report.json and timeline.csv where those have
// the same quantity; times are seconds of virtual time, NaN when it never happened.

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "tables.hpp"

namespace meshota::py {
namespace {

using sim::NodeResult;
using sim::RunResult;
using sim::StallGroup;
using sim::TrafficClass;
using sim::TypeTraffic;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double secs(sim::SimTime ns) { return ns < 0 ? kNaN : static_cast<double>(ns) / 1e9; }
double secs(core::Instant t) { return t == core::Instant::never() ? kNaN : static_cast<double>(t.us) / 1e6; }
double or_nan(double v) { return v < 0 ? kNaN : v; }
const TypeTraffic& traffic(const ScenarioRun& run, TrafficClass c) { return run.result.traffic[static_cast<size_t>(c)]; }
bool all_updated(const ScenarioRun& run) { return run.result.updated == run.result.receivers; }

const char* role(const NodeResult& n) { return n.is_sender ? "sender" : (n.is_root ? "root-receiver" : "receiver"); }
/// Chunks a node holds, as timeline.csv counts them.
uint32_t progress_parts(const ScenarioRun& run, const NodeResult& n) {
  const uint32_t chunks = run.analysis.chunks;
  return n.is_sender || n.updated ? chunks : std::min(n.rx.parts_written, chunks);
}

uint64_t sum_link_bytes(const ScenarioRun& run) {
  uint64_t total = 0;
  for (const TypeTraffic& t : run.result.traffic) total += t.link_bytes;
  return total;
}

double airtime_s(const NodeResult& n) { return static_cast<double>(n.radio.tx_airtime_ns) / 1e9; }
double busy_fraction(const ScenarioRun& run, const NodeResult& n) {
  const double end = static_cast<double>(run.result.end_ns);
  return run.result.on_radio && end > 0 ? static_cast<double>(n.radio.busy_ns) / end : kNaN;
}
uint64_t radio_drops(const NodeResult& n) {
  return n.radio.busy_drops + n.radio.queue_drops + n.radio.retry_drops + n.radio.extra_losses;
}
/// A radio total over the nodes (None off the radio: it does not apply).
template <class F>
std::optional<double> radio_sum(const ScenarioRun& run, F&& per_node) {
  if (!run.result.on_radio) return std::nullopt;
  double total = 0;
  for (const NodeResult& n : run.result.nodes) total += static_cast<double>(per_node(n));
  return total;
}
/// A meshota figure (None for painlessMesh's OTA: it does not apply).
std::optional<double> ota_or_none(const ScenarioRun& run, double v) {
  return run.analysis.ota.present ? std::optional<double>(v) : std::nullopt;
}

std::string stall_reasons(const ScenarioRun& run) {
  std::string out;
  for (const StallGroup& g : run.analysis.stalls) out += (out.empty() ? "" : ", ") + g.reason;
  return out;
}

// ---- rows of the tables that are not a plain vector of the result ----

struct TrafficRow {
  std::string type;
  TypeTraffic t;
};

struct StallRow {
  uint32_t node = 0;
  std::string reason;
  std::string explanation;
};

struct CompletionRow {
  uint32_t node = 0;
  double updated_s = 0.0;
  double after_offer_s = 0.0;
  uint32_t updated = 0;  ///< nodes running the image from this time on
};

std::vector<NodeResult> node_rows(const ScenarioRun& run) { return run.result.nodes; }

std::vector<TrafficRow> traffic_rows(const ScenarioRun& run) {
  std::vector<TrafficRow> rows;
  for (size_t c = 0; c < run.result.traffic.size(); ++c)
    rows.push_back({sim::traffic_class_name(static_cast<TrafficClass>(c)), run.result.traffic[c]});
  return rows;
}

std::vector<StallRow> stall_rows(const ScenarioRun& run) {
  std::vector<StallRow> rows;
  for (const StallGroup& g : run.analysis.stalls)
    for (uint32_t n : g.nodes) rows.push_back({n, g.reason, g.explanation});
  return rows;
}

std::vector<CompletionRow> completion_rows(const ScenarioRun& run) {
  std::vector<CompletionRow> rows;
  for (const NodeResult& n : run.result.nodes)
    if (n.is_receiver && n.updated_at_ns >= 0) rows.push_back({n.index, secs(n.updated_at_ns), 0.0, 0});
  std::stable_sort(rows.begin(), rows.end(),
                   [](const CompletionRow& a, const CompletionRow& b) { return a.updated_s < b.updated_s; });
  const double offer = secs(run.result.offer_ns);
  for (size_t i = 0; i < rows.size(); ++i) {
    rows[i].after_offer_s = rows[i].updated_s - offer;
    rows[i].updated = static_cast<uint32_t>(i + 1);
  }
  return rows;
}

}  // namespace

const std::vector<Field>& summary_fields() {
  // clang-format off
  static const std::vector<Field> fields = {
      {"scenario",            [](const ScenarioRun& r) { return r.scenario.name; }},
      {"seed",                [](const ScenarioRun& r) { return r.scenario.seed; }},
      {"protocol",            [](const ScenarioRun& r) { return r.scenario.ota.protocol; }},
      {"nodes",               [](const ScenarioRun& r) { return r.topology.nodes; }},
      {"receivers",           [](const ScenarioRun& r) { return r.result.receivers; }},
      {"updated",             [](const ScenarioRun& r) { return r.result.updated; }},
      {"all_updated",         [](const ScenarioRun& r) { return all_updated(r); }},
      {"image_bytes",         [](const ScenarioRun& r) { return r.image.bytes.size(); }},
      {"chunks",              [](const ScenarioRun& r) { return r.analysis.chunks; }},
      {"offer_s",             [](const ScenarioRun& r) { return secs(r.result.offer_ns); }},
      {"first_updated_s",     [](const ScenarioRun& r) { return or_nan(r.analysis.first_updated_s); }},
      {"completion_s",        [](const ScenarioRun& r) { return all_updated(r) ? or_nan(r.analysis.last_updated_s) : kNaN; }},
      {"last_updated_s",      [](const ScenarioRun& r) { return or_nan(r.analysis.last_updated_s); }},
      {"mean_updated_s",      [](const ScenarioRun& r) { return or_nan(r.analysis.mean_updated_s); }},
      {"p99_updated_s",       [](const ScenarioRun& r) { return or_nan(r.analysis.p99_updated_s); }},
      {"end_s",               [](const ScenarioRun& r) { return secs(r.result.end_ns); }},
      {"stopped_when_done",   [](const ScenarioRun& r) { return r.result.stopped_when_done; }},
      {"events",              [](const ScenarioRun& r) { return r.result.events; }},
      {"mean_chunk_ms",       [](const ScenarioRun& r) { return r.analysis.mean_chunk_ms; }},
      {"max_chunk_ms",        [](const ScenarioRun& r) { return r.analysis.max_chunk_ms; }},
      {"mean_hops_to_sender", [](const ScenarioRun& r) { return r.analysis.mean_hops_to_sender; }},
      {"tree_max_depth",      [](const ScenarioRun& r) { return r.topology.max_depth; }},
      {"tree_mean_depth",     [](const ScenarioRun& r) { return r.topology.mean_depth; }},
      {"requests",            [](const ScenarioRun& r) { return r.analysis.requests; }},
      {"retries",             [](const ScenarioRun& r) { return r.analysis.retries; }},
      {"abandons",            [](const ScenarioRun& r) { return r.analysis.abandons; }},
      {"announces_sent",      [](const ScenarioRun& r) { return r.result.sender.announces_sent; }},
      {"requests_answered",   [](const ScenarioRun& r) { return r.result.sender.requests_answered; }},
      {"data_broadcast",      [](const ScenarioRun& r) { return r.result.sender.data_broadcast; }},
      {"data_link_bytes",     [](const ScenarioRun& r) { return traffic(r, TrafficClass::kData).link_bytes; }},
      {"link_bytes",          [](const ScenarioRun& r) { return sum_link_bytes(r); }},
      {"link_drops",          [](const ScenarioRun& r) { return r.result.link_drops; }},
      {"outbox_overflows",    [](const ScenarioRun& r) { return r.result.outbox_overflows; }},
      {"distinct_flash_pages",[](const ScenarioRun& r) { return r.result.distinct_flash_pages; }},
      {"stall",               [](const ScenarioRun& r) { return stall_reasons(r); }},
      {"medium",              [](const ScenarioRun& r) { return std::string(r.scenario.medium.kind == sim::MediumKind::kRadio ? "radio" : r.scenario.medium.channel == sim::Channel::kRadio ? "tcp-tree/radio" : "tcp-tree/links"); }},
      {"on_radio",            [](const ScenarioRun& r) { return r.result.on_radio; }},
      {"airtime_s",           [](const ScenarioRun& r) { return radio_sum(r, airtime_s); }},
      {"busy_fraction_mean",  [](const ScenarioRun& r) { const auto sum = radio_sum(r, [&](const NodeResult& n) { return busy_fraction(r, n); }); return sum ? std::optional<double>(*sum / static_cast<double>(r.result.nodes.size())) : std::nullopt; }},
      {"collisions",          [](const ScenarioRun& r) { return radio_sum(r, [](const NodeResult& n) { return n.radio.collisions; }); }},
      {"radio_drops",         [](const ScenarioRun& r) { return radio_sum(r, radio_drops); }},
      {"tcp_rto_retransmissions", [](const ScenarioRun& r) { return r.result.tcp_rto_retransmissions; }},
      {"strategy",            [](const ScenarioRun& r) { return r.scenario.ota.meshota() ? std::string(r.scenario.ota.strategy == sim::Strategy::kP2p ? "p2p" : r.scenario.ota.strategy == sim::Strategy::kBroadcast ? "broadcast" : "unicast") : std::string("painlessmesh"); }},
      {"compressed",          [](const ScenarioRun& r) { return r.scenario.ota.compressed; }},
      {"ota_ratio",           [](const ScenarioRun& r) { return ota_or_none(r, r.analysis.ota.ratio); }},
      {"lb_s",                [](const ScenarioRun& r) { return ota_or_none(r, r.analysis.ota.lb_s); }},
      {"completion_over_lb",  [](const ScenarioRun& r) { return ota_or_none(r, r.analysis.ota.completion_over_lb > 0 ? r.analysis.ota.completion_over_lb : kNaN); }},  // NaN: not all updated
      {"control_share",       [](const ScenarioRun& r) { return ota_or_none(r, r.analysis.ota.control_share); }},
      {"ota_chunk_link_bytes",[](const ScenarioRun& r) { return ota_or_none(r, static_cast<double>(r.analysis.ota.data_link_bytes)); }},
  };
  return fields;
}

const std::vector<TableSpec>& result_tables() {
  using C = ScenarioRun;
  using N = NodeResult;
  static const std::vector<TableSpec> tables = {
      make_table<NodeResult>("nodes", "one row per node: place in the tree, progress, completion, traffic, state at the end", node_rows, {
          {"node",                    &N::index},
          {"id",                      &N::id},
          {"depth",                   &N::depth},
          {"hops_to_sender",          &N::hops_to_sender},
          {"role",                    [](const N& n) { return std::string(role(n)); }},
          {"is_root",                 &N::is_root},
          {"is_sender",               &N::is_sender},
          {"is_receiver",             &N::is_receiver},
          {"start_s",                 [](const N& n) { return secs(n.rx.first_request_at); }},
          {"first_data_s",            [](const N& n) { return secs(n.rx.first_data_at); }},
          {"progress_parts",          [](const C& r, const N& n) { return progress_parts(r, n); }},
          {"total_parts",             [](const C& r, const N&) { return r.analysis.chunks; }},
          {"progress_pct",            [](const C& r, const N& n) { return r.analysis.chunks ? 100.0 * progress_parts(r, n) / r.analysis.chunks : 0.0; }},
          {"completed_s",             [](const N& n) { return secs(n.rx.completed_at); }},
          {"updated_s",               [](const N& n) { return secs(n.updated_at_ns); }},
          {"updated",                 &N::updated},
          {"frames_sent",             &N::frames_sent},
          {"bytes_sent",              &N::bytes_sent},
          {"frames_received",         &N::frames_received},
          {"bytes_received",          &N::bytes_received},
          {"frames_forwarded",        &N::frames_forwarded},
          {"app_frames_sent",         &N::app_frames_sent},
          {"app_bytes_sent",          &N::app_bytes_sent},
          {"peak_queue_bytes",        &N::peak_queue_bytes},
          {"requests",                [](const N& n) { return n.rx.requests_sent; }},
          {"retries",                 [](const N& n) { return n.rx.request_retries; }},
          {"abandons",                [](const N& n) { return n.rx.abandons; }},
          {"parts_written",           [](const N& n) { return n.rx.parts_written; }},
          {"out_of_order",            [](const N& n) { return n.rx.out_of_order; }},
          {"announces_accepted",      [](const N& n) { return n.rx.announces_accepted; }},
          {"unicast_fallbacks",       [](const N& n) { return n.rx.unicast_fallbacks; }},
          {"md5_failures",            [](const N& n) { return n.rx.md5_failures; }},
          {"write_failures",          [](const N& n) { return n.rx.write_failures; }},
          {"mean_part_wait_ms",       [](const N& n) { return n.rx.parts_timed ? static_cast<double>(n.rx.part_wait_us) / 1e3 / n.rx.parts_timed : kNaN; }},
          {"max_part_wait_ms",        [](const N& n) { return n.rx.parts_timed ? static_cast<double>(n.rx.max_part_wait_us) / 1e3 : kNaN; }},
          {"reboots",                 &N::reboots},
          {"crashes",                 &N::crashes},
          {"part_no",                 &N::part_no},
          {"no_part",                 &N::no_part},
          {"updating",                &N::updating},
          {"listening_without_timer", &N::listening_without_timer},
          {"up",                      &N::up},
          {"boot_slot_sha256",        &N::boot_slot_sha256},
          {"airtime_s",               [](const C& r, const N& n) { return r.result.on_radio ? airtime_s(n) : kNaN; }},
          {"busy_fraction",           [](const C& r, const N& n) { return busy_fraction(r, n); }},
          {"radio_tx_frames",         [](const N& n) { return n.radio.tx_frames; }},
          {"radio_ack_frames",        [](const N& n) { return n.radio.ack_frames; }},
          {"radio_rx_frames",         [](const N& n) { return n.radio.rx_frames; }},
          {"collisions",              [](const N& n) { return n.radio.collisions; }},
          {"mac_retries",             [](const N& n) { return n.radio.retries; }},
          {"radio_drops",             [](const N& n) { return radio_drops(n); }},
          {"ota_ram_bytes",           &N::ota_ram_bytes},
      }),
      make_table<TrafficRow>("traffic", "one row per message type: application sends versus link transmissions", traffic_rows, {
          {"type",            &TrafficRow::type},
          {"app_sends",       [](const TrafficRow& t) { return t.t.app_sends; }},
          {"app_bytes",       [](const TrafficRow& t) { return t.t.app_bytes; }},
          {"link_tx",         [](const TrafficRow& t) { return t.t.link_tx; }},
          {"link_bytes",      [](const TrafficRow& t) { return t.t.link_bytes; }},
          {"retransmissions", [](const TrafficRow& t) { return t.t.retransmissions; }},
          {"lost",            [](const TrafficRow& t) { return t.t.lost; }},
      }),
      make_table<StallRow>("stalls", "one row per receiver that did not update: why (empty when all did)", stall_rows, {
          {"node",        &StallRow::node},
          {"reason",      &StallRow::reason},
          {"explanation", &StallRow::explanation},
      }),
      make_table<CompletionRow>("completion", "the fleet's completion curve: one row per receiver that booted the image, in time order", completion_rows, {
          {"node",          &CompletionRow::node},
          {"updated_s",     &CompletionRow::updated_s},
          {"after_offer_s", &CompletionRow::after_offer_s},
          {"updated",       &CompletionRow::updated},
      }),
  };
  // clang-format on
  return tables;
}

}  // namespace meshota::py
