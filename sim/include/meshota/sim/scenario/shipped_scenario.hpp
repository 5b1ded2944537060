#pragma once
// Where a shipped scenario lives: scenarios/ has one room per kind, named by the
// first word of the scenario's name (baseline-unicast-10 is
// scenarios/baseline/baseline-unicast-10.yaml; rooms: attack, baseline, fleet,
// rollout, telemetry).

#include <string>

namespace meshota::sim {

/// `scenarios_dir`/<room>/<name>.yaml, the room being `name` up to its first '-'.
inline std::string shipped_scenario_path(const std::string& scenarios_dir, const std::string& name) {
  return scenarios_dir + "/" + name.substr(0, name.find('-')) + "/" + name + ".yaml";
}

}  // namespace meshota::sim
