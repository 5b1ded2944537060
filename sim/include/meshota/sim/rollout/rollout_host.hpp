#pragma once
// The distributing node's progressive rollout in the simulator: the core's
// RolloutController over the fleet, fed by what the root's telemetry collector
// hears (each node's update state, and offline alerts), and turned into the
// grant the source advertises (a rank limit, or roll back). The fleet is
// ordered by core::rollout_rank, the order every node computes for itself, so
// that "the first k nodes" is one threshold on the air.

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "meshota/core/ota/image_id.hpp"
#include "meshota/core/rollout/rollout_controller.hpp"
#include "meshota/core/telemetry/telemetry_collector.hpp"
#include "meshota/sim/report/safety_result.hpp"
#include "meshota/sim/scenario/scenario.hpp"

namespace meshota::sim {

/// The grant the source advertises.
struct GrantState {
  uint16_t rank_limit = 0;
  bool roll_back = false;
  bool operator==(const GrantState&) const = default;
};

/// One run's rollout (see file comment).
class RolloutHost final : public core::CollectorListener {
 public:
  /// `ids`: every node's id by index; the sender is not part of the fleet.
  RolloutHost(const RolloutSpec& spec, const std::vector<uint32_t>& ids, uint32_t sender);

  /// The image is offered now: the fleet is ranked for it and the first wave opens.
  void start(core::Instant now, const core::ImageId& image);
  /// Runs the policy; returns when it next has something to decide.
  core::Instant poll(core::Instant now);
  /// An operator command: pause, resume, approve or abort.
  void command(core::Instant now, const std::string& kind);
  bool started() const { return ctl_.has_value(); }
  bool finished() const;
  /// What the source should advertise now.
  GrantState grant() const;
  RolloutResult result() const;

  // core::CollectorListener: the root's telemetry feeds the health gates.
  void on_report(core::Instant now, core::NodeId id, const core::NodeMetrics& m, bool snapshot) override;
  void on_alert(const core::Alert& a) override;

 private:
  const core::RolloutNode* node(core::NodeId id) const;

  core::RolloutConfig config_;
  std::vector<core::RolloutNode> fleet_;
  std::unordered_map<core::NodeId, uint16_t> rank_;
  std::unordered_map<core::NodeId, uint32_t> slot_;
  std::optional<core::RolloutController> ctl_;
};

}  // namespace meshota::sim
