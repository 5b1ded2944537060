#pragma once
// Turns a RunResult into the explanations a report gives: where the time went
// and, when nodes did not update, why. Shared by every report format.

#include <string>
#include <vector>

#include "meshota/sim/scenario/firmware_image.hpp"
#include "meshota/sim/report/run_result.hpp"
#include "meshota/sim/scenario/scenario.hpp"
#include "meshota/sim/scenario/topology.hpp"

namespace meshota::sim {

/// A group of receivers that did not update for the same reason.
struct StallGroup {
  std::string reason;           ///< short machine-friendly key
  std::string explanation;      ///< one sentence for people
  std::vector<uint32_t> nodes;  ///< node indices
};

/// meshota's figures: the lower bound of shared/bench/ota-fleet.md and what the run spent.
struct OtaAnalysis {
  bool present = false;
  double ratio = 1.0;             ///< bytes sent per image byte (compression)
  double frame_ms = 0.0;          ///< T(P): one full chunk frame on the medium, without backoff
  uint32_t depth = 0;             ///< D: hops from the source to the farthest node
  double lb_s = 0.0;              ///< LB = ceil(B / P) x T(P) + (D - 1) x T(P)
  double completion_over_lb = 0.0;
  uint64_t data_link_bytes = 0;   ///< chunk bytes carried by all links (every hop)
  uint64_t control_link_bytes = 0;
  double control_share = 0.0;     ///< control / all OTA traffic on links: airtime on the radio, bytes elsewhere
  double data_per_link_images = 0.0;  ///< chunk bytes on links / (tree links x image bytes)
  double copies_per_link = 0.0;   ///< chunk frames on links / (tree links x chunk frames of one copy)
  uint32_t ram_mean_bytes = 0, ram_max_bytes = 0;  ///< protocol state per node
  uint32_t staging_bytes = 0;     ///< flash for the units a node holds and serves
  uint32_t bad_pages = 0, forged_manifests = 0;
  uint64_t chunks_useful = 0;     ///< chunk receptions that filled a gap, over every receiver
  uint64_t chunks_duplicate = 0;  ///< chunk receptions of chunks the receiver already had
  /// chunks_useful / chunk frames sent: receivers one frame served. A piece counts as its share of a chunk
  /// frame (1 / pieces per chunk).
  double useful_per_chunk_frame = 0.0;
  uint64_t whole_chunk_frames = 0;    ///< on the radio: whole chunk frames the medium finished with
  uint64_t frames_new_to_none = 0;    ///< of those, the ones that gave no receiver a chunk it lacked
  uint64_t frames_lost_where_wanted = 0;  ///< of those, the ones a node in range still lacked when they ended
  uint64_t pieces_sent = 0;       ///< ChunkPieces: parts of chunks for links that lose most full frames
  uint64_t piece_requests = 0;
  uint32_t piece_askers = 0;      ///< receivers that asked for pieces at least once
  double histogram_bin_s = 0.0;
  std::vector<uint32_t> histogram;  ///< receivers by completion time after the offer, per bin
};

/// Derived figures and explanations of one run.
struct RunAnalysis {
  uint32_t chunks = 0;
  double offer_s = 0.0;
  double first_updated_s = -1.0;  ///< after the offer; -1 if none
  double last_updated_s = -1.0;
  /// When 99 % of the receivers (nearest rank) ran the image, after the offer; -1 if fewer did.
  /// Beside last_updated_s it tells a fleet from its slowest node.
  double p99_updated_s = -1.0;
  int64_t last_updated_node = -1;  ///< the node (index) that ran it last; -1 if none
  double mean_updated_s = -1.0;
  double mean_chunk_ms = 0.0;     ///< request sent -> in-order data accepted, over all receivers
  double max_chunk_ms = 0.0;
  double mean_hops_to_sender = 0.0;
  uint64_t requests = 0;
  uint64_t retries = 0;
  uint64_t abandons = 0;
  std::vector<std::string> time_notes;  ///< where the time goes
  std::vector<StallGroup> stalls;       ///< empty when every receiver updated
  OtaAnalysis ota;
};

/// meshota's part of the analysis (empty for painlessMesh's protocol).
OtaAnalysis analyse_ota(const Scenario& sc, const FirmwareImage& image, const Topology& topo, const RunResult& r,
                        const RunAnalysis& base);

RunAnalysis analyse(const Scenario& sc, const FirmwareImage& image, const Topology& topo, const RunResult& r);

}  // namespace meshota::sim
