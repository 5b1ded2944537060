// meshota's figures for reports: the lower bound LB of shared/bench/ota-fleet.md,
// completion / LB, control overhead, bytes per tree link, RAM and flash per node.

#include <algorithm>
#include <bit>
#include <cmath>

#include "meshota/core/ota/wire.hpp"
#include "meshota/sim/media/radio/phy_rate.hpp"
#include "meshota/sim/media/tcp_over_radio.hpp"
#include "meshota/sim/report/run_analysis.hpp"

namespace meshota::sim {
namespace {

uint64_t base64_bytes(uint64_t raw) { return (raw + 2) / 3 * 4; }

// The painlessMesh package a full chunk travels in: {"from":F,"routing":R,"type":90,"dest":D,"data":"..."}\0,
// with 10-digit ids.
uint64_t pm_chunk_frame_bytes(uint32_t chunk_bytes) {
  constexpr uint64_t kEnvelope = 59 + 1;
  return kEnvelope + base64_bytes(core::wire::kChunkFixedBytes + chunk_bytes);
}

// T(P) of ota-fleet.md: the time one full chunk frame holds the medium, no backoff, no ACK.
double chunk_frame_ms(const Scenario& sc, uint32_t chunk_bytes) {
  const MediumSpec& m = sc.medium;
  const double difs_ms = m.radio.difs_us / 1e3;
  const auto air_ms = [&](uint32_t mpdu) { return static_cast<double>(frame_duration_ns(m.radio.data_rate, mpdu)) / 1e6; };
  if (m.kind == MediumKind::kRadio)  // one ESP-NOW frame
    return static_cast<double>(espnow_frame_ns(m.radio, static_cast<uint32_t>(core::wire::kChunkFixedBytes) + chunk_bytes)) /
           1e6;
  const uint64_t package = pm_chunk_frame_bytes(chunk_bytes);
  if (m.channel == Channel::kLinks) return static_cast<double>(package) * 8.0 / m.bandwidth_kbps;
  // painlessMesh on the radio: the package in TCP segments, each an 802.11 data frame
  // (IPv4 + TCP headers 40 B, MAC + LLC/SNAP + FCS + CCMP 52 B, as TcpOverRadio sends them).
  const TcpRadioParams tcp;
  double ms = 0;
  for (uint64_t left = package; left > 0;) {
    const auto seg = static_cast<uint32_t>(std::min<uint64_t>(left, m.mss_bytes));
    ms += difs_ms + air_ms(seg + tcp.header_bytes + tcp.frame_overhead_bytes);
    left -= seg;
  }
  return ms;
}

// The share of OTA traffic that is not chunk data: airtime on the radio (each ESP-NOW frame costs DIFS, the
// preamble and its framing, so small control frames cost more than their bytes), bytes elsewhere.
double control_share(const Scenario& sc, const RunResult& r) {
  const auto cost = [&](TrafficClass c) {
    const TypeTraffic& t = r.traffic[static_cast<size_t>(c)];
    if (sc.medium.kind != MediumKind::kRadio) return static_cast<double>(t.link_bytes);
    if (t.link_tx == 0) return 0.0;
    const auto mean_payload = static_cast<uint32_t>(std::lround(static_cast<double>(t.link_bytes) / static_cast<double>(t.link_tx)));
    return static_cast<double>(t.link_tx) * static_cast<double>(espnow_frame_ns(sc.medium.radio, mean_payload));
  };
  const double control =
      cost(TrafficClass::kOtaAdvert) + cost(TrafficClass::kOtaManifest) + cost(TrafficClass::kOtaRequest);
  const double total = control + cost(TrafficClass::kOtaChunk);
  return total > 0 ? control / total : 0.0;
}

}  // namespace

OtaAnalysis analyse_ota(const Scenario& sc, const FirmwareImage& image, const Topology& topo, const RunResult& r,
                        const RunAnalysis& base) {
  OtaAnalysis a;
  if (!sc.ota.meshota() || r.ota_chunk_bytes == 0) return a;
  a.present = true;
  a.ratio = static_cast<double>(r.ota_transfer_bytes) / static_cast<double>(image.bytes.size());
  a.frame_ms = chunk_frame_ms(sc, r.ota_chunk_bytes);
  for (uint32_t v = 0; v < topo.nodes; ++v) a.depth = std::max(a.depth, topo.hops(v, sc.ota.sender));
  const double frames = std::ceil(static_cast<double>(r.ota_transfer_bytes) / r.ota_chunk_bytes);
  a.lb_s = (frames + std::max<uint32_t>(a.depth, 1) - 1) * a.frame_ms / 1e3;
  if (r.updated == r.receivers && base.last_updated_s > 0) a.completion_over_lb = base.last_updated_s / a.lb_s;
  const auto bytes_of = [&](TrafficClass c) { return r.traffic[static_cast<size_t>(c)].link_bytes; };
  a.data_link_bytes = bytes_of(TrafficClass::kOtaChunk);
  a.control_link_bytes =
      bytes_of(TrafficClass::kOtaAdvert) + bytes_of(TrafficClass::kOtaManifest) + bytes_of(TrafficClass::kOtaRequest);
  a.control_share = control_share(sc, r);
  const uint64_t links = topo.nodes > 0 ? topo.nodes - 1 : 0;
  if (links > 0) {
    a.data_per_link_images =
        static_cast<double>(a.data_link_bytes) / (static_cast<double>(links) * static_cast<double>(image.bytes.size()));
    if (r.ota_chunks > 0)
      a.copies_per_link = static_cast<double>(r.traffic[static_cast<size_t>(TrafficClass::kOtaChunk)].link_tx) /
                          (static_cast<double>(links) * r.ota_chunks);
  }
  uint64_t ram_sum = 0;
  uint32_t counted = 0;
  for (const NodeResult& n : r.nodes) {
    a.bad_pages += n.image.bad_pages;
    a.forged_manifests += n.ota.forged_manifests;
    a.chunks_useful += n.image.chunks_useful;
    a.chunks_duplicate += n.image.chunks_duplicate;
    a.pieces_sent += n.ota.pieces_sent;
    a.piece_requests += n.ota.piece_requests_sent;
    if (!n.is_receiver) continue;
    if (n.ota.piece_requests_sent > 0) ++a.piece_askers;
    ram_sum += n.ota_ram_bytes;
    ++counted;
    a.ram_max_bytes = std::max(a.ram_max_bytes, n.ota_ram_bytes);
    a.staging_bytes = std::max(a.staging_bytes, n.staging_flash_bytes);
  }
  a.ram_mean_bytes = counted == 0 ? 0 : static_cast<uint32_t>(ram_sum / counted);
  // Pieces travel as chunk traffic; each is its share of a chunk frame.
  const uint64_t data_frames = r.traffic[static_cast<size_t>(TrafficClass::kOtaChunk)].link_tx;
  const uint32_t per_chunk = static_cast<uint32_t>(std::popcount(core::wire::all_pieces(r.ota_chunk_bytes)));
  const double chunk_frames = static_cast<double>(data_frames - std::min(data_frames, a.pieces_sent)) +
                              (per_chunk == 0 ? 0.0 : static_cast<double>(a.pieces_sent) / per_chunk);
  if (chunk_frames > 0) a.useful_per_chunk_frame = static_cast<double>(a.chunks_useful) / chunk_frames;
  a.whole_chunk_frames = r.chunk_frames_ended;
  a.frames_new_to_none = r.chunk_frames_new_to_none;
  a.frames_lost_where_wanted = r.chunk_frames_wanted_in_range;
  // Completion histogram: 20 bins up to the last node.
  if (base.last_updated_s > 0) {
    a.histogram_bin_s = base.last_updated_s / 20.0;
    a.histogram.assign(20, 0);
    for (const NodeResult& n : r.nodes) {
      if (!n.is_receiver || n.updated_at_ns < 0) continue;
      const double t = static_cast<double>(n.updated_at_ns - r.offer_ns) / 1e9;
      ++a.histogram[std::min<size_t>(19, static_cast<size_t>(t / a.histogram_bin_s))];
    }
  }
  return a;
}

}  // namespace meshota::sim
