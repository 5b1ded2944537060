// The `safety:` and `rollout:` sections of a scenario (docs/scenarios.md, "Safe updates").

#include "scenario_safety.hpp"

#include <array>
#include <string>

namespace meshota::sim::detail {
namespace {

constexpr std::array<std::string_view, 6> kSafetyKeys = {
    "confirm_after_s", "give_up_after_s", "require_mesh", "max_trial_boots", "bad_image", "bad_after_s"};
constexpr std::array<std::string_view, 12> kRolloutKeys = {
    "waves_percent", "soak_s", "wave_timeout_s", "success_percent", "error_percent", "min_executed",
    "approve_each_wave", "window", "commands", "enabled", "offline_fail_s", "waves_nodes"};
constexpr std::array<std::string_view, 3> kWindowKeys = {"period_s", "start_s", "end_s"};
constexpr std::array<std::string_view, 2> kCommandKeys = {"at_s", "kind"};
// In enum order: read_choice's index is cast to the enum.
constexpr std::array<std::string_view, 4> kBadImages = {"none", "crash-loop", "fails-health", "bricks"};
constexpr std::array<std::string_view, 4> kCommands = {"pause", "resume", "approve", "abort"};

void positive(const Section& s, std::string_view key, double& v, const std::string& hint) {
  s.read(key, v);
  s.check(v > 0.0, key, "must be greater than 0 (got " + number_text(v) + "); " + hint);
}

void percent(const Section& s, std::string_view key, double& v, const std::string& hint) {
  s.read(key, v);
  s.check(v >= 0.0 && v <= 100.0, key, "must be 0 to 100 (got " + number_text(v) + "); " + hint);
}

void read_waves(const Section& s, RolloutSpec& r) {
  if (!s.has("waves_percent")) return;
  const YAML::Node list = s.value("waves_percent");
  if (!list.IsSequence() || list.size() == 0 || list.size() > 8)
    s.fail("waves_percent", "must be a list of 1 to 8 cumulative percentages ending at 100, e.g. [5, 25, 100]");
  r.waves_percent.clear();
  double last = 0.0;
  for (const YAML::Node& item : list) {
    double v = -1.0;
    try {
      v = item.as<double>();
    } catch (const YAML::Exception&) {
      s.fail_at(item.Mark(), s.name("waves_percent") + " items must be numbers, e.g. [5, 25, 100]");
    }
    if (!(v > last && v <= 100.0))
      s.fail_at(item.Mark(), s.name("waves_percent") + " must rise strictly and stay within 100 (got " +
                                 number_text(v) + " after " + number_text(last) + "), e.g. [5, 25, 100]");
    r.waves_percent.push_back(v);
    last = v;
  }
  if (last != 100.0) s.fail("waves_percent", "must end at 100 (the last wave is the whole fleet), e.g. [5, 25, 100]");
}

void read_wave_counts(const Section& s, const Scenario& sc, RolloutSpec& r) {
  if (!s.has("waves_nodes")) return;
  if (s.has("waves_percent")) s.fail("waves_nodes", "and waves_percent both set the waves; keep one");
  const YAML::Node list = s.value("waves_nodes");
  if (!list.IsSequence() || list.size() == 0 || list.size() > 7)
    s.fail("waves_nodes", "must be a list of 1 to 7 rising node counts (the last wave takes the rest), e.g. [5, 30]");
  const uint32_t fleet = sc.topology.nodes - 1;  // every node but the distributing one
  uint32_t last = 0;
  for (const YAML::Node& item : list) {
    uint32_t v = 0;
    try {
      v = item.as<uint32_t>();
    } catch (const YAML::Exception&) {
      s.fail_at(item.Mark(), s.name("waves_nodes") + " items must be whole node counts, e.g. [5, 30]");
    }
    if (!(v > last && v < fleet))
      s.fail_at(item.Mark(), s.name("waves_nodes") + " must rise strictly and stay below the " + std::to_string(fleet) +
                                 " receivers (got " + std::to_string(v) + " after " + std::to_string(last) +
                                 "); the last wave takes the rest, e.g. [5, 30]");
    r.waves_nodes.push_back(v);
    last = v;
  }
}

void read_commands(const Section& s, const Scenario& sc, RolloutSpec& r) {
  const std::vector<YAML::Node> items = s.list("commands");
  for (size_t i = 0; i < items.size(); ++i) {
    const Section c(sc.path, items[i], "rollout.commands[" + std::to_string(i) + "]", kCommandKeys, items[i].Mark());
    c.require("at_s", "at_s: 600");
    c.require("kind", "kind: abort");
    double at = 0.0;
    c.read("at_s", at);
    c.check(at >= 0.0 && at < sc.duration_s, "at_s",
            "is " + number_text(at) + " s, outside the run [0, duration_s = " + number_text(sc.duration_s) +
                " s); move it into the run or raise duration_s");
    r.commands.emplace_back(at, std::string(kCommands[static_cast<size_t>(c.read_choice("kind", kCommands))]));
  }
}

}  // namespace

void read_safety(const Section& top, Scenario& sc) {
  if (!top.has("safety")) return;
  if (!sc.ota.meshota())
    top.fail("safety", "applies to meshota's updates only (painlessMesh has no trial boots); set ota.protocol: "
                       "meshota or remove the safety: section");
  const Section s = top.child("safety", kSafetyKeys);
  SafetySpec& f = sc.safety;
  positive(s, "confirm_after_s", f.confirm_after_s, "seconds up on trial before confirming, e.g. 30");
  positive(s, "give_up_after_s", f.give_up_after_s, "seconds on trial before a not-healthy image fails, e.g. 180");
  s.check(f.give_up_after_s >= f.confirm_after_s, "give_up_after_s",
          "is " + number_text(f.give_up_after_s) + " s, below confirm_after_s (" + number_text(f.confirm_after_s) +
              " s): a trial would give up before a healthy image could confirm; raise it, e.g. 180");
  s.read("require_mesh", f.require_mesh);
  s.read("max_trial_boots", f.max_trial_boots);
  s.check(f.max_trial_boots >= 1 && f.max_trial_boots <= 10, "max_trial_boots",
          "must be 1 to 10 (ESP-IDF reverts after 1)");
  if (const int b = s.read_choice("bad_image", kBadImages); b >= 0) f.bad_image = static_cast<BadImage>(b);
  s.only_when(f.bad_image == BadImage::kCrashLoop || f.bad_image == BadImage::kBricks, "bad_after_s",
              "bad_image: crash-loop or bricks");
  positive(s, "bad_after_s", f.bad_after_s, "seconds after each boot of the bad image, e.g. 5");
}

void read_rollout(const Section& top, Scenario& sc) {
  if (!top.has("rollout")) return;
  const Section s = top.child("rollout", kRolloutKeys);
  RolloutSpec& r = sc.rollout;
  r.enabled = true;
  s.read("enabled", r.enabled);
  if (!r.enabled) return;
  if (!sc.ota.meshota())
    top.fail("rollout", "needs meshota's updates; set ota.protocol: meshota or remove the rollout: section");
  if (!sc.telemetry.enabled)
    top.fail("rollout", "needs a telemetry: section (the rollout's health gates read the nodes' reports); add one, "
                        "e.g. telemetry: {interval_s: 10}");
  read_waves(s, r);
  read_wave_counts(s, sc, r);
  positive(s, "soak_s", r.soak_s, "seconds a wave runs before it is judged, e.g. 60");
  positive(s, "wave_timeout_s", r.wave_timeout_s, "a wave still running after this is judged as it stands, e.g. 900");
  percent(s, "success_percent", r.success_percent, "confirmed share of a wave to go on, e.g. 95");
  percent(s, "error_percent", r.error_percent, "failed share that aborts, e.g. 20");
  s.read("min_executed", r.min_executed);
  s.check(r.min_executed >= 1 && r.min_executed <= 65535, "min_executed", "must be 1 to 65535, e.g. 1");
  positive(s, "offline_fail_s", r.offline_fail_s, "a granted node silent this long counts as failed, e.g. 120");
  s.read("approve_each_wave", r.approve_each_wave);
  const Section w = s.child("window", kWindowKeys);
  w.read("period_s", r.window_period_s);
  w.read("start_s", r.window_start_s);
  w.read("end_s", r.window_end_s);
  w.check(r.window_period_s >= 0.0, "period_s", "must not be negative (0: always open), e.g. 86400");
  w.check(r.window_period_s == 0.0 || (r.window_start_s >= 0.0 && r.window_start_s < r.window_end_s &&
                                        r.window_end_s <= r.window_period_s),
          "end_s", "the window must satisfy 0 <= start_s < end_s <= period_s, e.g. {period_s: 86400, start_s: 7200, "
                   "end_s: 14400}");
  read_commands(s, sc, r);
}

}  // namespace meshota::sim::detail
