// meshota: run, validate and benchmark mesh OTA scenarios.
//
// Exit codes: 0 success, 1 internal or I/O error, 2 invalid input (scenario,
// topology file), 3 `run --require-all` and not every receiver updated.

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <fmt/format.h>
#include <iostream>
#include <unistd.h>

#include "meshota/sim/edge_list.hpp"
#include "meshota/sim/flood_bench.hpp"
#include "meshota/sim/input_error.hpp"
#include "meshota/sim/report.hpp"
#include "meshota/sim/run_analysis.hpp"
#include "meshota/sim/simulator.hpp"
#include "progress_bar.hpp"

namespace ms = meshota::sim;

namespace {

constexpr int kExitInvalid = 2;
constexpr int kExitStalled = 3;

int cmd_validate(const std::string& path) {
  const ms::Scenario sc = ms::load_scenario(path);
  // Build what the run would build, so every mistake shows up here.
  const ms::Topology topo = ms::build_topology(sc.topology, sc.seed, sc.path);
  const ms::FirmwareImage image = ms::load_firmware(sc.firmware, sc.path);
  fmt::print("{}: ok ({} nodes, image {} bytes, protocol {})\n", path, topo.nodes, image.bytes.size(),
             sc.ota.protocol);
  return 0;
}

int cmd_run(const std::string& path, std::optional<uint64_t> seed, std::string out_dir, bool quiet,
            bool require_all) {
  ms::Scenario sc = ms::load_scenario(path);
  if (seed) sc.seed = *seed;
  if (out_dir.empty()) out_dir = "out/" + sc.name;
  const auto wall_start = std::chrono::steady_clock::now();
  const ms::Topology topo = ms::build_topology(sc.topology, sc.seed, sc.path);
  const ms::FirmwareImage image = ms::load_firmware(sc.firmware, sc.path);
  ms::Simulator sim(sc, image, topo);
  ms::ProgressBar bar(!quiet && isatty(STDERR_FILENO), sc.duration_s);
  const ms::RunResult result = sim.run([&](ms::SimTime t, uint32_t updated, uint32_t receivers) {
    bar.update(static_cast<double>(t) / 1e9, updated, receivers);
  });
  bar.finish();
  const double wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  const ms::RunAnalysis analysis = ms::analyse(sc, image, topo, result);
  const ms::ReportInput in{sc, image, topo, result, analysis};
  ms::write_report(out_dir, in);
  if (!quiet) {
    fmt::print("{}", ms::report_summary(in));
    fmt::print("  report: {}/report.md ({} events, {:.2f} s wall)\n", out_dir, result.events, wall_s);
  }
  return require_all && result.updated < result.receivers ? kExitStalled : 0;
}

int cmd_bench_flood(const std::string& topo_path, uint64_t seed, uint32_t packets) {
  const ms::EdgeList graph = ms::read_edge_list(topo_path);
  ms::FloodParams params;
  params.packets = packets;
  const ms::FloodResult r = ms::run_flood(graph, params, seed);
  fmt::print("{}\n", ms::format_flood_line(r));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"meshota: simulate firmware updates (OTA) on ESP Wi-Fi meshes and measure them"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "meshota 0.1.0");

  std::string scenario_path;
  std::optional<uint64_t> seed;
  std::string out_dir;
  bool quiet = false;
  bool require_all = false;
  auto* run = app.add_subcommand("run", "Simulate a scenario and write report.json, report.md and timeline.csv");
  run->add_option("scenario", scenario_path, "Scenario YAML file (see docs/scenarios.md)")->required();
  run->add_option("--seed", seed, "Override the scenario's seed");
  run->add_option("--out", out_dir, "Report folder (default: out/<scenario name>)");
  run->add_flag("-q,--quiet", quiet, "Print nothing; only write the report");
  run->add_flag("--require-all", require_all, "Exit with 3 unless every receiver ends with the image");

  auto* validate = app.add_subcommand("validate", "Check a scenario file; exit 2 with file:line:column on a mistake");
  validate->add_option("scenario", scenario_path, "Scenario YAML file")->required();

  auto* bench = app.add_subcommand("bench", "Engine benchmarks");
  bench->require_subcommand(1);
  std::string topo_path;
  uint64_t bench_seed = 1;
  uint32_t packets = 150;
  auto* flood = bench->add_subcommand("flood", "Lossy flooding benchmark of shared/bench/flood.md; prints key=value");
  flood->add_option("--topo", topo_path, "Edge-list topology file")->required();
  flood->add_option("--seed", bench_seed, "Seed of the loss draws");
  flood->add_option("--packets", packets, "Packets node 0 originates (spec: 150)");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  try {
    if (*run) return cmd_run(scenario_path, seed, out_dir, quiet, require_all);
    if (*validate) return cmd_validate(scenario_path);
    if (*flood) return cmd_bench_flood(topo_path, bench_seed, packets);
  } catch (const ms::InputError& e) {
    std::cerr << "error: " << e.what() << "\n";
    return kExitInvalid;
  } catch (const std::exception& e) {
    std::cerr << "meshota: " << e.what() << "\n";
    return 1;
  }
  return 1;
}
