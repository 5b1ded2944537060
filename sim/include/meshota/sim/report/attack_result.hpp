#pragma once
// What the hostile nodes of a run did and what it cost the honest ones
// (docs/security.md): the "Attacks" section of the reports.

#include <cstdint>
#include <vector>

#include "meshota/sim/attack/hostile_peer.hpp"
#include "meshota/sim/scenario/scenario.hpp"

namespace meshota::sim {

/// One hostile node and what it sent.
struct AttackerResult {
  AttackKind kind = AttackKind::kPoisonPages;
  uint32_t node = 0;  ///< node index
  HostileStats sent;
};

/// The run's attacks and their effect on the honest nodes (every count is of honest nodes).
struct AttackResult {
  std::vector<AttackerResult> attackers;  ///< empty: the run had no attackers
  uint32_t wrong_image_nodes = 0;  ///< running neither the genuine new image nor the old one: must be 0
  uint32_t poison_reach = 0;       ///< nodes that staged a unit differing from the genuine one: must be 0
  uint32_t nodes_dropped_bad_pages = 0;  ///< nodes whose page hash caught a bad page at least once
  uint32_t bad_pages = 0;          ///< pages dropped for a wrong hash, all nodes
  uint32_t forged_dropped = 0;     ///< manifests dropped for a bad signature, header or table
  uint32_t replayed_dropped = 0;   ///< genuine manifests dropped for an old security counter
  uint32_t distrusted_adverts = 0; ///< adverts ignored because their sender had served a dropped manifest
  uint32_t distrusted_chunks = 0;  ///< chunks ignored because their sender had served poison
  uint32_t poisoned_chunks_caught = 0;  ///< chunks of held pages that differed from the holder's verified copy
  uint32_t requests_limited = 0;   ///< page requests left unserved over serve_limit_per_s
};

}  // namespace meshota::sim
