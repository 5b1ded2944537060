#include "meshota/core/rollout/rollout_controller.hpp"

namespace meshota::core {
namespace {
using S = RolloutNodeState;
uint32_t idx(S s) { return static_cast<uint32_t>(s); }
}  // namespace

RolloutController::RolloutController(const RolloutConfig& config, std::span<RolloutNode> fleet)
    : config_(config), fleet_(fleet) {
  if (config_.wave_count == 0 || config_.wave_count > RolloutConfig::kMaxWaves) config_.wave_count = 1;
  config_.wave_cumulative_pm[config_.wave_count - 1] = 1000;  // the last wave takes everyone left
}

RolloutNode* RolloutController::find(NodeId node) {
  for (RolloutNode& n : fleet_)
    if (n.id == node) return &n;
  return nullptr;
}
const RolloutNode* RolloutController::find(NodeId node) const {
  for (const RolloutNode& n : fleet_)
    if (n.id == node) return &n;
  return nullptr;
}

uint32_t RolloutController::wave_size(uint8_t wave) const {
  uint32_t n = 0;
  for (uint32_t s = 0; s < kStates; ++s) n += count_[wave][s];
  return n;
}

RolloutController::Tally RolloutController::tally(uint8_t wave) const {
  Tally t;
  const uint32_t* c = count_[wave];
  t.size = wave_size(wave);
  t.confirmed = c[idx(S::kConfirmed)];
  t.failed = c[idx(S::kFailed)] + c[idx(S::kRolledBack)];
  t.executed = t.confirmed + t.failed;
  t.running = t.size - t.executed;
  return t;
}

void RolloutController::log(RolloutAudit::Kind kind, Instant now, const Tally& t, uint16_t threshold_pm) {
  RolloutAudit& a = audit_[audit_count_ % kAuditCapacity];
  a = RolloutAudit{kind, now, wave_, t.size, t.confirmed, t.failed, t.executed, threshold_pm};
  ++audit_count_;
}

const RolloutAudit& RolloutController::audit(uint32_t i) const {
  const uint32_t first = audit_count_ > kAuditCapacity ? audit_count_ - kAuditCapacity : 0;
  return audit_[(first + i) % kAuditCapacity];
}

void RolloutController::start(Instant now) {
  const uint64_t n = fleet_.size();
  uint8_t w = 0;
  // Wave w holds nodes up to its cumulative count, or ceil(n * cumulative / 1000); never fewer than one node.
  const auto end_of = [&](uint8_t wave) -> uint64_t {
    return config_.waves_by_count ? config_.wave_cumulative_nodes[wave]
                                  : (n * config_.wave_cumulative_pm[wave] + 999) / 1000;
  };
  for (uint64_t i = 0; i < n; ++i) {
    while (w + 1 < config_.wave_count && i >= end_of(w) && i > 0) ++w;
    fleet_[i].wave = w;
    fleet_[i].state = S::kWaiting;
    fleet_[i].changed_at = now;
    ++count_[w][idx(S::kWaiting)];
  }
  phase_ = RolloutPhase::kRunning;
  wave_ = 0;
  log(RolloutAudit::Kind::kStart, now, tally(0), 0);
  open_wave(now);
}

bool RolloutController::window_open(Instant now) const {
  if (config_.window_period.us <= 0) return true;
  const int64_t t = now.us % config_.window_period.us;
  const int64_t a = config_.window_start.us, b = config_.window_end.us;
  return a <= b ? (t >= a && t < b) : (t >= a || t < b);
}

Instant RolloutController::window_opens(Instant now) const {
  if (config_.window_period.us <= 0) return now;
  const int64_t p = config_.window_period.us;
  const int64_t t = now.us % p;
  const int64_t wait = t <= config_.window_start.us ? config_.window_start.us - t : p - t + config_.window_start.us;
  return now + Duration{wait};
}

void RolloutController::open_wave(Instant now) {
  if (!window_open(now)) {
    if (wave_open_ || audit_count_ == 0 || audit(audit_count() - 1).kind != RolloutAudit::Kind::kWindowWait)
      log(RolloutAudit::Kind::kWindowWait, now, tally(wave_), 0);
    wave_open_ = false;
    return;
  }
  for (RolloutNode& n : fleet_)
    if (n.wave == wave_ && n.state == S::kWaiting) {
      --count_[wave_][idx(S::kWaiting)];
      ++count_[wave_][idx(S::kGranted)];
      n.state = S::kGranted;
      n.changed_at = now;
    }
  wave_open_ = true;
  wave_started_ = now;
  log(RolloutAudit::Kind::kWaveStart, now, tally(wave_), 0);
}

void RolloutController::report(Instant now, NodeId node, RolloutNodeState state) {
  RolloutNode* n = find(node);
  if (n == nullptr || n->wave >= config_.wave_count || n->state == state) return;
  // A node outside its grant (not yet granted, or told to stop) cannot install; a report of it is ignored.
  if (n->state == S::kWaiting && state != S::kFailed) return;
  --count_[n->wave][idx(n->state)];
  ++count_[n->wave][idx(state)];
  n->state = state;
  n->changed_at = now;
  if (state == S::kRolledBack) log(RolloutAudit::Kind::kRollback, now, tally(n->wave), 0);
  if (phase_ == RolloutPhase::kRunning || phase_ == RolloutPhase::kSoaking) judge(now);
}

void RolloutController::do_abort(Instant now, const Tally& t) {
  phase_ = RolloutPhase::kAborted;
  wave_open_ = false;
  log(RolloutAudit::Kind::kAbort, now, t, config_.error_pm);
}

void RolloutController::judge(Instant now) {
  const Tally t = tally(wave_);
  if (t.executed >= config_.min_executed && t.executed > 0 &&
      uint64_t{t.failed} * 1000 >= uint64_t{config_.error_pm} * t.executed) {
    do_abort(now, t);
    return;
  }
  if (phase_ == RolloutPhase::kRunning && wave_open_ &&
      (t.running == 0 || now >= wave_started_ + config_.wave_timeout)) {
    phase_ = RolloutPhase::kSoaking;
    soak_until_ = now + config_.soak;
    log(RolloutAudit::Kind::kWaveRan, now, t, 0);
    return;
  }
  if (phase_ != RolloutPhase::kSoaking || now < soak_until_) return;
  if (uint64_t{t.confirmed} * 1000 < uint64_t{config_.success_pm} * t.size) {
    // Not enough of the wave is healthy: a rollout that cannot show success stops (hawkBit).
    phase_ = RolloutPhase::kAborted;
    wave_open_ = false;
    log(RolloutAudit::Kind::kAbort, now, t, config_.success_pm);
    return;
  }
  log(RolloutAudit::Kind::kAdvance, now, t, config_.success_pm);
  if (wave_ + 1 >= config_.wave_count) {
    phase_ = RolloutPhase::kDone;
    log(RolloutAudit::Kind::kDone, now, t, 0);
    return;
  }
  ++wave_;
  wave_open_ = false;
  if (config_.approve_each_wave) {
    phase_ = RolloutPhase::kAwaitingApproval;
    return;
  }
  phase_ = RolloutPhase::kRunning;
  open_wave(now);
}

Instant RolloutController::poll(Instant now) {
  if (phase_ == RolloutPhase::kRunning && !wave_open_) {
    open_wave(now);
    if (!wave_open_) return window_opens(now);
  }
  if (phase_ == RolloutPhase::kRunning || phase_ == RolloutPhase::kSoaking) judge(now);
  if (phase_ == RolloutPhase::kRunning) return wave_open_ ? wave_started_ + config_.wave_timeout : window_opens(now);
  if (phase_ == RolloutPhase::kSoaking) return soak_until_;
  return Instant::never();
}

void RolloutController::pause(Instant now) {
  if (phase_ != RolloutPhase::kRunning && phase_ != RolloutPhase::kSoaking && phase_ != RolloutPhase::kAwaitingApproval)
    return;
  paused_from_ = phase_;
  phase_ = RolloutPhase::kPaused;
  log(RolloutAudit::Kind::kPause, now, tally(wave_), 0);
}

void RolloutController::resume(Instant now) {
  if (phase_ != RolloutPhase::kPaused) return;
  phase_ = paused_from_;
  log(RolloutAudit::Kind::kResume, now, tally(wave_), 0);
  if (phase_ == RolloutPhase::kSoaking && soak_until_ < now) soak_until_ = now;  // judged at the next poll
}

void RolloutController::approve(Instant now) {
  if (phase_ != RolloutPhase::kAwaitingApproval) return;
  log(RolloutAudit::Kind::kApprove, now, tally(wave_), 0);
  phase_ = RolloutPhase::kRunning;
  open_wave(now);
}

void RolloutController::abort(Instant now) {
  if (phase_ == RolloutPhase::kDone || phase_ == RolloutPhase::kAborted || phase_ == RolloutPhase::kIdle) return;
  do_abort(now, tally(wave_));
}

bool RolloutController::may_install(NodeId node) const {
  if (phase_ != RolloutPhase::kRunning && phase_ != RolloutPhase::kSoaking) return false;
  const RolloutNode* n = find(node);
  return n != nullptr && n->state != S::kWaiting && n->state != S::kFailed && n->state != S::kRolledBack;
}

bool RolloutController::must_roll_back(NodeId node) const {
  if (phase_ != RolloutPhase::kAborted) return false;
  const RolloutNode* n = find(node);
  return n != nullptr && (n->state == S::kTrial || n->state == S::kConfirmed);
}

}  // namespace meshota::core
