// RadioMedium's PHY: signals to neighbours, lock, SINR pieces, carrier sense.
//
// Each node tracks the summed power of every signal arriving at it (a count
// of active arrivals resets the sum to exactly 0, so float drift never
// accumulates). A locked frame's success is accumulated piece by piece: a
// piece closes whenever the interference at the receiver changes, adding
// bits x log(1 - BER(SINR)) at the rate of that part of the frame.

#include <algorithm>
#include <cmath>

#include "meshota/sim/media/radio/phy_rate.hpp"
#include "meshota/sim/media/radio/radio_medium.hpp"

namespace meshota::sim {

uint32_t RadioMedium::start_transmission(uint32_t node, const Transmission& proto, SimTime duration_ns,
                                         SimTime now) {
  PhyNode& p = phy_[node];
  RadioNodeStats& st = stats_[node];
  if (p.locked != kNone) {
    // Half duplex: transmitting abandons the frame being received.
    ++st.busy_drops;
    p.locked = kNone;
  }
  const auto order = table_.by_arrival(node);
  const auto count = static_cast<uint32_t>(order.size());
  Transmission t = proto;
  t.start_ns = now;
  t.end_ns = now + duration_ns;
  t.arrival_count = count;
  t.arrival_base = new_arrival_block(count);
  const uint32_t id = new_transmission(t);
  p.tx = id;
  st.tx_airtime_ns += duration_ns;
  uint32_t groups = 0;
  for (uint32_t k = 0; k < count; ++k) {
    arrivals_[t.arrival_base + k] = {id, order[k], 0, false};
    // Neighbours at the same arrival share one group: the same instant, in the same order.
    if (k == 0 || table_.link(order[k - 1]).arrival_ns != table_.link(order[k]).arrival_ns) ++groups;
  }
  // Sequence numbers as if each group's start and end were pushed now, in
  // arrival order: the first group's pair is queued, the others run as a chain.
  txs_[id].seq_base = queue_.scheduled();
  if (count > 0) {
    const SimTime delay = table_.link(order[0]).arrival_ns;
    queue_.push(now + delay, first_handler_ + kSignalStart, t.arrival_base);
    queue_.push(t.end_ns + delay, first_handler_ + kSignalEnd, t.arrival_base);
    queue_.reserve_seq(2 * uint64_t{groups - 1});
  }
  txs_[id].pending = groups + 1;
  queue_.push(t.end_ns, first_handler_ + kTxEnd, id);
  update_cca(node, now);
  return id;
}

uint32_t RadioMedium::group_end(uint32_t first) const {
  const Transmission& t = txs_[arrivals_[first].tx];
  const uint32_t end = t.arrival_base + t.arrival_count;
  const SimTime at = table_.link(arrivals_[first].link).arrival_ns;
  uint32_t a = first + 1;
  while (a < end && table_.link(arrivals_[a].link).arrival_ns == at) ++a;
  return a;
}

void RadioMedium::on_signal_start(uint32_t first_arrival, SimTime now) {
  for (;;) {
    const uint32_t end = group_end(first_arrival);
    for (uint32_t a = first_arrival; a < end; ++a) signal_start(a, now);
    Transmission& t = txs_[arrivals_[first_arrival].tx];
    if (end == t.arrival_base + t.arrival_count) return;
    const SimTime at = t.start_ns + table_.link(arrivals_[end].link).arrival_ns;
    if (!chain(end, at, t.seq_base + 2 * uint64_t{++t.start_group}, kSignalStart)) return;
    first_arrival = end;
    now = at;
  }
}

void RadioMedium::on_signal_end(uint32_t first_arrival, SimTime now) {
  for (;;) {
    const uint32_t tx = arrivals_[first_arrival].tx;
    const uint32_t end = group_end(first_arrival);
    for (uint32_t a = first_arrival; a < end; ++a) signal_end(a, now);
    Transmission& t = txs_[tx];
    if (end == t.arrival_base + t.arrival_count) {
      finish_pending(tx, now);
      return;
    }
    const SimTime at = t.end_ns + table_.link(arrivals_[end].link).arrival_ns;
    const uint64_t seq = t.seq_base + 2 * uint64_t{++t.end_group} + 1;
    finish_pending(tx, now);  // not the last group: the transmission stays
    if (!chain(end, at, seq, kSignalEnd)) return;
    first_arrival = end;
    now = at;
  }
}

bool RadioMedium::chain(uint32_t next_first, SimTime at_ns, uint64_t seq, Handler handler) {
  if (!queue_.runs_next(at_ns, seq)) {
    queue_.push_reserved(at_ns, seq, first_handler_ + handler, next_first);
    return false;
  }
  queue_.advance(at_ns);
  return true;
}

void RadioMedium::signal_start(uint32_t arrival, SimTime now) {
  ++receiver_visits_;
  Arrival& a = arrivals_[arrival];
  const RadioNeighbour& link = table_.link(a.link);
  const uint32_t node = link.node;
  PhyNode& p = phy_[node];
  if (!p.up) return;
  a.counted = true;
  a.epoch = p.epoch;
  if (p.locked != kNone) {
    close_piece(node, now);
    p.overlapped = true;
  }
  p.incident_mw += link.rx_mw;
  ++p.active;
  if (link.rx_dbm >= spec_.rx_sensitivity_dbm) {
    if (p.tx != kNone || p.locked != kNone) {
      ++stats_[node].busy_drops;
    } else {
      // Idle: lock onto the first decodable preamble, whatever the interference.
      p.locked = arrival;
      p.piece_start_ns = now;
      p.log_success = 0.0;
      p.overlapped = p.active > 1;
      ++stats_[node].rx_locked;
    }
  }
  update_cca(node, now);
}

void RadioMedium::signal_end(uint32_t arrival, SimTime now) {
  const Arrival a = arrivals_[arrival];
  const RadioNeighbour& link = table_.link(a.link);
  const uint32_t node = link.node;
  PhyNode& p = phy_[node];
  if (a.counted && p.up && a.epoch == p.epoch) {
    const bool was_locked = p.locked == arrival;
    if (p.locked != kNone) close_piece(node, now);
    p.incident_mw -= link.rx_mw;
    if (--p.active == 0) p.incident_mw = 0.0;
    bool intact = false;
    if (was_locked) {
      p.locked = kNone;
      intact = decide(node, a);
      // A frame received in error makes the MAC wait EIFS; a good one cancels it.
      mac_[node].eifs_next = intact ? false : (spec_.eifs || mac_[node].eifs_next);
    }
    update_cca(node, now);
    if (intact) handle_frame(node, a, now);
  }
}

void RadioMedium::on_tx_end(uint32_t tx, SimTime now) {
  const uint32_t sender = txs_[tx].sender;
  if (phy_[sender].tx == tx) {
    phy_[sender].tx = kNone;
    update_cca(sender, now);
    if (!txs_[tx].ack) mac_tx_done(sender, txs_[tx].dest, now);
  }
  finish_pending(tx, now);
}

void RadioMedium::finish_pending(uint32_t tx, SimTime now) {
  Transmission& t = txs_[tx];
  if (--t.pending > 0) return;
  const bool notify = !t.ack && !t.orphaned && t.dest == kRadioBroadcast;
  const uint32_t sender = t.sender, handle = t.handle;
  free_arrival_block(t.arrival_base, t.arrival_count);
  free_txs_.push_back(tx);
  if (notify) listener_.on_radio_done(sender, handle, true, now);
}

void RadioMedium::close_piece(uint32_t node, SimTime now) {
  PhyNode& p = phy_[node];
  if (now > p.piece_start_ns) {
    const Arrival& a = arrivals_[p.locked];
    const RadioNeighbour& link = table_.link(a.link);
    const Transmission& t = txs_[a.tx];
    const double interference_mw = std::max(0.0, p.incident_mw - link.rx_mw);
    const double sinr = link.rx_mw / (noise_mw_ + interference_mw);
    const SimTime frame_start = t.start_ns + link.arrival_ns;
    p.log_success += log_piece_success(t.rate, p.piece_start_ns - frame_start, now - frame_start, sinr);
  }
  p.piece_start_ns = now;
}

bool RadioMedium::decide(uint32_t node, const Arrival& a) {
  const PhyNode& p = phy_[node];
  RadioNodeStats& st = stats_[node];
  if (txs_[a.tx].orphaned) return false;
  LinkState& ls = link_state_[a.link];
  const bool destroyed = spec_.any_overlap_destroys && p.overlapped;
  if (destroyed || (p.log_success < 0.0 && ls.phy_rng.uniform() >= std::exp(p.log_success))) {
    ++st.collisions;
    return false;
  }
  if (ls.loss.lost()) {
    ++st.extra_losses;
    return false;
  }
  return true;
}

void RadioMedium::handle_frame(uint32_t node, const Arrival& a, SimTime now) {
  const Transmission& t = txs_[a.tx];
  if (t.ack) {
    if (t.dest == node) mac_ack_received(node, t.seq, now);
    return;
  }
  if (t.dest == kRadioBroadcast) {
    ++stats_[node].rx_frames;
    listener_.on_radio_receive(node, t.sender, t.handle, now);
    return;
  }
  if (t.dest != node) return;  // overheard unicast
  MacNode& m = mac_[node];
  m.ack_to = t.sender;
  m.ack_seq = t.seq;
  queue_.push(now + sifs_ns_, first_handler_ + kAckTx, node);
  LinkState& ls = link_state_[a.link];
  if (ls.last_seq == t.seq) {
    ++stats_[node].duplicates;  // our ACK was lost: ACK again, deliver once
    return;
  }
  ls.last_seq = t.seq;
  ++stats_[node].rx_frames;
  listener_.on_radio_receive(node, t.sender, t.handle, now);
}

void RadioMedium::update_cca(uint32_t node, SimTime now) {
  PhyNode& p = phy_[node];
  const bool busy = p.tx != kNone || p.locked != kNone || p.incident_mw >= cca_mw_;
  if (busy == p.cca_busy) return;
  p.cca_busy = busy;
  if (busy) {
    p.busy_since_ns = now;
    mac_on_busy(node, now);
  } else {
    stats_[node].busy_ns += now - p.busy_since_ns;
    mac_on_idle(node, now);
  }
}

}  // namespace meshota::sim
