// Macro benchmarks (see macro.hpp). Each iteration is one whole run; the time
// Google Benchmark records is the run's own wall time (manual timing), so
// building a graph or loading a scenario file is not counted.

#include "macro/macro.hpp"

#include <benchmark/benchmark.h>

#include <filesystem>
#include <string>
#include <vector>

#include "bench_support.hpp"
#include "meshota/sim/bench/flood_bench.hpp"
#include "meshota/sim/bench/flood_radio.hpp"
#include "meshota/sim/bench/run_clock.hpp"
#include "meshota/sim/scenario/edge_list.hpp"
#include "meshota/sim/scenario/scenario_run.hpp"

namespace meshota::bench {
namespace {

/// The fastest of a benchmark's runs (interference only ever slows a run down), turned into
/// its figures at the end: per wall second as asked, and events per CPU second, which other
/// processes on a shared machine barely move (scripts/bench.py judges that one).
struct MacroBest {
  double sim_s = 0.0;
  double events = 0.0;
  double wall_s = 0.0;
  double cpu_s = 0.0;

  void add(benchmark::State& state, double run_sim_s, double run_events, double run_wall_s, double run_cpu_s) {
    state.SetIterationTime(run_wall_s);
    sim_s = run_sim_s;
    events = run_events;
    if (wall_s == 0.0 || run_wall_s < wall_s) wall_s = run_wall_s;
    if (cpu_s == 0.0 || run_cpu_s < cpu_s) cpu_s = run_cpu_s;
  }
  void report(benchmark::State& state) const {
    state.counters["sim_s_per_wall_s"] = wall_s > 0 ? sim_s / wall_s : 0.0;
    state.counters["events_per_s"] = wall_s > 0 ? events / wall_s : 0.0;
    state.counters["events_per_cpu_s"] = cpu_s > 0 ? events / cpu_s : 0.0;
    state.counters["best_wall_s"] = wall_s;  // for the fleet table; not a figure (scripts/bench_report.py)
  }
};

void BM_flood_tree(benchmark::State& state, std::string topology) {
  const sim::EdgeList graph = sim::read_edge_list(data_dir() + "/topologies/" + topology + ".txt");
  MacroBest best;
  for (auto _ : state) {
    const sim::FloodResult r = sim::run_flood(graph, sim::FloodParams{}, 1);
    benchmark::DoNotOptimize(r.deliveries);
    best.add(state, r.sim_end_s, static_cast<double>(r.events), r.run_s, r.cpu_s);
  }
  best.report(state);
}

void BM_flood_radio(benchmark::State& state) {
  sim::FloodRadioParams params;
  params.nodes = static_cast<uint32_t>(state.range(0));
  MacroBest best;
  for (auto _ : state) {
    const sim::FloodRadioResult r = sim::run_flood_radio(params, 1);
    benchmark::DoNotOptimize(r.flood.deliveries);
    best.add(state, r.flood.sim_end_s, static_cast<double>(r.flood.events), r.flood.run_s, r.flood.cpu_s);
  }
  best.report(state);
}

/// What the run achieved, beside how fast it ran: the OTA issue's targets are judged on these (the bench
/// report's fleet table; not compared with the baseline, a behaviour change is not a speed change).
void outcome(benchmark::State& state, const sim::ScenarioRun& run) {
  const sim::RunResult& r = run.result;
  const sim::RunAnalysis& a = run.analysis;
  state.counters["receivers"] = r.receivers;
  state.counters["updated"] = r.updated;
  state.counters["completion_s"] = r.updated == r.receivers ? a.last_updated_s : -1.0;
  state.counters["p99_updated_s"] = a.p99_updated_s;
  state.counters["lb_s"] = a.ota.lb_s;
  state.counters["completion_over_lb"] = a.ota.completion_over_lb;
  state.counters["control_share"] = a.ota.control_share;
  state.counters["run_end_s"] = static_cast<double>(r.end_ns) / 1e9;
  state.counters["offer_s"] = a.offer_s;
}

void BM_scenario(benchmark::State& state, std::string path) {
  const sim::Scenario scenario = sim::load_scenario(path);
  MacroBest best;
  for (auto _ : state) {
    const sim::RunClock clock;
    const sim::ScenarioRun run = sim::run_scenario(scenario);
    const sim::RunClock::Lap lap = clock.stop();
    benchmark::DoNotOptimize(run.result.updated);
    best.add(state, static_cast<double>(run.result.end_ns) / 1e9, static_cast<double>(run.result.events), lap.wall_s,
             lap.cpu_s);
    outcome(state, run);
  }
  best.report(state);
}

/// Runs repeat until their wall times add up to 0.5 s (quick) or 2 s; a longer run runs once.
void configure(benchmark::internal::Benchmark* b) {
  b->UseManualTime()->Unit(benchmark::kMillisecond)->MinTime(quick_mode() ? 0.5 : 2.0);
}

}  // namespace

void register_macro_benchmarks(const std::vector<std::string>& scenario_paths) {
  std::vector<std::string> topologies{"tree_500", "topo_500", "topo_2000"};
  std::vector<int64_t> radio_nodes{100, 500};
  if (!quick_mode()) {
    topologies.emplace_back("topo_10000");
    radio_nodes.push_back(10000);
  }
  for (const std::string& t : topologies) configure(benchmark::RegisterBenchmark(("flood/tree/" + t).c_str(), BM_flood_tree, t));
  for (int64_t n : radio_nodes) configure(benchmark::RegisterBenchmark("flood/radio_nodes", BM_flood_radio)->Arg(n));
  for (const std::string& p : scenario_paths) {
    const std::string name = std::filesystem::path(p).stem().string();
    configure(benchmark::RegisterBenchmark(("scenario/" + name).c_str(), BM_scenario, p));
  }
}

}  // namespace meshota::bench
