#pragma once
// Private to the scenario loader: the `safety:` section (trial boots, health
// check, a bad image's behaviour) and the `rollout:` section (waves, gates,
// window, operator commands).

#include "meshota/sim/scenario/scenario.hpp"
#include "scenario_fields.hpp"

namespace meshota::sim::detail {

/// safety: meshota only (call after ota).
void read_safety(const Section& top, Scenario& sc);
/// rollout: meshota only, and it needs telemetry (its health gates read the nodes' reports).
void read_rollout(const Section& top, Scenario& sc);

}  // namespace meshota::sim::detail
