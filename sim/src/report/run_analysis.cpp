#include "meshota/sim/report/run_analysis.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <map>

namespace meshota::sim {
namespace {

double to_s(SimTime ns) { return static_cast<double>(ns) / 1e9; }

StallGroup& group(std::vector<StallGroup>& groups, const std::string& reason, const std::string& text) {
  for (StallGroup& g : groups)
    if (g.reason == reason) return g;
  groups.push_back(StallGroup{reason, text, {}});
  return groups.back();
}

void explain_stalls(const Scenario& sc, const Topology& topo, const RunResult& r, RunAnalysis& a) {
  const auto& requests = r.traffic[static_cast<size_t>(TrafficClass::kDataRequest)];
  if (requests.app_sends == 0) {
    std::string text;
    if (sc.ota.broadcasted && topo.root == sc.ota.sender)
      text = fmt::format(
          "No node ever sent a DataRequest. With broadcasted=true only the root requests chunks "
          "(ota.hpp: `if (!pkg.broadcasted || mesh.isRoot())`) and every other node just listens; "
          "here the root (node {}) is the distributing node, which does not take its own offer, so the "
          "update never starts. The Announce went out {} times and nothing else happened.",
          topo.root, r.sender.announces_sent);
    else if (sc.ota.broadcasted)
      text = fmt::format(
          "No node ever sent a DataRequest. With broadcasted=true only the root (node {}) requests "
          "chunks, and it did not accept the Announce.",
          topo.root);
    else
      text = "No node ever sent a DataRequest: no receiver accepted the Announce (role or hardware "
             "differ, or it already has this md5).";
    StallGroup& g = group(a.stalls, "never-requested", text);
    for (const NodeResult& n : r.nodes)
      if (n.is_receiver && !n.updated) g.nodes.push_back(n.index);
    return;
  }
  for (const NodeResult& n : r.nodes) {
    if (!n.is_receiver || n.updated) continue;
    if (!n.up) {
      group(a.stalls, "down", "The node was down when the run ended.").nodes.push_back(n.index);
    } else if (n.listening_without_timer) {
      group(a.stalls, "listener-missed-chunk",
            "Broadcast listener with no retry timer: it missed a chunk and never saw a later one out of "
            "order (the last chunks), so it waits until it reboots.")
          .nodes.push_back(n.index);
    } else if (n.rx.unicast_fallbacks > 0) {
      group(a.stalls, "fallback-answers-root",
            "Dropped back to unicast after an out-of-order broadcast chunk, but its DataRequest carries "
            "the root's id as `from` (DataRequest::replyTo(Data) copies the Data's `dest`), so the sender "
            "answers the root, the listener's requests go unanswered and it abandons.")
          .nodes.push_back(n.index);
    } else if (n.rx.abandons > 0 && !n.updating) {
      group(a.stalls, "abandoned",
            fmt::format("Gave up after {} unanswered requests and was waiting for the next Announce.",
                        sc.ota.request_attempts))
          .nodes.push_back(n.index);
    } else {
      group(a.stalls, "in-progress", "Still downloading when the run reached its time limit.")
          .nodes.push_back(n.index);
    }
  }
}

/// meshota: why a receiver had not booted the image when the run ended, read from its state. Runs with
/// a rollout or a bad image have their own account (the Safe updates section) and are left out.
void explain_meshota_stalls(const RunResult& r, RunAnalysis& a) {
  // Progress in the run's last minute (a page completed, the image written): still on its way, not stuck.
  const core::Instant recent{r.end_ns / kNsPerUs - 60'000'000};
  const auto in_progress = [&](core::Instant at) { return at != core::Instant::never() && at >= recent; };
  const char* const kInProgress = "Still on its way when the run reached its time limit: it completed a page, or "
                                  "wrote the image, in the run's last minute.";
  std::vector<const NodeResult*> fetching;
  for (const NodeResult& n : r.nodes) {
    if (!n.is_receiver || n.updated) continue;
    if (!n.up) {
      group(a.stalls, "down", "The node was down when the run ended.").nodes.push_back(n.index);
    } else if (n.ota.manifest_at == core::Instant::never()) {
      group(a.stalls, "no-manifest",
            "It never completed the manifest: no neighbour's advert reached it, or its manifest requests "
            "went unanswered.")
          .nodes.push_back(n.index);
    } else if (in_progress(n.ota.written_at != core::Instant::never() ? n.ota.written_at : n.ota.page_done_at)) {
      group(a.stalls, "in-progress", kInProgress).nodes.push_back(n.index);
    } else if (n.ota.installs_refused > 0) {
      group(a.stalls, "install-refused",
            "Its image was written and verified, but its boot control refused to stage it (anti-rollback: the "
            "image's security counter is below the device's).")
          .nodes.push_back(n.index);
    } else if (n.ota.written_at != core::Instant::never()) {
      group(a.stalls, "written-not-installed",
            "Its image was written and verified but not installed: a node installs `reboot_delay` after the "
            "last chunk or request it heard or served, so a neighbour that keeps asking holds it off "
            "(`install_wait_max_s` caps the wait; off by default).")
          .nodes.push_back(n.index);
    } else {
      fetching.push_back(&n);
    }
  }
  if (fetching.empty()) return;
  uint32_t fewest = UINT32_MAX, most = 0;
  uint64_t requests = 0;
  for (const NodeResult* n : fetching) {
    fewest = std::min(fewest, n->pages_held);
    most = std::max(most, n->pages_held);
    requests += n->ota.requests_sent;
  }
  StallGroup& g = group(
      a.stalls, "stuck",
      fmt::format("It held the manifest and {} of the {} pages, and completed none in the run's last minute "
                  "while it kept asking ({} requests or NACKs a node in all, on average): no neighbour it asked "
                  "held the next page, or the answers were lost.",
                  fewest == most ? fmt::format("{}", most) : fmt::format("{} to {}", fewest, most), r.ota_pages,
                  requests / fetching.size()));
  for (const NodeResult* n : fetching) g.nodes.push_back(n->index);
}

}  // namespace

RunAnalysis analyse(const Scenario& sc, const FirmwareImage& image, const Topology& topo, const RunResult& r) {
  RunAnalysis a;
  a.chunks = static_cast<uint32_t>((image.bytes.size() + sc.ota.chunk_bytes - 1) / sc.ota.chunk_bytes);
  a.offer_s = to_s(r.offer_ns);
  int64_t wait_us = 0;
  uint64_t timed = 0;
  double updated_sum = 0.0;
  uint32_t updated = 0;
  uint64_t hops = 0;
  std::vector<double> updated_times;
  for (const NodeResult& n : r.nodes) {
    if (!n.is_receiver) continue;
    hops += n.hops_to_sender;
    a.requests += n.rx.requests_sent;
    a.retries += n.rx.request_retries;
    a.abandons += n.rx.abandons;
    wait_us += n.rx.part_wait_us;
    timed += n.rx.parts_timed;
    a.max_chunk_ms = std::max(a.max_chunk_ms, static_cast<double>(n.rx.max_part_wait_us) / 1e3);
    if (n.updated_at_ns >= 0) {
      const double t = to_s(n.updated_at_ns - r.offer_ns);
      a.first_updated_s = a.first_updated_s < 0 ? t : std::min(a.first_updated_s, t);
      if (t > a.last_updated_s) {
        a.last_updated_s = t;
        a.last_updated_node = n.index;
      }
      updated_times.push_back(t);
      updated_sum += t;
      ++updated;
    }
  }
  if (updated > 0) a.mean_updated_s = updated_sum / updated;
  const size_t rank99 = (size_t{99} * r.receivers + 99) / 100;  // ceil(0.99 x receivers)
  if (rank99 > 0 && updated_times.size() >= rank99) {
    std::nth_element(updated_times.begin(), updated_times.begin() + static_cast<std::ptrdiff_t>(rank99 - 1),
                     updated_times.end());
    a.p99_updated_s = updated_times[rank99 - 1];
  }
  if (timed > 0) a.mean_chunk_ms = static_cast<double>(wait_us) / static_cast<double>(timed) / 1e3;
  if (r.receivers > 0) a.mean_hops_to_sender = static_cast<double>(hops) / r.receivers;

  if (timed > 0) {
    a.time_notes.push_back(fmt::format(
        "Stop-and-wait: {} fetches {} chunks strictly one after another; a chunk took {:.1f} ms "
        "on average from its first DataRequest to its Data (max {:.0f} ms), over {:.1f} hops to the sender "
        "on average. {} chunks x {:.1f} ms = {:.1f} s of transfer per node, however fast the links are.",
        sc.ota.broadcasted ? "the root (broadcasted: requesting for every listener)" : "each receiver", a.chunks,
        a.mean_chunk_ms, a.max_chunk_ms, a.mean_hops_to_sender, a.chunks, a.mean_chunk_ms,
        a.chunks * a.mean_chunk_ms / 1e3));
    const auto& data = r.traffic[static_cast<size_t>(TrafficClass::kData)];
    if (data.app_sends > 0)
      a.time_notes.push_back(fmt::format(
          "Every chunk crosses the links as a {}-byte Data message (base64 + JSON: x{:.2f} the chunk), and "
          "all receivers share the sender's links: {} Data sends became {} link transmissions ({:.1f} MB).",
          data.app_bytes / data.app_sends,
          static_cast<double>(data.app_bytes) / static_cast<double>(data.app_sends) / sc.ota.chunk_bytes,
          data.app_sends, data.link_tx, static_cast<double>(data.link_bytes) / 1e6));
  }
  if (a.retries > 0 || a.abandons > 0)
    a.time_notes.push_back(fmt::format(
        "Retries: {} DataRequests were re-sent after the {:.0f} s request timer (each one is at least "
        "{:.0f} s of waiting for that node), and {} request tasks were abandoned after {} sends.",
        a.retries, sc.ota.request_interval_s, sc.ota.request_interval_s, a.abandons, sc.ota.request_attempts));
  else if (timed > 0)
    a.time_notes.push_back("Retries: none; no request timer ever fired.");
  uint32_t reboots = 0;
  for (const NodeResult& n : r.nodes) reboots += n.reboots;
  if (reboots > 0)
    a.time_notes.push_back(fmt::format(
        "Reboots: {} after successful updates; each takes the node's links down for {:.1f} s boot + {:.1f} s "
        "re-join, cutting off every node behind it for that long.",
        reboots, sc.node.boot_s, sc.medium.reconnect_s));
  if (sc.ota.forced && reboots > r.updated)
    a.time_notes.push_back(fmt::format(
        "Forced: the receivers flashed the same image {} times in all for {} nodes. After each reboot a node "
        "has no update in progress, so the next forced Announce (every {:.0f} s, {} in all) starts it again.",
        reboots, r.updated, sc.ota.announce_interval_s, sc.ota.announce_count));
  if (r.updated < r.receivers && !sc.ota.meshota()) explain_stalls(sc, topo, r, a);
  if (r.updated < r.receivers && sc.ota.meshota() && !r.safety.rollout.enabled && r.safety.bad_image == "none")
    explain_meshota_stalls(r, a);
  a.ota = analyse_ota(sc, image, topo, r, a);
  return a;
}

const char* traffic_class_name(TrafficClass c) {
  switch (c) {
    case TrafficClass::kAnnounce: return "announce";
    case TrafficClass::kDataRequest: return "data_request";
    case TrafficClass::kData: return "data";
    case TrafficClass::kUser: return "user";
    case TrafficClass::kNodeSync: return "node_sync";
    case TrafficClass::kTimeSync: return "time_sync";
    case TrafficClass::kOtaAdvert: return "ota_advert";
    case TrafficClass::kOtaManifest: return "ota_manifest";
    case TrafficClass::kOtaRequest: return "ota_request";
    case TrafficClass::kOtaChunk: return "ota_chunk";
    case TrafficClass::kTelemetry: return "telemetry";
    case TrafficClass::kOther: return "other";
    case TrafficClass::kCount: break;
  }
  return "?";
}

}  // namespace meshota::sim
