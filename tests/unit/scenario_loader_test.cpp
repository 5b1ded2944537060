// Scenario loading: every mistake a user can make in a scenario file must come
// back as one InputError naming the exact file:line:column and what to do; a
// valid file must come back with every value it wrote and every default it left out.

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "meshota/sim/scenario/input_error.hpp"
#include "meshota/sim/scenario/scenario.hpp"

using namespace meshota::sim;
namespace fs = std::filesystem;

namespace {

const std::string kData = MESHOTA_DATA_DIR;
/// The one key every scenario needs; the bad scenarios below add their mistake to it.
const std::string kFw = "firmware: {size_bytes: 100000}\n";

/// what() of the InputError that loading `yaml` throws, or "" when it loads.
std::string error_of(const std::string& yaml, const std::string& path = "bad.yaml") {
  try {
    parse_scenario(yaml, path);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

std::string load_error(const std::string& path) {
  try {
    load_scenario(path);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

/// A scratch folder removed at the end of the test.
struct TempDir {
  fs::path path =
      fs::temp_directory_path() / ("meshota-scenario-test-" + std::to_string(::getpid()));
  TempDir() {
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() { fs::remove_all(path); }
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(path / name, std::ios::binary) << text;
    return (path / name).string();
  }
};

/// One mistake: the text, where the error must point, and a phrase it must contain.
struct Mistake {
  const char* what;
  std::string yaml;
  std::string where;
  std::string phrase;
};

const std::vector<Mistake> kMistakes = {
    {"YAML syntax", "firmware: [size_bytes: 1000\n", "bad.yaml:2:1: ", "YAML syntax error"},
    {"indented second document", "  firmware: {size_bytes: 1}\n seed: 1\n",
     "bad.yaml:2:2: ", "a second YAML document"},
    {"top level is a list", "- firmware\n", "bad.yaml:1:1: ", "must be a mapping"},
    // yaml-cpp 0.7's LoadAll loops for ever on these; the loader must not.
    {"stray comma first", ", " + kFw, "bad.yaml:1:1: ", "stray ','"},
    {"stray comma after blank lines", "\n\n  ,", "bad.yaml:3:3: ", "stray ','"},
    {"stray comma after ---", kFw + "---\n,\n", "bad.yaml:3:1: ", "stray ','"},
    {"runaway nesting", std::string(1000, '['), "bad.yaml:1:1: ", "YAML nesting deeper than"},
    {"two documents", kFw + "---\nseed: 2\n", "bad.yaml:2:1: ", "a second YAML document"},
    {"misspelt key", kFw + "medium:\n  kind: tcp-tree\n  bandwith_kbps: 500\n",
     "bad.yaml:4:3: ", "unknown key 'bandwith_kbps' in medium; did you mean 'bandwidth_kbps'?"},
    {"key without its unit", kFw + "ota:\n  start: 5\n",
     "bad.yaml:3:3: ", "did you mean 'start_s'?"},
    {"duplicate key", kFw + "topology:\n  nodes: 10\n  nodes: 12\n",
     "bad.yaml:4:3: ", "duplicate key 'nodes' in topology (first given on line 3)"},
    {"text for a number", kFw + "medium:\n  kind: tcp-tree\n  bandwidth_kbps: fast\n",
     "bad.yaml:4:19: ", "medium.bandwidth_kbps must be a finite number (got 'fast')"},
    {"quoted number", kFw + "duration_s: \"60\"\n", "bad.yaml:2:13: ", "is quoted text"},
    {"list for a mapping", kFw + "topology: [1, 2]\n",
     "bad.yaml:2:11: ", "topology must be a mapping"},
    {"mapping for a number", kFw + "seed: {a: 1}\n",
     "bad.yaml:2:7: ", "seed must be a whole number, not a mapping"},
    {"negative count", kFw + "topology:\n  nodes: -5\n",
     "bad.yaml:3:10: ", "topology.nodes must not be negative"},
    {"fraction for a count", kFw + "ota:\n  chunk_bytes: 512.5\n",
     "bad.yaml:3:16: ", "ota.chunk_bytes must be a whole number (got '512.5')"},
    {"yes for a bool", kFw + "ota: {forced: yes}\n",
     "bad.yaml:2:15: ", "ota.forced must be true or false (got 'yes')"},
    {"value left out", kFw + "seed:\nname: x\n", "bad.yaml:2:1: ", "seed has no value"},
    {"enum typo", kFw + "topology: {kind: random_tree}\n",
     "bad.yaml:2:18: ", "did you mean 'random-tree'?"},
    {"node count at top level", kFw + "nodes: 50\n",
     "bad.yaml:2:8: ", "write 'topology: {nodes: 50}'"},
    {"no nodes", kFw + "topology: {nodes: 0}\n", "bad.yaml:2:19: ", "use 1 to 100000"},
    {"too many nodes", kFw + "topology: {nodes: 100001}\n", "bad.yaml:2:19: ", "use 1 to 100000"},
    {"grid disagrees with nodes",
     kFw + "topology:\n  kind: grid\n  rows: 3\n  cols: 4\n  nodes: 10\n",
     "bad.yaml:6:10: ", "rows x cols = 3 x 4 = 12"},
    {"grid with no rows", kFw + "topology:\n  kind: grid\n  rows: 0\n  cols: 4\n",
     "bad.yaml:4:9: ", "topology.rows must be at least 1"},
    {"grid key on a tree", kFw + "topology: {rows: 3}\n",
     "bad.yaml:2:18: ", "used only with 'kind: grid'"},
    {"radius too large", kFw + "topology: {kind: random-geometric, radius: 2}\n",
     "bad.yaml:2:44: ", "topology.radius must be in (0, 1.5]"},
    {"radius missing", kFw + "topology: {kind: random-geometric}\n",
     "bad.yaml:2:11: ", "topology is missing 'radius'"},
    {"root out of range", kFw + "topology: {nodes: 5, root: 5}\n",
     "bad.yaml:2:28: ", "numbered 0..4"},
    {"no children", kFw + "topology: {max_children: 0}\n",
     "bad.yaml:2:26: ", "max_children must be at least 1"},
    {"sender out of range", kFw + "ota: {sender: 10}\n",
     "bad.yaml:2:15: ", "ota.sender is 10 but the mesh has 10 node(s)"},
    {"chunk over the core limit", kFw + "ota: {chunk_bytes: 8193}\n",
     "bad.yaml:2:20: ", "must be 1 to 8192"},
    {"zero chunk", kFw + "ota: {chunk_bytes: 0}\n", "bad.yaml:2:20: ", "must be 1 to 8192"},
    {"no announces", kFw + "ota: {announce_count: 0}\n",
     "bad.yaml:2:23: ", "announce_count must be at least 1"},
    {"no requests", kFw + "ota: {request_attempts: 0}\n",
     "bad.yaml:2:25: ", "request_attempts must be at least 1"},
    {"start after the end", kFw + "duration_s: 100\nota: {start_s: 100}\n",
     "bad.yaml:3:16: ", "before duration_s"},
    {"zero duration", kFw + "duration_s: 0\n",
     "bad.yaml:2:13: ", "duration_s must be greater than 0"},
    {"infinite duration", kFw + "duration_s: .inf\n", "bad.yaml:2:13: ", "finite number"},
    {"medium without kind", kFw + "medium:\n  bandwidth_kbps: 300\n",
     "bad.yaml:3:3: ", "medium is missing 'kind'"},
    {"unknown medium", kFw + "medium: {kind: wifi}\n", "bad.yaml:2:16: ", "allowed: tcp-tree, radio"},
    {"radio without positions", kFw + "medium: {kind: radio}\n", "bad.yaml:1:1: ", "the radio needs them"},
    {"bandwidth on the radio", kFw + "topology: {kind: grid, nodes: 4}\nmedium: {kind: tcp-tree, channel: radio, bandwidth_kbps: 5}\n",
     "bad.yaml:3:", "bandwidth_kbps is used only with"},
    {"channel with raw radio", kFw + "topology: {kind: grid, nodes: 4}\nmedium: {kind: radio, channel: radio}\n",
     "bad.yaml:3:", "channel is used only with"},
    {"root center off the radio", kFw + "topology: {kind: grid, rows: 2, cols: 2, root: center}\n",
     "bad.yaml:2:48: ", "center needs positions"},
    {"zero bandwidth", kFw + "medium: {kind: tcp-tree, bandwidth_kbps: 0}\n",
     "bad.yaml:2:42: ", "bandwidth_kbps must be greater than 0"},
    {"negative latency", kFw + "medium: {kind: tcp-tree, latency_ms: -1}\n",
     "bad.yaml:2:38: ", "latency_ms must not be negative"},
    {"zero mss", kFw + "medium: {kind: tcp-tree, mss_bytes: 0}\n",
     "bad.yaml:2:37: ", "mss_bytes must be at least 1"},
    {"probability above 1", kFw + "medium:\n  kind: tcp-tree\n  loss: {model: bernoulli, p: 1.5}\n",
     "bad.yaml:4:31: ", "medium.loss.p is a probability and must be between 0 and 1"},
    {"negative probability",
     kFw + "medium:\n  kind: tcp-tree\n  loss:\n    model: gilbert-elliott\n"
           "    p_good_to_bad: -0.1\n    p_bad_to_good: 0.3\n    loss_bad: 0.5\n",
     "bad.yaml:6:20: ", "medium.loss.p_good_to_bad is a probability"},
    {"loss parameter of another model", kFw + "medium:\n  kind: tcp-tree\n  loss: {p: 0.1}\n",
     "bad.yaml:4:13: ", "used only with 'model: bernoulli'"},
    {"hardware case", kFw + "nodes: {hardware: esp32}\n",
     "bad.yaml:2:19: ", "did you mean 'ESP32'?"},
    {"page size not a power of two", kFw + "nodes: {page_size_bytes: 3000}\n",
     "bad.yaml:2:26: ", "must be a power of two"},
    {"slot not whole pages", kFw + "nodes: {slot_size_bytes: 5000}\n",
     "bad.yaml:2:26: ", "not a positive multiple of the 4096-byte page"},
    {"firmware missing", "seed: 1\n", "bad.yaml:1:1: ", "the scenario is missing 'firmware'"},
    {"firmware empty", "firmware:\nseed: 1\n",
     "bad.yaml:1:1: ", "firmware needs 'file: path/to/image.bin'"},
    {"firmware both ways", "firmware: {file: a.bin, size_bytes: 10}\n",
     "bad.yaml:1:37: ", "cannot be given together with firmware.file"},
    {"firmware larger than the slot", "firmware: {size_bytes: 1310721}\n",
     "bad.yaml:1:24: ", "larger than the 1310720-byte OTA slot"},
    {"fault after the end",
     kFw + "duration_s: 600\nfaults:\n  - {at_s: 601, kind: crash, node: 1}\n",
     "bad.yaml:4:12: ", "faults[0].at_s is 601 s, outside the run"},
    {"negative fault time", kFw + "faults:\n  - {at_s: -1, kind: crash, node: 1}\n",
     "bad.yaml:3:12: ", "outside the run"},
    {"fault on a missing node", kFw + "faults:\n  - {at_s: 5, kind: crash, node: 10}\n",
     "bad.yaml:3:34: ", "faults[0].node is 10"},
    {"link down to itself",
     kFw + "faults:\n  - {at_s: 5, kind: crash, node: 1}\n"
           "  - at_s: 10\n    kind: link-down\n    node: 2\n    peer: 2\n",
     "bad.yaml:7:11: ", "faults[1].peer is the same node as 'node'"},
    {"link down without a peer", kFw + "faults:\n  - {at_s: 5, kind: link-down, node: 1}\n",
     "bad.yaml:3:5: ", "faults[0] is missing 'peer'"},
    {"peer on a crash", kFw + "faults:\n  - {at_s: 5, kind: crash, node: 1, peer: 2}\n",
     "bad.yaml:3:43: ", "used only with 'kind: link-down'"},
    {"negative downtime",
     kFw + "faults:\n  - at_s: 10\n    kind: crash\n    node: 1\n    for_s: -1\n",
     "bad.yaml:6:12: ", "faults[0].for_s must not be negative"},
    {"unknown fault kind", kFw + "faults:\n  - {at_s: 5, kind: reboot, node: 1}\n",
     "bad.yaml:3:21: ", "allowed: crash, link-down"},
    {"faults not a list", kFw + "faults:\n  kind: crash\n",
     "bad.yaml:3:3: ", "faults must be a list"},
};

}  // namespace

TEST_CASE("every scenario mistake points at its line and column and says what to do",
          "[scenario]") {
  for (const Mistake& m : kMistakes) {
    INFO("mistake: " << m.what << "\n" << m.yaml);
    const std::string error = error_of(m.yaml);
    REQUIRE_FALSE(error.empty());
    CHECK_THAT(error, Catch::StartsWith(m.where));
    CHECK_THAT(error, Catch::Contains(m.phrase));
  }
}

TEST_CASE("an empty scenario is an error at its first line", "[scenario]") {
  CHECK_THAT(error_of(""), Catch::StartsWith("bad.yaml:1:1: the scenario is empty"));
  CHECK_THAT(error_of("# nothing yet\n"), Catch::StartsWith("bad.yaml:1:1: "));
}

TEST_CASE("InputError carries the place apart from the text", "[scenario]") {
  try {
    parse_scenario(kFw + "ota:\n  chunk_bytes: 0\n", "dir/x.yaml");
    FAIL("no error");
  } catch (const InputError& e) {
    CHECK(e.file() == "dir/x.yaml");
    CHECK(e.line() == 3);
    CHECK(e.column() == 16);
  }
}

TEST_CASE("files are found next to the scenario, and missing ones are reported", "[scenario]") {
  const TempDir dir;
  const std::string folder = dir.path.string();

  const std::string missing_fw =
      dir.write("missing_fw.yaml", "seed: 3\nfirmware: {file: nope.bin}\n");
  CHECK_THAT(load_error(missing_fw), Catch::StartsWith(missing_fw + ":2:18: firmware.file '" +
                                                       folder + "/nope.bin' not found"));

  const std::string missing_topo = dir.write(
      "missing_topo.yaml", kFw + "topology:\n  kind: edge-list\n  file: sub/../mesh.txt\n");
  CHECK_THAT(load_error(missing_topo), Catch::StartsWith(missing_topo + ":4:9: topology.file '" +
                                                         folder + "/mesh.txt' not found"));

  dir.write("empty.bin", "");
  const std::string empty = dir.write("empty.yaml", "firmware: {file: empty.bin}\n");
  CHECK_THAT(load_error(empty),
             Catch::StartsWith(empty + ":1:18: ") && Catch::Contains("is empty"));

  dir.write("fw.bin", std::string(5000, 'x'));
  const std::string good = dir.write("good.yaml", "firmware: {file: fw.bin}\n");
  const Scenario sc = load_scenario(good);
  CHECK(sc.firmware.file == folder + "/fw.bin");
  CHECK(sc.firmware.size_bytes == 5000);
  CHECK(sc.name == "good");
  CHECK(sc.path == good);

  CHECK_THAT(load_error(folder + "/absent.yaml"),
             Catch::StartsWith(folder + "/absent.yaml: cannot open the scenario file"));
}

TEST_CASE("a real image larger than the slot is refused", "[scenario]") {
  // v1.bin is 686032 bytes; 160 pages of 4096 make a 655360-byte slot.
  const std::string error =
      error_of("nodes: {slot_size_bytes: 655360}\nfirmware:\n  file: " + kData +
               "/firmware/v1.bin\n");
  CHECK_THAT(error,
             Catch::StartsWith("bad.yaml:3:9: firmware.file gives an image of 686032 bytes"));
}

TEST_CASE("an edge-list topology takes its node count from the file", "[scenario]") {
  const std::string path = kData + "/scenario.yaml";  // never read: anchors relative paths
  const std::string topo = "topology:\n  kind: edge-list\n  file: topologies/tree_500.txt\n";
  const Scenario sc = parse_scenario(kFw + topo + "  root: 499\n", path);
  CHECK(sc.topology.nodes == 500);
  CHECK(sc.topology.root == 499);
  CHECK(sc.topology.edge_list_path == kData + "/topologies/tree_500.txt");
  CHECK_THAT(
      error_of(kFw + topo + "  nodes: 400\n", path),
      Catch::StartsWith(path + ":5:10: topology.nodes is 400 but the edge-list file declares 500"));
}

TEST_CASE("a full scenario round-trips every value", "[scenario]") {
  const std::string path = kData + "/full.yaml";
  const std::string yaml = R"(# every key, none at its default
name: full-run
description: "every key: set"
seed: 0x2A
duration_s: 3600.5
stop_when_done: false
topology:
  kind: grid
  rows: 4
  cols: 5
  nodes: 20
  root: 7
medium:
  kind: tcp-tree
  bandwidth_kbps: 250.5
  latency_ms: 0
  queue_limit_frames: 64
  mss_bytes: 536
  rto_ms: 200
  node_timeout_s: 5
  reconnect_s: 3.5
  loss:
    model: gilbert-elliott
    p_good_to_bad: 0.01
    p_bad_to_good: 0
    loss_good: 0.001
    loss_bad: 1
firmware:
  file: firmware/v2.bin
nodes:
  hardware: ESP8266
  role: "gateway"
  slot_size_bytes: 1048576
  page_size_bytes: 8192
  cpu_us_per_kb: 900
  flash_erase_ms: 60
  flash_write_ms_per_kb: 3.5
  boot_s: 0.5
ota:
  protocol: painlessmesh
  sender: 19
  chunk_bytes: 8192
  broadcasted: true
  forced: TRUE
  compressed: True
  start_s: 0
  announce_interval_s: 10
  announce_count: 3
  request_interval_s: 2.5
  request_attempts: 4
  reboot_delay_s: 0
faults:
  - {at_s: 100, kind: crash, node: 3, for_s: 30}
  - at_s: 3600.5
    kind: link-down
    node: 2
    peer: 7
)";
  const Scenario sc = parse_scenario(yaml, path);
  CHECK(sc.path == path);
  CHECK(sc.name == "full-run");
  CHECK(sc.description == "every key: set");
  CHECK(sc.seed == 42);
  CHECK(sc.duration_s == 3600.5);
  CHECK_FALSE(sc.stop_when_done);

  CHECK(sc.topology.kind == TopologyKind::kGrid);
  CHECK(sc.topology.rows == 4);
  CHECK(sc.topology.cols == 5);
  CHECK(sc.topology.nodes == 20);
  CHECK(sc.topology.root == 7);
  CHECK(sc.topology.pos.line == 8);
  CHECK(sc.topology.pos.column == 3);

  const MediumSpec& m = sc.medium;
  CHECK(m.bandwidth_kbps == 250.5);
  CHECK(m.latency_ms == 0.0);
  CHECK(m.queue_limit_frames == 64);
  CHECK(m.mss_bytes == 536);
  CHECK(m.rto_ms == 200.0);
  CHECK(m.node_timeout_s == 5.0);
  CHECK(m.reconnect_s == 3.5);
  CHECK(m.loss.kind == LossKind::kGilbertElliott);
  CHECK(m.loss.p_good_to_bad == 0.01);
  CHECK(m.loss.p_bad_to_good == 0.0);  // a permanent bad state is allowed
  CHECK(m.loss.loss_good == 0.001);
  CHECK(m.loss.loss_bad == 1.0);

  CHECK(sc.firmware.file == kData + "/firmware/v2.bin");
  CHECK(sc.firmware.size_bytes == 686096);

  CHECK(sc.node.hardware == "ESP8266");
  CHECK(sc.node.role == "gateway");
  CHECK(sc.node.slot_size_bytes == 1048576);
  CHECK(sc.node.page_size_bytes == 8192);
  CHECK(sc.node.cpu_us_per_kb == 900.0);
  CHECK(sc.node.flash_erase_ms == 60.0);
  CHECK(sc.node.flash_write_ms_per_kb == 3.5);
  CHECK(sc.node.boot_s == 0.5);

  const OtaSpec& o = sc.ota;
  CHECK(o.protocol == "painlessmesh");
  CHECK(o.sender == 19);
  CHECK(o.chunk_bytes == 8192);
  CHECK(o.broadcasted);
  CHECK(o.forced);
  CHECK(o.compressed);
  CHECK(o.start_s == 0.0);
  CHECK(o.announce_interval_s == 10.0);
  CHECK(o.announce_count == 3);
  CHECK(o.request_interval_s == 2.5);
  CHECK(o.request_attempts == 4);
  CHECK(o.reboot_delay_s == 0.0);

  REQUIRE(sc.faults.size() == 2);
  CHECK(sc.faults[0].kind == FaultKind::kCrash);
  CHECK(sc.faults[0].at_s == 100.0);
  CHECK(sc.faults[0].node == 3);
  CHECK(sc.faults[0].for_s == 30.0);
  CHECK(sc.faults[0].pos.line == 53);
  CHECK(sc.faults[1].kind == FaultKind::kLinkDown);
  CHECK(sc.faults[1].at_s == 3600.5);
  CHECK(sc.faults[1].node == 2);
  CHECK(sc.faults[1].peer == 7);
  CHECK(sc.faults[1].for_s == 0.0);
  CHECK(sc.faults[1].pos.line == 54);
  CHECK(sc.faults[1].pos.column == 5);
}

TEST_CASE("keys left out keep their defaults", "[scenario]") {
  const Scenario sc = parse_scenario("firmware:\n  size_bytes: 700000\n", "runs/minimal.yaml");
  const Scenario def;
  CHECK(sc.name == "minimal");  // the file's stem
  CHECK(sc.description.empty());
  CHECK(sc.seed == def.seed);
  CHECK(sc.duration_s == def.duration_s);
  CHECK(sc.stop_when_done == def.stop_when_done);
  CHECK(sc.topology.kind == TopologyKind::kRandomTree);
  CHECK(sc.topology.nodes == def.topology.nodes);
  CHECK(sc.topology.max_children == 10);  // the ESP32's access-point limit, as nodes.hardware defaults to ESP32
  CHECK(sc.topology.root == 0);
  CHECK(sc.medium.bandwidth_kbps == def.medium.bandwidth_kbps);
  CHECK(sc.medium.mss_bytes == def.medium.mss_bytes);
  CHECK(sc.medium.node_timeout_s == def.medium.node_timeout_s);
  CHECK(sc.medium.loss.kind == LossKind::kNone);
  CHECK(sc.firmware.file.empty());
  CHECK(sc.firmware.size_bytes == 700000);
  CHECK(sc.firmware.seed == def.firmware.seed);
  CHECK(sc.node.hardware == "ESP32");
  CHECK(sc.node.role == def.node.role);
  CHECK(sc.node.slot_size_bytes == def.node.slot_size_bytes);
  CHECK(sc.ota.protocol == "painlessmesh");
  CHECK(sc.ota.chunk_bytes == 1024);
  // painlessMesh's own timers (ota.hpp): 60 announces 60 s apart, 10 requests 30 s apart.
  CHECK(sc.ota.announce_interval_s == 60.0);
  CHECK(sc.ota.announce_count == 60);
  CHECK(sc.ota.request_interval_s == 30.0);
  CHECK(sc.ota.request_attempts == 10);
  CHECK(sc.ota.reboot_delay_s == 2.0);
  CHECK(sc.faults.empty());

  // A section written with no value, or an empty fault list, also means "all defaults".
  const Scenario empty = parse_scenario("firmware: {size_bytes: 1}\nota:\nfaults: []\n", "e.yaml");
  CHECK(empty.ota.chunk_bytes == 1024);
  CHECK(empty.faults.empty());
}

TEST_CASE("other topology kinds load their own keys", "[scenario]") {
  const Scenario geo = parse_scenario(
      kFw + "topology: {kind: random-geometric, nodes: 300, radius: 0.12}\n", "g.yaml");
  CHECK(geo.topology.kind == TopologyKind::kRandomGeometric);
  CHECK(geo.topology.nodes == 300);
  CHECK(geo.topology.radius == 0.12);

  const Scenario grid =
      parse_scenario(kFw + "topology: {kind: grid, rows: 1, cols: 1}\n", "g.yaml");
  CHECK(grid.topology.nodes == 1);

  const Scenario tree = parse_scenario(kFw +
                                           "topology: {nodes: 100000, max_children: 10}\nmedium: "
                                           "{kind: tcp-tree, loss: {model: bernoulli, p: 0}}\n",
                                       "t.yaml");
  CHECK(tree.topology.nodes == 100000);
  CHECK(tree.topology.max_children == 10);
  CHECK(tree.medium.loss.kind == LossKind::kBernoulli);
  CHECK(tree.medium.loss.p == 0.0);

  const Scenario gen =
      parse_scenario("firmware: {size_bytes: 1310720, seed: 18446744073709551615}\n", "f.yaml");
  CHECK(gen.firmware.size_bytes == 1310720);
  CHECK(gen.firmware.seed == UINT64_MAX);
}

TEST_CASE("max_children defaults to the hardware's link limit") {
  const Scenario esp8266 =
      parse_scenario("firmware: {size_bytes: 1000}\nnodes: {hardware: ESP8266}\n", "runs/esp8266.yaml");
  CHECK(esp8266.topology.max_children == 4);
  const Scenario given = parse_scenario(
      "firmware: {size_bytes: 1000}\nnodes: {hardware: ESP8266}\ntopology: {kind: grid, rows: 3, cols: 3, max_children: 2}\n",
      "runs/grid.yaml");
  CHECK(given.topology.max_children == 2);
}
