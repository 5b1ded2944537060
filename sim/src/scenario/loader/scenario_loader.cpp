// Scenario files (docs/scenarios.md): YAML to a validated Scenario. Every check
// that can be made without running the simulation is made here, so a bad file
// fails in milliseconds with a file:line:column, not an hour into a run.

#include <yaml-cpp/yaml.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

#include "meshota/core/ota/manifest.hpp"
#include "meshota/core/ota/wire.hpp"
#include "meshota/core/pm/pm_ota_config.hpp"
#include "meshota/sim/scenario/edge_list.hpp"
#include "meshota/sim/scenario/input_error.hpp"
#include "meshota/sim/scenario/placement.hpp"
#include "meshota/sim/scenario/scenario.hpp"
#include "scenario_fields.hpp"
#include "scenario_radio.hpp"
#include "scenario_security.hpp"
#include "scenario_safety.hpp"
#include "scenario_telemetry.hpp"

namespace meshota::sim {
namespace {

namespace fs = std::filesystem;
using detail::number_text;
using detail::Section;

constexpr uint32_t kMaxNodes = 100000;
constexpr double kMaxRadius = 1.5;  // past sqrt(2) every pair in the unit square is linked

// Name lists are in enum order: read_choice's index is cast to the enum.
constexpr std::array<std::string_view, 5> kTopologyKinds = {"random-tree", "grid", "random-geometric",
                                                            "edge-list", "positions"};
constexpr std::array<std::string_view, 2> kFaultKinds = {"crash", "link-down"};
constexpr std::array<std::string_view, 2> kMediumKinds = {"tcp-tree", "radio"};
constexpr std::array<std::string_view, 2> kChannels = {"links", "radio"};
constexpr std::array<std::string_view, 2> kHardware = {"ESP32", "ESP8266"};
constexpr std::array<std::string_view, 2> kProtocols = {"painlessmesh", "meshota"};
constexpr std::array<std::string_view, 3> kStrategies = {"p2p", "broadcast", "unicast"};

// clang-format off
constexpr std::array<std::string_view, 16> kTopKeys = {
    "name", "description", "seed", "duration_s", "stop_when_done", "topology", "medium", "mesh",
    "firmware", "nodes", "ota", "faults", "telemetry", "safety", "rollout", "attackers"};
constexpr std::array<std::string_view, 12> kMeshKeys = {
    "node_sync", "node_sync_interval_s", "time_sync", "time_sync_fast_s", "time_sync_interval_s",
    "loop_period_ms", "sender_preset", "write_bytes_per_pass", "hello", "hello_min_s", "hello_max_s",
    "scan_interval_s"};
constexpr std::array<std::string_view, 2> kSenderPresets = {"always-serviced", "stock-example"};
constexpr std::array<std::string_view, 11> kTopologyKeys = {
    "kind", "nodes", "max_children", "rows", "cols", "radius", "file", "root", "spacing_m", "side_m",
    "mean_neighbours"};
constexpr std::array<std::string_view, 12> kMediumKeys = {
    "kind", "channel", "radio", "espnow_version", "bandwidth_kbps", "latency_ms", "queue_limit_frames",
    "mss_bytes", "rto_ms", "node_timeout_s", "reconnect_s", "loss"};
constexpr std::array<std::string_view, 6> kLossKeys = {
    "model", "p", "p_good_to_bad", "p_bad_to_good", "loss_good", "loss_bad"};
constexpr std::array<std::string_view, 3> kFirmwareKeys = {"file", "size_bytes", "seed"};
constexpr std::array<std::string_view, 12> kNodeKeys = {
    "hardware", "role", "slot_size_bytes", "page_size_bytes", "cpu_us_per_kb",
    "flash_erase_ms", "flash_write_ms_per_kb", "boot_s", "sha_us_per_kb", "inflate_us_per_kb",
    "frame_us_per_kb", "stage_size_bytes"};
constexpr std::array<std::string_view, 37> kOtaKeys = {
    "protocol", "sender", "chunk_bytes", "broadcasted", "forced", "compressed", "start_s",
    "announce_interval_s", "announce_count", "request_interval_s", "request_attempts",
    "reboot_delay_s", "strategy", "window_bits", "page_bytes", "receive_window_pages",
    "image_version", "trickle_imin_ms", "trickle_imax_s", "trickle_k", "request_jitter_ms",
    "request_timeout_ms", "serve_delay_ms", "push_chunk_gap_ms", "unicast_window_pages",
    "data_timeout_ms", "serve_jitter_ms", "serve_gap_ms", "security_counter", "device_security_counter",
    "signing", "serve_limit_per_s", "install_wait_max_s", "answer_timeout_ms", "piece_below", "piece_lossy_pages"};
constexpr std::array<std::string_view, 7> kPmOnlyKeys = {
    "broadcasted", "forced", "announce_interval_s", "announce_count", "request_interval_s",
    "request_attempts"};
constexpr std::array<std::string_view, 24> kMeshotaOnlyKeys = {
    "strategy", "window_bits", "page_bytes", "receive_window_pages", "image_version",
    "trickle_imin_ms", "trickle_imax_s", "trickle_k", "request_jitter_ms", "request_timeout_ms",
    "serve_delay_ms", "push_chunk_gap_ms", "unicast_window_pages", "data_timeout_ms", "serve_jitter_ms",
    "serve_gap_ms", "security_counter", "device_security_counter", "signing", "serve_limit_per_s",
    "install_wait_max_s", "answer_timeout_ms", "piece_below", "piece_lossy_pages"};
// clang-format on
constexpr std::array<std::string_view, 5> kFaultKeys = {"at_s", "kind", "node", "peer", "for_s"};

/// A real-valued field: read, then checked to be positive (or, if `zero_ok`, not negative).
template <class T>
struct Real {
  std::string_view key;
  double T::*field;
  bool zero_ok;
  const char* hint;  ///< what the value means, or painlessMesh's value
};

template <class T, size_t N>
void read_reals(const Section& s, T& out, const std::array<Real<T>, N>& fields) {
  for (const auto& [key, field, zero_ok, hint] : fields) {
    s.read(key, out.*field);
    s.check(zero_ok ? out.*field >= 0.0 : out.*field > 0.0, key,
            std::string(zero_ok ? "must not be negative" : "must be greater than 0") + " (got " +
                number_text(out.*field) + "); " + hint);
  }
}

constexpr std::array<Real<NodeSpec>, 7> kNodeCosts = {{
    {"cpu_us_per_kb", &NodeSpec::cpu_us_per_kb, true, "CPU time per KB received, e.g. 400"},
    {"sha_us_per_kb", &NodeSpec::sha_us_per_kb, true, "SHA-256 time per KB, e.g. 40"},
    {"inflate_us_per_kb", &NodeSpec::inflate_us_per_kb, true, "inflate time per KB produced, e.g. 150"},
    {"frame_us_per_kb", &NodeSpec::frame_us_per_kb, true, "binary frame handling per KB, e.g. 30"},
    {"flash_erase_ms", &NodeSpec::flash_erase_ms, true, "time to erase one page, e.g. 45"},
    {"flash_write_ms_per_kb", &NodeSpec::flash_write_ms_per_kb, true, "e.g. 2.8"},
    {"boot_s", &NodeSpec::boot_s, true, "time from restart to running, e.g. 1"},
}};
constexpr std::array<Real<MediumSpec>, 5> kMediumReals = {{
    {"bandwidth_kbps", &MediumSpec::bandwidth_kbps, false, "kbit/s per link direction, e.g. 1000"},
    {"latency_ms", &MediumSpec::latency_ms, true, "the one-way delay per hop, e.g. 5"},
    {"rto_ms", &MediumSpec::rto_ms, false, "the first retransmission timeout, e.g. 300"},
    {"node_timeout_s", &MediumSpec::node_timeout_s, false, "painlessMesh uses 10 (5 in 1.4.2)"},
    {"reconnect_s", &MediumSpec::reconnect_s, true, "time to re-join after a drop, e.g. 5"},
}};
constexpr std::array<Real<MeshSpec>, 7> kMeshReals = {{
    {"node_sync_interval_s", &MeshSpec::node_sync_interval_s, false, "painlessMesh uses 60 (TASK_MINUTE)"},
    {"time_sync_fast_s", &MeshSpec::time_sync_fast_s, false, "painlessMesh uses 10"},
    {"time_sync_interval_s", &MeshSpec::time_sync_interval_s, false, "e.g. 60"},
    {"loop_period_ms", &MeshSpec::loop_period_ms, true, "0 = mesh.update() called continuously"},
    {"hello_min_s", &MeshSpec::hello_min_s, false, "the basic example waits 1 to 5 s"},
    {"hello_max_s", &MeshSpec::hello_max_s, false, "the basic example waits 1 to 5 s"},
    {"scan_interval_s", &MeshSpec::scan_interval_s, false, "painlessMesh's SCAN_INTERVAL is 30"},
}};
constexpr std::array<Real<OtaSpec>, 13> kOtaTimers = {{
    {"announce_interval_s", &OtaSpec::announce_interval_s, false, "painlessMesh uses 60"},
    {"request_interval_s", &OtaSpec::request_interval_s, false, "painlessMesh uses 30"},
    {"reboot_delay_s", &OtaSpec::reboot_delay_s, true, "painlessMesh uses 2"},
    {"trickle_imin_ms", &OtaSpec::trickle_imin_ms, false, "RFC 6206's Imin, e.g. 50"},
    {"trickle_imax_s", &OtaSpec::trickle_imax_s, false, "RFC 6206's Imax, e.g. 60"},
    {"request_jitter_ms", &OtaSpec::request_jitter_ms, true, "random delay before a request, e.g. 10"},
    {"request_timeout_ms", &OtaSpec::request_timeout_ms, false, "ask again after this, e.g. 400"},
    {"serve_delay_ms", &OtaSpec::serve_delay_ms, true, "gather requests before answering, e.g. 4"},
    {"push_chunk_gap_ms", &OtaSpec::push_chunk_gap_ms, false, "broadcast pace per chunk, e.g. 40"},
    {"data_timeout_ms", &OtaSpec::data_timeout_ms, false, "ask again when an answer stops, e.g. 100"},
    {"answer_timeout_ms", &OtaSpec::answer_timeout_ms, false, "ask again when no answer starts, e.g. 150"},
    {"serve_jitter_ms", &OtaSpec::serve_jitter_ms, true, "random wait before a broadcast answer, e.g. 8"},
    {"serve_gap_ms", &OtaSpec::serve_gap_ms, true, "broadcast answer pace per chunk; 0 = one full frame's airtime"},
}};

std::string count_range(uint32_t nodes) {
  return "the mesh has " + std::to_string(nodes) + " node(s), numbered 0.." +
         std::to_string(nodes - 1);
}

void read_topology(const Section& top, Scenario& sc) {
  const Section s = top.child("topology", kTopologyKeys);
  TopologySpec& t = sc.topology;
  t.pos = s.pos();
  if (const int k = s.read_choice("kind", kTopologyKinds); k >= 0)
    t.kind = static_cast<TopologyKind>(k);
  const std::string kind(kTopologyKinds[static_cast<size_t>(t.kind)]);
  const bool radio = sc.medium.on_radio();
  const bool rgg = t.kind == TopologyKind::kRandomGeometric;
  s.only_when(t.kind == TopologyKind::kGrid, "rows", "kind: grid");
  s.only_when(t.kind == TopologyKind::kGrid, "cols", "kind: grid");
  s.only_when(rgg && !radio, "radius", "kind: random-geometric on links (on the radio, range decides)");
  s.only_when(t.kind == TopologyKind::kEdgeList || t.kind == TopologyKind::kPositions, "file",
              "kind: edge-list or kind: positions");
  s.only_when(radio && t.kind == TopologyKind::kGrid, "spacing_m", "kind: grid on the radio");
  s.only_when(radio && rgg, "side_m", "kind: random-geometric on the radio");
  s.only_when(radio && rgg, "mean_neighbours", "kind: random-geometric on the radio");
  if (radio && (t.kind == TopologyKind::kRandomTree || t.kind == TopologyKind::kEdgeList))
    s.fail("kind", "is " + kind + ", which has no positions; the radio needs them: use grid, random-geometric "
                   "or positions (a file of 'x y' metres)");
  if (!radio && t.kind == TopologyKind::kPositions)
    s.fail("kind", "is positions, which places nodes on the radio; add medium: {kind: tcp-tree, channel: radio} "
                   "or medium: {kind: radio}");
  s.read("spacing_m", t.spacing_m);
  s.check(t.spacing_m > 0, "spacing_m", "must be greater than 0 metres, e.g. 50 (flood-radio.md)");
  s.read("side_m", t.side_m);
  s.check(t.side_m >= 0, "side_m", "must not be negative (0 = sized from mean_neighbours)");
  s.read("mean_neighbours", t.mean_neighbours);
  s.check(t.mean_neighbours >= 1, "mean_neighbours", "must be at least 1, e.g. 8");
  s.read("nodes", t.nodes);
  t.max_children = 0;  // 0: the hardware's limit, filled in once nodes.hardware is known
  if (s.has("max_children")) {
    s.read("max_children", t.max_children);
    s.check(t.max_children >= 1, "max_children",
            "must be at least 1 (painlessMesh allows 4 links on ESP8266, 10 on ESP32)");
  }

  // The kinds whose node count comes from elsewhere must agree with `nodes` if given.
  uint32_t derived = 0;
  std::string derived_from;
  if (t.kind == TopologyKind::kGrid && radio && !s.has("rows") && !s.has("cols")) {
    s.require("nodes", "nodes: 100");  // flood-radio.md's layout: ceil(sqrt(nodes)) columns, row by row
  } else if (t.kind == TopologyKind::kGrid) {
    s.require("rows", "rows: 4");
    s.require("cols", "cols: 5");
    s.read("rows", t.rows);
    s.read("cols", t.cols);
    s.check(t.rows >= 1, "rows", "must be at least 1");
    s.check(t.cols >= 1, "cols", "must be at least 1");
    const uint64_t cells = uint64_t{t.rows} * t.cols;
    s.check(cells <= kMaxNodes, "rows",
            "x cols = " + std::to_string(cells) + " nodes, more than the " +
                std::to_string(kMaxNodes) + " allowed; use a smaller grid");
    derived = static_cast<uint32_t>(cells);
    derived_from = "rows x cols = " + std::to_string(t.rows) + " x " + std::to_string(t.cols) +
                   " = " + std::to_string(derived);
  } else if (t.kind == TopologyKind::kPositions) {
    s.require("file", "file: positions.txt");
    s.read_file_path("file", t.positions_path);
    derived = static_cast<uint32_t>(read_positions(t.positions_path).size());
    derived_from = "the positions file holds " + std::to_string(derived);
  } else if (rgg && !radio) {
    s.require("radius", "radius: 0.3");
    s.read("radius", t.radius);
    s.check(t.radius > 0.0 && t.radius <= kMaxRadius, "radius",
            "must be in (0, 1.5] (got " + number_text(t.radius) +
                "): it is the link range in a unit square, e.g. 0.3");
  } else if (t.kind == TopologyKind::kEdgeList) {
    s.require("file", "file: topologies/mesh.txt");
    s.read_file_path("file", t.edge_list_path);
    // Read it now: its own errors carry its own file:line, and the node count is needed
    // below to check root, sender and faults.
    derived = read_edge_list(t.edge_list_path).nodes;
    derived_from = "the edge-list file declares " + std::to_string(derived);
  }
  if (!derived_from.empty()) {
    s.check(!s.has("nodes") || t.nodes == derived, "nodes",
            "is " + std::to_string(t.nodes) + " but " + derived_from +
                "; remove 'nodes' or make the two agree");
    t.nodes = derived;
  }
  // Point at whatever set the count: `nodes` itself, or the grid or file it came from.
  std::string_view count_key = "nodes";
  if (!s.has("nodes") && t.kind == TopologyKind::kGrid) count_key = "rows";
  if (!s.has("nodes") && (t.kind == TopologyKind::kEdgeList || t.kind == TopologyKind::kPositions)) count_key = "file";
  s.check(t.nodes >= 1 && t.nodes <= kMaxNodes, count_key,
          "gives a " + kind + " mesh of " + std::to_string(t.nodes) + " nodes; use 1 to " +
              std::to_string(kMaxNodes));
  if (const YAML::Node r = s.value("root"); r.IsDefined() && r.IsScalar() && r.Scalar() == "center") {
    s.check(radio, "root", "center needs positions: use it on the radio");
    t.root_at_center = true;
    return;
  }
  s.read("root", t.root);
  s.check(t.root < t.nodes, "root",
          "is " + std::to_string(t.root) + " but " + count_range(t.nodes) + "; pick one of them");
}

void read_nodes(const Section& top, Scenario& sc) {
  // A top-level `nodes: 50` is a natural guess for the node count: point to the right key.
  if (const YAML::Node v = top.value("nodes"); v.IsDefined() && v.IsScalar())
    top.fail("nodes",
             "describes every node's hardware and costs (a mapping); the node count is "
             "topology.nodes: write 'topology: {nodes: " +
                 v.Scalar() + "}'");
  const Section s = top.child("nodes", kNodeKeys);
  NodeSpec& n = sc.node;
  if (s.read_choice("hardware", kHardware) >= 0) s.read("hardware", n.hardware);
  s.read("role", n.role);
  s.check(!n.role.empty(), "role",
          "must not be empty; painlessMesh matches it exactly, e.g. sensor");
  s.read("page_size_bytes", n.page_size_bytes);
  s.check(n.page_size_bytes > 0 && (n.page_size_bytes & (n.page_size_bytes - 1)) == 0,
          "page_size_bytes",
          "must be a power of two (got " + std::to_string(n.page_size_bytes) +
              "); ESP flash erases 4096-byte sectors");
  s.read("stage_size_bytes", n.stage_size_bytes);
  s.check(n.stage_size_bytes % n.page_size_bytes == 0, "stage_size_bytes",
          "must be whole pages of " + std::to_string(n.page_size_bytes) + " bytes");
  s.read("slot_size_bytes", n.slot_size_bytes);
  s.check(n.slot_size_bytes > 0 && n.slot_size_bytes % n.page_size_bytes == 0,
          s.has("slot_size_bytes") ? "slot_size_bytes" : "page_size_bytes",
          "gives a slot of " + std::to_string(n.slot_size_bytes) +
              " bytes, which is not a positive multiple of the " +
              std::to_string(n.page_size_bytes) + "-byte page; round the slot to whole pages");
  read_reals(s, n, kNodeCosts);
}

void read_firmware(const Section& top, Scenario& sc) {
  if (!top.has("firmware"))
    top.fail_at(top.mark("firmware"),
                "the scenario is missing 'firmware'; add 'firmware: {file: "
                "path/to/image.bin}' or 'firmware: {size_bytes: 700000}'");
  const Section s = top.child("firmware", kFirmwareKeys);
  FirmwareSpec& f = sc.firmware;
  if (s.has("file") && s.has("size_bytes"))
    s.fail("size_bytes",
           "cannot be given together with firmware.file; keep 'file' to send a real "
           "image or 'size_bytes' to generate one");
  if (!s.has("file") && !s.has("size_bytes"))
    s.fail_at(top.mark("firmware"),
              "firmware needs 'file: path/to/image.bin' (a real image) or 'size_bytes: N' (a "
              "generated one)");
  s.only_when(!s.has("file"), "seed", "size_bytes: N");
  std::string_view size_key = "size_bytes";
  if (s.has("file")) {
    size_key = "file";
    s.read_file_path("file", f.file);
    std::error_code ec;
    const uintmax_t size = fs::file_size(f.file, ec);
    s.check(!ec && size <= UINT32_MAX, "file", "'" + f.file + "': cannot read its size");
    f.size_bytes = static_cast<uint32_t>(size);
    s.check(f.size_bytes > 0, "file", "'" + f.file + "' is empty; point to a real image");
  } else {
    s.read("size_bytes", f.size_bytes);
    s.read("seed", f.seed);
    s.check(f.size_bytes > 0, "size_bytes", "must be at least 1, e.g. 700000");
  }
  s.check(f.size_bytes <= sc.node.slot_size_bytes, size_key,
          "gives an image of " + std::to_string(f.size_bytes) + " bytes, larger than the " +
              std::to_string(sc.node.slot_size_bytes) +
              "-byte OTA slot; use a smaller image or raise nodes.slot_size_bytes");
}

void read_medium(const Section& top, Scenario& sc) {
  if (!top.has("medium")) return;
  const Section s = top.child("medium", kMediumKeys);
  // Required so that scenarios keep their meaning once other media exist.
  s.require("kind", "kind: tcp-tree");
  MediumSpec& m = sc.medium;
  m.kind = static_cast<MediumKind>(s.read_choice("kind", kMediumKinds));
  const bool tcp = m.kind == MediumKind::kTcpTree;
  s.only_when(tcp, "channel", "kind: tcp-tree");
  if (const int c = s.read_choice("channel", kChannels); c >= 0) m.channel = static_cast<Channel>(c);
  const bool links = tcp && m.channel == Channel::kLinks;
  for (const std::string_view key : {"bandwidth_kbps", "latency_ms", "queue_limit_frames", "loss"})
    s.only_when(links, key, "kind: tcp-tree with channel: links (on the radio, medium.radio decides it)");
  for (const std::string_view key : {"mss_bytes", "rto_ms", "node_timeout_s", "reconnect_s"})
    s.only_when(tcp, key, "kind: tcp-tree (painlessMesh's TCP connections)");
  s.only_when(m.on_radio(), "radio", "kind: radio, or kind: tcp-tree with channel: radio");
  s.only_when(!tcp, "espnow_version", "kind: radio (raw ESP-NOW frames)");
  read_reals(s, m, kMediumReals);
  s.read("queue_limit_frames", m.queue_limit_frames);
  s.read("mss_bytes", m.mss_bytes);
  s.check(m.mss_bytes > 0, "mss_bytes", "must be at least 1; ESP-IDF's lwIP uses 1436");
  s.read("espnow_version", m.espnow_version);
  s.check(m.espnow_version == 1 || m.espnow_version == 2, "espnow_version",
          "must be 1 (250-byte payloads) or 2 (1470 bytes, ESP-IDF 5.4 and later)");
  detail::read_loss_fields(s.child("loss", kLossKeys), m.loss);
  if (m.on_radio()) detail::read_radio(s, m);
}

void read_mesh(const Section& top, Scenario& sc) {
  const Section s = top.child("mesh", kMeshKeys);
  MeshSpec& m = sc.mesh;
  s.read("node_sync", m.node_sync);
  s.read("time_sync", m.time_sync);
  s.read("hello", m.hello);
  for (const std::string_view key : {"node_sync_interval_s"}) s.only_when(m.node_sync, key, "node_sync: true");
  for (const std::string_view key : {"time_sync_fast_s", "time_sync_interval_s"})
    s.only_when(m.time_sync, key, "time_sync: true");
  for (const std::string_view key : {"hello_min_s", "hello_max_s"}) s.only_when(m.hello, key, "hello: true");
  read_reals(s, m, kMeshReals);
  s.check(m.hello_min_s <= m.hello_max_s, "hello_max_s",
          "must not be below hello_min_s (" + number_text(m.hello_min_s) + " s)");
  if (const int k = s.read_choice("sender_preset", kSenderPresets); k >= 0) m.sender = static_cast<SenderPreset>(k);
  s.read("write_bytes_per_pass", m.write_bytes_per_pass);
  s.check(m.write_bytes_per_pass >= 1, "write_bytes_per_pass",
          "must be at least 1; painlessMesh writes up to TCP_MSS - 1 = 1435 bytes per connection and pass");
}

void read_meshota(const Section& s, const MediumSpec& m, OtaSpec& o) {
  if (const int k = s.read_choice("strategy", kStrategies); k >= 0) o.strategy = static_cast<Strategy>(k);
  s.read("window_bits", o.window_bits);
  s.check(o.window_bits >= 9 && o.window_bits <= 15, "window_bits",
          "must be 9 to 15 (deflate's history is 2^window_bits bytes; 12 costs about 11 KB of RAM)");
  s.only_when(o.compressed, "window_bits", "compressed: true");
  s.read("page_bytes", o.page_bytes);
  s.check(o.page_bytes >= 256 && o.page_bytes <= 32768 && (o.page_bytes & (o.page_bytes - 1)) == 0, "page_bytes",
          "must be a power of two from 256 to 32768 (one 4096-byte flash sector by default)");
  s.read("receive_window_pages", o.receive_window_pages);
  s.check(o.receive_window_pages >= 1 && o.receive_window_pages <= 16, "receive_window_pages",
          "must be 1 to 16 (each costs a page of RAM)");
  s.read("image_version", o.image_version);
  s.check(o.image_version >= 2, "image_version", "must be at least 2: the nodes run version 1");
  s.read("trickle_k", o.trickle_k);
  s.check(o.trickle_k >= 1, "trickle_k", "must be at least 1 (RFC 6206's redundancy constant)");
  s.check(o.trickle_imin_ms <= o.trickle_imax_s * 1000.0, "trickle_imax_s", "must not be below trickle_imin_ms");
  s.read("piece_below", o.piece_below);
  s.check(o.piece_below >= 0.0 && o.piece_below <= 1.0, "piece_below",
          "must be 0 to 1: the share of the chunks asked that a round must bring, or the rest of the page comes in "
          "pieces (0: never; e.g. 0.5)");
  s.read("piece_lossy_pages", o.piece_lossy_pages);
  s.check(o.piece_lossy_pages <= 1000, "piece_lossy_pages",
          "must be 0 to 1000: pages in a row with a lossy round before a node asks for pieces (e.g. 2)");
  s.read("unicast_window_pages", o.unicast_window_pages);
  s.check(o.unicast_window_pages >= 1 && o.unicast_window_pages <= o.receive_window_pages, "unicast_window_pages",
          "must be 1 to receive_window_pages (pages requested ahead must fit the receive window)");
  // Chunks: a Chunk frame must fit an ESP-NOW v2 payload, and a page at most 64 chunks.
  const bool v1 = m.kind == MediumKind::kRadio && m.espnow_version == 1;
  const auto max_chunk = static_cast<uint32_t>(v1 ? core::wire::kMaxChunkPayloadV1 : core::wire::kMaxChunkPayloadV2);
  if (!s.has("chunk_bytes")) o.chunk_bytes = max_chunk;
  const uint32_t min_chunk = (o.page_bytes + core::kUnitMarginBytes + 63) / 64;
  s.check(o.chunk_bytes >= min_chunk && o.chunk_bytes <= max_chunk, "chunk_bytes",
          "must be " + std::to_string(min_chunk) + " to " + std::to_string(max_chunk) +
              " for meshota (a page is at most 64 chunks; a chunk fits an ESP-NOW v" + std::to_string(v1 ? 1 : 2) +
              " frame)");
}

void read_ota(const Section& top, Scenario& sc) {
  const Section s = top.child("ota", kOtaKeys);
  OtaSpec& o = sc.ota;
  if (s.read_choice("protocol", kProtocols) >= 0) s.read("protocol", o.protocol);
  s.check(o.meshota() || sc.medium.kind == MediumKind::kTcpTree, s.has("protocol") ? "protocol" : "sender",
          "painlessmesh runs over its TCP tree: use medium kind: tcp-tree (with channel: radio for the shared "
          "channel), or protocol: meshota for raw ESP-NOW frames");
  for (const std::string_view key : kPmOnlyKeys) s.only_when(!o.meshota(), key, "protocol: painlessmesh");
  for (const std::string_view key : kMeshotaOnlyKeys) s.only_when(o.meshota(), key, "protocol: meshota");
  const YAML::Node sender = s.value("sender");
  if (sender.IsDefined() && sender.IsScalar() && sender.Scalar() == "root") o.sender_is_root = true;
  else if (!sender.IsDefined() && sc.topology.root_at_center) o.sender_is_root = true;
  else s.read("sender", o.sender);
  if (o.sender_is_root) o.sender = sc.topology.root;  // a root at the centre is known once placed
  s.check(o.sender < sc.topology.nodes, "sender",
          "is " + std::to_string(o.sender) + " but " + count_range(sc.topology.nodes) +
              "; pick one of them");
  s.read("chunk_bytes", o.chunk_bytes);
  if (!o.meshota())
    s.check(o.chunk_bytes >= 1 && o.chunk_bytes <= core::kPmMaxChunkBytes, "chunk_bytes",
            "must be 1 to " + std::to_string(core::kPmMaxChunkBytes) + " (got " +
                std::to_string(o.chunk_bytes) + "); painlessMesh's examples use 1024");
  s.read("broadcasted", o.broadcasted);
  s.read("forced", o.forced);
  s.read("compressed", o.compressed);
  s.read("start_s", o.start_s);
  s.check(o.start_s >= 0.0 && o.start_s < sc.duration_s, "start_s",
          "must be at least 0 and before duration_s (" + number_text(sc.duration_s) +
              " s), or the update never starts");
  read_reals(s, o, kOtaTimers);
  s.read("announce_count", o.announce_count);
  s.check(o.announce_count >= 1, "announce_count",
          "must be at least 1, or the update is never offered; painlessMesh uses 60");
  s.read("request_attempts", o.request_attempts);
  s.check(o.request_attempts >= 1, "request_attempts",
          "must be at least 1, or no chunk is ever requested; painlessMesh uses 10");
  if (o.meshota()) {
    read_meshota(s, sc.medium, o);
    detail::read_signing(s, sc);
    s.check(!(o.strategy == Strategy::kUnicast && sc.medium.kind == MediumKind::kRadio), "strategy",
            "unicast fetches from the source end to end, which needs painlessMesh's routing; use medium kind: "
            "tcp-tree (channel: radio for the shared channel), or strategy p2p or broadcast on raw ESP-NOW");
    s.check(o.page_bytes % sc.node.page_size_bytes == 0, "page_bytes",
            "must be a multiple of nodes.page_size_bytes (" + std::to_string(sc.node.page_size_bytes) + ")");
  }
}

void read_faults(const Section& top, Scenario& sc) {
  const std::vector<YAML::Node> items = top.list("faults");
  for (size_t i = 0; i < items.size(); ++i) {
    // A bare '-' has no position of its own (yaml-cpp marks where it stopped): use the list's.
    if (items[i].IsNull())
      top.fail("faults", "item " + std::to_string(i) +
                             " is empty; write it as "
                             "'- {at_s: 60, kind: crash, node: 3, for_s: 10}'");
    const Section s(sc.path, items[i], "faults[" + std::to_string(i) + "]", kFaultKeys,
                    items[i].Mark());
    FaultSpec f;
    f.pos = s.pos();
    s.require("kind", "kind: crash");
    s.require("at_s", "at_s: 60");
    s.require("node", "node: 3");
    f.kind = static_cast<FaultKind>(s.read_choice("kind", kFaultKinds));
    const bool link = f.kind == FaultKind::kLinkDown;
    if (link) s.require("peer", "peer: 4");
    s.only_when(link, "peer", "kind: link-down");
    s.read("at_s", f.at_s);
    s.check(f.at_s >= 0.0 && f.at_s <= sc.duration_s, "at_s",
            "is " + number_text(f.at_s) + " s, outside the run [0, duration_s = " +
                number_text(sc.duration_s) + " s]; move it into the run");
    s.read("node", f.node);
    s.check(f.node < sc.topology.nodes, "node",
            "is " + std::to_string(f.node) + " but " + count_range(sc.topology.nodes));
    if (link) {
      s.read("peer", f.peer);
      s.check(f.peer < sc.topology.nodes, "peer",
              "is " + std::to_string(f.peer) + " but " + count_range(sc.topology.nodes));
      s.check(f.peer != f.node, "peer", "is the same node as 'node'; a link joins two nodes");
    }
    s.read("for_s", f.for_s);
    s.check(
        f.for_s >= 0.0, "for_s",
        "must not be negative (got " + number_text(f.for_s) + "); it is how long it stays down");
    sc.faults.push_back(f);
  }
}

}  // namespace

Scenario parse_scenario(const std::string& yaml_text, const std::string& path) {
  const YAML::Node root = detail::load_one_document(yaml_text, path);
  Scenario sc;
  sc.path = path;
  sc.name = fs::path(path).stem().string();
  const Section top(sc.path, root, "", kTopKeys, root.Mark());
  top.read("name", sc.name);
  top.check(!sc.name.empty(), "name", "must not be empty; it names the run in reports");
  top.read("description", sc.description);
  top.read("seed", sc.seed);
  top.read("duration_s", sc.duration_s);
  top.check(sc.duration_s > 0.0, "duration_s",
            "must be greater than 0 s (got " + number_text(sc.duration_s) + "), e.g. 7200");
  top.read("stop_when_done", sc.stop_when_done);
  // Order matters: the node count bounds ota.sender and faults; the slot bounds firmware.
  read_medium(top, sc);  // first: the medium decides which topology keys apply
  read_topology(top, sc);
  detail::check_radio_nodes(sc);
  read_nodes(top, sc);
  if (sc.topology.max_children == 0) sc.topology.max_children = sc.node.hardware == "ESP8266" ? 4 : 10;
  read_firmware(top, sc);
  read_mesh(top, sc);
  read_ota(top, sc);
  read_faults(top, sc);
  detail::read_attackers(top, sc);
  detail::read_telemetry(top, sc);
  detail::read_safety(top, sc);
  detail::read_rollout(top, sc);
  return sc;
}

Scenario load_scenario(const std::string& path) {
  std::error_code ec;
  if (fs::is_directory(path, ec))
    throw InputError(path, 0, 0, "is a folder, not a scenario file; name a .yaml file");
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw InputError(
        path, 0, 0,
        std::string("cannot open the scenario file: ") + std::strerror(errno) + "; check the path");
  std::ostringstream text;
  text << in.rdbuf();
  return parse_scenario(text.str(), path);
}

}  // namespace meshota::sim
