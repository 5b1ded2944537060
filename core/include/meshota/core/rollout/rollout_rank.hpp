#pragma once
// Where a node stands in an image's rollout order: a number every node
// computes for itself from its id and the image's id, so that a grant is one
// threshold ("ranks below R may install") instead of a list of nodes. The
// distributing node sorts its fleet by the same rank, so a wave of k nodes is
// the k lowest ranks (nodes of equal rank share a wave). A new image draws a
// new canary set. FNV-1a over the image id and the node id, folded to 16 bits.

#include <cstdint>

#include "meshota/core/addressing.hpp"
#include "meshota/core/ota/image_id.hpp"

namespace meshota::core {

/// A grant_rank that lets every node install.
inline constexpr uint16_t kGrantEveryone = 0xFFFF;

/// The node's rank for this image, in [0, 0xFFFE]: below every grant_rank that includes it.
inline uint16_t rollout_rank(NodeId node, const ImageId& image) {
  uint32_t h = 2166136261u;
  auto mix = [&h](uint8_t b) { h = (h ^ b) * 16777619u; };
  for (uint8_t b : image) mix(b);
  for (int k = 0; k < 4; ++k) mix(static_cast<uint8_t>(node >> (8 * k)));
  return static_cast<uint16_t>((h ^ (h >> 16)) % kGrantEveryone);
}

}  // namespace meshota::core
