#pragma once
// Progressive rollout (seed option 1B), driven by the distributing node (or,
// later, a gateway), in the manner of Eclipse hawkBit and AWS IoT Jobs: the
// fleet is split into waves (e.g. 5 % canary, 25 %, 100 %); a wave's nodes may
// install; after the wave has run and soaked, a success threshold lets the next
// wave start and an error threshold stops the rollout and names the nodes to
// roll back. Operators can pause, resume, approve a wave and abort; installs
// start only inside a maintenance window. Every decision goes to an audit log
// with the numbers behind it. The controller is policy only: the OTA strategy
// carries its grants to the nodes and their status reports back.

#include <cstdint>
#include <span>

#include "meshota/core/addressing.hpp"
#include "meshota/core/time.hpp"

namespace meshota::core {

/// Where one node stands in the rollout, as its reports say.
enum class RolloutNodeState : uint8_t {
  kWaiting,      ///< not granted yet
  kGranted,      ///< may install; nothing heard since
  kInstalling,   ///< downloading or writing the image
  kTrial,        ///< booted the new image, not confirmed yet
  kConfirmed,    ///< passed its health check
  kFailed,       ///< reverted, refused or failed the image (counts against the error threshold)
  kRolledBack,   ///< told to go back to the previous image after an abort, and did
};

/// The controller's view of one node; the caller owns the storage (one per fleet node).
struct RolloutNode {
  NodeId id = 0;
  RolloutNodeState state = RolloutNodeState::kWaiting;
  uint8_t wave = 0xff;   ///< the wave it belongs to
  Instant changed_at = Instant::never();
};

/// Rollout policy; defaults follow the seeds' example (5 % canary, 25 %, 100 %).
struct RolloutConfig {
  static constexpr uint32_t kMaxWaves = 8;
  /// Cumulative share of the fleet after each wave, in per mille (50 = 5 %); the last must be 1000.
  uint16_t wave_cumulative_pm[kMaxWaves] = {50, 250, 1000};
  uint8_t wave_count = 3;
  /// Waves by count instead: cumulative node counts after each wave but the last, which takes everyone
  /// left (e.g. {5, 30}: 5 canaries, 25 more, then the rest). Used when waves_by_count is set.
  uint32_t wave_cumulative_nodes[kMaxWaves] = {};
  bool waves_by_count = false;
  Duration soak = Duration::seconds(60);         ///< wait after a wave has run before judging it
  Duration wave_timeout = Duration::seconds(900);///< a wave still running after this is judged as it stands
  uint16_t success_pm = 950;      ///< confirmed share of a wave needed to advance (per mille)
  uint16_t error_pm = 200;        ///< failed share of executed nodes that aborts (per mille)
  uint16_t min_executed = 1;      ///< nodes done (confirmed or failed) before the error threshold applies
  bool approve_each_wave = false; ///< a wave after the first waits for approve()
  /// Maintenance window on a daily clock: installs are granted only while (now mod period) is in
  /// [window_start, window_end). A zero period means always open.
  Duration window_period = Duration{0};
  Duration window_start = Duration{0};
  Duration window_end = Duration{0};
};

/// The rollout's state.
enum class RolloutPhase : uint8_t { kIdle, kRunning, kSoaking, kAwaitingApproval, kPaused, kDone, kAborted };

/// One audit-log entry: a decision, when, and the numbers behind it.
struct RolloutAudit {
  enum class Kind : uint8_t {
    kStart, kWaveStart, kWaveRan, kAdvance, kAbort, kDone, kPause, kResume, kApprove, kWindowWait, kRollback,
  };
  Kind kind = Kind::kStart;
  Instant at;
  uint8_t wave = 0;
  uint32_t wave_size = 0;
  uint32_t confirmed = 0;
  uint32_t failed = 0;
  uint32_t executed = 0;
  uint16_t threshold_pm = 0;  ///< the threshold the decision compared with
};

/// Progressive-rollout policy over a fleet the caller stores.
class RolloutController {
 public:
  static constexpr uint32_t kAuditCapacity = 64;

  RolloutController(const RolloutConfig& config, std::span<RolloutNode> fleet);

  /// Starts the rollout: assigns waves (fleet order: the caller shuffles or sorts) and opens the first.
  void start(Instant now);
  /// A node reported its state (unknown ids are ignored).
  void report(Instant now, NodeId node, RolloutNodeState state);
  /// Runs the policy; returns the next time it has something to decide (never when idle or finished).
  Instant poll(Instant now);

  void pause(Instant now);
  void resume(Instant now);
  void approve(Instant now);
  void abort(Instant now);

  /// Whether `node` may install now (granted and the rollout is running).
  bool may_install(NodeId node) const;
  /// Nodes that must go back to their previous image (set after an abort).
  bool must_roll_back(NodeId node) const;

  RolloutPhase phase() const { return phase_; }
  uint8_t wave() const { return wave_; }
  uint32_t wave_size(uint8_t wave) const;
  /// Audit entries in order (the oldest are dropped past kAuditCapacity; dropped() counts them).
  uint32_t audit_count() const { return audit_count_ < kAuditCapacity ? audit_count_ : kAuditCapacity; }
  const RolloutAudit& audit(uint32_t i) const;
  uint32_t dropped() const { return audit_count_ > kAuditCapacity ? audit_count_ - kAuditCapacity : 0; }

 private:
  struct Tally {
    uint32_t size = 0, confirmed = 0, failed = 0, executed = 0, running = 0;
  };
  Tally tally(uint8_t wave) const;
  void open_wave(Instant now);
  void judge(Instant now);
  void do_abort(Instant now, const Tally& t);
  bool window_open(Instant now) const;
  Instant window_opens(Instant now) const;
  void log(RolloutAudit::Kind kind, Instant now, const Tally& t, uint16_t threshold_pm);
  RolloutNode* find(NodeId node);
  const RolloutNode* find(NodeId node) const;

  RolloutConfig config_;
  std::span<RolloutNode> fleet_;
  RolloutPhase phase_ = RolloutPhase::kIdle;
  RolloutPhase paused_from_ = RolloutPhase::kIdle;
  uint8_t wave_ = 0;
  bool wave_open_ = false;        ///< the current wave's nodes are granted
  Instant wave_started_ = Instant::never();
  Instant soak_until_ = Instant::never();
  RolloutAudit audit_[kAuditCapacity];
  uint32_t audit_count_ = 0;
  static constexpr uint32_t kStates = 7;
  uint32_t count_[RolloutConfig::kMaxWaves][kStates] = {};  // nodes per wave and state, kept as reports come
};

}  // namespace meshota::core
