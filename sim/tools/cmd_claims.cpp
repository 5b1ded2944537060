// `meshota claims`: regenerate or check docs/claims.md and docs/claims.json.

#include "cmd_claims.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "meshota/sim/claims/claims.hpp"

namespace ms = meshota::sim;

namespace {

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path + "; run 'meshota claims' to generate it");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_text(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + path);
}

}  // namespace

void add_claims_command(CLI::App& app, ClaimsArgs& args) {
  args.command = app.add_subcommand(
      "claims", "Check the seed documents' claims by simulation: writes OUT/claims.md and OUT/claims.json");
  args.command->add_option("--seeds", args.seeds, "Seeds per value (default: 5; with --check: 2)");
  args.command->add_option("--out", args.out, "Folder of claims.md and claims.json (default: docs)");
  args.command->add_option("--scenarios", args.scenarios, "The scenarios folder (default: scenarios)");
  args.command->add_flag("--check", args.check,
                         "Re-simulate the first --seeds seeds of every value and check that OUT/claims.json and "
                         "OUT/claims.md are what the code produces; exit 1 listing each difference");
  args.command->add_flag("-q,--quiet", args.quiet, "Print no progress");
}

int cmd_claims(const ClaimsArgs& args) {
  ms::ClaimsOptions options;
  options.seeds = args.seeds > 0 ? args.seeds : (args.check ? 2 : 5);
  options.scenario_dir = args.scenarios;
  ms::ClaimRunner runner(options, [&](const std::string& what) {
    if (!args.quiet) std::cerr << "claims: " << what << "\n";
  });
  const std::string json_path = args.out + "/claims.json";
  const std::string md_path = args.out + "/claims.md";
  if (args.check) {
    const nlohmann::json committed = nlohmann::json::parse(read_text(json_path));
    std::vector<std::string> diffs = ms::check_claims(committed, runner, options.seeds);
    if (ms::claims_markdown_from_json(committed) != read_text(md_path))
      diffs.push_back(md_path + " is not what " + json_path + " renders to: regenerate both with 'meshota claims'");
    for (const std::string& d : diffs) fmt::print("claims: differs: {}\n", d);
    if (!diffs.empty()) {
      fmt::print("claims: {} difference(s); if the change is intended, run 'meshota claims' and commit docs/claims.*\n",
                 diffs.size());
      return 1;
    }
    fmt::print("claims: {} and {} match the code for seeds 1..{}\n", md_path, json_path, options.seeds);
    return 0;
  }
  const std::vector<ms::ClaimRow> rows = ms::evaluate_claims(runner);
  std::filesystem::create_directories(args.out);
  write_text(json_path, ms::claims_json(rows, options).dump(2) + "\n");
  write_text(md_path, ms::claims_markdown(rows, options));
  size_t decided = 0;
  for (const ms::ClaimRow& r : rows) decided += r.verdict.rfind("needs:", 0) == 0 ? 0 : 1;
  fmt::print("claims: {} of {} claims decided; wrote {} and {}\n", decided, rows.size(), md_path, json_path);
  return 0;
}
