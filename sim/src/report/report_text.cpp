#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <stdexcept>

#include "meshota/sim/report/report.hpp"
#include "report_medium.hpp"
#include "report_attacks.hpp"
#include "report_safety.hpp"
#include "report_ota.hpp"
#include "report_telemetry.hpp"

namespace meshota::sim {
namespace {

std::string opt_s(SimTime ns) { return ns < 0 ? "" : fmt::format("{:.3f}", static_cast<double>(ns) / 1e9); }
std::string opt_us(core::Instant t) {
  return t == core::Instant::never() ? "" : fmt::format("{:.3f}", static_cast<double>(t.us) / 1e6);
}
std::string kb(uint64_t bytes) { return fmt::format("{:.1f}", static_cast<double>(bytes) / 1024.0); }

void write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

}  // namespace

std::string report_summary(const ReportInput& in) {
  const RunResult& r = in.result;
  const RunAnalysis& a = in.analysis;
  std::string s = fmt::format("{}: {} of {} receiving nodes updated", in.scenario.name, r.updated, r.receivers);
  if (r.updated == r.receivers && a.last_updated_s >= 0)
    s += fmt::format(", all verified (sha256 {}...), completion {:.1f} s after the offer", in.image.sha256.substr(0, 12),
                     a.last_updated_s);
  else
    s += fmt::format("; run ended at {:.1f} s", static_cast<double>(r.end_ns) / 1e9);
  s += "\n";
  const SafetyResult& safe = r.safety;
  if (safe.rollout.enabled || safe.bad_image != "none" || safe.reverted_nodes > 0)
    s += fmt::format("  safe updates: bad image {}, rollout {}; {} ran the image, {} went back, {} on it at the end, {} on "
                     "neither\n",
                     safe.bad_image, safe.rollout.enabled ? safe.rollout.phase : "none", safe.exposed,
                     safe.reverted_nodes, safe.on_offered, safe.on_neither);
  for (const StallGroup& g : a.stalls) s += fmt::format("  stalled ({} nodes): {}\n", g.nodes.size(), g.explanation);
  return s;
}

std::string report_markdown(const ReportInput& in) {
  const Scenario& sc = in.scenario;
  const RunResult& r = in.result;
  const RunAnalysis& a = in.analysis;
  std::string md = fmt::format("# {} (seed {})\n\n", sc.name, sc.seed);
  if (!sc.description.empty()) md += sc.description + "\n\n";
  md += "## Result\n\n";
  md += fmt::format("- **{} of {} receiving nodes updated**", r.updated, r.receivers);
  if (r.safety.bad_image != "none" || r.safety.reverted_nodes > 0)
    md += " (counted when a node first booted the image; see Safe updates)";
  if (r.updated == r.receivers)
    md += fmt::format("; every boot slot holds the image's SHA-256 `{}`", in.image.sha256);
  md += ".\n";
  md += fmt::format("- Image: {} ({} bytes, md5 `{}`), {} chunks of {} bytes, protocol `{}`{}.\n", in.image.source,
                    in.image.bytes.size(), in.image.md5, a.chunks, sc.ota.chunk_bytes, sc.ota.protocol,
                    sc.ota.broadcasted ? ", broadcasted" : "");
  md += fmt::format("- Mesh: {} nodes, tree depth max {} (mean {:.2f}), root node {}, sender node {}.\n",
                    in.topology.nodes, in.topology.max_depth, in.topology.mean_depth, in.topology.root,
                    sc.ota.sender);
  if (a.last_updated_s >= 0)
    md += fmt::format("- Offer at {:.1f} s; first node running the image {:.1f} s later, {}last {:.1f} s later "
                      "(node {}; mean {:.1f} s).\n",
                      a.offer_s, a.first_updated_s,
                      a.p99_updated_s < 0 ? "" : fmt::format("99 % of the receivers {:.1f} s later, ", a.p99_updated_s),
                      a.last_updated_s, a.last_updated_node, a.mean_updated_s);
  md += fmt::format("- Run ended at {:.1f} s of virtual time ({}), {} events.\n\n", static_cast<double>(r.end_ns) / 1e9,
                    r.stopped_when_done ? "every receiver updated" : "time limit or no events left", r.events);
  if (!a.stalls.empty()) {
    md += "## Why it stalled\n\n";
    for (const StallGroup& g : a.stalls) {
      md += fmt::format("- **{}** ({} node{}): {}", g.reason, g.nodes.size(), g.nodes.size() == 1 ? "" : "s",
                        g.explanation);
      const bool meshota = sc.ota.meshota();
      md += meshota ? " Nodes (pages held):" : " Nodes (chunks written):";
      for (size_t i = 0; i < g.nodes.size() && i < 20; ++i) {
        const NodeResult& n = r.nodes[g.nodes[i]];
        if (meshota) md += fmt::format(" {} ({}/{})", n.index, n.pages_held, r.ota_pages);
        else md += fmt::format(" {} ({}/{})", n.index, n.rx.parts_written, a.chunks);
      }
      md += g.nodes.size() > 20 ? " ...\n" : "\n";
    }
    md += "\n";
  }
  if (a.ota.present) md += detail::ota_markdown(in);
  if (in.scenario.ota.meshota()) md += detail::safety_markdown(in);
  if (!r.attacks.attackers.empty()) md += detail::attacks_markdown(in);
  if (r.telemetry.enabled) md += detail::telemetry_markdown(in);
  md += "## Where the time goes\n\n";
  for (const std::string& note : a.time_notes) md += "- " + note + "\n";
  if (a.time_notes.empty()) md += "- No chunk was transferred.\n";
  md += "\n## Traffic\n\nApplication sends are what the cores queued; link transmissions count every hop.\n\n";
  md += "| type | app sends | app KB | link transmissions | link KB | TCP retransmissions | lost |\n";
  md += "|---|---:|---:|---:|---:|---:|---:|\n";
  for (size_t c = 0; c < r.traffic.size(); ++c) {
    const TypeTraffic& t = r.traffic[c];
    if (t.app_sends == 0 && t.link_tx == 0) continue;
    md += fmt::format("| {} | {} | {} | {} | {} | {} | {} |\n", traffic_class_name(static_cast<TrafficClass>(c)),
                      t.app_sends, kb(t.app_bytes), t.link_tx, kb(t.link_bytes), t.retransmissions, t.lost);
  }
  md += fmt::format("\nLinks dropped after {:.0f} s of silence (NODE_TIMEOUT): {}.\n\n", sc.medium.node_timeout_s,
                    r.link_drops);
  md += detail::radio_markdown(in);
  md += detail::model_markdown(in);
  md += "## Nodes\n\n| node | depth | hops to sender | updated at s | chunks | requests | retries | abandons | sent KB | "
        "received KB | peak queue KB | boot slot sha256 |\n|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n";
  for (const NodeResult& n : r.nodes) {
    md += fmt::format("| {}{} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | `{}` |\n", n.index,
                      n.is_sender ? " (sender)" : (n.is_root ? " (root)" : ""), n.depth, n.hops_to_sender,
                      n.is_sender ? "-" : opt_s(n.updated_at_ns), n.rx.parts_written, n.rx.requests_sent,
                      n.rx.request_retries, n.rx.abandons, kb(n.bytes_sent), kb(n.bytes_received),
                      kb(n.peak_queue_bytes), n.boot_slot_sha256.substr(0, 16));
  }
  return md;
}

std::string timeline_csv(const ReportInput& in) {
  std::string csv =
      "node,id,depth,hops_to_sender,role,start_s,first_data_s,progress_parts,total_parts,progress_pct,completed_s,"
      "updated_s,frames_sent,bytes_sent,frames_received,bytes_received,frames_forwarded,requests,retries,abandons,"
      "reboots,updated,boot_slot_sha256\n";
  const uint32_t chunks = in.analysis.chunks;
  for (const NodeResult& n : in.result.nodes) {
    const uint32_t parts = n.is_sender ? chunks : (n.updated ? chunks : std::min(n.rx.parts_written, chunks));
    csv += fmt::format("{},{},{},{},{},{},{},{},{},{:.1f},{},{},{},{},{},{},{},{},{},{},{},{},{}\n", n.index, n.id,
                       n.depth, n.hops_to_sender, n.is_sender ? "sender" : (n.is_root ? "root-receiver" : "receiver"),
                       opt_us(n.rx.first_request_at), opt_us(n.rx.first_data_at), parts, chunks,
                       chunks ? 100.0 * parts / chunks : 0.0, opt_us(n.rx.completed_at), opt_s(n.updated_at_ns),
                       n.frames_sent, n.bytes_sent, n.frames_received, n.bytes_received, n.frames_forwarded,
                       n.rx.requests_sent, n.rx.request_retries, n.rx.abandons, n.reboots, n.updated ? 1 : 0,
                       n.boot_slot_sha256);
  }
  return csv;
}

void write_report(const std::string& dir, const ReportInput& in) {
  std::filesystem::create_directories(dir);
  write_file(std::filesystem::path(dir) / "report.json", report_json(in).dump(2) + "\n");
  write_file(std::filesystem::path(dir) / "report.md", report_markdown(in));
  write_file(std::filesystem::path(dir) / "timeline.csv", timeline_csv(in));
  if (in.result.telemetry.enabled) write_file(std::filesystem::path(dir) / "telemetry.csv", telemetry_csv(in));
}

}  // namespace meshota::sim
