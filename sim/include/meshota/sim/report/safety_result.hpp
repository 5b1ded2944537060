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

/// Per run: trial boots, reverts and where the nodes ended (receivers only).
struct SafetyResult {
  std::string bad_image = "none";
  uint32_t exposed = 0;             ///< nodes that ran the offered image at some point
  uint32_t trial_boots = 0;
  uint32_t reverted_nodes = 0;      ///< nodes whose bootloader went back to the previous image
  uint32_t reverts_by_reason[5] = {};  ///< by core::RevertReason
  uint32_t confirmed = 0;           ///< nodes whose trial image confirmed itself
  uint32_t rolled_back = 0;         ///< nodes the rollout's abort sent back
  uint32_t installs_refused = 0;    ///< installs the boot control refused (reverted before, or anti-rollback)
  uint32_t bricked = 0;             ///< nodes a bad image hung for good
  uint32_t unbootable = 0;          ///< resets at which no slot could start: must be 0
  uint32_t on_offered = 0;          ///< running the offered image at the end
  uint32_t on_previous = 0;         ///< running the previous image at the end
  uint32_t on_neither = 0;          ///< running anything else: must be 0
  RolloutResult rollout;
};

}  // namespace meshota::sim
