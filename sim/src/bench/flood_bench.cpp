#include "meshota/sim/bench/flood_bench.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <vector>

#include "meshota/sim/bench/run_clock.hpp"
#include "meshota/sim/engine/rng_stream.hpp"

namespace meshota::sim {
namespace {

/// Purpose tag of the per-directed-link loss streams ("floodlos" in ASCII).
constexpr uint64_t kFloodLossPurpose = 0x666c6f6f646c6f73ULL;

constexpr uint32_t kHandlerOrigin = 0;   // payload: packet index
constexpr uint32_t kHandlerArrival = 1;  // payload: packet << link_bits | directed link

/// One direction of an edge. Frames all have the same size, so the whole
/// drop-tail queue is summed up by the time the transmitter falls idle.
struct Link {
  SimTime next_free_ns = 0;  // end of serialisation of the last accepted frame
  RngStream loss_rng;        // drawn once per transmitted frame, in link FIFO order
  uint32_t to = 0;
  uint32_t reverse = 0;      // index of the opposite direction: never forwarded back on
};

double seconds(SimTime ns) { return static_cast<double>(ns) / static_cast<double>(kNsPerS); }

/// The state of one flood run: CSR adjacency, link array, seen bitmaps, queue.
class FloodRun {
 public:
  FloodRun(const EdgeList& graph, const FloodParams& params, uint64_t seed)
      : params_(params), nodes_(graph.nodes) {
    validate(graph, params);
    const auto frame_bits = static_cast<double>(params.header_bytes + uint64_t{params.payload_bytes}) * 8.0;
    ser_ns_ = std::llround(frame_bits * static_cast<double>(kNsPerS) / params.bandwidth_bps);
    if (ser_ns_ < 1) throw std::invalid_argument("flood: a frame must take at least 1 ns to send");
    max_backlog_ns_ = static_cast<SimTime>(params.queue_frames) * ser_ns_;
    loss_threshold_ = RngStream::threshold(params.loss);

    // CSR: the links leaving node n are offsets_[n] .. offsets_[n+1]-1, in
    // edge-file order, and a link's position is also its RNG stream index.
    offsets_.assign(size_t{nodes_} + 1, 0);
    for (const auto& [u, v] : graph.edges) {
      ++offsets_[u + 1];
      ++offsets_[v + 1];
    }
    for (uint32_t n = 0; n < nodes_; ++n) offsets_[n + 1] += offsets_[n];
    links_.resize(graph.edges.size() * 2);
    std::vector<uint32_t> fill(offsets_.begin(), offsets_.end() - 1);
    for (const auto& [u, v] : graph.edges) {
      const uint32_t uv = fill[u]++;
      const uint32_t vu = fill[v]++;
      links_[uv].to = v;
      links_[uv].reverse = vu;
      links_[vu].to = u;
      links_[vu].reverse = uv;
    }
    for (size_t i = 0; i < links_.size(); ++i)
      links_[i].loss_rng = RngStream(stream_seed(seed, kFloodLossPurpose, i));

    const auto link_count = static_cast<uint32_t>(links_.size());
    link_bits_ = link_count <= 1 ? 1 : static_cast<uint32_t>(std::bit_width(link_count - 1));
    link_mask_ = (uint32_t{1} << link_bits_) - 1;
    if (params.packets > 0 && ((params.packets - 1) >> (32 - link_bits_)) != 0)
      throw std::invalid_argument("flood: packets x directed links do not fit a 32-bit event payload");

    words_per_packet_ = (size_t{nodes_} + 63) / 64;
    seen_.assign(words_per_packet_ * params.packets, 0);
    queue_.reserve(links_.size() + 16);
  }

  FloodResult run() {
    if (params_.packets > 0) queue_.push(params_.first_packet_ns, kHandlerOrigin, 0);
    uint64_t events = 0;
    while (!queue_.empty()) {
      const Event e = queue_.pop();
      ++events;
      if (e.handler == kHandlerArrival)
        arrive(e.payload >> link_bits_, e.payload & link_mask_, e.time_ns);
      else
        originate(e.payload, e.time_ns);
    }
    result_.events = events;
    result_.max_lat_s = seconds(max_lat_ns_);
    result_.sim_end_s = seconds(std::max(queue_.now(), last_lost_arrival_ns_));
    return result_;
  }

 private:
  static void validate(const EdgeList& graph, const FloodParams& p) {
    if (p.source >= graph.nodes) throw std::invalid_argument("flood: source node is not in the graph");
    if (!(p.bandwidth_bps > 0.0)) throw std::invalid_argument("flood: bandwidth must be positive");
    if (!(p.loss >= 0.0 && p.loss <= 1.0)) throw std::invalid_argument("flood: loss must be in [0, 1]");
    if (p.propagation_ns < 0 || p.first_packet_ns < 0 || p.packet_interval_ns < 0)
      throw std::invalid_argument("flood: times must not be negative");
    if (graph.edges.size() > (size_t{1} << 31))
      throw std::invalid_argument("flood: too many edges for 32-bit link indices");
    for (const auto& [u, v] : graph.edges)
      if (u >= graph.nodes || v >= graph.nodes)
        throw std::invalid_argument("flood: edge endpoint outside the graph");
  }

  SimTime origin_ns(uint32_t packet) const {
    return params_.first_packet_ns + static_cast<SimTime>(packet) * params_.packet_interval_ns;
  }

  /// Marks `node` as holding `packet`; false if it already did.
  bool mark_seen(uint32_t packet, uint32_t node) {
    uint64_t& word = seen_[packet * words_per_packet_ + node / 64];
    const uint64_t bit = uint64_t{1} << (node % 64);
    if (word & bit) return false;
    word |= bit;
    return true;
  }

  void originate(uint32_t packet, SimTime now) {
    mark_seen(packet, params_.source);
    for (uint32_t l = offsets_[params_.source]; l < offsets_[params_.source + 1]; ++l)
      send(l, packet, now);
    if (packet + 1 < params_.packets) queue_.push(origin_ns(packet + 1), kHandlerOrigin, packet + 1);
  }

  void arrive(uint32_t packet, uint32_t link, SimTime now) {
    const uint32_t node = links_[link].to;
    if (!mark_seen(packet, node)) {
      ++result_.duplicates;
      return;
    }
    ++result_.deliveries;
    const SimTime latency = now - origin_ns(packet);
    result_.sum_lat_ns += static_cast<uint64_t>(latency);
    max_lat_ns_ = std::max(max_lat_ns_, latency);
    const uint32_t back = links_[link].reverse;
    const uint32_t end = offsets_[node + 1];
    for (uint32_t l = offsets_[node]; l < end; ++l)
      if (l != back) send(l, packet, now);
  }

  /// Puts a frame on a link. Because every frame has the same size, the
  /// backlog (next_free - now) holds ceil(backlog / ser) frames, one of them
  /// on the wire, so the queue is full when backlog > queue_frames x ser.
  /// A refused frame is never transmitted: it counts as a queue drop, not in
  /// tx_frames. The receiver's loss draw is made here, which is the same
  /// draw sequence as at the receiver since the link is FIFO; a lost frame
  /// still occupies the link and counts in tx_frames, but costs no event.
  void send(uint32_t link, uint32_t packet, SimTime now) {
    Link& l = links_[link];
    if (l.next_free_ns > now) {
      if (l.next_free_ns - now > max_backlog_ns_) {
        ++result_.queue_drops;
        return;
      }
      l.next_free_ns += ser_ns_;
    } else {
      l.next_free_ns = now + ser_ns_;
    }
    ++result_.tx_frames;
    const SimTime arrival_ns = l.next_free_ns + params_.propagation_ns;
    if (l.loss_rng.chance(loss_threshold_)) {
      ++result_.lost_frames;
      last_lost_arrival_ns_ = std::max(last_lost_arrival_ns_, arrival_ns);
      return;
    }
    queue_.push(arrival_ns, kHandlerArrival, (packet << link_bits_) | link);
  }

  FloodParams params_;
  uint32_t nodes_;
  SimTime ser_ns_ = 0;
  SimTime max_backlog_ns_ = 0;
  uint64_t loss_threshold_ = 0;
  std::vector<uint32_t> offsets_;
  std::vector<Link> links_;
  uint32_t link_bits_ = 1;
  uint32_t link_mask_ = 1;
  size_t words_per_packet_ = 0;
  std::vector<uint64_t> seen_;  // one bit per (packet, node)
  EventQueue queue_;
  SimTime max_lat_ns_ = 0;
  SimTime last_lost_arrival_ns_ = 0;
  FloodResult result_;
};

}  // namespace

FloodResult run_flood(const EdgeList& graph, const FloodParams& params, uint64_t seed) {
  const RunClock setup;
  FloodRun flood(graph, params, seed);
  const RunClock::Lap setup_lap = setup.stop();
  const RunClock run;
  FloodResult r = flood.run();
  const RunClock::Lap run_lap = run.stop();

  r.setup_s = setup_lap.wall_s;
  r.run_s = run_lap.wall_s;
  r.cpu_s = run_lap.cpu_s;
  r.nodes = graph.nodes;
  r.edges = static_cast<uint32_t>(graph.edges.size());
  r.pkts = params.packets;
  r.loss = params.loss;
  complete_flood_result(r);
  return r;
}

void complete_flood_result(FloodResult& r) {
  const uint64_t possible = r.nodes > 0 ? uint64_t{r.nodes - 1} * r.pkts : 0;
  r.delivery_ratio = possible > 0 ? static_cast<double>(r.deliveries) / static_cast<double>(possible) : 0.0;
  r.mean_lat_s = r.deliveries > 0
                     ? static_cast<double>(r.sum_lat_ns) / static_cast<double>(r.deliveries) / static_cast<double>(kNsPerS)
                     : 0.0;
  r.frames_per_cpu_s = r.cpu_s > 0.0 ? static_cast<double>(r.tx_frames) / r.cpu_s : 0.0;
  r.max_rss_kb = RunClock::max_rss_kb();
}

std::string format_flood_line(const FloodResult& r) {
  char line[640];
  std::snprintf(line, sizeof line,
                "nodes=%u edges=%u pkts=%u loss=%g deliveries=%llu delivery_ratio=%.6f "
                "duplicates=%llu tx_frames=%llu mean_lat_s=%.6f max_lat_s=%.6f sim_end_s=%.6f "
                "events=%llu setup_s=%.6f run_s=%.6f cpu_s=%.6f frames_per_cpu_s=%.0f max_rss_kb=%ld",
                r.nodes, r.edges, r.pkts, r.loss, static_cast<unsigned long long>(r.deliveries),
                r.delivery_ratio, static_cast<unsigned long long>(r.duplicates),
                static_cast<unsigned long long>(r.tx_frames), r.mean_lat_s, r.max_lat_s, r.sim_end_s,
                static_cast<unsigned long long>(r.events), r.setup_s, r.run_s, r.cpu_s,
                r.frames_per_cpu_s, r.max_rss_kb);
  return line;
}

}  // namespace meshota::sim
