#pragma once
// A scenario as loaded from YAML (docs/scenarios.md): the mesh, the links, the
// firmware, the nodes, the OTA protocol and the faults of one run. Plain data;
// every quantity carries its unit in its name. Defaults are the values a
// scenario gets when it leaves a key out.

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "meshota/sim/media/loss_spec.hpp"
#include "meshota/sim/media/radio/radio_spec.hpp"

namespace meshota::sim {

/// A place in the scenario file (1-based), kept for errors found after loading.
struct SourcePos {
  int line = 0;
  int column = 0;
};

/// How the mesh graph is generated (and, on the radio, where the nodes stand).
enum class TopologyKind { kRandomTree, kGrid, kRandomGeometric, kEdgeList, kPositions };

/// The mesh graph; painlessMesh runs on a spanning tree of it rooted at `root`.
struct TopologySpec {
  TopologyKind kind = TopologyKind::kRandomTree;
  uint32_t nodes = 10;
  uint32_t max_children = 0;   ///< links a node accepts; 0 = the hardware's (4 ESP8266, 10 ESP32)
  uint32_t rows = 0;           ///< grid
  uint32_t cols = 0;           ///< grid
  double radius = 0.0;         ///< random-geometric: link range, unit square side = 1
  std::string edge_list_path;  ///< edge-list: resolved against the scenario's folder
  uint32_t root = 0;
  bool root_at_center = false; ///< `root: center`: the node nearest the middle of the placement (radio)
  // Placement on the radio (metres).
  double spacing_m = 50.0;       ///< grid
  double side_m = 0.0;           ///< random-geometric: the square's side; 0 = from mean_neighbours
  double mean_neighbours = 8.0;  ///< random-geometric: size the square for this many nodes in range
  std::string positions_path;    ///< positions: "x y" metres per line, node ids in order
  SourcePos pos;
};


/// The medium: painlessMesh's TCP tree (over independent links or the shared radio), or raw radio frames.
enum class MediumKind { kTcpTree, kRadio };
/// What painlessMesh's TCP links run over.
enum class Channel { kLinks, kRadio };

/// Receiver-side loss on one directed radio link, replacing radio.loss there.
struct RadioLinkLoss {
  uint32_t from = 0;
  uint32_t to = 0;
  LossSpec loss;
  SourcePos pos;
};

/// The medium of a run: painlessMesh's transport (one TCP connection per tree link) or ESP-NOW frames.
struct MediumSpec {
  MediumKind kind = MediumKind::kTcpTree;
  Channel channel = Channel::kLinks;
  RadioSpec radio;                 ///< the shared channel, when the radio is used
  uint32_t espnow_version = 2;     ///< ESP-NOW payload limit: 250 bytes (v1) or 1470 (v2)
  std::vector<RadioLinkLoss> radio_link_loss;  ///< per directed link, over radio.rx_loss
  std::vector<SourcePos> radio_override_pos;   ///< where each radio.overrides item is (node ids checked late)
  bool on_radio() const { return kind == MediumKind::kRadio || channel == Channel::kRadio; }
  double bandwidth_kbps = 1000.0;  ///< per direction
  double latency_ms = 5.0;         ///< one way, per hop
  uint32_t queue_limit_frames = 0; ///< 0 = unbounded, as painlessMesh
  uint32_t mss_bytes = 1436;       ///< TCP segment payload; loss is drawn per segment
  double rto_ms = 300.0;           ///< first retransmission timeout; doubles per retry
  double node_timeout_s = 10.0;    ///< a link silent this long is dropped (NODE_TIMEOUT)
  double reconnect_s = 5.0;        ///< time to re-join after a drop or a reboot
  LossSpec loss;
};

/// The image to distribute: a file, or `size_bytes` generated from `seed`.
struct FirmwareSpec {
  std::string file;  ///< resolved against the scenario's folder; empty = generate
  uint32_t size_bytes = 0;
  uint64_t seed = 1;
};

/// What every node is, and the cost model of its CPU and flash.
struct NodeSpec {
  std::string hardware = "ESP32";
  std::string role = "sensor";
  uint32_t slot_size_bytes = 1310720;  ///< one OTA slot (app0/app1 of a 4 MB ESP32)
  uint32_t page_size_bytes = 4096;
  double cpu_us_per_kb = 400.0;        ///< JSON parse + base64 per KB of frame received
  double flash_erase_ms = 45.0;        ///< per page
  double flash_write_ms_per_kb = 2.8;
  double boot_s = 1.0;                 ///< from restart to running (then reconnect_s to re-join)
  double sha_us_per_kb = 40.0;         ///< SHA-256 (ESP32 hardware accelerator, about 25 MB/s)
  double inflate_us_per_kb = 150.0;    ///< inflate, per KB produced (about 7 MB/s)
  double frame_us_per_kb = 30.0;       ///< handling a binary (ESP-NOW) frame, per KB
  uint32_t stage_size_bytes = 1048576; ///< meshota's staging area for the units it holds and serves
};

/// meshota's way of spreading an image (docs/ota-protocol.md).
enum class Strategy { kP2p, kBroadcast, kUnicast };

/// How the distributing node signs its manifest and which key every node trusts (docs/signing.md).
struct SigningSpec {
  bool enabled = true;                 ///< false: unsigned manifests, nodes trust any (no key)
  std::array<uint8_t, 32> seed{1};     ///< Ed25519 seed (key_seed: a number N is N little-endian, or 64 hex digits)
  std::string secret_key;              ///< a key file (absolute once loaded); when set, used instead of the seed
};

/// Which OTA protocol runs and how; timers default to painlessMesh's values (and meshota's documented ones).
struct OtaSpec {
  std::string protocol = "painlessmesh";  ///< painlessmesh | meshota
  uint32_t sender = 0;  ///< node index of the distributing node
  bool sender_is_root = false;  ///< `sender: root` (the default with `root: center`): set once the tree is known
  uint32_t chunk_bytes = 1024;
  bool broadcasted = false;
  bool forced = false;
  bool compressed = false;
  double start_s = 1.0;  ///< when the sender calls offerOTA
  double announce_interval_s = 60.0;
  uint32_t announce_count = 60;
  double request_interval_s = 30.0;
  uint32_t request_attempts = 10;
  double reboot_delay_s = 2.0;
  // meshota only
  Strategy strategy = Strategy::kP2p;
  uint32_t window_bits = 12;           ///< deflate history 2^window_bits bytes (with compressed: true)
  uint32_t page_bytes = 4096;          ///< a manifest page: one flash sector
  uint32_t receive_window_pages = 2;   ///< pages a node assembles at once
  uint32_t image_version = 2;          ///< the offered image's version (nodes run version 1)
  double trickle_imin_ms = 50.0;
  double trickle_imax_s = 60.0;
  uint32_t trickle_k = 1;
  double request_jitter_ms = 10.0;
  double request_timeout_ms = 400.0;
  double serve_delay_ms = 4.0;
  double data_timeout_ms = 100.0;      ///< an answer's chunks stopped for this long: ask again
  double answer_timeout_ms = 150.0;    ///< p2p: no chunk of the answer this long after a page request
  double serve_jitter_ms = 8.0;        ///< random extra wait before a broadcast answer starts
  double serve_gap_ms = 0.0;           ///< broadcast answer pace per chunk; 0: one full chunk frame's airtime
  double piece_below = 0.5;            ///< p2p: a round that brought less of the chunks asked: the page in pieces
  uint32_t piece_lossy_pages = 2;      ///< ... once that many pages in a row before it had such a round
  double push_chunk_gap_ms = 40.0;     ///< broadcast: the source's pace, per chunk (a tree relay forwards each
                                       ///< chunk to all its children: 20 ms overran 1 Mbit/s links)
  uint32_t unicast_window_pages = 2;   ///< unicast: pages requested ahead
  uint32_t security_counter = 0;       ///< the offered image's anti-rollback counter
  uint32_t device_security_counter = 0;  ///< every node's anti-rollback counter at the start
  SigningSpec signing;
  uint32_t serve_limit_per_s = 0;      ///< page requests served per requester per second; 0: no limit
  double install_wait_max_s = 0.0;     ///< longest wait for quiet before installing a written image; 0: no limit
  bool meshota() const { return protocol == "meshota"; }
};

/// Named loop timings of the distributing node (reference/painlessmesh.md, "Scheduler passes").
enum class SenderPreset {
  kAlwaysServiced,  ///< mesh.update() called continuously: limited by the link, not the loop
  kStockExample,    ///< the stock sender example: mesh.update(); delay(1000);
};

/// painlessMesh's own traffic and scheduling around the OTA protocol; defaults are its source's.
struct MeshSpec {
  bool node_sync = true;               ///< NODE_SYNC_REQUEST/REPLY on every link, with NODE_TIMEOUT
  double node_sync_interval_s = 60.0;  ///< nodeSyncTask: TASK_MINUTE
  bool time_sync = true;               ///< TIME_SYNC exchanges on every link
  double time_sync_fast_s = 10.0;      ///< until a link's first exchange completes
  double time_sync_interval_s = 60.0;  ///< afterwards
  double loop_period_ms = 0.0;         ///< every node but the sender: 0 = always serviced
  SenderPreset sender = SenderPreset::kAlwaysServiced;
  uint32_t write_bytes_per_pass = 1435;  ///< TCP_MSS - 1 per connection and pass
  bool hello = false;                  ///< the basic example's "Hello" broadcast from every node
  double hello_min_s = 1.0;
  double hello_max_s = 5.0;
  double scan_interval_s = 30.0;       ///< SCAN_INTERVAL: a station without an AP scans again after this

  /// The loop period of the distributing node, in milliseconds (0 = always serviced).
  double sender_loop_period_ms() const { return sender == SenderPreset::kStockExample ? 1000.0 : loop_period_ms; }
};

/// A fault injected at a time.
enum class FaultKind { kCrash, kLinkDown };

/// One fault: a node crash (down for `for_s`) or a link down between `node` and `peer`.
struct FaultSpec {
  FaultKind kind = FaultKind::kCrash;
  double at_s = 0.0;
  uint32_t node = 0;
  uint32_t peer = 0;
  double for_s = 0.0;
  SourcePos pos;
};

/// What a hostile node does (docs/security.md).
enum class AttackKind { kPoisonPages, kForgedManifest, kReplayedManifest, kLyingAdverts, kRequestFlood };

/// One hostile node: it runs the attack instead of the meshota stack.
struct AttackerSpec {
  AttackKind kind = AttackKind::kPoisonPages;
  uint32_t node = 0;
  double rate_per_s = 50.0;  ///< request-flood: requests per second; poison-pages: chunks pushed unasked per second
  SourcePos pos;
};

/// What telemetry sends (docs/telemetry.md): 2C deltas, or the 2A package as JSON or binary.
enum class TelemetryFormat { kDelta, kEnhancedJson, kEnhancedBinary };
/// Which fields a node's MetricsSource fills: the 2A package's, or everything it measures.
enum class TelemetryFields { kStatus2A, kFull };
/// An event injected into a node's life for the root's detectors to catch.
enum class TelemetryEventKind { kLeak, kSilent, kLinkDegrade, kBootLoop };

/// One injected event (telemetry.events).
struct TelemetryEvent {
  TelemetryEventKind kind = TelemetryEventKind::kLeak;
  uint32_t node = 0;
  double at_s = 0.0;
  double for_s = 0.0;             ///< silent: down this long (0 = for the rest of the run)
  double bytes_per_s = 0.0;       ///< leak: heap lost per second of uptime
  double loss = 0.0;              ///< link-degrade: segment loss on the node's parent link from at_s
  double period_s = 10.0;         ///< boot-loop: seconds between resets
  uint32_t boots = 12;            ///< boot-loop: resets before the node runs normally again
  SourcePos pos;
};

/// Telemetry on every node and the collector at the root (absent: no telemetry runs).
struct TelemetrySpec {
  bool enabled = false;
  double interval_s = 30.0;             ///< report interval
  uint32_t snapshot_every = 720;        ///< full snapshot every N reports (0: only on request); core default
  TelemetryFormat format = TelemetryFormat::kDelta;
  TelemetryFields fields = TelemetryFields::kFull;
  uint32_t heap_bytes = 180000;         ///< heap model: free heap after boot, before connections and queues
  uint32_t heap_jitter_bytes = 400;     ///< heap model: allocator noise, uniform +- this per sample
  uint32_t connection_heap_bytes = 1500;  ///< heap model: per open painlessMesh connection
  double dead_link_keep_s = 120.0;      ///< a closed link stays listed as dead this long
  // Detectors (core DetectorConfig); hysteresis applies to every EWMA and Holt detector.
  uint32_t raise_after = 3;
  uint32_t clear_after = 3;
  double z_threshold = 4.0;
  double loss_sigma_floor_pct = 5.0;    ///< parent-link loss detector's sigma floor
  double leak_threshold_bytes = 10240.0;
  double leak_horizon_s = 3600.0;
  uint32_t boot_loop_boots = 10;
  double boot_loop_window_s = 60.0;
  double offline_floor_s = 10.0;
  double offline_grace_s = 5.0;
  uint32_t offline_missed = 1;
  // Status service (2B) aggregations the root runs over the whole mesh.
  double status_every_s = 300.0;        ///< 0: none
  double status_timeout_s = 10.0;
  std::vector<TelemetryEvent> events;
  SourcePos pos;
};

/// One simulated run, as described by a scenario file.
/// What a bad image does once it runs (issue 9: the firmware a rollout must catch).
enum class BadImage { kNone, kCrashLoop, kFailsHealth, kBricks };

/// meshota's trial boots and the image's behaviour (`safety:`; docs/scenarios.md, "Safe updates").
struct SafetySpec {
  double confirm_after_s = 30.0;   ///< a trial image confirms once up this long, rejoined and healthy
  double give_up_after_s = 180.0;  ///< still not healthy then: it fails and the previous image boots
  bool require_mesh = true;        ///< "rejoined": a frame from the mesh heard since the boot
  uint32_t max_trial_boots = 1;    ///< resets allowed on trial before the bootloader reverts (ESP-IDF: 1)
  BadImage bad_image = BadImage::kNone;
  double bad_after_s = 5.0;        ///< crash-loop: each boot of it crashes this long after; bricks: it hangs
                                   ///< for good this long after booting
};

/// Progressive rollout driven by the distributing node (`rollout:`; docs/scenarios.md).
struct RolloutSpec {
  bool enabled = false;
  std::vector<double> waves_percent = {5, 25, 100};  ///< cumulative share of the fleet after each wave
  std::vector<uint32_t> waves_nodes;  ///< or by count: cumulative nodes after each wave but the last (the rest)
  double soak_s = 60.0;
  double wave_timeout_s = 900.0;
  double success_percent = 95.0;   ///< confirmed share of a wave needed to go on
  double error_percent = 20.0;     ///< failed share of the executed nodes that aborts
  uint32_t min_executed = 1;
  double offline_fail_s = 120.0;   ///< a granted node offline this long counts as failed
  bool approve_each_wave = false;
  double window_period_s = 0.0;    ///< maintenance window on a clock of this period (0: always open)
  double window_start_s = 0.0;
  double window_end_s = 0.0;
  /// Operator commands: (at_s, pause | resume | approve | abort).
  std::vector<std::pair<double, std::string>> commands;
};

struct Scenario {
  std::string path;  ///< the file it came from
  std::string name;
  std::string description;
  uint64_t seed = 1;
  double duration_s = 7200.0;  ///< virtual time limit
  bool stop_when_done = true;  ///< end once every receiver has booted the image
  TopologySpec topology;
  MediumSpec medium;
  MeshSpec mesh;
  FirmwareSpec firmware;
  NodeSpec node;
  OtaSpec ota;
  std::vector<FaultSpec> faults;
  std::vector<AttackerSpec> attackers;
  TelemetrySpec telemetry;
  SafetySpec safety;
  RolloutSpec rollout;
};

/// Reads and validates a scenario file; throws InputError (file:line:column: what, what to do).
Scenario load_scenario(const std::string& path);

/// Same, from text; `path` names the file in errors and anchors relative paths.
Scenario parse_scenario(const std::string& yaml_text, const std::string& path);

}  // namespace meshota::sim
