#pragma once
// The "flood" engine benchmark (shared/bench/flood.md): lossy flooding of a
// packet stream over every link of a graph. It exercises the event queue,
// links, loss draws and per-node state, not the OTA protocols.

#include <cstdint>
#include <string>

#include "meshota/sim/scenario/edge_list.hpp"
#include "meshota/sim/engine/event_queue.hpp"

namespace meshota::sim {

/// Parameters of the flood engine benchmark (bench/flood.md); defaults are the spec's values.
struct FloodParams {
  double bandwidth_bps = 1e6;                   // per direction of a link
  SimTime propagation_ns = 2 * kNsPerMs;
  uint32_t queue_frames = 100;                  // waiting room per direction, excluding the frame on the wire
  uint32_t header_bytes = 2;                    // link header added to every payload
  uint32_t payload_bytes = 1024;
  double loss = 0.10;                           // receiver-side drop probability per frame
  uint32_t packets = 150;
  SimTime first_packet_ns = kNsPerS;
  SimTime packet_interval_ns = 50 * kNsPerMs;
  uint32_t source = 0;
};

/// What one flood run measured: one field per key of the spec's output line,
/// plus counters that explain the totals but are not printed.
struct FloodResult {
  uint32_t nodes = 0;
  uint32_t edges = 0;
  uint32_t pkts = 0;
  double loss = 0.0;
  uint64_t deliveries = 0;       // first copies received by nodes other than the source
  double delivery_ratio = 0.0;   // deliveries / ((nodes - 1) * pkts)
  uint64_t duplicates = 0;       // later copies that arrived intact, the source's included
  uint64_t tx_frames = 0;        // frames accepted onto a link, lost ones included
  double mean_lat_s = 0.0;       // mean over deliveries of (first copy - packet origin)
  double max_lat_s = 0.0;
  double sim_end_s = 0.0;        // virtual time of the last frame arrival (lost or not)
  uint64_t events = 0;           // events popped by the run loop
  double setup_s = 0.0;          // wall time to build the adjacency and link arrays
  double run_s = 0.0;            // wall time of the run loop only
  double cpu_s = 0.0;            // process CPU time of the run loop only
  double frames_per_cpu_s = 0.0; // tx_frames / cpu_s
  long max_rss_kb = 0;           // peak resident set of the whole process so far

  uint64_t lost_frames = 0;      // transmitted but dropped at the receiver
  uint64_t queue_drops = 0;      // refused by a full drop-tail queue, never transmitted
  uint64_t sum_lat_ns = 0;       // exact sum behind mean_lat_s
};

/// Runs the flood benchmark on `graph`; the seed selects the loss draws.
/// Throws std::invalid_argument for parameters the model cannot run.
FloodResult run_flood(const EdgeList& graph, const FloodParams& params, uint64_t seed);

/// Fills the derived fields (delivery_ratio, mean_lat_s, frames_per_cpu_s,
/// max_rss_kb) from the counted ones; shared by the tree and radio floods.
void complete_flood_result(FloodResult& r);

/// The spec's output line: "nodes=500 edges=875 pkts=150 loss=0.1 ..." in the spec's key order.
std::string format_flood_line(const FloodResult& r);

}  // namespace meshota::sim
