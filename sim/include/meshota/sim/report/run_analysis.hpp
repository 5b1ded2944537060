#pragma once
// Turns a RunResult into the explanations a report gives: where the time went
// and, when nodes did not update, why. Shared by every report format.

#include <string>
#include <vector>

#include "meshota/sim/scenario/firmware_image.hpp"
#include "meshota/sim/report/run_result.hpp"
#include "meshota/sim/scenario/scenario.hpp"
#include "meshota/sim/scenario/topology.hpp"

namespace meshota::sim {

/// A group of receivers that did not update for the same reason.
struct StallGroup {
  std::string reason;           ///< short machine-friendly key
  std::string explanation;      ///< one sentence for people
  std::vector<uint32_t> nodes;  ///< node indices
};

/// Derived figures and explanations of one run.
struct RunAnalysis {
  uint32_t chunks = 0;
  double offer_s = 0.0;
  double first_updated_s = -1.0;  ///< after the offer; -1 if none
  double last_updated_s = -1.0;
  double mean_updated_s = -1.0;
  double mean_chunk_ms = 0.0;     ///< request sent -> in-order data accepted, over all receivers
  double max_chunk_ms = 0.0;
  double mean_hops_to_sender = 0.0;
  uint64_t requests = 0;
  uint64_t retries = 0;
  uint64_t abandons = 0;
  std::vector<std::string> time_notes;  ///< where the time goes
  std::vector<StallGroup> stalls;       ///< empty when every receiver updated
};

RunAnalysis analyse(const Scenario& sc, const FirmwareImage& image, const Topology& topo, const RunResult& r);

}  // namespace meshota::sim
