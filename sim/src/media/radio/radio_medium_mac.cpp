// RadioMedium's DCF MAC: DIFS (or EIFS), a backoff drawn for every frame and
// counted in whole idle slots, frozen while carrier sense is busy; broadcast
// without ACK; unicast with ACK, binary exponential backoff and a retry limit.
//
// Timers are never cancelled: a node keeps the instant its countdown (or ACK
// wait) ends, and an event that fires at any other instant is stale. When
// carrier sense turns busy at exactly the instant a countdown ends, the node
// transmits anyway: CCA cannot react within the same instant, which makes
// "both backoffs ended in the same slot" the one way two nodes that hear each
// other overlap, whatever order the simultaneous events run in.

#include <algorithm>

#include "meshota/sim/media/radio/phy_rate.hpp"
#include "meshota/sim/media/radio/radio_medium.hpp"

namespace meshota::sim {

void RadioMedium::mac_on_busy(uint32_t node, SimTime now) {
  MacNode& m = mac_[node];
  if (m.state != MacState::kContend || !m.counting || now >= m.target_ns) return;
  if (now > m.count_start_ns)
    m.backoff_slots -= static_cast<uint32_t>((now - m.count_start_ns) / slot_ns_);
  m.counting = false;
}

void RadioMedium::mac_on_idle(uint32_t node, SimTime now) {
  MacNode& m = mac_[node];
  m.idle_since_ns = now;
  m.ifs_ns = m.eifs_next ? eifs_ns_ : difs_ns_;
  m.eifs_next = false;
  if (m.state == MacState::kContend) mac_arm(node, now);
}

/// The medium counts as idle from `now` on (after an ACK timeout), if it is idle.
void RadioMedium::mac_medium_idle_now(uint32_t node, SimTime now) {
  if (phy_[node].cca_busy) return;
  MacNode& m = mac_[node];
  m.idle_since_ns = now;
  m.ifs_ns = difs_ns_;
}

void RadioMedium::mac_next_frame(uint32_t node, SimTime now) {
  MacNode& m = mac_[node];
  if (m.state != MacState::kIdle || queues_.empty(node) || !phy_[node].up) return;
  m.state = MacState::kContend;
  m.backoff_slots = static_cast<uint32_t>(m.rng.below(uint64_t{m.cw} + 1));
  m.counting = false;
  if (!phy_[node].cca_busy) mac_arm(node, now);
}

/// Starts counting: DIFS (or EIFS) after the medium went idle, but not before now.
void RadioMedium::mac_arm(uint32_t node, SimTime now) {
  MacNode& m = mac_[node];
  m.count_start_ns = std::max(now, m.idle_since_ns + m.ifs_ns);
  m.target_ns = m.count_start_ns + SimTime{m.backoff_slots} * slot_ns_;
  m.counting = true;
  queue_.push(m.target_ns, first_handler_ + kMacTimer, node);
}

void RadioMedium::mac_timer(uint32_t node, SimTime now) {
  MacNode& m = mac_[node];
  if (!phy_[node].up) return;
  if (m.state == MacState::kContend && m.counting && m.target_ns == now) {
    if (phy_[node].tx != kNone) {
      // Sending an ACK: the backoff is spent, transmit after the next DIFS.
      m.backoff_slots = 0;
      m.counting = false;
      return;
    }
    mac_transmit_head(node, now);
  } else if (m.state == MacState::kWaitAck && m.ack_deadline_ns == now) {
    mac_ack_timeout(node, now);
  }
}

void RadioMedium::mac_transmit_head(uint32_t node, SimTime now) {
  MacNode& m = mac_[node];
  const RadioTx& head = queues_.front(node);
  if (m.retries == 0) m.seq = m.next_seq++;
  m.state = MacState::kTransmit;
  m.counting = false;
  Transmission t;
  t.sender = node;
  t.dest = head.dest;
  t.handle = head.handle;
  t.seq = m.seq;
  t.rate = spec_.data_rate;
  ++stats_[node].tx_frames;
  start_transmission(node, t, airtime_ns(head.mpdu_bytes), now);
}

void RadioMedium::mac_tx_done(uint32_t node, uint32_t dest, SimTime now) {
  MacNode& m = mac_[node];
  if (dest != kRadioBroadcast) {
    m.state = MacState::kWaitAck;
    m.ack_deadline_ns = now + ack_timeout_ns_;
    queue_.push(m.ack_deadline_ns, first_handler_ + kMacTimer, node);
    return;
  }
  // Broadcast: done with the MAC now; the listener hears of it once the last
  // copy has arrived everywhere (finish_pending).
  queues_.pop(node);
  m.state = MacState::kIdle;
  m.retries = 0;
  m.cw = spec_.cw_min;
  mac_next_frame(node, now);
}

void RadioMedium::mac_ack_timeout(uint32_t node, SimTime now) {
  MacNode& m = mac_[node];
  mac_medium_idle_now(node, now);
  if (m.retries >= spec_.retry_limit) {
    ++stats_[node].retry_drops;
    mac_finish_head(node, false, now);
    return;
  }
  ++m.retries;
  ++stats_[node].retries;
  m.cw = std::min(2 * (m.cw + 1) - 1, spec_.cw_max);
  m.state = MacState::kIdle;
  mac_next_frame(node, now);
}

void RadioMedium::mac_ack_received(uint32_t node, uint32_t seq, SimTime now) {
  const MacNode& m = mac_[node];
  if (m.state != MacState::kWaitAck || m.seq != seq) return;
  mac_finish_head(node, true, now);
}

/// The head unicast frame is ACKed or given up: report it, reset CW, go on.
void RadioMedium::mac_finish_head(uint32_t node, bool delivered, SimTime now) {
  MacNode& m = mac_[node];
  const uint32_t handle = queues_.pop(node).handle;
  m.state = MacState::kIdle;
  m.retries = 0;
  m.cw = spec_.cw_min;
  listener_.on_radio_done(node, handle, delivered, now);
  mac_next_frame(node, now);  // unless the listener's send() already did
}

void RadioMedium::mac_send_ack(uint32_t node, SimTime now) {
  MacNode& m = mac_[node];
  if (!phy_[node].up || m.ack_to == kNone) return;
  const uint32_t to = m.ack_to;
  m.ack_to = kNone;
  if (phy_[node].tx != kNone) return;
  Transmission t;
  t.sender = node;
  t.dest = to;
  t.seq = m.ack_seq;
  t.rate = ack_rate(spec_.data_rate);
  t.ack = true;
  ++stats_[node].ack_frames;
  // No carrier sense: the ACK owns the SIFS gap.
  start_transmission(node, t, ack_ns_, now);
}

}  // namespace meshota::sim
