// painlessMesh's mesh maintenance: node sync with its NODE_TIMEOUT, time sync,
// and the example's Hello broadcast (router.hpp, ntp.hpp, painlessMeshConnection.cpp).

#include <algorithm>
#include <cmath>

#include "meshota/sim/pm/pm_connection.hpp"
#include "meshota/sim/pm/pm_messages.hpp"
#include "meshota/sim/pm/pm_network.hpp"

namespace meshota::sim {
namespace {
SimTime ns_of(double s) { return static_cast<SimTime>(std::llround(s * kNsPerS)); }
constexpr SimTime kApDelayNs = 10 * kNsPerS;  // the AP's tasks start 10 s after the station's
}  // namespace

void PmNetwork::start_sync_timers(uint32_t link, SimTime now_ns) {
  Side& station = sides_[2 * size_t{link}];
  Side& ap = sides_[2 * size_t{link} + 1];
  if (sc_.mesh.node_sync) {
    station.node_sync_at = now_ns;
    ap.node_sync_at = now_ns + kApDelayNs;
  }
  if (sc_.mesh.time_sync) {
    station.time_sync_at = now_ns;
    ap.time_sync_at = now_ns + kApDelayNs;
  }
  wake(link, station.node_sync_at < station.time_sync_at ? station.node_sync_at : station.time_sync_at);
  wake(tree_.parent(link), ap.node_sync_at < ap.time_sync_at ? ap.node_sync_at : ap.time_sync_at);
}

void PmNetwork::run_timers(uint32_t node, SimTime now_ns) {
  SimTime next = kSimNever;
  std::vector<uint32_t> timed_out;
  for_each_link(node, [&](uint32_t link) {
    Side& s = side(node, link);
    if (s.timeout_at <= now_ns) {
      timed_out.push_back(link);
      return;
    }
    if (s.node_sync_at <= now_ns) {
      send_node_sync(node, link, false, now_ns);
      s.node_sync_at = now_ns + ns_of(sc_.mesh.node_sync_interval_s);
    }
    if (s.time_sync_at <= now_ns) {
      send_own(node, link, pm_time_sync(ids_[node], ids_[peer(node, link)], 1, static_cast<uint32_t>(now_ns / 1000), 0, 0),
               TrafficClass::kTimeSync, true, 1, now_ns);
      s.time_sync_sent_ns = now_ns;
      s.time_sync_at = now_ns + ns_of(s.time_synced ? sc_.mesh.time_sync_interval_s : sc_.mesh.time_sync_fast_s);
    }
    next = std::min({next, s.timeout_at, s.node_sync_at, s.time_sync_at});
  });
  // The link closes on the timer pass that finds it silent (timeOutTask).
  for (uint32_t link : timed_out) close_link(link, true);
  NodeState& n = node_[node];
  if (n.hello_at <= now_ns) {
    const uint32_t frame = own_frame(node, pm_hello(ids_[node]), TrafficClass::kUser, 0, core::Routing::kBroadcast);
    send(node, frame, now_ns);
    frames_.release(frame);
    n.hello_at = now_ns + ns_of(sc_.mesh.hello_min_s + n.rng.uniform() * (sc_.mesh.hello_max_s - sc_.mesh.hello_min_s));
  }
  wake(node, std::min(next, n.hello_at));
}

uint32_t PmNetwork::own_frame(uint32_t node, const std::string& text, TrafficClass kind, uint64_t meta,
                              core::Routing routing) {
  const uint32_t h = frames_.new_frame();
  Frame& f = frames_.frame(h);
  f.bytes.assign(text.begin(), text.end());
  f.routing = routing;
  f.dest = kNoNode;
  f.kind = kind;
  f.meta = meta;
  f.refs = 0;
  frames_.hold(h);
  TypeTraffic& t = result_.traffic[static_cast<size_t>(kind)];
  ++t.app_sends;
  t.app_bytes += f.bytes.size();
  NodeResult& r = result_.nodes[node];
  ++r.app_frames_sent;
  r.app_bytes_sent += f.bytes.size();
  return h;
}

void PmNetwork::send_own(uint32_t node, uint32_t link, const std::string& text, TrafficClass kind, bool priority,
                         uint64_t meta, SimTime at_ns) {
  const uint32_t h = own_frame(node, text, kind, meta, core::Routing::kNeighbour);
  frames_.frame(h).dest = peer(node, link);
  enqueue(node, link, h, priority, at_ns);
  frames_.release(h);
}

void PmNetwork::send_node_sync(uint32_t node, uint32_t link, bool reply, SimTime at_ns) {
  // The request waits behind queued data (no priority); the reply jumps the queue.
  send_own(node, link, pm_node_sync(tree_, ids_, tree_.root(), node, peer(node, link), reply),
           TrafficClass::kNodeSync, reply, tree_.version(), at_ns);
  if (!reply) {
    Side& s = side(node, link);
    s.timeout_at = at_ns + ns_of(sc_.medium.node_timeout_s);
    wake(node, s.timeout_at);
  }
}

void PmNetwork::sync_layout(uint32_t node, uint32_t except_link, SimTime at_ns) {
  if (!sc_.mesh.node_sync) return;
  node_[node].known_version = tree_.version();
  for_each_link(node, [&](uint32_t link) {
    if (link != except_link) send_node_sync(node, link, false, at_ns);
  });
}

void PmNetwork::handle_node_sync(uint32_t node, uint32_t link, uint32_t frame, bool reply, SimTime at_ns) {
  Side& s = side(node, link);
  const uint64_t version = frames_.frame(frame).meta;
  if (version > node_[node].known_version) {
    sync_layout(node, link, at_ns);  // the layout changed: tell the rest of the mesh
  } else {
    s.node_sync_at = at_ns + ns_of(sc_.mesh.node_sync_interval_s);  // nodeSyncTask.delay()
  }
  if (reply) s.timeout_at = kSimNever;  // timeOutTask.disable()
  else send_node_sync(node, link, true, at_ns);
  wake(node, std::min(s.node_sync_at, s.timeout_at));
}

void PmNetwork::handle_time_sync(uint32_t node, uint32_t link, uint32_t frame, SimTime at_ns) {
  Side& s = side(node, link);
  if (frames_.frame(frame).meta == 1) {
    const auto t = static_cast<uint32_t>(at_ns / 1000);
    send_own(node, link, pm_time_sync(ids_[node], ids_[peer(node, link)], 2, t, t, t), TrafficClass::kTimeSync, true,
             2, at_ns);
    return;
  }
  s.time_synced = true;
  if (s.time_sync_sent_ns >= 0) s.rtt_ns = at_ns - s.time_sync_sent_ns;  // painlessMesh's time-sync round trip
  s.time_sync_at = at_ns + ns_of(sc_.mesh.time_sync_interval_s);
  wake(node, s.time_sync_at);
}

}  // namespace meshota::sim
