#pragma once
// The one pipeline from a loaded scenario to an analysed run, shared by the
// meshota program, the tests and (later) the Python module.

#include "meshota/sim/scenario/firmware_image.hpp"
#include "meshota/sim/report/report.hpp"
#include "meshota/sim/report/run_analysis.hpp"
#include "meshota/sim/report/run_result.hpp"
#include "meshota/sim/scenario/scenario.hpp"
#include "meshota/sim/engine/simulator.hpp"
#include "meshota/sim/scenario/topology.hpp"

namespace meshota::sim {

/// A scenario with the world it describes, and once run, what happened in it.
struct ScenarioRun {
  Scenario scenario;
  Topology topology;
  FirmwareImage image;
  RunResult result;
  RunAnalysis analysis;

  ReportInput report_input() const { return ReportInput{scenario, image, topology, result, analysis}; }
};

/// Builds what the scenario describes (tree, image) and checks what only the
/// built tree can tell (link-down faults); throws InputError. Does not run.
ScenarioRun prepare_scenario(Scenario scenario);

/// Prepares, simulates and analyses a scenario.
ScenarioRun run_scenario(Scenario scenario, const ProgressFn& progress = {});

}  // namespace meshota::sim
