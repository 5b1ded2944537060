#pragma once
// What a run measured about safe updates: the bad image's reach and the
// progressive rollout's decisions (docs/safe-updates.md).

#include <cstdint>
#include <string>
#include <vector>

#include "meshota/core/rollout/rollout_controller.hpp"
#include "meshota/sim/engine/event_queue.hpp"

namespace meshota::sim {

/// A run's rollout, as the distributing node's controller saw it.
struct RolloutResult {
  bool enabled = false;
  std::string phase;                      ///< where it ended: done, aborted, running, ...
  std::vector<uint32_t> wave_sizes;
  std::vector<core::RolloutAudit> audit;  ///< every decision, in order
  uint32_t audit_dropped = 0;
  uint32_t grants_sent = 0;               ///< grant changes the source advertised
};

/// Per run: trial boots, reverts and where the nodes ended.
struct SafetyResult {
  std::string bad_image = "none";
  RolloutResult rollout;
};

}  // namespace meshota::sim
