#pragma once
// What one run measured: per node, per message type, and overall. Plain data
// that reports (JSON, Markdown, CSV) and tests read.

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "meshota/core/ota/image_state.hpp"
#include "meshota/core/ota/ota_peer.hpp"
#include "meshota/core/pm/pm_ota_receiver.hpp"
#include "meshota/core/pm/pm_ota_sender.hpp"
#include "meshota/sim/engine/event_queue.hpp"
#include "meshota/sim/media/radio/radio_stats.hpp"
#include "meshota/sim/report/attack_result.hpp"
#include "meshota/core/boot/boot_record.hpp"
#include "meshota/sim/report/safety_result.hpp"
#include "meshota/sim/telemetry/telemetry_result.hpp"

namespace meshota::sim {

/// Traffic of one message type: application sends versus what the links carried.
struct TypeTraffic {
  uint64_t app_sends = 0;   ///< frames a node's core put in its Outbox
  uint64_t app_bytes = 0;
  uint64_t link_tx = 0;     ///< hop-by-hop transmissions, forwarding included
  uint64_t link_bytes = 0;
  uint64_t retransmissions = 0;  ///< TCP segments sent again after loss
  uint64_t lost = 0;        ///< frames that never arrived (link down, queue full, timeout)
};

/// Message types tracked separately; the rest count as "other".
enum class TrafficClass : uint8_t {
  kAnnounce, kDataRequest, kData,                        // painlessMesh's OTA
  kUser, kNodeSync, kTimeSync,                           // painlessMesh's application and own traffic
  kOtaAdvert, kOtaManifest, kOtaRequest, kOtaChunk,      // meshota (requests include repair NACKs)
  kTelemetry,                                            // meshota telemetry frames (docs/telemetry.md)
  kOther, kCount };

/// Everything measured about one node.
struct NodeResult {
  uint32_t index = 0;
  uint32_t id = 0;
  uint32_t depth = 0;
  uint32_t hops_to_sender = 0;
  bool is_root = false;
  bool is_sender = false;
  bool is_receiver = false;
  bool is_attacker = false;  ///< runs a hostile peer instead of the meshota stack (not a receiver)
  // Link-level counters, forwarding included.
  uint64_t frames_sent = 0;
  uint64_t bytes_sent = 0;
  uint64_t frames_received = 0;
  uint64_t bytes_received = 0;
  uint64_t frames_forwarded = 0;
  uint64_t app_frames_sent = 0;
  uint64_t app_bytes_sent = 0;
  uint64_t peak_queue_bytes = 0;
  uint64_t frames_dropped = 0;  ///< frames this node sent that were lost (no route, link closed, timed out)
  uint32_t reboots = 0;
  uint32_t crashes = 0;
  core::PmReceiverStats rx;  ///< summed over every boot of the node
  core::OtaPeerStats ota;    ///< meshota, summed over boots (milestones: the first)
  core::ImageStateStats image;
  uint32_t ota_ram_bytes = 0;      ///< meshota state RAM at its largest
  uint32_t staging_flash_bytes = 0;
  uint32_t pages_held = 0;         ///< meshota: pages it could serve at the end
  RadioNodeStats radio;            ///< on the radio: what its radio did (airtime, frames, losses)
  // State at the end of the run.
  uint32_t part_no = 0;
  uint32_t no_part = 0;
  bool updating = false;
  bool listening_without_timer = false;
  bool up = true;
  SimTime updated_at_ns = -1;  ///< first boot into the distributed image, -1 if never
  std::string boot_slot_sha256;
  bool updated = false;
  // Safe updates (meshota): trial boots and what came of them.
  uint32_t trial_boots = 0;       ///< boots into the new image on trial
  uint32_t reverts = 0;           ///< resets at which the bootloader went back to the previous image
  core::RevertReason last_revert = core::RevertReason::kNone;
  SimTime confirmed_at_ns = -1;   ///< the new image confirmed itself (its health check passed)
  bool exposed = false;           ///< it ran the new image at some point
  bool bricked = false;           ///< a bad image hung it for good
  uint32_t unbootable = 0;        ///< resets at which no slot could start (must stay 0)
};

/// The outcome of one simulated run.
struct RunResult {
  SimTime end_ns = 0;
  SimTime offer_ns = 0;
  uint64_t events = 0;
  bool stopped_when_done = false;
  uint32_t receivers = 0;
  uint32_t updated = 0;
  uint64_t link_drops = 0;       ///< connections closed after NODE_TIMEOUT of silence
  uint64_t outbox_overflows = 0; ///< frames the core could not queue (sizing bug if > 0)
  /// meshota on the radio: whole chunk frames the medium finished with, and those of them that gave
  /// no receiver a chunk it still lacked (lost where it was needed, or needed nowhere).
  uint64_t chunk_frames_ended = 0;
  uint64_t chunk_frames_new_to_none = 0;
  uint64_t chunk_frames_wanted_in_range = 0;  ///< of those, wanted by a node in range when they ended
  bool on_radio = false;         ///< the run shared one radio channel (NodeResult::radio is filled)
  uint64_t tcp_rto_retransmissions = 0;  ///< painlessMesh on the radio: TCP segments resent after an RTO
  uint64_t tcp_aborted = 0;              ///< painlessMesh on the radio: connections TCP gave up on
  std::vector<NodeResult> nodes;
  std::array<TypeTraffic, static_cast<size_t>(TrafficClass::kCount)> traffic{};
  core::PmSenderStats sender;
  size_t distinct_flash_pages = 0;
  // meshota: what was actually sent.
  uint64_t ota_transfer_bytes = 0;  ///< all page units (compressed when compression is on)
  uint32_t ota_pages = 0;
  uint32_t ota_chunk_bytes = 0;
  uint32_t ota_chunks = 0;          ///< chunk frames one full copy of the image takes
  TelemetryResult telemetry;        ///< empty unless the scenario has a telemetry section
  AttackResult attacks;             ///< empty unless the scenario has attackers
  bool signed_manifest = false;     ///< meshota: the manifest was signed and every node checked it
  SafetyResult safety;
};

const char* traffic_class_name(TrafficClass c);

}  // namespace meshota::sim
