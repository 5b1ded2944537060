#include <cmath>

#include "meshota/sim/report/report.hpp"
#include "report_medium.hpp"
#include "report_attacks.hpp"
#include "report_safety.hpp"
#include "report_ota.hpp"
#include "report_telemetry.hpp"

namespace meshota::sim {
namespace {

// Seconds with microsecond resolution, so the JSON text stays short and stable.
double secs(SimTime ns) { return std::round(static_cast<double>(ns) / 1e3) / 1e6; }
double secs_us(int64_t us) { return static_cast<double>(us) / 1e6; }
double round3(double v) { return std::round(v * 1e3) / 1e3; }

}  // namespace

nlohmann::ordered_json report_json(const ReportInput& in) {
  const Scenario& sc = in.scenario;
  const RunResult& r = in.result;
  const RunAnalysis& a = in.analysis;
  using J = nlohmann::ordered_json;
  J j;
  j["scenario"] = sc.name;
  j["seed"] = sc.seed;
  j["protocol"] = sc.ota.protocol;
  j["image"] = {{"source", in.image.source}, {"size_bytes", in.image.bytes.size()}, {"sha256", in.image.sha256},
                {"md5", in.image.md5}, {"chunk_bytes", sc.ota.chunk_bytes}, {"chunks", a.chunks}};
  j["topology"] = {{"nodes", in.topology.nodes}, {"root", in.topology.root}, {"sender", sc.ota.sender},
                   {"graph_edges", in.topology.graph_edges.size()}, {"tree_max_depth", in.topology.max_depth},
                   {"tree_mean_depth", round3(in.topology.mean_depth)},
                   {"max_children", in.topology.max_children_seen}};
  J result;
  result["receivers"] = r.receivers;
  result["updated"] = r.updated;
  result["all_updated"] = r.updated == r.receivers;
  result["all_verified_sha256"] = r.updated == r.receivers;
  result["offer_s"] = secs(r.offer_ns);
  result["first_updated_s"] = a.first_updated_s < 0 ? J() : J(round3(a.first_updated_s));
  result["completion_s"] = r.updated == r.receivers && a.last_updated_s >= 0 ? J(round3(a.last_updated_s)) : J();
  result["mean_updated_s"] = a.mean_updated_s < 0 ? J() : J(round3(a.mean_updated_s));
  result["p99_updated_s"] = a.p99_updated_s < 0 ? J() : J(round3(a.p99_updated_s));
  result["last_updated_node"] = a.last_updated_node < 0 ? J() : J(a.last_updated_node);
  result["end_s"] = secs(r.end_ns);
  result["stopped_when_done"] = r.stopped_when_done;
  result["events"] = r.events;
  j["result"] = result;
  j["time"] = {{"mean_chunk_ms", round3(a.mean_chunk_ms)}, {"max_chunk_ms", round3(a.max_chunk_ms)},
               {"mean_hops_to_sender", round3(a.mean_hops_to_sender)}, {"requests", a.requests},
               {"retries", a.retries}, {"abandons", a.abandons}, {"notes", a.time_notes}};
  J stalls = J::array();
  for (const StallGroup& g : a.stalls)
    stalls.push_back({{"reason", g.reason}, {"explanation", g.explanation}, {"nodes", g.nodes}});
  j["stalls"] = stalls;
  J traffic;
  for (size_t c = 0; c < r.traffic.size(); ++c) {
    const TypeTraffic& t = r.traffic[c];
    traffic[traffic_class_name(static_cast<TrafficClass>(c))] = {
        {"app_sends", t.app_sends}, {"app_bytes", t.app_bytes}, {"link_tx", t.link_tx},
        {"link_bytes", t.link_bytes}, {"tcp_retransmissions", t.retransmissions}, {"lost", t.lost}};
  }
  j["traffic"] = traffic;
  j["sender"] = {{"announces_sent", r.sender.announces_sent}, {"requests_answered", r.sender.requests_answered},
                 {"data_broadcast", r.sender.data_broadcast}};
  j["links"] = {{"drops_after_node_timeout", r.link_drops}};
  if (in.analysis.ota.present) j["ota"] = detail::ota_json(in);
  if (in.scenario.ota.meshota()) j["safety"] = detail::safety_json(in);
  if (!r.attacks.attackers.empty()) j["attacks"] = detail::attacks_json(in);
  j["model"] = detail::model_json(in);
  if (r.on_radio) j["radio"] = detail::radio_json(in);
  if (r.telemetry.enabled) j["telemetry"] = detail::telemetry_json(in);
  J nodes = J::array();
  for (const NodeResult& n : r.nodes) {
    J row;
    row["node"] = n.index;
    row["id"] = n.id;
    row["depth"] = n.depth;
    row["hops_to_sender"] = n.hops_to_sender;
    row["role"] = n.is_sender ? "sender" : (n.is_root ? "root-receiver" : "receiver");
    row["updated"] = n.updated;
    row["updated_s"] = n.updated_at_ns < 0 ? J() : J(secs(n.updated_at_ns));
    row["first_request_s"] = n.rx.first_request_at == core::Instant::never() ? J() : J(secs_us(n.rx.first_request_at.us));
    row["completed_s"] = n.rx.completed_at == core::Instant::never() ? J() : J(secs_us(n.rx.completed_at.us));
    row["parts_written"] = n.rx.parts_written;
    row["requests"] = n.rx.requests_sent;
    row["retries"] = n.rx.request_retries;
    row["abandons"] = n.rx.abandons;
    row["frames_sent"] = n.frames_sent;
    row["bytes_sent"] = n.bytes_sent;
    row["frames_received"] = n.frames_received;
    row["bytes_received"] = n.bytes_received;
    row["frames_forwarded"] = n.frames_forwarded;
    row["peak_queue_bytes"] = n.peak_queue_bytes;
    row["reboots"] = n.reboots;
    row["boot_slot_sha256"] = n.boot_slot_sha256;
    if (in.analysis.ota.present) detail::ota_node_json(n, row);
    if (r.on_radio) detail::radio_node_json(in, n, row);
    nodes.push_back(row);
  }
  j["nodes"] = nodes;
  return j;
}

}  // namespace meshota::sim
