#pragma once
// Private to the claims: the claims of shared/claims.md as the seed documents
// state them (A = future proposals, B = proposal overview, R = reference,
// P2 = phase 2 summary, D = diagrams).

#include <string_view>

namespace meshota::sim::detail {

/// One claim of the seed documents.
struct ClaimText {
  std::string_view id;
  std::string_view claim;
  std::string_view source;
};

inline constexpr ClaimText kClaims[] = {
    {"C01", "Baseline (unicast) OTA takes 60-120 s for 10 nodes (D says: for 4 nodes)", "B, R, D"},
    {"C02", "Baseline 50 nodes: 300-600 s; network use N x firmware size", "R"},
    {"C03", "Compression: 40-60 % faster, bandwidth -50 % (200 KB -> ~100 KB); 10 nodes 35-70 s, 50 nodes 180-360 s",
     "B, R, D"},
    {"C04", "Broadcast: 50 nodes x 150 chunks = 7,500 -> 150 transmissions (98 % less); O(N x F) -> O(F)", "R, P2"},
    {"C05", "Broadcast: 10/50/100 nodes -> 90/98/99 % traffic reduction and ~10x/50x/100x faster", "P2"},
    {"C06",
     "Broadcast + compression: 10 nodes 15-30 s (75 % faster), network 1 x firmware size regardless of node count; "
     "phase table 20-30 s (10 nodes), 30-50 s (50 nodes), 0.5 x size",
     "B, R"},
    {"C07", "Progressive rollout: 10 nodes 40-60 s, 50 nodes 60-100 s; total 30-60 min with soak times", "R, D"},
    {"C08",
     "P2P table (150 chunks, 1.5 MB): unicast/broadcast/P2P = 10 nodes 60/20/30 s, 50 nodes 300/30/40 s, 100 nodes "
     "600/40/50 s, 500 nodes 3000/60/70 s",
     "A"},
    {"C09",
     "20 nodes, 200 KB image: sequential 20 min, +compression 12 min, +broadcast 5 min, broadcast+compression 3 min, "
     "P2P 1 min",
     "D"},
    {"C10",
     "20 nodes, 200 KB: bytes on the network 4000 KB sequential, 200 KB broadcast, 2000 KB compressed (100 KB "
     "compressed broadcast), ~400 KB P2P",
     "D"},
    {"C11", "P2P: ~15 s for a large mesh; exponential spread 1 -> 2 -> 4 -> 8", "A, D"},
    {"C12", "Success rate ~85 % baseline, ~90 % with compression, ~95 % with broadcast", "B"},
    {"C13", "Compressed OTA costs +4-8 KB RAM (decompression buffer 8 KB)", "R, D"},
    {"C14", "Broadcast OTA costs +2-5 KB per node (chunk tracking), nothing extra on the root", "R, P2"},
    {"C15", "Enhanced status costs +500 B per report; MQTT bridge +5-8 KB on the root; phase 2 combined +7-13 KB", "R"},
    {"C16", "P2P needs +200-500 KB flash per node", "A"},
    {"C17", "Enhanced status package: ~500 bytes per report, 30-60 s latency, fits 1-50 nodes", "R, B"},
    {"C18",
     "MQTT bridge traffic per hour: 1-10 nodes all topics @30 s ~400 KB; 10-50 nodes no per-node @60 s ~200 KB; 50+ "
     "nodes metrics+alerts @120 s ~100 KB",
     "R"},
    {"C19",
     "MQTT topic sizes: nodes ~200 B, topology 1-5 KB, metrics ~300 B, alerts ~400 B; per interval 500 B minimal, 2-3 "
     "KB standard, ~10 KB full for 50 nodes",
     "R, P2"},
    {"C20",
     "10 nodes, 1 hour: enhanced package @5 min ~60 KB, status service @30 s ~15 KB, telemetry @60 s ~4 KB, dashboard "
     "polling @30 s ~10 KB, MQTT bridge @30 s ~20 KB",
     "D"},
    {"C21", "Telemetry delta: full state 200 B -> delta 30 B (85 % less); 80-90 % bandwidth reduction; compact binary "
            "64 B; ~1 KB per node-hour",
     "A, D"},
    {"C22", "Telemetry latency < 1 s; scales to 200+ nodes; status service 5-15 s, timeout 5-10 s", "R, A, D"},
    {"C23", "Per-node traffic per update: package ~500 B, bridge ~1 KB, service ~1.5 KB, telemetry ~200 B, dashboard "
            "~2 KB",
     "R"},
    {"C24", "Broadcast falls back to unicast for missed chunks and scales to 50-100+ nodes", "R, P2"},
    {"C25", "Progressive rollout catches a bad image in the canary wave (5 %) and rolls back before mesh-wide "
            "deployment",
     "A"},
    {"C26", "Status service aggregates all nodes at the root within its timeout, even when some nodes do not answer",
     "A, D"},
};

}  // namespace meshota::sim::detail
