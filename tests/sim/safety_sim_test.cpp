// Safe updates end to end (docs/safe-updates.md): trial boots, health checks and
// reverts on every node, bad images of each kind, and the progressive rollout
// at the distributing node gating installs wave by wave on F100-rgg.

#include <catch2/catch.hpp>

#include <string>

#include "meshota/sim/report/report.hpp"
#include "meshota/sim/scenario/scenario_run.hpp"
#include "shipped.hpp"

namespace ms = meshota::sim;
using meshota::test::shipped;
using Kind = meshota::core::RolloutAudit::Kind;

namespace {

/// Seconds from the offer to the first audit entry of `kind`; -1 when there is none.
double decision_s(const ms::ScenarioRun& run, Kind kind) {
  for (const auto& a : run.result.safety.rollout.audit)
    if (a.kind == kind) return static_cast<double>(a.at.us) / 1e6 - static_cast<double>(run.result.offer_ns) / 1e9;
  return -1.0;
}

/// What every bad image in a 5 % / 25 % / 100 % rollout must come to (claim C25).
void check_stopped_in_canary_wave(const ms::ScenarioRun& run) {
  const ms::SafetyResult& s = run.result.safety;
  CAPTURE(run.scenario.name, run.scenario.seed, s.bad_image);
  REQUIRE(s.rollout.phase == "aborted");
  REQUIRE(!s.rollout.wave_sizes.empty());
  for (const auto& a : s.rollout.audit) {
    if (a.kind == Kind::kAbort) CHECK(a.wave == 0);  // the canary wave
    CHECK(a.kind != Kind::kAdvance);
  }
  CHECK(s.exposed >= 1);                             // the canaries did take it
  CHECK(s.exposed <= s.rollout.wave_sizes[0]);       // nobody outside the canary wave
  CHECK(s.on_offered == 0);                          // nobody stays on it
  CHECK(s.on_neither == 0);
  CHECK(s.unbootable == 0);
}

}  // namespace

TEST_CASE("safe updates on F100-rgg: a crash-looping image stops the rollout in its canary wave and every exposed node reverts") {
  const ms::ScenarioRun run = ms::run_scenario(shipped("rollout-f100-rgg-crash-loop"));
  check_stopped_in_canary_wave(run);
  const ms::SafetyResult& s = run.result.safety;
  CHECK(s.reverted_nodes == s.exposed);
  // The image crashes 5 s after boot: a canary that booted it less than 5 s before the abort
  // reaches it is rolled back before it crashes. Every other one crashed and its bootloader reverted.
  const uint32_t crashed = s.reverts_by_reason[static_cast<size_t>(meshota::core::RevertReason::kTrialNotConfirmed)];
  const uint32_t rolled = s.reverts_by_reason[static_cast<size_t>(meshota::core::RevertReason::kRolledBack)];
  CHECK(crashed >= 1);
  CHECK(crashed + rolled == s.exposed);
  CHECK(s.on_previous == run.result.receivers);
  CHECK(s.confirmed == 0);
  // Reverted once: the image is never staged again on a node that left it.
  for (const ms::NodeResult& n : run.result.nodes) CHECK(n.trial_boots <= 1);
}

TEST_CASE("safe updates on F100-rgg: an image that fails its health check is reverted by the check and stops the rollout") {
  ms::Scenario sc = shipped("rollout-f100-rgg-crash-loop");
  sc.safety.bad_image = ms::BadImage::kFailsHealth;
  const ms::ScenarioRun run = ms::run_scenario(sc);
  check_stopped_in_canary_wave(run);
  const ms::SafetyResult& s = run.result.safety;
  // The first failed check aborts the rollout; canaries still on trial are then rolled back by it.
  const uint32_t failed = s.reverts_by_reason[static_cast<size_t>(meshota::core::RevertReason::kHealthCheckFailed)];
  const uint32_t rolled = s.reverts_by_reason[static_cast<size_t>(meshota::core::RevertReason::kRolledBack)];
  CHECK(failed >= 1);
  CHECK(failed + rolled == s.exposed);
  CHECK(s.reverted_nodes == s.exposed);
  // The check gives up give_up_after_s after the trial boot: the abort cannot come sooner.
  CHECK(decision_s(run, Kind::kAbort) > sc.safety.give_up_after_s);
}

TEST_CASE("safe updates on F100-rgg: an image that confirms and then hangs is caught by silence and stops the rollout") {
  ms::Scenario sc = shipped("rollout-f100-rgg-crash-loop");
  sc.safety.bad_image = ms::BadImage::kBricks;
  sc.safety.bad_after_s = 60;  // after its health check confirmed it (30 s)
  // The soak must outlast the failure showing: 60 s to the hang, about 35 s to the offline alert, and
  // offline_fail_s (120 s) before silence counts. With the scenario's 60 s soak the canaries pass their
  // gate first and the second wave takes the image too.
  sc.rollout.soak_s = 300;
  const ms::ScenarioRun run = ms::run_scenario(sc);
  const ms::SafetyResult& s = run.result.safety;
  REQUIRE(s.rollout.phase == "aborted");
  CHECK(s.bricked >= 1);
  CHECK(s.bricked == s.exposed);  // a confirmed image cannot revert itself: the rollout only stops its spread
  CHECK(s.exposed <= s.rollout.wave_sizes[0]);
  CHECK(s.on_neither == 0);
  CHECK(s.unbootable == 0);
  CHECK(run.result.receivers - s.exposed == s.on_previous);
}

TEST_CASE("safe updates on F100-rgg: a good image rolls out wave by wave, and no node installs before its wave") {
  const ms::ScenarioRun run = ms::run_scenario(shipped("rollout-f100-rgg"));
  const ms::SafetyResult& s = run.result.safety;
  REQUIRE(s.rollout.phase == "done");
  CHECK(s.confirmed == run.result.receivers);
  CHECK(s.reverted_nodes == 0);
  CHECK(s.on_neither == 0);
  REQUIRE(s.rollout.wave_sizes.size() == 3);
  // Until the canary wave's gate passed, only canaries ran the image.
  const double advance = decision_s(run, Kind::kAdvance);
  REQUIRE(advance > 0);
  uint32_t early = 0;
  for (const ms::NodeResult& n : run.result.nodes)
    early += n.updated_at_ns >= 0 && static_cast<double>(n.updated_at_ns - run.result.offer_ns) / 1e9 < advance ? 1 : 0;
  CHECK(early == s.rollout.wave_sizes[0]);
}

TEST_CASE("safe updates on F100-rgg: an operator's abort rolls the nodes that confirmed the image back to the previous one") {
  ms::Scenario sc = shipped("rollout-f100-rgg");
  sc.rollout.commands.emplace_back(sc.ota.start_s + 300.0, "abort");  // wave 2 is running by then
  const ms::ScenarioRun run = ms::run_scenario(sc);
  const ms::SafetyResult& s = run.result.safety;
  REQUIRE(s.rollout.phase == "aborted");
  CHECK(s.exposed >= s.rollout.wave_sizes[0]);
  CHECK(s.rolled_back == s.exposed);
  CHECK(s.reverts_by_reason[static_cast<size_t>(meshota::core::RevertReason::kRolledBack)] == s.exposed);
  CHECK(s.on_offered == 0);
  CHECK(s.on_previous == run.result.receivers);
}

TEST_CASE("safe updates: without a rollout a crash-looping image reaches every node, and every node reverts") {
  ms::Scenario sc = shipped("fleet-f10-tree");
  sc.safety.bad_image = ms::BadImage::kCrashLoop;
  sc.stop_when_done = false;
  sc.duration_s = 400;
  const ms::ScenarioRun run = ms::run_scenario(sc);
  const ms::SafetyResult& s = run.result.safety;
  CAPTURE(run.scenario.seed);
  CHECK(s.exposed == run.result.receivers);
  CHECK(s.reverted_nodes == run.result.receivers);
  CHECK(s.on_offered == 0);
  CHECK(s.on_previous == run.result.receivers);
  CHECK(s.unbootable == 0);
}

TEST_CASE("safe updates on F100-rgg: a good image is confirmed by every node including the last to boot it") {
  // No rollout and no telemetry: once the transfer is over the only frames are Trickle's adverts,
  // which a quiet neighbourhood suppresses (k = 1). A node that boots the image then must still hear
  // the mesh within its health check's 180 s, or it goes back to the old image.
  ms::Scenario sc = shipped("fleet-f100-rgg");
  sc.stop_when_done = false;
  sc.duration_s = 320;  // the last node boots near 90 s: its check has ended by 90 + 180 s
  const ms::ScenarioRun run = ms::run_scenario(sc);
  const ms::SafetyResult& s = run.result.safety;
  CAPTURE(run.scenario.seed);
  REQUIRE(run.result.updated == run.result.receivers);
  CHECK(s.reverted_nodes == 0);
  CHECK(s.confirmed == run.result.receivers);
  CHECK(s.on_offered == run.result.receivers);
}

TEST_CASE("safe updates on F100-rgg: one rollout scenario and seed give byte-identical reports") {
  ms::Scenario sc = shipped("rollout-f100-rgg-crash-loop");
  const ms::ScenarioRun a = ms::run_scenario(sc);
  const ms::ScenarioRun b = ms::run_scenario(sc);
  CHECK(ms::report_json(a.report_input()).dump() == ms::report_json(b.report_input()).dump());
}

TEST_CASE("safe updates: a rollout gates installs with every strategy, and each completes on F10-tree") {
  for (const ms::Strategy strategy : {ms::Strategy::kP2p, ms::Strategy::kBroadcast, ms::Strategy::kUnicast}) {
    ms::Scenario sc = shipped("fleet-f10-tree");
    sc.ota.strategy = strategy;
    sc.telemetry.enabled = true;
    sc.telemetry.interval_s = 10;
    sc.rollout.enabled = true;
    sc.rollout.waves_percent = {20, 100};
    const ms::ScenarioRun run = ms::run_scenario(sc);
    const ms::SafetyResult& s = run.result.safety;
    CAPTURE(static_cast<int>(strategy), run.scenario.seed);
    REQUIRE(s.rollout.phase == "done");
    CHECK(s.confirmed == run.result.receivers);
    const double advance = decision_s(run, Kind::kAdvance);
    uint32_t early = 0;
    for (const ms::NodeResult& n : run.result.nodes)
      early += n.updated_at_ns >= 0 && static_cast<double>(n.updated_at_ns - run.result.offer_ns) / 1e9 < advance ? 1 : 0;
    CHECK(early == s.rollout.wave_sizes[0]);
  }
}
