#pragma once
// Macro benchmarks: whole simulations timed by the same harness as the
// micro-benchmarks, each reporting simulated seconds per wall second
// (sim_s_per_wall_s), events per wall second (events_per_s) and events per
// CPU second (events_per_cpu_s), from the fastest of its runs.

#include <string>
#include <vector>

namespace meshota::bench {

/// The flood benchmarks (tree on the shared topologies, radio on the grid) and one run
/// per scenario file; --quick leaves out the 10,000-node floods.
void register_macro_benchmarks(const std::vector<std::string>& scenario_paths);

}  // namespace meshota::bench
