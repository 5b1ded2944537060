#pragma once
// Private to the scenario loader: the `telemetry:` section (report interval,
// field set, detector settings, status queries and the injected events).

#include "meshota/sim/scenario/scenario.hpp"
#include "scenario_fields.hpp"

namespace meshota::sim::detail {

/// telemetry: read and checked against the node count and the medium (call after topology and ota).
void read_telemetry(const Section& top, Scenario& sc);

}  // namespace meshota::sim::detail
