// Safe updates in the simulator: every meshota node keeps a boot record in its
// otadata flash and boots through core::BootManager (a new image runs on trial
// and confirms itself through core::HealthCheck, or the bootloader reverts);
// a scenario's bad image misbehaves when it runs; and the distributing node's
// progressive rollout grants installs wave by wave (docs/safe-updates.md).

#include <algorithm>

#include "meshota/sim/engine/simulator.hpp"
#include "meshota/sim/engine/time_units.hpp"
#include "meshota/sim/node/digest.hpp"

namespace meshota::sim {
namespace {

/// The bootloader's integrity check of a slot: the SHA-256 of its first `bytes` bytes.
class SlotCheck final : public core::SlotVerifier {
 public:
  using Digest = std::function<const std::string&(uint32_t slot, uint32_t bytes)>;
  explicit SlotCheck(Digest digest) : digest_(std::move(digest)) {}
  bool intact(uint8_t slot, uint32_t bytes, const uint8_t (&digest)[32]) override {
    return digest_(slot, bytes) == to_hex(std::span<const uint8_t>(digest, 32));
  }

 private:
  Digest digest_;
};

const char* bad_image_name(BadImage b) {
  switch (b) {
    case BadImage::kNone: return "none";
    case BadImage::kCrashLoop: return "crash-loop";
    case BadImage::kFailsHealth: return "fails-health";
    case BadImage::kBricks: return "bricks";
  }
  return "?";
}

}  // namespace

void Simulator::setup_safety() {
  core::BootConfig boot;
  boot.max_trial_boots = static_cast<uint8_t>(sc_.safety.max_trial_boots);
  for (uint32_t i = 0; i < topo_.nodes; ++i) {
    nodes_[i]->boot.use_boot_manager(nodes_[i]->otadata, boot);
    bootloader(i);  // the factory boot: slot 0, nothing written
  }
  if (!sc_.rollout.enabled) return;
  std::vector<uint32_t> ids(topo_.nodes);
  for (uint32_t i = 0; i < topo_.nodes; ++i) ids[i] = nodes_[i]->config.id;
  rollout_ = std::make_unique<RolloutHost>(sc_.rollout, ids, sc_.ota.sender);
  if (telemetry_) telemetry_->forward_to(rollout_.get());
  meshota_.peer.require_grant = true;
}

bool Simulator::bootloader(uint32_t i) {
  SimNode& n = *nodes_[i];
  SlotCheck check([this, &n](uint32_t slot, uint32_t bytes) -> const std::string& { return slot_sha256(n, slot, bytes); });
  const uint32_t before = n.boot.running_slot();
  const core::BootDecision d = n.boot.reboot(check);
  NodeResult& r = result_.nodes[i];
  // A revert, whether the bootloader chose it now or the application (health check, rollout) did before
  // restarting: the node left the slot it ran, and the record says why.
  const core::BootManager* m = n.boot.manager();
  if (m != nullptr && d.bootable && d.slot != before && m->record().reverted_from == before &&
      m->record().last_revert != core::RevertReason::kNone) {
    ++r.reverts;
    r.last_revert = m->record().last_revert;
  }
  if (d.trial) ++r.trial_boots;
  if (!d.bootable) ++r.unbootable;
  return d.bootable;
}

void Simulator::start_safety(uint32_t i, bool runs_new) {
  SimNode& n = *nodes_[i];
  NodeResult& r = result_.nodes[i];
  const BadImage bad = sc_.safety.bad_image;
  n.app_health.bad = runs_new && bad == BadImage::kFailsHealth;
  core::HealthCheckConfig hc;
  hc.confirm_after = duration(sc_.safety.confirm_after_s);
  hc.give_up_after = duration(sc_.safety.give_up_after_s);
  hc.require_mesh = sc_.safety.require_mesh;
  n.health = std::make_unique<core::HealthCheck>(hc, n.boot, &n.app_health);
  n.core->add_component(*n.health);
  if (!runs_new || !r.is_receiver) return;
  r.exposed = true;
  if (bad == BadImage::kCrashLoop || bad == BadImage::kBricks) {
    n.bad_generation = n.generation;
    queue_.push(queue_.now() + seconds(sc_.safety.bad_after_s), kBadImage, i);
  }
}

void Simulator::on_bad_image(uint32_t i) {
  SimNode& n = *nodes_[i];
  if (!n.up || n.generation != n.bad_generation) return;  // that boot is over
  if (sc_.safety.bad_image == BadImage::kBricks) {
    // It hangs with its radio silent and no watchdog to reset it: it never boots again.
    result_.nodes[i].bricked = true;
  }
  take_down(i, seconds(sc_.node.boot_s), true);
}

void Simulator::start_rollout() {
  rollout_->start(instant(queue_.now()), packed_.image_id);
  for (uint32_t c = 0; c < sc_.rollout.commands.size(); ++c)
    queue_.push(seconds(sc_.rollout.commands[c].first), kRolloutCommand, c);
  push_grant();
  queue_.push(queue_.now(), kRollout, 0);
}

void Simulator::on_rollout_tick() {
  if (rollout_settled_) {  // the settle time after the end is over
    done_ = done_ || sc_.stop_when_done;
    return;
  }
  const core::Instant next = rollout_->poll(instant(queue_.now()));
  push_grant();
  if (rollout_->finished()) {
    // Give the last trials (and an abort's rollbacks) time to end before the run may stop.
    rollout_settled_ = true;
    queue_.push(queue_.now() + seconds(sc_.safety.give_up_after_s + sc_.rollout.offline_fail_s), kRollout, 0);
    return;
  }
  // The controller's own deadline, and at least once a second for what reports changed.
  const SimTime second = queue_.now() + seconds(1.0);
  const SimTime due = next == core::Instant::never() ? second : std::min(second, next.us * kNsPerUs);
  queue_.push(std::max(due, queue_.now()), kRollout, 0);
}

void Simulator::on_rollout_command(uint32_t index) {
  rollout_->command(instant(queue_.now()), sc_.rollout.commands[index].second);
  push_grant();
}

void Simulator::push_grant() {
  const GrantState g = rollout_->grant();
  if (g == grant_sent_ && grants_sent_ > 0) return;
  SimNode& n = *nodes_[sc_.ota.sender];
  if (!n.up || !n.meshota) return;
  grant_sent_ = g;
  ++grants_sent_;
  outbox_.clear();
  n.meshota->peer().set_grant(instant(queue_.now()), g.rank_limit, g.roll_back);
  flush(sc_.ota.sender, queue_.now(), n.core->poll(instant(queue_.now()), outbox_));
}

void Simulator::collect_safety(RunResult& r) {
  SafetyResult& s = r.safety;
  s.bad_image = bad_image_name(sc_.safety.bad_image);
  for (uint32_t i = 0; i < topo_.nodes; ++i) {
    const NodeResult& nr = r.nodes[i];  // collect() copied the per-node safety counters already
    s.unbootable += nr.unbootable;
    if (!nr.is_receiver) continue;
    s.exposed += nr.exposed ? 1 : 0;
    s.trial_boots += nr.trial_boots;
    s.reverted_nodes += nr.reverts > 0 && nr.exposed ? 1 : 0;
    if (nr.reverts > 0 && nr.exposed) ++s.reverts_by_reason[static_cast<size_t>(nr.last_revert) % 5];
    s.rolled_back += nr.ota.rolled_back > 0 ? 1 : 0;
    s.installs_refused += nr.ota.installs_refused;
    s.bricked += nr.bricked ? 1 : 0;
    const bool offered = nr.boot_slot_sha256 == image_.sha256, previous = nr.boot_slot_sha256 == old_sha256_;
    s.on_offered += offered ? 1 : 0;
    s.confirmed += offered && nodes_[i]->up && !nodes_[i]->boot.on_trial() ? 1 : 0;
    s.on_previous += previous ? 1 : 0;
    s.on_neither += offered || previous ? 0 : 1;
  }
  if (rollout_) {
    s.rollout = rollout_->result();
    s.rollout.grants_sent = grants_sent_;
  }
}

}  // namespace meshota::sim
