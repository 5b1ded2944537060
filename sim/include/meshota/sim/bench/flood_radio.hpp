#pragma once
// The "flood-radio" benchmark (shared/bench/flood-radio.md): the flood
// workload on one shared radio channel. A tiny flooding protocol on top of
// RadioMedium, so it measures the medium (carrier sense, backoff,
// interference, spatial lookup), not the protocols.

#include <cstdint>
#include <string>
#include <vector>

#include "meshota/sim/bench/flood_bench.hpp"
#include "meshota/sim/engine/event_queue.hpp"
#include "meshota/sim/media/radio/propagation.hpp"
#include "meshota/sim/media/radio/radio_spec.hpp"

namespace meshota::sim {

/// Parameters of flood-radio; defaults are the spec's values.
struct FloodRadioParams {
  uint32_t nodes = 100;
  double spacing_m = 50.0;       // square grid, row-major ids, ceil(sqrt(N)) columns
  uint32_t payload_bytes = 1024; // sent as an LLC/SNAP data frame (1060 B on air)
  double loss = 0.10;            // receiver-side Bernoulli loss per directed link (overrides radio.rx_loss)
  uint32_t packets = 150;
  SimTime first_packet_ns = kNsPerS;
  SimTime packet_interval_ns = 200 * kNsPerMs;
  SimTime jitter_ns = 10 * kNsPerMs;  // rebroadcast after uniform [0, jitter)
  uint32_t source = 0;
  RadioSpec radio;               // range model 55 m, 1 Mbit/s DSSS, DCF broadcast
};

/// flood.md's result plus what only the radio has.
struct FloodRadioResult {
  FloodResult flood;             // lost_frames = collisions + extra_losses + busy_drops
  uint64_t collisions = 0;       // locked frames lost to interference
  uint64_t busy_drops = 0;       // decodable frames that arrived while the receiver was busy
  uint64_t extra_losses = 0;     // frames the 10 % receiver-side loss took
  uint64_t receiver_visits = 0;  // signal-start events: the medium's work
  double busy_fraction = 0.0;    // mean over nodes of carrier-sense busy time / sim_end
};

/// N positions on a square grid with `spacing_m`, ceil(sqrt(N)) columns, node 0 at the origin.
std::vector<Position> grid_positions(uint32_t nodes, double spacing_m);

/// Runs flood-radio; the seed selects every random draw. Throws
/// std::invalid_argument for parameters the model cannot run.
FloodRadioResult run_flood_radio(const FloodRadioParams& params, uint64_t seed);

/// flood.md's line followed by " collisions=... busy_drops=...".
std::string format_flood_radio_line(const FloodRadioResult& r);

}  // namespace meshota::sim
