#include "meshota/sim/scenario/scenario_run.hpp"

#include "meshota/sim/scenario/placement.hpp"

namespace meshota::sim {

ScenarioRun prepare_scenario(Scenario scenario) {
  ScenarioRun run;
  run.scenario = std::move(scenario);
  run.topology = run.scenario.medium.on_radio()
                     ? radio_topology(run.scenario)
                     : build_topology(run.scenario.topology, run.scenario.seed, run.scenario.path);
  if (run.scenario.ota.sender_is_root) run.scenario.ota.sender = run.topology.root;
  check_faults(run.scenario, run.topology);
  run.image = load_firmware(run.scenario.firmware, run.scenario.path);
  return run;
}

ScenarioRun run_scenario(Scenario scenario, const ProgressFn& progress) {
  ScenarioRun run = prepare_scenario(std::move(scenario));
  {
    // The simulator holds references into `run`; it is gone before `run` moves.
    Simulator sim(run.scenario, run.image, run.topology);
    run.result = sim.run(progress);
  }
  run.analysis = analyse(run.scenario, run.image, run.topology, run.result);
  return run;
}

}  // namespace meshota::sim
