#pragma once
// A scenario the project ships (scenarios/<room>/<name>.yaml), loaded by name for the simulation tests.

#include <string>

#include "meshota/sim/scenario/scenario.hpp"
#include "meshota/sim/scenario/shipped_scenario.hpp"

namespace meshota::test {

inline sim::Scenario shipped(const std::string& name) {
  return sim::load_scenario(sim::shipped_scenario_path(std::string(MESHOTA_SOURCE_DIR) + "/scenarios", name));
}

}  // namespace meshota::test
