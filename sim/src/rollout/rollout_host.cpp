#include "meshota/sim/rollout/rollout_host.hpp"

#include <algorithm>
#include <cmath>

#include "meshota/core/rollout/rollout_rank.hpp"
#include "meshota/sim/engine/time_units.hpp"

namespace meshota::sim {
namespace {

using S = core::RolloutNodeState;

uint16_t per_mille(double percent) { return static_cast<uint16_t>(std::lround(percent * 10.0)); }

/// What a node's reported update state means to the rollout (nullopt: nothing yet).
std::optional<S> rollout_state(core::UpdateState u, bool aborted) {
  switch (u) {
    case core::UpdateState::kDownloading:
    case core::UpdateState::kVerifying:
    case core::UpdateState::kPendingReboot: return S::kInstalling;
    case core::UpdateState::kTrial: return S::kTrial;
    case core::UpdateState::kConfirmed: return S::kConfirmed;
    case core::UpdateState::kReverted: return aborted ? S::kRolledBack : S::kFailed;
    case core::UpdateState::kFailed: return S::kFailed;
    case core::UpdateState::kIdle: break;
  }
  return std::nullopt;
}

const char* phase_name(core::RolloutPhase p) {
  switch (p) {
    case core::RolloutPhase::kIdle: return "idle";
    case core::RolloutPhase::kRunning: return "running";
    case core::RolloutPhase::kSoaking: return "soaking";
    case core::RolloutPhase::kAwaitingApproval: return "awaiting approval";
    case core::RolloutPhase::kPaused: return "paused";
    case core::RolloutPhase::kDone: return "done";
    case core::RolloutPhase::kAborted: return "aborted";
  }
  return "?";
}

}  // namespace

RolloutHost::RolloutHost(const RolloutSpec& spec, const std::vector<uint32_t>& ids, uint32_t sender) {
  config_.wave_count = static_cast<uint8_t>(spec.waves_percent.size());
  for (size_t w = 0; w < spec.waves_percent.size(); ++w) config_.wave_cumulative_pm[w] = per_mille(spec.waves_percent[w]);
  if (!spec.waves_nodes.empty()) {
    config_.waves_by_count = true;
    config_.wave_count = static_cast<uint8_t>(spec.waves_nodes.size() + 1);
    for (size_t w = 0; w < spec.waves_nodes.size(); ++w) config_.wave_cumulative_nodes[w] = spec.waves_nodes[w];
  }
  config_.soak = duration(spec.soak_s);
  config_.wave_timeout = duration(spec.wave_timeout_s);
  config_.success_pm = per_mille(spec.success_percent);
  config_.error_pm = per_mille(spec.error_percent);
  config_.min_executed = static_cast<uint16_t>(spec.min_executed);
  config_.approve_each_wave = spec.approve_each_wave;
  config_.window_period = duration(spec.window_period_s);
  config_.window_start = duration(spec.window_start_s);
  config_.window_end = duration(spec.window_end_s);
  offline_fail_ = duration(spec.offline_fail_s);
  for (uint32_t i = 0; i < ids.size(); ++i)
    if (i != sender) fleet_.push_back(core::RolloutNode{ids[i]});
}

void RolloutHost::start(core::Instant now, const core::ImageId& image) {
  for (const core::RolloutNode& n : fleet_) rank_[n.id] = core::rollout_rank(n.id, image);
  std::sort(fleet_.begin(), fleet_.end(), [this](const core::RolloutNode& a, const core::RolloutNode& b) {
    return rank_[a.id] != rank_[b.id] ? rank_[a.id] < rank_[b.id] : a.id < b.id;
  });
  for (uint32_t k = 0; k < fleet_.size(); ++k) slot_[fleet_[k].id] = k;
  ctl_.emplace(config_, std::span<core::RolloutNode>(fleet_));
  ctl_->start(now);
}

core::Instant RolloutHost::poll(core::Instant now) {
  if (!ctl_) return core::Instant::never();
  judge_silence(now);
  return ctl_->poll(now);
}

void RolloutHost::command(core::Instant now, const std::string& kind) {
  if (!ctl_) return;
  if (kind == "pause") ctl_->pause(now);
  else if (kind == "resume") ctl_->resume(now);
  else if (kind == "approve") ctl_->approve(now);
  else if (kind == "abort") ctl_->abort(now);
}

bool RolloutHost::finished() const {
  return ctl_ && (ctl_->phase() == core::RolloutPhase::kDone || ctl_->phase() == core::RolloutPhase::kAborted);
}

GrantState RolloutHost::grant() const {
  GrantState g;
  if (!ctl_) return g;
  if (ctl_->phase() == core::RolloutPhase::kDone) return GrantState{core::kGrantEveryone, false};
  if (ctl_->phase() == core::RolloutPhase::kAborted) return GrantState{0, true};
  // The lowest rank above every granted node: nodes of equal rank (rare) share the grant.
  uint32_t limit = 0;
  for (const core::RolloutNode& n : fleet_)
    if (ctl_->may_install(n.id)) limit = std::max<uint32_t>(limit, rank_.at(n.id) + 1u);
  g.rank_limit = static_cast<uint16_t>(std::min<uint32_t>(limit, core::kGrantEveryone));
  return g;
}

const core::RolloutNode* RolloutHost::node(core::NodeId id) const {
  const auto it = slot_.find(id);
  return it == slot_.end() ? nullptr : &fleet_[it->second];
}

void RolloutHost::on_report(core::Instant now, core::NodeId id, const core::NodeMetrics& m, bool) {
  const core::RolloutNode* n = node(id);
  if (!ctl_ || n == nullptr || n->state == S::kWaiting) return;  // not granted: its reports do not count
  const bool aborted = ctl_->phase() == core::RolloutPhase::kAborted;
  if (const std::optional<S> s = rollout_state(m.update_state, aborted)) ctl_->report(now, id, *s);
}

void RolloutHost::on_alert(const core::Alert& a) {
  if (!ctl_ || node(a.node) == nullptr || a.metric != core::AlertMetric::kOffline) return;
  if (a.raised) offline_since_.emplace(a.node, a.at);
  else offline_since_.erase(a.node);  // it spoke again: a lost report or two, not a failure
}

void RolloutHost::judge_silence(core::Instant now) {
  // A granted node silent for offline_fail (a bricked image, a hang) counts as failed; a shorter
  // silence is a busy channel losing reports, and is forgiven when the node speaks again.
  for (auto it = offline_since_.begin(); it != offline_since_.end();) {
    const core::RolloutNode* n = node(it->first);
    const bool counts = n->state == S::kGranted || n->state == S::kInstalling || n->state == S::kTrial ||
                        n->state == S::kConfirmed;
    if (!counts || now < it->second + offline_fail_) {
      ++it;
      continue;
    }
    ctl_->report(now, it->first, S::kFailed);
    it = offline_since_.erase(it);
  }
}

RolloutResult RolloutHost::result() const {
  RolloutResult r;
  r.enabled = true;
  if (!ctl_) {
    r.phase = "not started";
    return r;
  }
  r.phase = phase_name(ctl_->phase());
  for (uint8_t w = 0; w < config_.wave_count; ++w) r.wave_sizes.push_back(ctl_->wave_size(w));
  for (uint32_t i = 0; i < ctl_->audit_count(); ++i) r.audit.push_back(ctl_->audit(i));
  r.audit_dropped = ctl_->dropped();
  return r;
}

}  // namespace meshota::sim
