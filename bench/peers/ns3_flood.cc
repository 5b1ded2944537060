// The "flood" benchmarks (shared/bench/flood.md, flood-radio.md) on ns-3, to
// run beside `meshota bench flood` on the same graph (make bench-peers,
// bench/README.md). Prints the same key=value line as meshota.
//
// tree:  PointToPoint links (1 Mbit/s, 2 ms, 100-packet DropTail queue, the
//        2-byte PPP header as the link header), a 10 % RateErrorModel at each
//        receiving device; no IP stack: flooding works on the devices.
// radio: 802.11b adhoc WifiNetDevices at 1 Mbit/s DSSS on a 50 m grid, a 55 m
//        RangePropagationLossModel, a 10 % post-reception error model,
//        broadcast rebroadcast after a uniform [0, 10 ms) jitter.
//
// Build: bench/peers/run.sh does it (g++ -O2 -std=c++17 with pkg-config's flags for ns3-core,
//        ns3-network, ns3-point-to-point, ns3-wifi, ns3-mobility, ns3-propagation)
// Usage: ns3_flood --medium=tree --topo=FILE --seed=N | --medium=radio --nodes=N --seed=N

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "ns3/core-module.h"
#include "ns3/mobility-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"
#include "ns3/propagation-module.h"
#include "ns3/wifi-module.h"

using namespace ns3;

namespace {

constexpr uint32_t kPayloadBytes = 1024;
constexpr uint32_t kPackets = 150;
constexpr uint16_t kProtocol = 0x0800;  // a protocol number PPP can carry; no IP stack listens

struct Counts {
  uint64_t deliveries = 0, duplicates = 0, tx_frames = 0, queue_drops = 0;
  double sum_lat_s = 0, max_lat_s = 0;
};

Counts g_counts;
std::vector<std::set<uint32_t>> g_seen;  // packets each node has
std::vector<std::vector<Ptr<NetDevice>>> g_devices;  // per node
double g_interval_s = 0.05;
double g_jitter_s = 0.0;
Ptr<UniformRandomVariable> g_jitter;

double origin_s(uint32_t packet) { return 1.0 + packet * g_interval_s; }

Ptr<Packet> make_packet(uint32_t packet) {
  uint8_t buf[kPayloadBytes] = {};
  std::memcpy(buf, &packet, sizeof packet);
  return Create<Packet>(buf, kPayloadBytes);
}

void send_on(Ptr<NetDevice> dev, uint32_t packet) {
  if (dev->Send(make_packet(packet), dev->GetBroadcast(), kProtocol)) ++g_counts.tx_frames;
  else ++g_counts.queue_drops;
}

/// Sends on every device of `node` except `except` (the one the packet came in on).
void flood(uint32_t node, uint32_t packet, Ptr<NetDevice> except) {
  for (Ptr<NetDevice> dev : g_devices[node])
    if (dev != except) send_on(dev, packet);
}

bool on_receive(Ptr<NetDevice> dev, Ptr<const Packet> p, uint16_t, const Address&) {
  uint32_t packet = 0;
  p->CopyData(reinterpret_cast<uint8_t*>(&packet), sizeof packet);
  const uint32_t node = dev->GetNode()->GetId();
  if (!g_seen[node].insert(packet).second) {
    ++g_counts.duplicates;
    return true;
  }
  ++g_counts.deliveries;
  const double lat = Simulator::Now().GetSeconds() - origin_s(packet);
  g_counts.sum_lat_s += lat;
  g_counts.max_lat_s = std::max(g_counts.max_lat_s, lat);
  if (g_jitter_s > 0)
    Simulator::Schedule(Seconds(g_jitter->GetValue(0, g_jitter_s)), &flood, node, packet, Ptr<NetDevice>());
  else
    flood(node, packet, dev);
  return true;
}

void originate(uint32_t packet) {
  g_seen[0].insert(packet);
  flood(0, packet, Ptr<NetDevice>());
}

uint32_t build_tree(NodeContainer& nodes, const std::string& path) {
  std::ifstream in(path);
  std::string hash, word;
  uint32_t n = 0, e = 0;
  in >> hash >> word >> n >> word >> e;
  nodes.Create(n);
  g_devices.assign(n, {});
  PointToPointHelper p2p;
  p2p.SetDeviceAttribute("DataRate", StringValue("1Mbps"));
  p2p.SetChannelAttribute("Delay", StringValue("2ms"));
  p2p.SetQueue("ns3::DropTailQueue<Packet>", "MaxSize", StringValue("100p"));
  uint32_t u = 0, v = 0, edges = 0;
  while (in >> u >> v) {
    NetDeviceContainer d = p2p.Install(nodes.Get(u), nodes.Get(v));
    for (uint32_t i = 0; i < 2; ++i) {
      Ptr<RateErrorModel> em = CreateObject<RateErrorModel>();
      em->SetAttribute("ErrorRate", DoubleValue(0.1));
      em->SetAttribute("ErrorUnit", StringValue("ERROR_UNIT_PACKET"));
      d.Get(i)->SetAttribute("ReceiveErrorModel", PointerValue(em));
    }
    g_devices[u].push_back(d.Get(0));
    g_devices[v].push_back(d.Get(1));
    ++edges;
  }
  return edges;
}

uint32_t build_radio(NodeContainer& nodes, uint32_t n) {
  nodes.Create(n);
  g_devices.assign(n, {});
  const auto cols = static_cast<uint32_t>(std::ceil(std::sqrt(static_cast<double>(n))));
  MobilityHelper mobility;
  mobility.SetPositionAllocator("ns3::GridPositionAllocator", "DeltaX", DoubleValue(50.0), "DeltaY",
                                DoubleValue(50.0), "GridWidth", UintegerValue(cols), "LayoutType",
                                StringValue("RowFirst"));
  mobility.Install(nodes);
  YansWifiChannelHelper channel;
  channel.SetPropagationDelay("ns3::ConstantSpeedPropagationDelayModel");
  channel.AddPropagationLoss("ns3::RangePropagationLossModel", "MaxRange", DoubleValue(55.0));
  YansWifiPhyHelper phy;
  phy.SetChannel(channel.Create());
  phy.Set("TxPowerStart", DoubleValue(16.0206));
  phy.Set("TxPowerEnd", DoubleValue(16.0206));
  WifiHelper wifi;
  wifi.SetStandard(WIFI_STANDARD_80211b);
  wifi.SetRemoteStationManager("ns3::ConstantRateWifiManager", "DataMode", StringValue("DsssRate1Mbps"),
                               "NonUnicastMode", StringValue("DsssRate1Mbps"));
  WifiMacHelper mac;
  mac.SetType("ns3::AdhocWifiMac");
  NetDeviceContainer d = wifi.Install(phy, mac, nodes);
  uint32_t edges = 0;
  for (uint32_t i = 0; i < n; ++i) {
    Ptr<RateErrorModel> em = CreateObject<RateErrorModel>();
    em->SetAttribute("ErrorRate", DoubleValue(0.1));
    em->SetAttribute("ErrorUnit", StringValue("ERROR_UNIT_PACKET"));
    DynamicCast<WifiNetDevice>(d.Get(i))->GetPhy()->SetPostReceptionErrorModel(em);
    g_devices[i].push_back(d.Get(i));
    edges += (i % cols + 1 < cols && i + 1 < n) + (i + cols < n);
  }
  g_interval_s = 0.2;
  g_jitter_s = 0.01;
  return edges;
}

double cpu_s() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

}  // namespace

int main(int argc, char** argv) {
  std::string medium = "tree", topo;
  uint32_t n = 100, seed = 1;
  CommandLine cmd;
  cmd.AddValue("medium", "tree or radio", medium);
  cmd.AddValue("topo", "edge list (tree)", topo);
  cmd.AddValue("nodes", "grid nodes (radio)", n);
  cmd.AddValue("seed", "seed", seed);
  cmd.Parse(argc, argv);
  RngSeedManager::SetSeed(seed);
  const auto setup_start = std::chrono::steady_clock::now();
  NodeContainer nodes;
  const uint32_t edges = medium == "radio" ? build_radio(nodes, n) : build_tree(nodes, topo);
  n = nodes.GetN();
  g_seen.assign(n, {});
  g_jitter = CreateObject<UniformRandomVariable>();
  for (const auto& devices : g_devices)
    for (Ptr<NetDevice> dev : devices) dev->SetReceiveCallback(MakeCallback(&on_receive));
  for (uint32_t k = 0; k < kPackets; ++k) Simulator::Schedule(Seconds(origin_s(k)), &originate, k);
  const double setup_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - setup_start).count();
  const auto run_start = std::chrono::steady_clock::now();
  const double cpu_start = cpu_s();
  Simulator::Run();
  const double run_cpu_s = cpu_s() - cpu_start;
  const double run_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - run_start).count();
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const Counts& c = g_counts;
  std::printf("nodes=%u edges=%u pkts=%u loss=0.1 deliveries=%llu delivery_ratio=%.6f duplicates=%llu "
              "tx_frames=%llu mean_lat_s=%.6f max_lat_s=%.6f sim_end_s=%.6f events=%llu setup_s=%.3f "
              "run_s=%.3f cpu_s=%.3f frames_per_cpu_s=%.0f max_rss_kb=%ld\n",
              n, edges, kPackets, static_cast<unsigned long long>(c.deliveries),
              static_cast<double>(c.deliveries) / ((n - 1.0) * kPackets), static_cast<unsigned long long>(c.duplicates),
              static_cast<unsigned long long>(c.tx_frames), c.deliveries ? c.sum_lat_s / c.deliveries : 0.0,
              c.max_lat_s, Simulator::Now().GetSeconds(), static_cast<unsigned long long>(Simulator::GetEventCount()),
              setup_s, run_s, run_cpu_s, run_cpu_s > 0 ? c.tx_frames / run_cpu_s : 0.0, usage.ru_maxrss);
  Simulator::Destroy();
  return 0;
}
