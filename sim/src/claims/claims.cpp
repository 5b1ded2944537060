#include "meshota/sim/claims/claims.hpp"

#include <fmt/format.h>

#include "claim_eval.hpp"
#include "claim_list.hpp"

namespace meshota::sim {
namespace detail {

ClaimRow row_for(const std::string& id, const ClaimRunner& r) {
  ClaimRow row;
  row.id = id;
  for (const ClaimText& c : kClaims)
    if (c.id == id) {
      row.claim = std::string(c.claim);
      row.source = std::string(c.source);
    }
  row.seeds = r.seeds();
  return row;
}

std::string range_verdict(const ClaimValue& v, double lo, double hi) {
  size_t inside = 0;
  for (double x : v.per_seed) inside += x >= lo && x <= hi ? 1 : 0;
  if (inside == v.per_seed.size()) return "holds";
  if (inside == 0) return "fails";
  return fmt::format("holds for {} of {} seeds", inside, v.per_seed.size());
}

double completion_s(const ScenarioRun& run) {
  if (run.result.updated == run.result.receivers && run.analysis.last_updated_s >= 0) return run.analysis.last_updated_s;
  return static_cast<double>(run.result.end_ns - run.result.offer_ns) / 1e9;
}

namespace {

// What a claim that cannot be decided yet needs, by id.
std::string needs(std::string_view id) {
  static const std::map<std::string_view, std::string> kNeeds = {
      {"C03", "meshota's compressed transfer (OTA-protocol issue)"},
      {"C04", "meshota's broadcast strategy (OTA-protocol issue)"},
      {"C05", "meshota's broadcast strategy (OTA-protocol issue)"},
      {"C06", "meshota's broadcast strategy with compression (OTA-protocol issue)"},
      {"C07", "progressive rollout (safe-updates issue)"},
      {"C08", "meshota's unicast, broadcast and peer-to-peer strategies (OTA-protocol issue)"},
      {"C09", "meshota's strategies on a 20-node fleet (OTA-protocol issue)"},
      {"C10", "meshota's strategies on a 20-node fleet (OTA-protocol issue)"},
      {"C11", "meshota's peer-to-peer strategy (OTA-protocol issue)"},
      {"C12", "meshota's compression and broadcast under loss (OTA-protocol issue)"},
      {"C13", "meshota's inflater with its RAM measured per window size (OTA-protocol issue)"},
      {"C14", "meshota's chunk tracking with its RAM measured (OTA-protocol issue)"},
      {"C15", "the telemetry package sizes (telemetry issue) and the MQTT bridge (gateway, roadmap item 5)"},
      {"C16", "meshota's peer-to-peer staging flash measured (OTA-protocol issue)"},
      {"C17", "the enhanced status package measured in the simulator (telemetry issue)"},
      {"C18", "the MQTT bridge (gateway, roadmap item 5)"},
      {"C19", "the MQTT bridge's topics (gateway, roadmap item 5)"},
      {"C20", "telemetry and status-service traffic measured over an hour (telemetry issue)"},
      {"C21", "telemetry delta encoding measured (telemetry issue)"},
      {"C22", "telemetry latency and the status service measured (telemetry issue)"},
      {"C23", "telemetry traffic per node measured (telemetry issue)"},
      {"C24", "meshota's broadcast strategy with repair (OTA-protocol issue)"},
      {"C25", "progressive rollout with a bad image (safe-updates issue)"},
      {"C26", "the status service's partial aggregation (telemetry issue)"},
  };
  const auto it = kNeeds.find(id);
  return it == kNeeds.end() ? std::string("an evaluator") : it->second;
}

}  // namespace
}  // namespace detail

std::vector<ClaimRow> evaluate_claims(ClaimRunner& runner) {
  using Eval = ClaimRow (*)(ClaimRunner&);
  const std::map<std::string_view, Eval> decided = {
      {"C01", detail::claim_c01}, {"C02", detail::claim_c02}, {"C15", detail::claim_c15}, {"C17", detail::claim_c17},
      {"C19", detail::claim_c19}, {"C20", detail::claim_c20}, {"C21", detail::claim_c21}, {"C22", detail::claim_c22},
      {"C23", detail::claim_c23}, {"C26", detail::claim_c26}};
  std::vector<ClaimRow> rows;
  for (const detail::ClaimText& c : detail::kClaims) {
    const auto it = decided.find(c.id);
    if (it != decided.end()) {
      rows.push_back(it->second(runner));
      continue;
    }
    ClaimRow row = detail::row_for(std::string(c.id), runner);
    row.seeds.clear();
    row.verdict = "needs: " + detail::needs(c.id);
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace meshota::sim
