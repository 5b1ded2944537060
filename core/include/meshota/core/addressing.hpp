#pragma once
// Who a frame is for and how the mesh carries it (painlessMesh's router types).

#include <cstdint>

namespace meshota::core {

/// A mesh node's id (painlessMesh derives it from the MAC address).
using NodeId = uint32_t;

/// How the mesh transport carries a frame; values are painlessMesh's `routing`.
enum class Routing : uint8_t {
  kNeighbour = 0,  ///< to a direct neighbour only
  kSingle = 1,     ///< hop by hop along the tree to `dest`
  kBroadcast = 2,  ///< to every node, flooded over every other link
};

}  // namespace meshota::core
