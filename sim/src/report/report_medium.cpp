#include "report_medium.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <numeric>
#include <vector>

#include "meshota/sim/media/radio/propagation.hpp"

namespace meshota::sim::detail {
namespace {

using J = nlohmann::ordered_json;

const char* loss_name(LossKind k) {
  switch (k) {
    case LossKind::kNone: return "none";
    case LossKind::kBernoulli: return "bernoulli";
    case LossKind::kGilbertElliott: return "gilbert-elliott";
  }
  return "?";
}

const char* medium_name(const MediumSpec& m) {
  if (m.kind == MediumKind::kRadio) return "radio (ESP-NOW frames)";
  return m.channel == Channel::kRadio ? "tcp-tree over the radio" : "tcp-tree over independent links";
}

const char* rate_name(PhyRate r) {
  switch (r) {
    case PhyRate::kDsss1: return "DSSS 1 Mbit/s";
    case PhyRate::kDsss2: return "DSSS 2 Mbit/s";
    case PhyRate::kOfdm6: return "OFDM 6 Mbit/s";
  }
  return "?";
}

std::string preset_text(const Scenario& sc) {
  const bool stock = sc.mesh.sender == SenderPreset::kStockExample;
  return fmt::format("sender preset {} (the sender's loop runs every {:.0f} ms; other nodes every {:.0f} ms)",
                     stock ? "stock-example" : "always-serviced", sc.mesh.sender_loop_period_ms(),
                     sc.mesh.loop_period_ms);
}

double run_s(const RunResult& r) { return std::max(1e-9, static_cast<double>(r.end_ns) / 1e9); }
double secs(SimTime ns) { return static_cast<double>(ns) / 1e9; }
double round4(double v) { return std::round(v * 1e4) / 1e4; }

struct RadioTotals {
  RadioNodeStats sum;
  double busy_mean = 0, busy_max = 0;
  double air_max_s = 0;
  uint32_t air_max_node = 0;
};

RadioTotals totals(const RunResult& r) {
  RadioTotals t;
  for (const NodeResult& n : r.nodes) {
    const RadioNodeStats& s = n.radio;
    t.sum.tx_frames += s.tx_frames, t.sum.ack_frames += s.ack_frames, t.sum.tx_airtime_ns += s.tx_airtime_ns;
    t.sum.rx_frames += s.rx_frames, t.sum.collisions += s.collisions, t.sum.extra_losses += s.extra_losses;
    t.sum.busy_drops += s.busy_drops, t.sum.queue_drops += s.queue_drops, t.sum.retry_drops += s.retry_drops;
    t.sum.retries += s.retries, t.sum.duplicates += s.duplicates;
    t.sum.queue_peak = std::max(t.sum.queue_peak, s.queue_peak);
    const double busy = secs(s.busy_ns) / run_s(r);
    t.busy_mean += busy / static_cast<double>(r.nodes.size());
    t.busy_max = std::max(t.busy_max, busy);
    if (secs(s.tx_airtime_ns) > t.air_max_s) t.air_max_s = secs(s.tx_airtime_ns), t.air_max_node = n.index;
  }
  return t;
}

}  // namespace

J model_json(const ReportInput& in) {
  const Scenario& sc = in.scenario;
  const MediumSpec& m = sc.medium;
  J j;
  j["note"] = "Times come from the medium and node cost models below, not from hardware measurements.";
  j["medium"] = medium_name(m);
  if (m.on_radio()) {
    const RadioSpec& r = m.radio;
    j["radio"] = {{"propagation", r.propagation == PropagationKind::kRange ? "range" : "log-distance"},
                  {"range_m", r.range_m}, {"tx_power_dbm", r.tx_power_dbm},
                  {"path_loss_exponent", r.path_loss_exponent}, {"shadowing_sigma_db", r.shadowing_sigma_db},
                  {"rate", rate_name(r.data_rate)}, {"rx_sensitivity_dbm", r.rx_sensitivity_dbm},
                  {"cca_threshold_dbm", r.cca_ed_threshold_dbm}, {"cw_min", r.cw_min}, {"cw_max", r.cw_max},
                  {"retry_limit", r.retry_limit}, {"rx_loss", loss_name(r.rx_loss.kind)}};
  } else {
    j["bandwidth_kbps"] = m.bandwidth_kbps;
    j["latency_ms"] = m.latency_ms;
    j["queue_limit_frames"] = m.queue_limit_frames;
    j["loss"] = loss_name(m.loss.kind);
  }
  if (m.kind == MediumKind::kTcpTree) {
    j["mss_bytes"] = m.mss_bytes;
    j["rto_ms"] = m.rto_ms;
    j["node_timeout_s"] = m.node_timeout_s;
    j["reconnect_s"] = m.reconnect_s;
    j["sender_preset"] = sc.mesh.sender == SenderPreset::kStockExample ? "stock-example" : "always-serviced";
    j["sender_loop_period_ms"] = sc.mesh.sender_loop_period_ms();
    j["loop_period_ms"] = sc.mesh.loop_period_ms;
  } else {
    j["espnow_version"] = m.espnow_version;
  }
  j["cpu_us_per_kb"] = sc.node.cpu_us_per_kb;
  j["flash_erase_ms"] = sc.node.flash_erase_ms;
  j["flash_write_ms_per_kb"] = sc.node.flash_write_ms_per_kb;
  j["boot_s"] = sc.node.boot_s;
  return j;
}

J radio_json(const ReportInput& in) {
  const RunResult& r = in.result;
  const RadioTotals t = totals(r);
  J j;
  j["airtime_s"] = round4(secs(t.sum.tx_airtime_ns));
  j["airtime_max_node"] = {{"node", t.air_max_node}, {"s", round4(t.air_max_s)}};
  j["data_frames_sent"] = t.sum.tx_frames;
  j["ack_frames_sent"] = t.sum.ack_frames;
  j["frames_received"] = t.sum.rx_frames;
  j["collisions"] = t.sum.collisions;
  j["mac_retries"] = t.sum.retries;
  j["drops"] = {{"busy", t.sum.busy_drops}, {"queue", t.sum.queue_drops}, {"retry_limit", t.sum.retry_drops},
                {"rx_loss_model", t.sum.extra_losses}};
  j["busy_fraction"] = {{"mean", round4(t.busy_mean)}, {"max", round4(t.busy_max)}};
  j["tcp_rto_retransmissions"] = r.tcp_rto_retransmissions;
  j["tcp_connections_aborted"] = r.tcp_aborted;
  return j;
}

void radio_node_json(const ReportInput& in, const NodeResult& n, J& row) {
  const RadioNodeStats& s = n.radio;
  row["radio"] = {{"airtime_s", round4(secs(s.tx_airtime_ns))}, {"data_frames_sent", s.tx_frames},
                  {"ack_frames_sent", s.ack_frames}, {"frames_received", s.rx_frames},
                  {"collisions", s.collisions}, {"mac_retries", s.retries},
                  {"drops", s.busy_drops + s.queue_drops + s.retry_drops + s.extra_losses},
                  {"busy_fraction", round4(secs(s.busy_ns) / run_s(in.result))}, {"queue_peak", s.queue_peak}};
}

std::string model_markdown(const ReportInput& in) {
  const Scenario& sc = in.scenario;
  const MediumSpec& m = sc.medium;
  std::string md = "## Model\n\nThese times come from a model, not from hardware: ";
  if (m.on_radio()) {
    const RadioSpec& r = m.radio;
    md += fmt::format("one shared 802.11 channel ({}; {} propagation, {:.1f} dBm, {}; receiver sensitivity {:.0f} dBm, "
                      "signals below {:.1f} dBm not counted as interference (docs/scenarios.md says what that "
                      "leaves out), energy-detect carrier sense at {:.0f} dBm; DCF with CW {}..{}, {} retries). ",
                      medium_name(m),
                      r.propagation == PropagationKind::kRange ? fmt::format("range {:.0f} m", r.range_m)
                                                              : fmt::format("log-distance, exponent {:.1f}, shadowing "
                                                                            "{:.1f} dB", r.path_loss_exponent,
                                                                            r.shadowing_sigma_db),
                      r.tx_power_dbm, rate_name(r.data_rate), r.rx_sensitivity_dbm, interference_floor_dbm(r),
                      r.cca_ed_threshold_dbm, r.cw_min,
                      r.cw_max, r.retry_limit);
  } else {
    md += fmt::format("tcp-tree links of {:.0f} kbit/s per direction, {:.1f} ms latency, loss turned into "
                      "retransmission delay. ", m.bandwidth_kbps, m.latency_ms);
  }
  if (m.kind == MediumKind::kTcpTree)
    md += fmt::format("TCP: MSS {} bytes, RTO {:.0f} ms (doubling), NODE_TIMEOUT {:.0f} s, re-join {:.1f} s; {}. ",
                      m.mss_bytes, m.rto_ms, m.node_timeout_s, m.reconnect_s, preset_text(sc));
  else
    md += fmt::format("ESP-NOW v{}: at most {} bytes per frame, 43 bytes of action-frame framing. ", m.espnow_version,
                      m.espnow_version == 1 ? 250 : 1470);
  md += fmt::format("Nodes spend {:.0f} us of CPU per KB of JSON ({:.0f} per KB of binary frame), {:.0f} ms per 4 KB "
                    "flash erase, {:.1f} ms per KB written, {:.1f} s to boot.",
                    sc.node.cpu_us_per_kb, sc.node.frame_us_per_kb, sc.node.flash_erase_ms,
                    sc.node.flash_write_ms_per_kb, sc.node.boot_s);
  if (!sc.ota.meshota())
    md += fmt::format(" painlessMesh timers: Announce every {:.0f} s x {}, request every {:.0f} s x {}, reboot {:.0f} s "
                      "after success.",
                      sc.ota.announce_interval_s, sc.ota.announce_count, sc.ota.request_interval_s,
                      sc.ota.request_attempts, sc.ota.reboot_delay_s);
  return md + "\n\n";
}

std::string radio_markdown(const ReportInput& in) {
  const RunResult& r = in.result;
  if (!r.on_radio) return "";
  const RadioTotals t = totals(r);
  std::string md = "## Radio channel\n\nEvery frame of every node shares one channel: ";
  md += fmt::format("{:.2f} s of airtime in {:.1f} s ({} data frames, {} ACKs, {} MAC retries). The busiest node, {}, "
                    "transmitted for {:.2f} s. Carrier sense said busy {:.1f} % of the time on average and {:.1f} % at "
                    "the worst node: that share of a node's time is lost to its neighbours' frames.\n\n",
                    secs(t.sum.tx_airtime_ns), run_s(r), t.sum.tx_frames, t.sum.ack_frames, t.sum.retries,
                    t.air_max_node, t.air_max_s, 100 * t.busy_mean, 100 * t.busy_max);
  md += fmt::format("Losses: {} collisions (frames locked but lost to interference), {} frames missed while the "
                    "receiver was busy, {} refused by a full MAC queue, {} given up after the retry limit, {} to the "
                    "receiver-side loss model.",
                    t.sum.collisions, t.sum.busy_drops, t.sum.queue_drops, t.sum.retry_drops, t.sum.extra_losses);
  if (in.scenario.medium.kind == MediumKind::kTcpTree)
    md += fmt::format(" TCP resent {} segments after an RTO and gave up on {} connections.", r.tcp_rto_retransmissions,
                      r.tcp_aborted);
  md += "\n\n| node | airtime s | busy % | data frames | ACKs | received | collisions | MAC retries | drops |\n"
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n";
  // The busiest 20 nodes by airtime (all of a small mesh); report.json has every node.
  std::vector<uint32_t> order(r.nodes.size());
  std::iota(order.begin(), order.end(), 0u);
  std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    return r.nodes[a].radio.tx_airtime_ns > r.nodes[b].radio.tx_airtime_ns;
  });
  for (size_t k = 0; k < order.size() && k < 20; ++k) {
    const NodeResult& n = r.nodes[order[k]];
    const RadioNodeStats& s = n.radio;
    md += fmt::format("| {}{} | {:.2f} | {:.1f} | {} | {} | {} | {} | {} | {} |\n", n.index,
                      n.is_sender ? " (sender)" : (n.is_root ? " (root)" : ""), secs(s.tx_airtime_ns),
                      100 * secs(s.busy_ns) / run_s(r), s.tx_frames, s.ack_frames, s.rx_frames, s.collisions,
                      s.retries, s.busy_drops + s.queue_drops + s.retry_drops + s.extra_losses);
  }
  return md + "\n";
}

}  // namespace meshota::sim::detail
