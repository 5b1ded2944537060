#pragma once
// `meshota claims`: every number the seed documents state (shared/claims.md),
// checked by simulation. Each claim gets a row: the scenarios and seeds that
// test it, the simulated values (mean and spread over seeds), and a verdict
// that names what is counted. docs/claims.md is generated from these rows and
// docs/claims.json keeps every per-seed value, so CI can re-run a few seeds and
// check that the committed document is what the code produces.

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "meshota/sim/scenario/scenario_run.hpp"

namespace meshota::sim {

/// One simulated quantity of a claim, per seed.
struct ClaimValue {
  std::string what;   ///< e.g. "completion after the offer, F10-tree, https_server.bin"
  std::string unit;   ///< e.g. "s", "%", "KB"
  std::vector<double> per_seed;
  double mean() const;
  double min() const;
  double max() const;
};

/// The verdict on one claim, and how it was reached.
struct ClaimRow {
  std::string id;
  std::string claim;
  std::string source;
  std::vector<std::string> scenarios;
  std::vector<uint64_t> seeds;
  std::vector<ClaimValue> values;
  std::string verdict;      ///< holds / fails / holds only if ... / needs: ...
  std::string explanation;  ///< what is counted, and why the verdict
};

/// How many seeds, and where the scenarios live.
struct ClaimsOptions {
  uint32_t seeds = 5;
  std::string scenario_dir;  ///< the project's scenarios/ folder
};

/// Runs scenarios for claims, each (scenario, seed, variant) once however many claims use it.
class ClaimRunner {
 public:
  using Progress = std::function<void(const std::string&)>;
  ClaimRunner(ClaimsOptions options, Progress progress);

  const ClaimsOptions& options() const { return options_; }
  std::vector<uint64_t> seeds() const;
  /// The analysed run of scenarios/<name>.yaml with `seed`; `variant` names a change made by
  /// `adjust` (empty for none), so that variants are cached apart.
  const ScenarioRun& run(const std::string& name, uint64_t seed, const std::string& variant = {},
                         const std::function<void(Scenario&)>& adjust = {});

 private:
  ClaimsOptions options_;
  Progress progress_;
  std::map<std::string, ScenarioRun> cache_;
};

/// Every claim of shared/claims.md, in order, decided or saying what it needs.
std::vector<ClaimRow> evaluate_claims(ClaimRunner& runner);

/// docs/claims.md and docs/claims.json.
std::string claims_markdown(const std::vector<ClaimRow>& rows, const ClaimsOptions& options);
nlohmann::ordered_json claims_json(const std::vector<ClaimRow>& rows, const ClaimsOptions& options);

/// The markdown a committed claims.json renders to (CI compares it with docs/claims.md).
std::string claims_markdown_from_json(const nlohmann::json& committed);

/// Re-simulates the first `seeds` seeds of every value in a committed claims.json and
/// returns one line per difference (empty: the document matches the code).
std::vector<std::string> check_claims(const nlohmann::json& committed, ClaimRunner& runner, uint32_t seeds);

}  // namespace meshota::sim
