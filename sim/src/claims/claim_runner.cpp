#include <algorithm>
#include <numeric>

#include "meshota/sim/claims/claims.hpp"
#include "meshota/sim/scenario/scenario.hpp"
#include "meshota/sim/scenario/shipped_scenario.hpp"

namespace meshota::sim {

double ClaimValue::mean() const {
  if (per_seed.empty()) return 0.0;
  return std::accumulate(per_seed.begin(), per_seed.end(), 0.0) / static_cast<double>(per_seed.size());
}
double ClaimValue::min() const { return per_seed.empty() ? 0.0 : *std::min_element(per_seed.begin(), per_seed.end()); }
double ClaimValue::max() const { return per_seed.empty() ? 0.0 : *std::max_element(per_seed.begin(), per_seed.end()); }

ClaimRunner::ClaimRunner(ClaimsOptions options, Progress progress)
    : options_(std::move(options)), progress_(std::move(progress)) {}

std::vector<uint64_t> ClaimRunner::seeds() const {
  std::vector<uint64_t> s(options_.seeds);
  std::iota(s.begin(), s.end(), uint64_t{1});
  return s;
}

const ScenarioRun& ClaimRunner::run(const std::string& name, uint64_t seed, const std::string& variant,
                                    const std::function<void(Scenario&)>& adjust) {
  const std::string key = name + "|" + std::to_string(seed) + "|" + variant;
  auto it = cache_.find(key);
  if (it != cache_.end()) return it->second;
  Scenario sc = load_scenario(shipped_scenario_path(options_.scenario_dir, name));
  sc.seed = seed;
  if (adjust) adjust(sc);
  if (progress_) progress_(name + (variant.empty() ? "" : " [" + variant + "]") + " seed " + std::to_string(seed));
  return cache_.emplace(key, run_scenario(std::move(sc))).first->second;
}

}  // namespace meshota::sim
