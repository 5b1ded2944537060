#pragma once
// The JSON text of painlessMesh's own traffic, field for field as its
// protocol.hpp writes it (ArduinoJson keeps insertion order), so that the
// simulator pays the real bytes: node sync (types 5 and 6), time sync
// (type 4) and the example's "Hello" broadcast (type 8). Every message ends
// with the '\0' that frames it on the TCP stream.

#include <cstdint>
#include <string>
#include <vector>

#include "meshota/sim/pm/mesh_tree.hpp"

namespace meshota::sim {

/// painlessMesh's core package types (protocol.hpp).
enum PmCoreType : int { kPmTimeDelay = 3, kPmTimeSync = 4, kPmNodeSyncRequest = 5, kPmNodeSyncReply = 6 };

/// NodeSyncRequest/Reply from `from` to its neighbour `to`: from's view of the
/// mesh (its part of the forest, re-rooted at `from`) minus to's branch.
/// `ids` maps node index -> painlessMesh node id; `root` is the mesh root index.
std::string pm_node_sync(const MeshTree& tree, const std::vector<uint32_t>& ids, uint32_t root, uint32_t from,
                         uint32_t to, bool reply);

/// A TimeSync package: `step` 1 is TIME_REQUEST (t0), 2 is TIME_REPLY (t0, t1, t2), as ntp.hpp sends them.
std::string pm_time_sync(uint32_t from_id, uint32_t to_id, int step, uint32_t t0, uint32_t t1, uint32_t t2);

/// The basic example's broadcast: {"type":8,"dest":0,"from":F,"msg":"Hello from node F"}.
std::string pm_hello(uint32_t from_id);

/// The `type` field of a painlessMesh message, -1 when it has none.
int pm_message_type(const std::vector<uint8_t>& bytes);

}  // namespace meshota::sim
