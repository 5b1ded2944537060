#pragma once
// Received power and delay between two node positions: the range model or
// log-distance path loss with log-normal shadowing, and per-pair overrides.
// Symmetric by construction (distance, shadowing keyed on the unordered pair,
// overrides apply both ways) and a pure function of the seed, so a link is
// fixed for the run and the neighbour lists can be built in any order.

#include <cstdint>
#include <limits>
#include <span>
#include <utility>
#include <vector>

#include "meshota/sim/engine/event_queue.hpp"
#include "meshota/sim/media/radio/radio_spec.hpp"

namespace meshota::sim {

/// A node's place on the plane, in metres.
struct Position {
  double x_m = 0.0;
  double y_m = 0.0;
};

/// Power below which nothing is tracked, e.g. the received power of a pair out of range.
constexpr double kNoSignalDbm = -std::numeric_limits<double>::infinity();

/// The propagation model of one run: rx power and delay for any node pair.
class Propagation {
 public:
  /// Throws std::invalid_argument for a spec it cannot model (bad override, non-finite position).
  Propagation(const RadioSpec& spec, std::span<const Position> positions, uint64_t seed);

  /// Received power at `b` of `a`'s transmissions (symmetric), or kNoSignalDbm
  /// beyond search_distance_m() unless the pair is overridden.
  double rx_dbm(uint32_t a, uint32_t b) const;
  /// Propagation delay: distance / c, at least 1 ns, so no signal arrives at the instant it is sent.
  SimTime delay_ns(uint32_t a, uint32_t b) const;
  double distance_m(uint32_t a, uint32_t b) const;

  /// Mean received power at `distance_m`, without shadowing or overrides.
  double mean_rx_dbm(double distance_m) const;
  /// Shadowing of the unordered pair {a, b}, in dB (0 when sigma is 0).
  double shadowing_db(uint32_t a, uint32_t b) const;
  /// Farthest distance at which a non-overridden pair can reach `floor_dbm`:
  /// the range, or where mean power + 3 sigma of shadowing meets the floor.
  /// Pairs beyond it are cut (the 0.13 % shadowing tail is dropped).
  double search_distance_m() const { return search_distance_m_; }
  double floor_dbm() const { return floor_dbm_; }

  uint32_t nodes() const { return static_cast<uint32_t>(positions_.size()); }
  const Position& position(uint32_t node) const { return positions_[node]; }
  /// Overridden pairs, as (a < b, rx_dbm), sorted.
  const std::vector<std::pair<uint64_t, double>>& overrides() const { return overrides_; }

  static uint64_t pair_key(uint32_t a, uint32_t b) {
    return a < b ? (uint64_t{a} << 32 | b) : (uint64_t{b} << 32 | a);
  }

 private:
  PropagationKind kind_;
  double range_m_;
  double tx_power_dbm_;
  double reference_loss_db_;
  double path_loss_exponent_;
  double shadowing_sigma_db_;
  std::vector<Position> positions_;
  uint64_t seed_;
  double floor_dbm_;
  double search_distance_m_;
  std::vector<std::pair<uint64_t, double>> overrides_;
};

/// The interference floor a spec implies: its own setting, or noise floor - 15 dB.
double interference_floor_dbm(const RadioSpec& spec);

}  // namespace meshota::sim
