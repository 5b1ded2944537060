#include "meshota/sim/media/radio/propagation.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <stdexcept>
#include <string>

#include "meshota/sim/engine/rng_stream.hpp"
#include "meshota/sim/media/radio/phy_rate.hpp"

namespace meshota::sim {
namespace {

/// Purpose tag of the per-pair shadowing streams ("shadowdb" in ASCII).
constexpr uint64_t kShadowPurpose = 0x736861646f776462ULL;
constexpr double kSpeedOfLightMPerS = 299'792'458.0;
/// Shadowing beyond this many sigmas is cut when bounding the neighbour search.
constexpr double kShadowSearchSigmas = 3.0;

}  // namespace

double interference_floor_dbm(const RadioSpec& spec) {
  if (spec.interference_floor_dbm) return *spec.interference_floor_dbm;
  return noise_floor_dbm(spec.data_rate, spec.noise_figure_db) - 15.0;
}

Propagation::Propagation(const RadioSpec& spec, std::span<const Position> positions, uint64_t seed)
    : kind_(spec.propagation),
      range_m_(spec.range_m),
      tx_power_dbm_(spec.tx_power_dbm),
      reference_loss_db_(spec.reference_loss_db),
      path_loss_exponent_(spec.path_loss_exponent),
      shadowing_sigma_db_(spec.shadowing_sigma_db),
      positions_(positions.begin(), positions.end()),
      seed_(seed),
      floor_dbm_(interference_floor_dbm(spec)) {
  for (const Position& p : positions_)
    if (!std::isfinite(p.x_m) || !std::isfinite(p.y_m))
      throw std::invalid_argument("radio: node positions must be finite");
  if (kind_ == PropagationKind::kRange) {
    if (!(range_m_ >= 0.0)) throw std::invalid_argument("radio: range_m must not be negative");
    search_distance_m_ = tx_power_dbm_ >= floor_dbm_ ? range_m_ : 0.0;
  } else {
    if (!(path_loss_exponent_ > 0.0)) throw std::invalid_argument("radio: path_loss_exponent must be positive");
    if (!(shadowing_sigma_db_ >= 0.0)) throw std::invalid_argument("radio: shadowing_sigma_db must not be negative");
    const double margin_db = tx_power_dbm_ - reference_loss_db_ + kShadowSearchSigmas * shadowing_sigma_db_ - floor_dbm_;
    search_distance_m_ = margin_db < 0.0 ? 0.0 : std::pow(10.0, margin_db / (10.0 * path_loss_exponent_));
    // Below 1 m the loss is the reference loss, so the whole first metre counts.
    if (margin_db >= 0.0) search_distance_m_ = std::max(search_distance_m_, 1.0);
  }
  for (const LinkOverride& o : spec.overrides) {
    if (o.a >= positions_.size() || o.b >= positions_.size() || o.a == o.b)
      throw std::invalid_argument("radio: link override " + std::to_string(o.a) + "-" + std::to_string(o.b) +
                                  " does not name two distinct nodes");
    overrides_.emplace_back(pair_key(o.a, o.b), o.rx_dbm);
  }
  std::stable_sort(overrides_.begin(), overrides_.end(),
                   [](const auto& x, const auto& y) { return x.first < y.first; });
  // A pair given twice keeps its last value.
  std::vector<std::pair<uint64_t, double>> unique;
  for (const auto& o : overrides_) {
    if (!unique.empty() && unique.back().first == o.first)
      unique.back() = o;
    else
      unique.push_back(o);
  }
  overrides_ = std::move(unique);
}

double Propagation::distance_m(uint32_t a, uint32_t b) const {
  return std::hypot(positions_[a].x_m - positions_[b].x_m, positions_[a].y_m - positions_[b].y_m);
}

double Propagation::mean_rx_dbm(double distance_m) const {
  if (kind_ == PropagationKind::kRange) return distance_m <= range_m_ ? tx_power_dbm_ : kNoSignalDbm;
  const double d = std::max(distance_m, 1.0);
  return tx_power_dbm_ - reference_loss_db_ - 10.0 * path_loss_exponent_ * std::log10(d);
}

double Propagation::shadowing_db(uint32_t a, uint32_t b) const {
  if (shadowing_sigma_db_ == 0.0 || kind_ != PropagationKind::kLogDistance) return 0.0;
  // Box-Muller from the pair's own stream: the same draw whichever end asks.
  RngStream rng(stream_seed(seed_, kShadowPurpose, pair_key(a, b)));
  const double u1 = 1.0 - rng.uniform();  // (0, 1], so the log is finite
  const double u2 = rng.uniform();
  return shadowing_sigma_db_ * std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

double Propagation::rx_dbm(uint32_t a, uint32_t b) const {
  if (!overrides_.empty()) {
    const uint64_t key = pair_key(a, b);
    const auto it = std::lower_bound(overrides_.begin(), overrides_.end(), key,
                                     [](const auto& o, uint64_t k) { return o.first < k; });
    if (it != overrides_.end() && it->first == key) return it->second;
  }
  const double d = distance_m(a, b);
  if (d > search_distance_m_) return kNoSignalDbm;
  return mean_rx_dbm(d) + shadowing_db(a, b);
}

SimTime Propagation::delay_ns(uint32_t a, uint32_t b) const {
  const double ns = distance_m(a, b) / kSpeedOfLightMPerS * static_cast<double>(kNsPerS);
  return std::max<SimTime>(1, std::llround(ns));
}

}  // namespace meshota::sim
