// The meshota program as a user runs it: exit codes and messages.

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "run_meshota.hpp"

namespace {

std::string temp_scenario(const std::string& name, const std::string& text) {
  const std::string path = "/tmp/meshota_cli_test_" + name + ".yaml";
  std::ofstream(path) << text;
  return path;
}

}  // namespace

TEST_CASE("cli: every command has --help") {
  for (const char* cmd : {"", "run", "validate", "bench", "bench flood", "keygen", "pack", "sign", "verify"}) {
    INFO(cmd);
    const meshota::test::CommandResult r = meshota::test::run_meshota(std::string(cmd) + " --help");
    CHECK(r.code == 0);
    CHECK_THAT(r.output, Catch::Contains("Usage"));
  }
}

TEST_CASE("cli: validate accepts every shipped scenario") {
  std::vector<std::string> paths;
  for (const auto& e : std::filesystem::recursive_directory_iterator(std::string(MESHOTA_SOURCE_DIR) + "/scenarios"))
    if (e.path().extension() == ".yaml") paths.push_back(e.path().string());
  std::sort(paths.begin(), paths.end());
  REQUIRE(paths.size() >= 30);
  for (const std::string& p : paths) {
    INFO(p);
    const meshota::test::CommandResult r = meshota::test::run_meshota("validate " + p);
    CHECK(r.code == 0);
    CHECK_THAT(r.output, Catch::Contains(": ok"));
  }
}

TEST_CASE("cli: a scenario mistake exits 2 with file:line:column") {
  const std::string path = temp_scenario("typo", "topology:\n  kind: random-tree\n  nodez: 10\n");
  const meshota::test::CommandResult r = meshota::test::run_meshota("validate " + path);
  CHECK(r.code == 2);
  CHECK_THAT(r.output, Catch::Contains(path + ":3:3:"));
  const meshota::test::CommandResult r2 = meshota::test::run_meshota("run " + path + " --out /tmp/meshota_cli_test_out");
  CHECK(r2.code == 2);
  CHECK_THAT(r2.output, Catch::Contains(path + ":3:3:"));
}

TEST_CASE("cli: a missing scenario file exits 2 and names it") {
  const meshota::test::CommandResult r = meshota::test::run_meshota("validate /nonexistent/scenario.yaml");
  CHECK(r.code == 2);
  CHECK_THAT(r.output, Catch::Contains("/nonexistent/scenario.yaml"));
}

TEST_CASE("cli: run writes the three report files and a summary line") {
  const std::string out = "/tmp/meshota_cli_test_run";
  const meshota::test::CommandResult r = meshota::test::run_meshota("run " + std::string(MESHOTA_SOURCE_DIR) + "/scenarios/baseline/baseline-unicast-10.yaml --out " + out);
  REQUIRE(r.code == 0);
  CHECK_THAT(r.output, Catch::Contains("10 of 10 receiving nodes updated"));
  for (const char* f : {"report.json", "report.md", "timeline.csv"}) {
    INFO(f);
    std::ifstream in(out + "/baseline-unicast-10/" + f);
    CHECK(in.good());
  }
}

TEST_CASE("cli: bench flood prints the spec's key=value line") {
  const meshota::test::CommandResult r = meshota::test::run_meshota("bench flood --topo " + std::string(MESHOTA_DATA_DIR) + "/topologies/tree_500.txt");
  REQUIRE(r.code == 0);
  CHECK_THAT(r.output, Catch::StartsWith("nodes=500 edges=499 pkts=150 loss=0.1 deliveries="));
  CHECK_THAT(r.output, Catch::Contains("max_rss_kb="));
}
