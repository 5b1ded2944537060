#include "meshota/sim/bench/flood_radio.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "meshota/sim/bench/run_clock.hpp"
#include "meshota/sim/engine/rng_stream.hpp"
#include "meshota/sim/media/radio/phy_rate.hpp"
#include "meshota/sim/media/radio/radio_medium.hpp"

namespace meshota::sim {
namespace {

/// Purpose tag of the per-node rebroadcast jitter streams (ASCII "floodjit").
constexpr uint64_t kJitterPurpose = 0x666c6f6f646a6974ULL;

constexpr uint32_t kHandlerOrigin = 0;       // payload: packet index
constexpr uint32_t kHandlerRebroadcast = 1;  // payload: packet x nodes + node
constexpr uint32_t kFirstRadioHandler = 2;

double seconds(SimTime ns) { return static_cast<double>(ns) / static_cast<double>(kNsPerS); }

RadioSpec radio_spec(const FloodRadioParams& p) {
  if (!(p.loss >= 0.0 && p.loss <= 1.0)) throw std::invalid_argument("flood-radio: loss must be in [0, 1]");
  RadioSpec spec = p.radio;
  spec.rx_loss = LossSpec{};
  if (p.loss > 0.0) {
    spec.rx_loss.kind = LossKind::kBernoulli;
    spec.rx_loss.p = p.loss;
  }
  return spec;
}

/// One flood-radio run: the flooding protocol as the medium's listener.
class FloodRadioRun final : public RadioListener {
 public:
  FloodRadioRun(const FloodRadioParams& params, uint64_t seed)
      : params_((validate(params), params)),
        radio_(queue_, kFirstRadioHandler, radio_spec(params), grid_positions(params.nodes, params.spacing_m), seed,
               *this),
        mpdu_bytes_(llc_mpdu_bytes(params.payload_bytes)),
        words_per_packet_((size_t{params.nodes} + 63) / 64),
        seen_(words_per_packet_ * params.packets, 0) {
    jitter_rng_.reserve(params.nodes);
    for (uint32_t n = 0; n < params.nodes; ++n) jitter_rng_.emplace_back(stream_seed(seed, kJitterPurpose, n));
  }

  FloodRadioResult run() {
    if (params_.packets > 0) queue_.push(params_.first_packet_ns, kHandlerOrigin, 0);
    uint64_t events = 0;
    while (!queue_.empty()) {
      const Event e = queue_.pop();
      ++events;
      if (e.handler >= kFirstRadioHandler)
        radio_.dispatch(e);
      else if (e.handler == kHandlerRebroadcast)
        send(e.payload % params_.nodes, e.payload / params_.nodes);
      else
        originate(e.payload);
    }
    r_.flood.events = events;
    r_.flood.max_lat_s = seconds(max_lat_ns_);
    r_.flood.sim_end_s = seconds(queue_.now());
    totals();
    return r_;
  }

  void on_radio_receive(uint32_t node, uint32_t /*from*/, uint32_t packet, SimTime now) override {
    if (!mark_seen(packet, node)) {
      ++r_.flood.duplicates;
      return;
    }
    ++r_.flood.deliveries;
    const SimTime latency = now - origin_ns(packet);
    r_.flood.sum_lat_ns += static_cast<uint64_t>(latency);
    max_lat_ns_ = std::max(max_lat_ns_, latency);
    const auto jitter = static_cast<SimTime>(jitter_rng_[node].below(static_cast<uint64_t>(params_.jitter_ns)));
    queue_.push(now + jitter, kHandlerRebroadcast, packet * params_.nodes + node);
  }

  void on_radio_done(uint32_t, uint32_t, bool, SimTime) override {}

 private:
  static void validate(const FloodRadioParams& p) {
    if (p.nodes == 0) throw std::invalid_argument("flood-radio: needs at least one node");
    if (p.source >= p.nodes) throw std::invalid_argument("flood-radio: source node is not in the grid");
    if (!(p.spacing_m > 0.0)) throw std::invalid_argument("flood-radio: spacing must be positive");
    if (p.jitter_ns <= 0 || p.first_packet_ns < 0 || p.packet_interval_ns < 0)
      throw std::invalid_argument("flood-radio: jitter must be positive and times not negative");
    if (uint64_t{p.packets} * p.nodes > 0xffffffffULL)
      throw std::invalid_argument("flood-radio: packets x nodes do not fit a 32-bit event payload");
  }

  SimTime origin_ns(uint32_t packet) const {
    return params_.first_packet_ns + static_cast<SimTime>(packet) * params_.packet_interval_ns;
  }

  bool mark_seen(uint32_t packet, uint32_t node) {
    uint64_t& word = seen_[packet * words_per_packet_ + node / 64];
    const uint64_t bit = uint64_t{1} << (node % 64);
    if (word & bit) return false;
    word |= bit;
    return true;
  }

  void originate(uint32_t packet) {
    mark_seen(packet, params_.source);
    send(params_.source, packet);
    if (packet + 1 < params_.packets) queue_.push(origin_ns(packet + 1), kHandlerOrigin, packet + 1);
  }

  void send(uint32_t node, uint32_t packet) { radio_.send(node, RadioTx{kRadioBroadcast, mpdu_bytes_, packet}); }

  void totals() {
    FloodResult& f = r_.flood;
    double busy_sum = 0.0;
    for (uint32_t n = 0; n < params_.nodes; ++n) {
      const RadioNodeStats& s = radio_.stats(n);
      f.tx_frames += s.tx_frames;
      f.queue_drops += s.queue_drops;
      r_.collisions += s.collisions;
      r_.busy_drops += s.busy_drops;
      r_.extra_losses += s.extra_losses;
      busy_sum += static_cast<double>(s.busy_ns);
      for (const RadioNeighbour& nb : radio_.neighbours(n))
        if (nb.node > n && nb.rx_dbm >= params_.radio.rx_sensitivity_dbm) ++f.edges;
    }
    f.lost_frames = r_.collisions + r_.extra_losses + r_.busy_drops;
    r_.receiver_visits = radio_.receiver_visits();
    const double end_ns = static_cast<double>(queue_.now());
    r_.busy_fraction = end_ns > 0.0 ? busy_sum / params_.nodes / end_ns : 0.0;
  }

  FloodRadioParams params_;
  EventQueue queue_;
  RadioMedium radio_;
  uint32_t mpdu_bytes_;
  size_t words_per_packet_;
  std::vector<uint64_t> seen_;  // one bit per (packet, node)
  std::vector<RngStream> jitter_rng_;
  SimTime max_lat_ns_ = 0;
  FloodRadioResult r_;
};

}  // namespace

std::vector<Position> grid_positions(uint32_t nodes, double spacing_m) {
  const auto cols = static_cast<uint32_t>(std::ceil(std::sqrt(static_cast<double>(nodes))));
  std::vector<Position> pos(nodes);
  for (uint32_t i = 0; i < nodes; ++i)
    pos[i] = {static_cast<double>(i % cols) * spacing_m, static_cast<double>(i / cols) * spacing_m};
  return pos;
}

FloodRadioResult run_flood_radio(const FloodRadioParams& params, uint64_t seed) {
  const RunClock setup;
  FloodRadioRun flood(params, seed);
  const RunClock::Lap setup_lap = setup.stop();
  const RunClock run;
  FloodRadioResult r = flood.run();
  const RunClock::Lap run_lap = run.stop();
  FloodResult& f = r.flood;
  f.setup_s = setup_lap.wall_s;
  f.run_s = run_lap.wall_s;
  f.cpu_s = run_lap.cpu_s;
  f.nodes = params.nodes;
  f.pkts = params.packets;
  f.loss = params.loss;
  complete_flood_result(f);
  return r;
}

std::string format_flood_radio_line(const FloodRadioResult& r) {
  char tail[96];
  std::snprintf(tail, sizeof tail, " collisions=%llu busy_drops=%llu", static_cast<unsigned long long>(r.collisions),
                static_cast<unsigned long long>(r.busy_drops));
  return format_flood_line(r.flood) + tail;
}

}  // namespace meshota::sim
