#include "meshota/sim/media/radio/neighbour_table.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "meshota/sim/media/radio/phy_rate.hpp"

namespace meshota::sim {
namespace {

/// Nodes bucketed into square cells at least `reach` wide, so every pair
/// closer than `reach` lies in the same or an adjacent cell.
class SpatialGrid {
 public:
  SpatialGrid(const Propagation& prop, double reach_m) {
    const uint32_t n = prop.nodes();
    double min_x = 0, min_y = 0, max_x = 0, max_y = 0;
    for (uint32_t i = 0; i < n; ++i) {
      const Position& p = prop.position(i);
      if (i == 0 || p.x_m < min_x) min_x = p.x_m;
      if (i == 0 || p.y_m < min_y) min_y = p.y_m;
      if (i == 0 || p.x_m > max_x) max_x = p.x_m;
      if (i == 0 || p.y_m > max_y) max_y = p.y_m;
    }
    origin_ = {min_x, min_y};
    // Cap the cell count near 4 per node: sparse placements over a wide area
    // get larger cells rather than a huge empty array.
    const double max_cells = 4.0 * n + 16.0;
    double cell = reach_m > 0.0 ? reach_m : 1.0;
    const double w = max_x - min_x, h = max_y - min_y;
    while ((std::floor(w / cell) + 1.0) * (std::floor(h / cell) + 1.0) > max_cells) cell *= 2.0;
    cell_m_ = cell;
    cols_ = static_cast<uint32_t>(std::floor(w / cell)) + 1;
    rows_ = static_cast<uint32_t>(std::floor(h / cell)) + 1;
    start_.assign(size_t{cols_} * rows_ + 1, 0);
    cell_of_.resize(n);
    for (uint32_t i = 0; i < n; ++i) {
      cell_of_[i] = cell_index(prop.position(i));
      ++start_[cell_of_[i] + 1];
    }
    for (size_t c = 1; c < start_.size(); ++c) start_[c] += start_[c - 1];
    members_.resize(n);
    std::vector<uint32_t> fill(start_.begin(), start_.end() - 1);
    for (uint32_t i = 0; i < n; ++i) members_[fill[cell_of_[i]]++] = i;
  }

  /// Calls f(j) for every node in the 3 x 3 cells around `node`'s cell.
  template <typename F>
  void for_nearby(uint32_t node, F&& f) const {
    const uint32_t cx = cell_of_[node] % cols_, cy = cell_of_[node] / cols_;
    for (uint32_t y = cy == 0 ? 0 : cy - 1; y <= cy + 1 && y < rows_; ++y)
      for (uint32_t x = cx == 0 ? 0 : cx - 1; x <= cx + 1 && x < cols_; ++x) {
        const uint32_t c = y * cols_ + x;
        for (uint32_t k = start_[c]; k < start_[c + 1]; ++k) f(members_[k]);
      }
  }

 private:
  uint32_t cell_index(const Position& p) const {
    const auto x = static_cast<uint32_t>(std::floor((p.x_m - origin_.x_m) / cell_m_));
    const auto y = static_cast<uint32_t>(std::floor((p.y_m - origin_.y_m) / cell_m_));
    return std::min(y, rows_ - 1) * cols_ + std::min(x, cols_ - 1);
  }

  Position origin_;
  double cell_m_ = 1.0;
  uint32_t cols_ = 1, rows_ = 1;
  std::vector<uint32_t> start_;    // CSR over cells
  std::vector<uint32_t> members_;  // node ids, cell by cell
  std::vector<uint32_t> cell_of_;
};

struct Candidate {
  uint32_t from;
  uint32_t to;
  double rx_dbm;
};

}  // namespace

NeighbourTable::NeighbourTable(const Propagation& prop, double rx_sensitivity_dbm) {
  const uint32_t n = prop.nodes();
  const double floor = prop.floor_dbm();
  std::vector<Candidate> found;
  if (n > 0) {
    const SpatialGrid grid(prop, prop.search_distance_m());
    for (uint32_t i = 0; i < n; ++i)
      grid.for_nearby(i, [&](uint32_t j) {
        if (j == i) return;
        const double rx = prop.rx_dbm(i, j);
        if (rx >= floor) found.push_back({i, j, rx});
      });
  }
  // Overridden pairs may lie beyond the grid's reach; duplicates go below.
  for (const auto& [key, rx] : prop.overrides()) {
    if (!(rx >= floor)) continue;
    const auto a = static_cast<uint32_t>(key >> 32), b = static_cast<uint32_t>(key);
    found.push_back({a, b, rx});
    found.push_back({b, a, rx});
  }
  std::sort(found.begin(), found.end(),
            [](const Candidate& x, const Candidate& y) { return x.from != y.from ? x.from < y.from : x.to < y.to; });
  found.erase(std::unique(found.begin(), found.end(),
                          [](const Candidate& x, const Candidate& y) { return x.from == y.from && x.to == y.to; }),
              found.end());
  if (found.size() >= kNoLink) throw std::invalid_argument("radio: too many links for 32-bit link ids");

  offsets_.assign(size_t{n} + 1, 0);
  links_.reserve(found.size());
  for (const Candidate& c : found) {
    ++offsets_[c.from + 1];
    links_.push_back({c.to, c.rx_dbm, dbm_to_mw(c.rx_dbm), prop.delay_ns(c.from, c.to)});  // weak ones regrouped below
  }
  for (uint32_t i = 0; i < n; ++i) offsets_[i + 1] += offsets_[i];
  by_arrival_.resize(links_.size());
  for (uint32_t a = 0; a < n; ++a) {
    // Signals a receiver cannot decode only add to its interference: they all arrive with the
    // earliest of them, so a frame's thousand weak arrivals are one group, not a thousand events.
    const auto weak = [&](uint32_t l) { return !(links_[l].rx_dbm >= rx_sensitivity_dbm); };
    SimTime weak_arrival = std::numeric_limits<SimTime>::max();
    for (uint32_t l = offsets_[a]; l < offsets_[a + 1]; ++l)
      if (weak(l)) weak_arrival = std::min(weak_arrival, links_[l].arrival_ns);
    for (uint32_t l = offsets_[a]; l < offsets_[a + 1]; ++l)
      if (weak(l)) links_[l].arrival_ns = weak_arrival;
    const auto first = by_arrival_.begin() + offsets_[a], last = by_arrival_.begin() + offsets_[a + 1];
    for (uint32_t l = offsets_[a]; l < offsets_[a + 1]; ++l) by_arrival_[l] = l;
    std::stable_sort(first, last, [&](uint32_t x, uint32_t y) { return links_[x].arrival_ns < links_[y].arrival_ns; });
  }
  reverse_.resize(links_.size());
  for (uint32_t a = 0; a < n; ++a)
    for (uint32_t l = offsets_[a]; l < offsets_[a + 1]; ++l) {
      reverse_[l] = find(links_[l].node, a);
      if (reverse_[l] == kNoLink) throw std::logic_error("radio: neighbour lists are not symmetric");
    }
}

uint32_t NeighbourTable::find(uint32_t a, uint32_t b) const {
  const auto list = of(a);
  const auto it = std::lower_bound(list.begin(), list.end(), b,
                                   [](const RadioNeighbour& x, uint32_t id) { return x.node < id; });
  if (it == list.end() || it->node != b) return kNoLink;
  return static_cast<uint32_t>(it - list.begin()) + offsets_[a];
}

}  // namespace meshota::sim
