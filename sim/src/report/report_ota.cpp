#include "report_ota.hpp"

#include <cmath>
#include <fmt/format.h>

namespace meshota::sim::detail {
namespace {

const char* strategy_name(Strategy s) {
  switch (s) {
    case Strategy::kP2p: return "p2p";
    case Strategy::kBroadcast: return "broadcast";
    case Strategy::kUnicast: return "unicast";
  }
  return "?";
}

double round3(double v) { return std::round(v * 1e3) / 1e3; }
double secs(core::Instant t) { return t == core::Instant::never() ? -1.0 : static_cast<double>(t.us) / 1e6; }

}  // namespace

nlohmann::ordered_json ota_json(const ReportInput& in) {
  const OtaAnalysis& a = in.analysis.ota;
  const RunResult& r = in.result;
  nlohmann::ordered_json j;
  j["strategy"] = strategy_name(in.scenario.ota.strategy);
  j["compressed"] = in.scenario.ota.compressed;
  j["window_bits"] = in.scenario.ota.compressed ? nlohmann::ordered_json(in.scenario.ota.window_bits) : nullptr;
  j["transfer_bytes"] = r.ota_transfer_bytes;
  j["ratio"] = round3(a.ratio);
  j["pages"] = r.ota_pages;
  j["chunk_bytes"] = r.ota_chunk_bytes;
  j["chunks_per_copy"] = r.ota_chunks;
  j["lower_bound"] = {{"frame_ms", round3(a.frame_ms)}, {"depth_hops", a.depth}, {"lb_s", round3(a.lb_s)},
                      {"completion_over_lb", round3(a.completion_over_lb)}};
  j["data_link_bytes"] = a.data_link_bytes;
  j["control_link_bytes"] = a.control_link_bytes;
  j["control_share"] = round3(a.control_share);
  j["data_per_tree_link_images"] = round3(a.data_per_link_images);
  j["copies_per_tree_link"] = round3(a.copies_per_link);
  j["ram_per_node_bytes"] = {{"mean", a.ram_mean_bytes}, {"max", a.ram_max_bytes}};
  j["staging_flash_bytes"] = a.staging_bytes;
  j["chunk_receptions"] = {{"useful", a.chunks_useful}, {"duplicate", a.chunks_duplicate},
                           {"useful_per_chunk_frame", round3(a.useful_per_chunk_frame)},
                           {"whole_frames", a.whole_chunk_frames}, {"whole_frames_new_to_none", a.frames_new_to_none},
                           {"whole_frames_lost_where_wanted", a.frames_lost_where_wanted}};
  j["pieces"] = {{"askers", a.piece_askers}, {"requests", a.piece_requests}, {"sent", a.pieces_sent}};
  j["bad_pages"] = a.bad_pages;
  j["forged_manifests"] = a.forged_manifests;
  j["histogram"] = {{"bin_s", round3(a.histogram_bin_s)}, {"receivers", a.histogram}};
  return j;
}

void ota_node_json(const NodeResult& n, nlohmann::ordered_json& row) {
  row["pages_held"] = n.pages_held;
  row["pages_verified"] = n.image.pages_verified;
  row["bad_pages"] = n.image.bad_pages;
  row["chunks_useful"] = n.image.chunks_useful;
  row["chunks_duplicate"] = n.image.chunks_duplicate;
  row["chunks_sent"] = n.ota.chunks_sent;
  row["chunks_suppressed"] = n.ota.chunks_suppressed;
  row["piece_requests_sent"] = n.ota.piece_requests_sent;
  row["pieces_sent"] = n.ota.pieces_sent;
  row["chunks_out_of_window"] = n.image.chunks_out_of_window;
  row["ota_requests_sent"] = n.ota.requests_sent;
  row["requests_suppressed"] = n.ota.requests_suppressed;
  row["adverts_sent"] = n.ota.adverts_sent;
  const auto at = [](core::Instant t) {
    return t == core::Instant::never() ? nlohmann::ordered_json() : nlohmann::ordered_json(secs(t));
  };
  row["manifest_s"] = at(n.ota.manifest_at);
  row["written_s"] = at(n.ota.written_at);
  row["ota_ram_bytes"] = n.ota_ram_bytes;
  row["staging_flash_bytes"] = n.staging_flash_bytes;
}

std::string ota_markdown(const ReportInput& in) {
  const OtaAnalysis& a = in.analysis.ota;
  const RunResult& r = in.result;
  const OtaSpec& o = in.scenario.ota;
  std::string md = "## meshota\n\n";
  md += fmt::format("- Strategy **{}**, {} ({} bytes sent for a {}-byte image: {:.1f} %), {} pages, chunks of {} bytes "
                    "({} chunk frames per copy).\n",
                    strategy_name(o.strategy),
                    o.compressed ? fmt::format("raw deflate with a {}-byte window", 1u << o.window_bits) : "uncompressed",
                    r.ota_transfer_bytes, in.image.bytes.size(), 100.0 * a.ratio, r.ota_pages, r.ota_chunk_bytes,
                    r.ota_chunks);
  md += fmt::format("- Lower bound (shared/bench/ota-fleet.md): LB = ceil(B/P) x T(P) + (D - 1) x T(P) = {:.2f} s, "
                    "with T(P) = {:.2f} ms for a full chunk frame ({}) and D = {} hops.",
                    a.lb_s, a.frame_ms,
                    in.scenario.medium.kind == MediumKind::kRadio ? "DIFS + one ESP-NOW frame"
                    : in.scenario.medium.channel == Channel::kRadio
                        ? "DIFS + 802.11 frame per TCP segment of its painlessMesh package"
                        : "its painlessMesh package at the link rate",
                    a.depth);
  if (a.completion_over_lb > 0) md += fmt::format(" Completion / LB = **{:.2f}**.", a.completion_over_lb);
  md += "\n";
  md += fmt::format("- Bytes on links: {:.1f} KB of chunks ({:.2f} copies of the image's chunk frames per tree link; "
                    "{:.2f} x the image's size per tree link, framing and encoding included), {:.1f} KB of control "
                    "(advertisements, manifest, requests and NACKs): control is {:.1f} % of OTA {}.\n",
                    static_cast<double>(a.data_link_bytes) / 1024, a.copies_per_link, a.data_per_link_images,
                    static_cast<double>(a.control_link_bytes) / 1024, 100.0 * a.control_share,
                    in.scenario.medium.kind == MediumKind::kRadio ? "airtime (DIFS, preamble and framing included)"
                                                                  : "bytes");
  if (in.scenario.medium.kind == MediumKind::kRadio && a.chunks_useful > 0)
    md += fmt::format("- Reach of a chunk frame: {:.2f} receivers that still lacked the chunk, per chunk frame sent ({} "
                      "useful receptions; {} more receptions, {:.0f} %, were of chunks the receiver already held). The "
                      "fewer receivers a frame serves, the more frames the update costs the shared channel.\n",
                      a.useful_per_chunk_frame, a.chunks_useful, a.chunks_duplicate,
                      100.0 * static_cast<double>(a.chunks_duplicate) /
                          static_cast<double>(a.chunks_useful + a.chunks_duplicate));
  if (a.whole_chunk_frames > 0)
    md += fmt::format("- Chunk frames that served nobody: {} of {} whole chunk frames ({:.1f} %) gave no receiver a "
                      "chunk it still lacked. {} of them were lost (collision, busy receiver, link loss) at a node in "
                      "range that was working on that page and lacked the chunk; the other {} were wanted by no node "
                      "in range by the time they ended (it had the chunk already, or was not on that page).\n",
                      a.frames_new_to_none, a.whole_chunk_frames,
                      100.0 * static_cast<double>(a.frames_new_to_none) / static_cast<double>(a.whole_chunk_frames),
                      a.frames_lost_where_wanted, a.frames_new_to_none - a.frames_lost_where_wanted);
  if (a.pieces_sent > 0 || a.piece_requests > 0)
    md += fmt::format("- Pieces: {} receivers, on links that lost most of a round of full chunk frames, asked for the "
                      "rest of a page in ESP-NOW v1-sized pieces ({} piece requests); {} pieces were sent (counted "
                      "above as chunk traffic, each as its share of a chunk frame).\n",
                      a.piece_askers, a.piece_requests, a.pieces_sent);
  md += fmt::format("- Per receiver: protocol RAM {:.1f} KB on average, {:.1f} KB at most (manifest, receive window, "
                    "writer and inflater state); {:.1f} KB of staging flash for the units it holds and serves.\n",
                    a.ram_mean_bytes / 1024.0, a.ram_max_bytes / 1024.0, a.staging_bytes / 1024.0);
  if (a.bad_pages > 0 || a.forged_manifests > 0)
    md += fmt::format("- Rejected: {} pages that failed their hash, {} manifests that failed their checks.\n",
                      a.bad_pages, a.forged_manifests);
  if (!a.histogram.empty()) {
    md += fmt::format("\nReceivers by completion time after the offer ({:.2f} s bins):\n\n| from s | to s | receivers |\n"
                      "|---:|---:|---:|\n",
                      a.histogram_bin_s);
    for (size_t b = 0; b < a.histogram.size(); ++b)
      if (a.histogram[b] > 0)
        md += fmt::format("| {:.2f} | {:.2f} | {} |\n", static_cast<double>(b) * a.histogram_bin_s,
                          static_cast<double>(b + 1) * a.histogram_bin_s,
                          a.histogram[b]);
  }
  return md + "\n";
}

}  // namespace meshota::sim::detail
