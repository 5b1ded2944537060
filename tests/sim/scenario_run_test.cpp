// End-to-end runs of the shipped scenarios through the library, as
// `meshota run` does them.

#include <catch2/catch.hpp>

#include "meshota/sim/scenario/scenario_run.hpp"
#include "shipped.hpp"

namespace ms = meshota::sim;

namespace {

struct Run : ms::ScenarioRun {
  explicit Run(const std::string& name, std::optional<uint64_t> seed = {})
      : ms::ScenarioRun(ms::run_scenario(load(name, seed))) {}

  static ms::Scenario load(const std::string& name, std::optional<uint64_t> seed) {
    ms::Scenario sc = meshota::test::shipped(name);
    if (seed) sc.seed = *seed;
    return sc;
  }
  std::string json() const { return ms::report_json(report_input()).dump(2); }
};

}  // namespace

TEST_CASE("sim: baseline-unicast-10 puts the image's SHA-256 in every receiver's boot slot") {
  const Run run("baseline-unicast-10");
  CAPTURE(run.scenario.seed);
  REQUIRE(run.image.bytes.size() == 672736);  // the real http_server.bin
  REQUIRE(run.result.receivers == 10);
  CHECK(run.result.updated == 10);
  for (const ms::NodeResult& n : run.result.nodes) {
    INFO("node " << n.index);
    CHECK(n.boot_slot_sha256 == run.image.sha256);
    if (n.is_receiver) {
      CHECK(n.updated_at_ns > 0);
      CHECK(n.rx.parts_written >= run.analysis.chunks);
      CHECK(n.rx.md5_failures == 0);
    }
  }
  // Stop-and-wait: one request per chunk at least, one Data per request answered.
  const auto& req = run.result.traffic[static_cast<size_t>(ms::TrafficClass::kDataRequest)];
  const auto& data = run.result.traffic[static_cast<size_t>(ms::TrafficClass::kData)];
  CHECK(req.app_sends >= 10u * run.analysis.chunks);
  CHECK(data.app_sends == run.result.sender.requests_answered);
  // Base64 + JSON: a Data message is about 1.5x its 1024-byte chunk.
  const double per_data = static_cast<double>(data.app_bytes) / static_cast<double>(data.app_sends);
  CHECK(per_data > 1.45 * 1024);
  CHECK(per_data < 1.60 * 1024);
  CHECK(run.analysis.mean_chunk_ms > 0.0);
  CHECK(run.analysis.last_updated_s > 0.0);
}

TEST_CASE("sim: the same scenario and seed give byte-identical report.json") {
  const Run a("baseline-unicast-10-bursty");
  const Run b("baseline-unicast-10-bursty");
  CAPTURE(a.scenario.seed);
  CHECK(a.json() == b.json());
  const Run c("baseline-unicast-10-bursty", a.scenario.seed + 1);
  CHECK(a.json() != c.json());
}

TEST_CASE("sim: broadcasted OTA with the root as sender never starts, and the report says why") {
  const Run run("baseline-broadcast-10");
  CHECK(run.result.updated == 0);
  CHECK(run.result.traffic[static_cast<size_t>(ms::TrafficClass::kDataRequest)].app_sends == 0);
  CHECK(run.result.sender.announces_sent == 60);
  REQUIRE(run.analysis.stalls.size() == 1);
  CHECK(run.analysis.stalls[0].reason == "never-requested");
  CHECK(run.analysis.stalls[0].nodes.size() == 10);
  CHECK_THAT(run.analysis.stalls[0].explanation, Catch::Contains("only the root"));
}

TEST_CASE("sim: a crashed node loses its links and resumes after reboot") {
  const Run run("baseline-unicast-10-bursty");
  const ms::NodeResult& crashed = run.result.nodes[3];
  CHECK(crashed.crashes == 1);
  CHECK(crashed.updated);
  CHECK(run.result.updated == run.result.receivers);
}

TEST_CASE("sim: a forced offer re-flashes the same image after every reboot while the Announce repeats") {
  const Run run("baseline-forced-10");
  CHECK(run.result.updated == run.result.receivers);
  uint32_t reboots = 0;
  for (const ms::NodeResult& n : run.result.nodes) reboots += n.reboots;
  CHECK(reboots > 5 * run.result.receivers);
  CHECK(run.result.sender.announces_sent == 60);
}

// The Python module stops a run (time limit, Ctrl-C) by throwing from the progress
// callback; the run must unwind cleanly (the sanitizer build checks for leaks), and the
// callback must come often enough to stop within milliseconds.
TEST_CASE("sim: a progress callback that throws ends the run, and it is called every kProgressEveryEvents events") {
  const std::string yaml = "seed: 2\ntopology: {nodes: 30}\nfirmware: {size_bytes: 200000}\n";
  ms::Scenario sc = ms::parse_scenario(yaml, std::string(MESHOTA_SOURCE_DIR) + "/scenarios/test.yaml");
  struct Stop {};
  uint64_t calls = 0;
  CHECK_THROWS_AS(ms::run_scenario(sc,
                                   [&](ms::SimTime, uint32_t, uint32_t) {
                                     if (++calls == 3) throw Stop{};
                                   }),
                  Stop);
  CHECK(calls == 3);
  // The same scenario runs to its end afterwards: nothing was left behind.
  uint64_t last_calls = 0;
  const ms::ScenarioRun run = ms::run_scenario(sc, [&](ms::SimTime, uint32_t, uint32_t) { ++last_calls; });
  CHECK(run.result.updated == run.result.receivers);
  CHECK(last_calls == run.result.events / ms::kProgressEveryEvents + 1);
}
