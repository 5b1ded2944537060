#pragma once
// The shared radio channel: one half-duplex radio per node on one channel,
// an 802.11 DSSS/OFDM PHY (lock onto the first decodable preamble, SINR
// piecewise over the frame, ns-3's bit error rates) under a DCF MAC (DIFS,
// binary exponential backoff frozen while carrier sense is busy, ACK and
// retry for unicast). A transmission's arrivals at its neighbours within
// interference range run in arrival order (neighbours at the same arrival as
// one group; signals too weak to decode all arrive with the earliest of them),
// so the work per frame never depends on N. Each group's start and end
// keeps the place in the event order its own event would have: the groups run
// as a chain of events, and a link of the chain that would run next anyway runs
// in place, without a trip through the queue.
//
// The owner runs the event loop and calls dispatch() for the handler ids
// [first_handler, first_handler + kHandlerCount); frames go up through a
// RadioListener. Not modelled: NAV / RTS-CTS, frame capture (re-locking onto
// a stronger frame), rate adaptation, fragmentation, power saving.

#include <cstdint>
#include <span>
#include <vector>

#include "meshota/sim/engine/event_queue.hpp"
#include "meshota/sim/engine/rng_stream.hpp"
#include "meshota/sim/media/loss_model.hpp"
#include "meshota/sim/media/radio/mac_queues.hpp"
#include "meshota/sim/media/radio/neighbour_table.hpp"
#include "meshota/sim/media/radio/propagation.hpp"
#include "meshota/sim/media/radio/radio_listener.hpp"
#include "meshota/sim/media/radio/radio_spec.hpp"
#include "meshota/sim/media/radio/radio_stats.hpp"

namespace meshota::sim {

/// The radio medium of one run: PHY reception and DCF MAC of every node.
class RadioMedium {
 public:
  /// Throws std::invalid_argument for a spec it cannot run.
  RadioMedium(EventQueue& queue, uint32_t first_handler, const RadioSpec& spec, std::vector<Position> positions,
              uint64_t seed, RadioListener& listener);
  RadioMedium(const RadioMedium&) = delete;
  RadioMedium& operator=(const RadioMedium&) = delete;

  static constexpr uint32_t kHandlerCount = 5;
  /// Runs one of this medium's events (handler in [first_handler, first_handler + kHandlerCount)).
  void dispatch(const Event& e);

  /// Queues a frame at `node`'s MAC; false (a queue drop) if the queue is full or the node is down.
  bool send(uint32_t node, const RadioTx& tx);
  /// A node going down flushes its queue (each frame reported not delivered);
  /// its frame on the air reaches nobody (it still interferes until its scheduled
  /// end), and it ignores every signal until it is up again.
  void set_node_up(uint32_t node, bool up);
  bool node_up(uint32_t node) const { return phy_[node].up; }

  /// The nodes whose signals `node` tracks, with their rx power (lists are symmetric).
  std::span<const RadioNeighbour> neighbours(uint32_t node) const { return table_.of(node); }
  /// Received power at b of a's transmissions, kNoSignalDbm when not tracked.
  double rx_dbm(uint32_t a, uint32_t b) const;
  /// Whether b can decode a's frames without interference (rx >= sensitivity).
  bool in_range(uint32_t a, uint32_t b) const { return rx_dbm(a, b) >= spec_.rx_sensitivity_dbm; }
  /// Replaces the receiver-side loss model of the directed link from -> to (throws if not tracked).
  void set_link_loss(uint32_t from, uint32_t to, const LossSpec& loss);

  const RadioNodeStats& stats(uint32_t node) const { return stats_[node]; }
  /// Signal-start events processed: the medium's work, one per neighbour per frame.
  uint64_t receiver_visits() const { return receiver_visits_; }
  /// Current contention window of `node`'s MAC, in slots.
  uint32_t contention_window(uint32_t node) const { return mac_[node].cw; }
  uint32_t queued(uint32_t node) const { return queues_.size(node); }

  const RadioSpec& spec() const { return spec_; }
  uint32_t nodes() const { return static_cast<uint32_t>(phy_.size()); }
  const Propagation& propagation() const { return propagation_; }
  double noise_floor_dbm() const { return noise_dbm_; }
  /// Airtime of a data frame at the data rate, preamble included.
  SimTime airtime_ns(uint32_t mpdu_bytes) const;
  SimTime ack_airtime_ns() const { return ack_ns_; }
  /// SIFS + ACK at 1 Mbit/s + DIFS.
  SimTime eifs_ns() const { return eifs_ns_; }

 private:
  enum Handler : uint32_t { kSignalStart, kSignalEnd, kTxEnd, kMacTimer, kAckTx };
  enum class MacState : uint8_t { kIdle, kContend, kTransmit, kWaitAck };
  static constexpr uint32_t kNone = 0xffffffffu;

  /// One frame on the air, shared by all its arrivals.
  struct Transmission {
    SimTime start_ns = 0;
    uint32_t sender = 0;
    uint32_t dest = kRadioBroadcast;
    uint32_t handle = 0;
    uint32_t seq = 0;
    SimTime end_ns = 0;          // when the sender stops transmitting
    uint64_t seq_base = 0;       // event sequence of its first group's start; group k: + 2k, its end + 2k + 1
    uint32_t pending = 0;        // the sender's TX end + one signal end per arrival group
    uint32_t arrival_base = 0;   // its arrivals: a block in arrivals_, in arrival order
    uint32_t arrival_count = 0;
    uint32_t start_group = 0;    // arrival groups whose signal start has run, minus one
    uint32_t end_group = 0;      // the same for the signal ends
    PhyRate rate = PhyRate::kDsss1;
    bool ack = false;
    bool orphaned = false;  // the sender went down mid-frame: nobody receives it
  };
  /// One transmission arriving over one directed link.
  struct Arrival {
    uint32_t tx = 0;
    uint32_t link = 0;
    uint32_t epoch = 0;  // the receiver's epoch when counted: stale after a down/up
    bool counted = false;
  };
  struct PhyNode {
    double incident_mw = 0.0;  // every counted arrival, the locked one included
    double log_success = 0.0;  // of the locked frame, over the closed pieces
    SimTime piece_start_ns = 0;
    SimTime busy_since_ns = 0;
    uint32_t active = 0;
    uint32_t locked = kNone;  // arrival id
    uint32_t tx = kNone;      // own transmission on the air
    uint32_t epoch = 0;
    bool overlapped = false;
    bool cca_busy = false;
    bool up = true;
  };
  struct MacNode {
    RngStream rng;
    SimTime idle_since_ns = 0;
    SimTime ifs_ns = 0;          // DIFS or EIFS for the current idle period
    SimTime count_start_ns = 0;  // when the backoff slots started to count
    SimTime target_ns = 0;       // when the countdown reaches zero
    SimTime ack_deadline_ns = 0;
    uint32_t cw = 0;
    uint32_t backoff_slots = 0;
    uint32_t retries = 0;  // of the head frame
    uint32_t seq = 0;      // sequence number of the head frame
    uint32_t next_seq = 1;
    uint32_t ack_to = kNone;  // ACK owed SIFS after a received unicast
    uint32_t ack_seq = 0;
    MacState state = MacState::kIdle;
    bool counting = false;
    bool eifs_next = false;
  };
  struct LinkState {
    RngStream phy_rng;  // the SINR success draw of frames on this link
    LossModel loss;     // receiver-side extra loss
    uint32_t last_seq = 0;
  };

  // PHY (radio_medium_phy.cpp)
  uint32_t start_transmission(uint32_t node, const Transmission& t, SimTime duration_ns, SimTime now);
  void on_signal_start(uint32_t first_arrival, SimTime now);
  void on_signal_end(uint32_t first_arrival, SimTime now);
  /// After a group that ends before `next_first`: runs in place when the group
  /// at `next_first` (at `at_ns`, sequence `seq`) is next anyway (true, the clock
  /// advanced), else queues its event (false).
  bool chain(uint32_t next_first, SimTime at_ns, uint64_t seq, Handler handler);
  void signal_start(uint32_t arrival, SimTime now);
  void signal_end(uint32_t arrival, SimTime now);
  /// One past the last arrival of the arrival group that starts at `first`.
  uint32_t group_end(uint32_t first) const;
  void on_tx_end(uint32_t tx, SimTime now);
  void close_piece(uint32_t node, SimTime now);
  bool decide(uint32_t node, const Arrival& a);
  void handle_frame(uint32_t node, const Arrival& a, SimTime now);
  void update_cca(uint32_t node, SimTime now);
  void finish_pending(uint32_t tx, SimTime now);

  // MAC (radio_medium_mac.cpp)
  void mac_on_busy(uint32_t node, SimTime now);
  void mac_on_idle(uint32_t node, SimTime now);
  void mac_next_frame(uint32_t node, SimTime now);
  void mac_arm(uint32_t node, SimTime now);
  void mac_timer(uint32_t node, SimTime now);
  void mac_transmit_head(uint32_t node, SimTime now);
  void mac_tx_done(uint32_t node, uint32_t dest, SimTime now);
  void mac_ack_timeout(uint32_t node, SimTime now);
  void mac_ack_received(uint32_t node, uint32_t seq, SimTime now);
  void mac_finish_head(uint32_t node, bool delivered, SimTime now);
  void mac_send_ack(uint32_t node, SimTime now);
  void mac_medium_idle_now(uint32_t node, SimTime now);

  uint32_t new_transmission(const Transmission& t);
  void check_node(uint32_t node) const;
  uint32_t new_arrival_block(uint32_t count);
  void free_arrival_block(uint32_t base, uint32_t count);

  EventQueue& queue_;
  uint32_t first_handler_;
  RadioSpec spec_;
  RadioListener& listener_;
  uint64_t seed_;
  Propagation propagation_;
  NeighbourTable table_;

  // Derived constants.
  double noise_dbm_;
  double noise_mw_;
  double cca_mw_;
  SimTime slot_ns_, sifs_ns_, difs_ns_, eifs_ns_, ack_ns_, ack_timeout_ns_;

  std::vector<PhyNode> phy_;
  std::vector<MacNode> mac_;
  std::vector<RadioNodeStats> stats_;
  std::vector<LinkState> link_state_;
  MacQueues queues_;
  std::vector<Transmission> txs_;
  std::vector<uint32_t> free_txs_;
  std::vector<Arrival> arrivals_;
  std::vector<std::vector<uint32_t>> free_blocks_;  // free arrival blocks by size
  uint64_t receiver_visits_ = 0;
};

}  // namespace meshota::sim
