#include "meshota/sim/pm/pm_network.hpp"

#include <algorithm>
#include <cmath>

#include "meshota/sim/pm/pm_connection.hpp"
#include "meshota/sim/pm/pm_messages.hpp"

namespace meshota::sim {
namespace {
constexpr uint64_t kPassPhaseStream = 0x7068617365;  // "phase"
SimTime ns_of(double s) { return static_cast<SimTime>(std::llround(s * kNsPerS)); }
}  // namespace

PmNetwork::PmNetwork(EventQueue& queue, uint32_t first_handler, FramePool& frames, const Scenario& sc, MeshTree& tree,
                     std::vector<uint32_t> ids, JoinPolicy& join, RunResult& result, PmHost& host)
    : queue_(queue),
      first_handler_(first_handler),
      frames_(frames),
      sc_(sc),
      tree_(tree),
      ids_(std::move(ids)),
      join_(join),
      result_(result),
      host_(host),
      sides_(2 * size_t{tree.nodes()}),
      node_(tree.nodes()),
      open_(tree.nodes(), false),
      fault_until_(tree.nodes(), 0) {
  for (uint32_t v = 0; v < tree.nodes(); ++v) {
    NodeState& n = node_[v];
    n.rng = RngStream(stream_seed(sc.seed, kPassPhaseStream, v));
    const double period_ms = v == sc.ota.sender ? sc.mesh.sender_loop_period_ms() : sc.mesh.loop_period_ms;
    n.period_ns = static_cast<SimTime>(std::llround(period_ms * kNsPerMs));
    // Nodes boot at different moments, so their loops are out of phase.
    if (n.period_ns > 0) n.phase_ns = static_cast<SimTime>(n.rng.below(static_cast<uint64_t>(n.period_ns)));
  }
}

PmNetwork::~PmNetwork() = default;

PmNetwork::Side& PmNetwork::side(uint32_t node, uint32_t link) { return sides_[2 * size_t{link} + (node == link ? 0 : 1)]; }

SimTime PmNetwork::link_rtt_ns(uint32_t node, uint32_t link) const {
  return sides_[2 * size_t{link} + (node == link ? 0 : 1)].rtt_ns;
}

uint32_t PmNetwork::send_buffer_frames(uint32_t node) const {
  uint32_t n = 0;
  for_each_link(node, [&](uint32_t link) { n += static_cast<uint32_t>(sides_[2 * size_t{link} + (node == link ? 0 : 1)].send.size()); });
  return n;
}

uint32_t PmNetwork::peer(uint32_t node, uint32_t link) const { return node == link ? tree_.parent(link) : link; }

bool PmNetwork::serviced(uint32_t node) const { return node_[node].period_ns == 0; }

SimTime PmNetwork::pass_at(uint32_t node, SimTime t_ns) const {
  const NodeState& n = node_[node];
  if (n.period_ns == 0) return t_ns;
  const SimTime k = (t_ns - n.phase_ns + n.period_ns - 1) / n.period_ns;
  return n.phase_ns + std::max<SimTime>(k, 0) * n.period_ns;
}

void PmNetwork::start() {
  const SimTime now = queue_.now();
  for (uint32_t v = 0; v < tree_.nodes(); ++v)
    if (tree_.parent(v) != kNoNode) open_link(v);
  if (sc_.mesh.hello)
    for (uint32_t v = 0; v < tree_.nodes(); ++v) {
      NodeState& n = node_[v];
      n.hello_at = now + ns_of(sc_.mesh.hello_min_s + n.rng.uniform() * (sc_.mesh.hello_max_s - sc_.mesh.hello_min_s));
      wake(v, n.hello_at);
    }
}

void PmNetwork::dispatch(const Event& e) {
  switch (e.handler - first_handler_) {
    case kPass: on_pass(e.payload); break;
    case kRejoin:
      if (node_[e.payload].rejoin_at == queue_.now()) {
        node_[e.payload].rejoin_at = -1;
        try_rejoin(e.payload);
      }
      break;
  }
}

void PmNetwork::wake(uint32_t node, SimTime t_ns) {
  if (t_ns == kSimNever) return;
  const SimTime at = std::max(pass_at(node, t_ns), queue_.now());
  NodeState& n = node_[node];
  if (n.pass_event_at >= 0 && n.pass_event_at <= at) return;
  n.pass_event_at = at;
  queue_.push(at, first_handler_ + kPass, node);
}

void PmNetwork::on_pass(uint32_t node) {
  NodeState& n = node_[node];
  if (n.pass_event_at != queue_.now()) return;  // superseded by an earlier pass
  n.pass_event_at = -1;
  if (!host_.is_up(node)) return;
  const SimTime now = queue_.now();
  run_timers(node, now);
  // One TaskScheduler pass: per connection one message read, one piece written.
  bool more = false;
  for_each_link(node, [&](uint32_t link) {
    Side& s = side(node, link);
    if (!s.read.empty()) read_one(node, link, s, now);
    if (!serviced(node) && !s.send.empty()) write(node, link, s, now, true);
    more = more || !s.read.empty() || (!s.send.empty() && channel_->space(node, link) > 0);
  });
  if (more && !serviced(node)) wake(node, now + n.period_ns);
}

void PmNetwork::open_link(uint32_t link) {
  open_[link] = true;
  for (Side* s : {&sides_[2 * size_t{link}], &sides_[2 * size_t{link} + 1]}) *s = Side{};
  channel_->open(link);
  start_sync_timers(link, queue_.now());
}

void PmNetwork::close_link(uint32_t link, bool timed_out) {
  if (!open_[link]) return;
  open_[link] = false;
  if (timed_out) ++result_.link_drops;
  channel_->close(link);
  const uint32_t station = link, ap = tree_.parent(link);
  for (Side* s : {&sides_[2 * size_t{link}], &sides_[2 * size_t{link} + 1]}) {
    for (uint32_t f : s->send) {
      ++result_.traffic[static_cast<size_t>(frames_.frame(f).kind)].lost;
      frames_.release(f);
    }
    for (uint32_t f : s->read) frames_.release(f);
    *s = Side{};
  }
  tree_.detach(station);
  // Both ends tell the rest of their mesh (syncLayout); the station scans again.
  const SimTime now = queue_.now();
  if (host_.is_up(ap)) sync_layout(ap, kNoNode, now);
  if (host_.is_up(station)) {
    sync_layout(station, kNoNode, now);
    schedule_rejoin(station, now + ns_of(sc_.medium.reconnect_s));
  }
}

void PmNetwork::schedule_rejoin(uint32_t node, SimTime at_ns) {
  if (node == tree_.root()) return;
  NodeState& n = node_[node];
  at_ns = std::max(at_ns, fault_until_[node] > 0 ? fault_until_[node] + ns_of(sc_.medium.reconnect_s) : at_ns);
  if (n.rejoin_at >= 0 && n.rejoin_at <= at_ns) return;
  n.rejoin_at = at_ns;
  queue_.push(at_ns, first_handler_ + kRejoin, node);
}

void PmNetwork::try_rejoin(uint32_t node) {
  if (!host_.is_up(node) || tree_.parent(node) != kNoNode || node == tree_.root()) return;
  const SimTime now = queue_.now();
  if (fault_until_[node] > now) {
    schedule_rejoin(node, fault_until_[node]);
    return;
  }
  const uint32_t ap = join_.choose(tree_, node, up_view());
  if (ap == kNoNode) {
    schedule_rejoin(node, now + ns_of(sc_.mesh.scan_interval_s));
    return;
  }
  tree_.attach(node, ap);
  open_link(node);
}

const std::vector<bool>& PmNetwork::up_view() {
  up_.resize(tree_.nodes());
  for (uint32_t v = 0; v < tree_.nodes(); ++v) up_[v] = host_.is_up(v);
  return up_;
}

void PmNetwork::node_down(uint32_t node) {
  if (tree_.parent(node) != kNoNode) close_link(node, false);
  std::vector<uint32_t> kids;
  for (uint32_t c = tree_.first_child(node); c != kNoNode; c = tree_.next_sibling(c)) kids.push_back(c);
  for (uint32_t c : kids) close_link(c, false);
  for (uint32_t c : kids) tree_.detach(c);
  NodeState& n = node_[node];
  n.pass_event_at = -1;
  n.rejoin_at = -1;
}

void PmNetwork::node_up(uint32_t node) {
  const SimTime now = queue_.now();
  const SimTime join_at = now + ns_of(sc_.medium.reconnect_s);
  schedule_rejoin(node, join_at);
  // Stations that lost this access point scan again once it is back.
  for (uint32_t v = 0; v < tree_.nodes(); ++v)
    if (v != node && tree_.parent(v) == kNoNode && v != tree_.root() && host_.is_up(v)) schedule_rejoin(v, join_at);
  NodeState& n = node_[node];
  if (sc_.mesh.hello) {
    n.hello_at = now + ns_of(sc_.mesh.hello_min_s + n.rng.uniform() * (sc_.mesh.hello_max_s - sc_.mesh.hello_min_s));
    wake(node, n.hello_at);
  }
}

void PmNetwork::fault_link(uint32_t link, SimTime until_ns) {
  if (until_ns - queue_.now() < ns_of(sc_.medium.node_timeout_s)) {
    channel_->hold(link, until_ns);  // TCP rides out an outage shorter than NODE_TIMEOUT
    return;
  }
  fault_until_[link] = until_ns;
  if (open_[link]) {
    ++result_.link_drops;
    close_link(link, false);
  }
}

// --- data path ---

void PmNetwork::send(uint32_t node, uint32_t frame, SimTime at_ns) {
  const Frame& f = frames_.frame(frame);
  // BROADCAST floods the tree; NEIGHBOUR without a known dest reaches every direct neighbour only.
  if (f.routing == core::Routing::kBroadcast || (f.routing == core::Routing::kNeighbour && f.dest == kNoNode)) {
    for_each_link(node, [&](uint32_t link) { enqueue(node, link, frame, false, at_ns); });
    return;
  }
  if (f.routing == core::Routing::kNeighbour) {
    const uint32_t link = tree_.parent(node) == f.dest ? node : f.dest;
    if (f.dest != node && (tree_.parent(node) == f.dest || tree_.parent(f.dest) == node) && open_[link])
      enqueue(node, link, frame, false, at_ns);
    else {
      ++result_.traffic[static_cast<size_t>(f.kind)].lost;  // not a neighbour (any more)
      ++result_.nodes[node].frames_dropped;
    }
    return;
  }
  const uint32_t next = f.dest == kNoNode || f.dest == node ? kNoNode : tree_.next_hop(node, f.dest);
  if (next == kNoNode || !open_[next == tree_.parent(node) ? node : next]) {
    ++result_.traffic[static_cast<size_t>(f.kind)].lost;  // no route: painlessMesh drops it
    ++result_.nodes[node].frames_dropped;
    return;
  }
  enqueue(node, next == tree_.parent(node) ? node : next, frame, false, at_ns);
}

void PmNetwork::enqueue(uint32_t node, uint32_t link, uint32_t frame, bool priority, SimTime at_ns) {
  Side& s = side(node, link);
  frames_.hold(frame);
  // SentBuffer::push: a priority message goes first, but never ahead of a half-written one.
  if (!priority || s.send.empty()) s.send.push_back(frame);
  else if (s.head_written == 0) s.send.push_front(frame);
  else s.send.insert(s.send.begin() + 1, frame);
  if (serviced(node)) write(node, link, s, at_ns, false);
  else wake(node, queue_.now());
}

void PmNetwork::write(uint32_t node, uint32_t link, Side& s, SimTime at_ns, bool one_piece) {
  // Bounded: each round either finishes a message or stops (socket full, or one piece per pass).
  while (!s.send.empty()) {
    const uint64_t space = channel_->space(node, link);
    if (space == 0) break;
    const uint32_t head = s.send.front();
    Frame& f = frames_.frame(head);
    const auto size = static_cast<uint32_t>(f.bytes.size());
    uint64_t piece = std::min<uint64_t>(size - s.head_written, space);
    if (one_piece) piece = std::min<uint64_t>(piece, sc_.mesh.write_bytes_per_pass);
    const bool last = s.head_written + piece == size;
    channel_->write(node, link, head, static_cast<uint32_t>(piece), last, at_ns);
    s.head_written += static_cast<uint32_t>(piece);
    if (last) {
      TypeTraffic& t = result_.traffic[static_cast<size_t>(f.kind)];
      ++t.link_tx;
      t.link_bytes += size;
      NodeResult& r = result_.nodes[node];
      ++r.frames_sent;
      r.bytes_sent += size;
      s.send.pop_front();
      s.head_written = 0;
      frames_.release(head);
    }
    if (one_piece) break;
  }
}

void PmNetwork::on_writable(uint32_t node, uint32_t link) {
  if (!open_[link] || !host_.is_up(node)) return;
  Side& s = side(node, link);
  if (s.send.empty()) return;
  if (serviced(node)) write(node, link, s, queue_.now(), false);
  else wake(node, queue_.now());
}

void PmNetwork::on_broken(uint32_t link) { close_link(link, true); }

void PmNetwork::on_message(uint32_t node, uint32_t link, uint32_t frame) {
  if (!open_[link] || !host_.is_up(node)) {
    ++result_.traffic[static_cast<size_t>(frames_.frame(frame).kind)].lost;
    return;
  }
  NodeResult& r = result_.nodes[node];
  ++r.frames_received;
  r.bytes_received += frames_.frame(frame).bytes.size();
  Side& s = side(node, link);
  frames_.hold(frame);
  s.read.push_back(frame);
  if (!serviced(node)) {
    wake(node, queue_.now());
    return;
  }
  read_one(node, link, s, queue_.now());
}

void PmNetwork::read_one(uint32_t node, uint32_t link, Side& s, SimTime at_ns) {
  const uint32_t frame = s.read.front();
  s.read.pop_front();
  // painlessMesh parses every message it reads, whether to relay it, handle it, or both.
  const SimTime parsed = std::max(at_ns, host_.charge_cpu(node, frames_.frame(frame).bytes.size()));
  route(node, link, frame, parsed);
  frames_.release(frame);
}

void PmNetwork::route(uint32_t node, uint32_t came_on, uint32_t frame, SimTime at_ns) {
  const Frame& f = frames_.frame(frame);
  switch (f.kind) {
    case TrafficClass::kNodeSync:
      host_.mesh_synced(node);  // painlessMesh's onChangedConnections: the node is in the mesh
      handle_node_sync(node, came_on, frame, pm_message_type(f.bytes) == kPmNodeSyncReply, at_ns);
      return;
    case TrafficClass::kTimeSync: handle_time_sync(node, came_on, frame, at_ns); return;
    default: break;
  }
  NodeResult& r = result_.nodes[node];
  if (f.routing == core::Routing::kNeighbour) {
    host_.deliver(node, frame, at_ns);
    return;
  }
  if (f.routing == core::Routing::kBroadcast) {
    for_each_link(node, [&](uint32_t link) {
      if (link != came_on) enqueue(node, link, frame, false, at_ns);
    });
    if (tree_.child_count(node) + (tree_.parent(node) != kNoNode ? 1 : 0) > 1) ++r.frames_forwarded;
    host_.deliver(node, frame, at_ns);
    return;
  }
  if (f.dest == node) {
    host_.deliver(node, frame, at_ns);
    return;
  }
  ++r.frames_forwarded;
  send(node, frame, at_ns);
}

}  // namespace meshota::sim
