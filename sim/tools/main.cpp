// meshota: run, validate and benchmark mesh OTA scenarios.
//
// Exit codes: 0 success, 1 internal or I/O error (and `verify`: a check failed),
// 2 invalid input (scenario, topology file, key, image, pack file), 3
// `run --require-all` and not every receiver updated.

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <fmt/format.h>
#include <iostream>
#include <unistd.h>

#include "meshota/sim/scenario/edge_list.hpp"
#include "meshota/sim/bench/flood_bench.hpp"
#include "meshota/sim/bench/flood_radio.hpp"
#include "meshota/sim/scenario/input_error.hpp"
#include "meshota/sim/report/report.hpp"
#include "meshota/sim/report/run_analysis.hpp"
#include "meshota/sim/scenario/scenario_run.hpp"
#include "cmd_claims.hpp"
#include "cmd_keys.hpp"
#include "cmd_pack.hpp"
#include "cmd_verify.hpp"
#include "progress_bar.hpp"

namespace ms = meshota::sim;

namespace {

constexpr int kExitInvalid = 2;
constexpr int kExitStalled = 3;

int cmd_validate(const std::string& path) {
  // Build what the run would build, so every mistake shows up here.
  const ms::ScenarioRun run = ms::prepare_scenario(ms::load_scenario(path));
  fmt::print("{}: ok ({} nodes, image {} bytes, protocol {})\n", path, run.topology.nodes,
             run.image.bytes.size(), run.scenario.ota.protocol);
  return 0;
}

struct RunRow {
  std::string name;
  uint32_t nodes = 0;
  uint32_t updated = 0;
  uint32_t receivers = 0;
  double completion_s = -1.0;
  double data_mb = 0.0;
  uint64_t retries = 0;
  std::string stall;
  double wall_s = 0.0;
  std::string medium;
  double airtime_s = -1.0;  ///< on the radio: every node's transmit time, summed
  double busy_mean = 0.0;   ///< on the radio: mean share of time carrier sense said busy
  double run_s = 0.0;
};

RunRow run_one(const std::string& path, std::optional<uint64_t> seed, const std::string& out_dir, bool quiet) {
  ms::Scenario sc = ms::load_scenario(path);
  if (seed) sc.seed = *seed;
  const std::string dir = out_dir + "/" + sc.name;
  const auto wall_start = std::chrono::steady_clock::now();
  ms::ProgressBar bar(!quiet && isatty(STDERR_FILENO), sc.duration_s);
  const ms::ScenarioRun run = ms::run_scenario(std::move(sc), [&](ms::SimTime t, uint32_t updated, uint32_t receivers) {
    bar.update(static_cast<double>(t) / 1e9, updated, receivers);
  });
  bar.finish();
  const ms::RunResult& result = run.result;
  const ms::RunAnalysis& analysis = run.analysis;
  const ms::ReportInput in = run.report_input();
  ms::write_report(dir, in);
  RunRow row;
  row.name = run.scenario.name;
  row.nodes = run.topology.nodes;
  row.updated = result.updated;
  row.receivers = result.receivers;
  row.completion_s = result.updated == result.receivers ? analysis.last_updated_s : -1.0;
  // Image-carrying frames: painlessMesh's Data, or meshota's chunks.
  row.data_mb = static_cast<double>(result.traffic[static_cast<size_t>(ms::TrafficClass::kData)].link_bytes +
                                    result.traffic[static_cast<size_t>(ms::TrafficClass::kOtaChunk)].link_bytes) /
                1e6;
  row.retries = analysis.retries;
  for (const ms::StallGroup& g : analysis.stalls) row.stall += (row.stall.empty() ? "" : ", ") + g.reason;
  row.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  row.run_s = static_cast<double>(result.end_ns) / 1e9;
  row.medium = sc.medium.kind == ms::MediumKind::kRadio ? "ESP-NOW"
               : sc.medium.channel == ms::Channel::kRadio ? "tcp-tree, radio"
                                                          : "tcp-tree, links";
  if (result.on_radio) {
    row.airtime_s = 0;
    for (const ms::NodeResult& n : result.nodes) {
      row.airtime_s += static_cast<double>(n.radio.tx_airtime_ns) / 1e9;
      row.busy_mean += static_cast<double>(n.radio.busy_ns) / 1e9 / std::max(1e-9, row.run_s) /
                       static_cast<double>(result.nodes.size());
    }
  }
  if (!quiet) {
    fmt::print("{}", ms::report_summary(in));
    fmt::print("  report: {}/report.md ({} events, {:.2f} s wall)\n", dir, result.events, row.wall_s);
  }
  return row;
}

// Pairs "X" with its radio twin "X-radio": how the shared channel moves the numbers.
std::string radio_comparison(const std::vector<RunRow>& rows) {
  std::string md;
  for (const RunRow& twin : rows) {
    const std::string suffix = "-radio";
    if (twin.name.size() <= suffix.size() || twin.name.compare(twin.name.size() - suffix.size(), suffix.size(), suffix))
      continue;
    const std::string base = twin.name.substr(0, twin.name.size() - suffix.size());
    for (const RunRow& links : rows) {
      if (links.name != base) continue;
      const auto done = [](const RunRow& r) {
        return r.completion_s < 0 ? fmt::format("{}/{} updated", r.updated, r.receivers)
                                  : fmt::format("{:.1f} s", r.completion_s);
      };
      const std::string ratio = twin.completion_s > 0 && links.completion_s > 0
                                    ? fmt::format("{:.2f}x", twin.completion_s / links.completion_s) : "-";
      md += fmt::format("| {} | {} | {} | {} | {:.1f} | {:.0f} % |\n", base, done(links), done(twin), ratio,
                        twin.airtime_s, 100 * twin.busy_mean);
    }
  }
  if (md.empty()) return md;
  return "\n## On the shared radio channel\n\nThe same update with every tree link's TCP segments, TCP ACKs and MAC "
         "ACKs as frames on one 1 Mbit/s channel, against independent 1 Mbit/s links per tree link. Sender preset "
         "of both: as each scenario's mesh section says (always-serviced unless named). The links of one node and of "
         "its neighbours take turns on the air (carrier sense, backoff) and hidden nodes collide, so what the "
         "independent links carried in parallel is serialised: the airtime column is the channel time every node "
         "spent transmitting, the busy column the share of time a node had to defer.\n\n"
         "| scenario | independent links | radio twin | radio / links | twin airtime s | twin busy (mean) |\n"
         "|---|---:|---:|---:|---:|---:|\n" + md;
}

// One table for several runs, also written as <out>/summary.md.
void print_summary(const std::vector<RunRow>& rows, const std::string& out_dir) {
  std::string md = "| scenario | medium | nodes | updated | completion s | image frames on links MB | retries | stalled because |\n"
                   "|---|---|---:|---:|---:|---:|---:|---|\n";
  for (const RunRow& r : rows)
    md += fmt::format("| {} | {} | {} | {}/{} | {} | {:.1f} | {} | {} |\n", r.name, r.medium, r.nodes, r.updated,
                      r.receivers, r.completion_s < 0 ? std::string("-") : fmt::format("{:.1f}", r.completion_s),
                      r.data_mb, r.retries, r.stall.empty() ? "-" : r.stall);
  md += radio_comparison(rows);
  fmt::print("\n{}", md);
  std::ofstream(out_dir + "/summary.md") << md;
}

int cmd_run(const std::vector<std::string>& paths, std::optional<uint64_t> seed, std::string out_dir, bool quiet,
            bool require_all) {
  if (out_dir.empty()) out_dir = "out";
  std::vector<RunRow> rows;
  for (const std::string& path : paths) rows.push_back(run_one(path, seed, out_dir, quiet));
  if (rows.size() > 1 && !quiet) print_summary(rows, out_dir);
  for (const RunRow& r : rows)
    if (require_all && r.updated < r.receivers) return kExitStalled;
  return 0;
}

/// What `bench flood` was given; the medium decides which options apply.
struct FloodOptions {
  std::string medium = "tree";
  std::string topo_path;
  uint32_t nodes = 0;
  uint64_t seed = 1;
  uint32_t packets = 150;
};

/// --topo belongs to the tree flood, --nodes to the radio flood; say so plainly.
void check_flood_options(const FloodOptions& o, const CLI::App& flood) {
  const bool has_topo = flood.count("--topo") > 0, has_nodes = flood.count("--nodes") > 0;
  if (o.medium == "tree") {
    if (has_nodes) throw CLI::ValidationError("--nodes", "only applies to --medium radio (the tree flood reads --topo)");
    if (!has_topo) throw CLI::RequiredError("--topo (with --medium tree)");
  } else {
    if (has_topo) throw CLI::ValidationError("--topo", "only applies to --medium tree (the radio flood builds a grid of --nodes)");
    if (!has_nodes) throw CLI::RequiredError("--nodes (with --medium radio)");
    if (o.nodes == 0) throw CLI::ValidationError("--nodes", "must be at least 1");
  }
}

int cmd_bench_flood(const FloodOptions& o) {
  if (o.medium == "radio") {
    ms::FloodRadioParams params;
    params.nodes = o.nodes;
    params.packets = o.packets;
    fmt::print("{}\n", ms::format_flood_radio_line(ms::run_flood_radio(params, o.seed)));
    return 0;
  }
  const ms::EdgeList graph = ms::read_edge_list(o.topo_path);
  ms::FloodParams params;
  params.packets = o.packets;
  const ms::FloodResult r = ms::run_flood(graph, params, o.seed);
  fmt::print("{}\n", ms::format_flood_line(r));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"meshota: simulate firmware updates (OTA) on ESP Wi-Fi meshes and measure them"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "meshota 0.1.0");

  std::string scenario_path;
  std::vector<std::string> scenario_paths;
  std::optional<uint64_t> seed;
  std::string out_dir;
  bool quiet = false;
  bool require_all = false;
  auto* run = app.add_subcommand(
      "run", "Simulate scenarios; each writes report.json, report.md and timeline.csv into OUT/<scenario name>");
  run->add_option("scenario", scenario_paths, "Scenario YAML file(s) (see docs/scenarios.md)")->required();
  run->add_option("--seed", seed, "Override the scenarios' seed");
  run->add_option("--out", out_dir, "Report folder (default: out); several scenarios also get OUT/summary.md");
  run->add_flag("-q,--quiet", quiet, "Print nothing; only write the report");
  run->add_flag("--require-all", require_all, "Exit with 3 unless every receiver ends with the image");

  auto* validate = app.add_subcommand("validate", "Check a scenario file; exit 2 with file:line:column on a mistake");
  validate->add_option("scenario", scenario_path, "Scenario YAML file")->required();

  auto* bench = app.add_subcommand("bench", "Engine benchmarks");
  bench->require_subcommand(1);
  FloodOptions flood_opts;
  auto* flood = bench->add_subcommand(
      "flood", "Lossy flooding benchmark (shared/bench/flood.md, flood-radio.md); prints key=value");
  flood->add_option("--medium", flood_opts.medium, "tree: links of an edge list (default); radio: one shared channel")
      ->check(CLI::IsMember({"tree", "radio"}));
  flood->add_option("--topo", flood_opts.topo_path, "Edge-list topology file (--medium tree)");
  flood->add_option("--nodes", flood_opts.nodes, "Nodes on the 50 m grid (--medium radio)");
  flood->add_option("--seed", flood_opts.seed, "Seed of every random draw");
  flood->add_option("--packets", flood_opts.packets, "Packets node 0 originates (spec: 150)");

  ClaimsArgs claims;
  add_claims_command(app, claims);
  KeygenArgs keygen;
  add_keygen_command(app, keygen);
  PackArgs pack;
  add_pack_command(app, pack);
  SignArgs sign;
  add_sign_command(app, sign);
  VerifyArgs verify;
  add_verify_command(app, verify);

  try {
    app.parse(argc, argv);
    if (*flood) check_flood_options(flood_opts, *flood);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  try {
    if (*run) return cmd_run(scenario_paths, seed, out_dir, quiet, require_all);
    if (*validate) return cmd_validate(scenario_path);
    if (*flood) return cmd_bench_flood(flood_opts);
    if (*claims.command) return cmd_claims(claims);
    if (*keygen.command) return cmd_keygen(keygen);
    if (*pack.command) return cmd_pack(pack);
    if (*sign.command) return cmd_sign(sign);
    if (*verify.command) return cmd_verify(verify);
  } catch (const ms::InputError& e) {
    std::cerr << "error: " << e.what() << "\n";
    return kExitInvalid;
  } catch (const std::exception& e) {
    std::cerr << "meshota: " << e.what() << "\n";
    return 1;
  }
  return 1;
}
