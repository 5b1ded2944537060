// RadioMedium: construction, the public interface and event dispatch. The
// PHY lives in radio_medium_phy.cpp, the DCF MAC in radio_medium_mac.cpp.

#include "meshota/sim/media/radio/radio_medium.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "meshota/sim/media/radio/phy_rate.hpp"

namespace meshota::sim {
namespace {

/// Purpose tags of the random streams (ASCII "radiphy!", "radiolos", "radiomac").
constexpr uint64_t kLinkPhyPurpose = 0x7261646970687921ULL;
constexpr uint64_t kLinkLossPurpose = 0x726164696f6c6f73ULL;
constexpr uint64_t kMacPurpose = 0x726164696f6d6163ULL;

uint64_t directed_key(uint32_t from, uint32_t to) { return uint64_t{from} << 32 | to; }

void validate(const RadioSpec& s) {
  if (s.slot_us == 0) throw std::invalid_argument("radio: slot_us must be positive");
  if (s.sifs_us >= s.difs_us) throw std::invalid_argument("radio: SIFS must be shorter than DIFS");
  if (s.cw_max < s.cw_min) throw std::invalid_argument("radio: cw_max must not be below cw_min");
  if (s.cw_max >= (1u << 30)) throw std::invalid_argument("radio: cw_max is too large");
  if (s.retry_limit > 1000000) throw std::invalid_argument("radio: retry_limit is too large");
}

}  // namespace

RadioMedium::RadioMedium(EventQueue& queue, uint32_t first_handler, const RadioSpec& spec,
                         std::vector<Position> positions, uint64_t seed, RadioListener& listener)
    : queue_(queue),
      first_handler_(first_handler),
      spec_((validate(spec), spec)),
      listener_(listener),
      seed_(seed),
      propagation_(spec_, positions, seed),
      table_(propagation_, spec_.rx_sensitivity_dbm),
      noise_dbm_(sim::noise_floor_dbm(spec_.data_rate, spec_.noise_figure_db)),
      noise_mw_(dbm_to_mw(noise_dbm_)),
      cca_mw_(dbm_to_mw(spec_.cca_ed_threshold_dbm)),
      slot_ns_(SimTime{spec_.slot_us} * kNsPerUs),
      sifs_ns_(SimTime{spec_.sifs_us} * kNsPerUs),
      difs_ns_(SimTime{spec_.difs_us} * kNsPerUs),
      eifs_ns_(sifs_ns_ + frame_duration_ns(PhyRate::kDsss1, kAckBytes) + difs_ns_),
      ack_ns_(ack_duration_ns(spec_.data_rate)),
      ack_timeout_ns_(sifs_ns_ + ack_ns_ + slot_ns_),
      phy_(positions.size()),
      mac_(positions.size()),
      stats_(positions.size()),
      queues_(static_cast<uint32_t>(positions.size())) {
  if (positions.size() >= kNone) throw std::invalid_argument("radio: too many nodes");
  for (uint32_t n = 0; n < nodes(); ++n) {
    mac_[n].rng = RngStream(stream_seed(seed, kMacPurpose, n));
    mac_[n].cw = spec_.cw_min;
    mac_[n].ifs_ns = difs_ns_;
  }
  link_state_.resize(table_.link_count());
  for (uint32_t a = 0; a < nodes(); ++a)
    for (uint32_t l = table_.first_link(a); l < table_.first_link(a + 1); ++l) {
      const uint64_t key = directed_key(a, table_.link(l).node);
      link_state_[l].phy_rng = RngStream(stream_seed(seed, kLinkPhyPurpose, key));
      link_state_[l].loss = LossModel(spec_.rx_loss, stream_seed(seed, kLinkLossPurpose, key));
    }
}

void RadioMedium::dispatch(const Event& e) {
  const SimTime now = e.time_ns;
  switch (e.handler - first_handler_) {
    case kSignalStart: on_signal_start(e.payload, now); break;
    case kSignalEnd: on_signal_end(e.payload, now); break;
    case kTxEnd: on_tx_end(e.payload, now); break;
    case kMacTimer: mac_timer(e.payload, now); break;
    case kAckTx: mac_send_ack(e.payload, now); break;
    default: throw std::logic_error("radio: event handler out of range");
  }
}

bool RadioMedium::send(uint32_t node, const RadioTx& tx) {
  check_node(node);
  RadioNodeStats& st = stats_[node];
  if (!phy_[node].up || (spec_.queue_limit_frames != 0 && queues_.size(node) >= spec_.queue_limit_frames)) {
    ++st.queue_drops;
    return false;
  }
  queues_.push(node, tx);
  st.queue_peak = std::max(st.queue_peak, queues_.size(node));
  mac_next_frame(node, queue_.now());
  return true;
}

void RadioMedium::set_node_up(uint32_t node, bool up) {
  check_node(node);
  PhyNode& p = phy_[node];
  if (p.up == up) return;
  const SimTime now = queue_.now();
  MacNode& m = mac_[node];
  if (up) {
    p.up = true;
    m.idle_since_ns = now;
    m.ifs_ns = difs_ns_;
    return;
  }
  if (p.cca_busy) stats_[node].busy_ns += now - p.busy_since_ns;
  if (p.tx != kNone) txs_[p.tx].orphaned = true;
  const uint32_t epoch = p.epoch + 1;
  p = PhyNode{};
  p.up = false;
  p.epoch = epoch;
  m.state = MacState::kIdle;
  m.counting = false;
  m.cw = spec_.cw_min;
  m.retries = 0;
  m.ack_to = kNone;
  m.eifs_next = false;
  // The listener may call back into send(); the node is down, so it is refused.
  while (!queues_.empty(node)) listener_.on_radio_done(node, queues_.pop(node).handle, false, now);
}

double RadioMedium::rx_dbm(uint32_t a, uint32_t b) const {
  check_node(a);
  check_node(b);
  const uint32_t l = table_.find(a, b);
  return l == NeighbourTable::kNoLink ? kNoSignalDbm : table_.link(l).rx_dbm;
}

void RadioMedium::set_link_loss(uint32_t from, uint32_t to, const LossSpec& loss) {
  check_node(from);
  check_node(to);
  const uint32_t l = table_.find(from, to);
  if (l == NeighbourTable::kNoLink) throw std::invalid_argument("radio: set_link_loss on a pair that is not tracked");
  link_state_[l].loss = LossModel(loss, stream_seed(seed_, kLinkLossPurpose, directed_key(from, to)));
}

void RadioMedium::check_node(uint32_t node) const {
  if (node >= nodes()) throw std::out_of_range("radio: node " + std::to_string(node) + " does not exist");
}

SimTime RadioMedium::airtime_ns(uint32_t mpdu_bytes) const { return frame_duration_ns(spec_.data_rate, mpdu_bytes); }

uint32_t RadioMedium::new_transmission(const Transmission& t) {
  if (free_txs_.empty()) {
    txs_.push_back(t);
    return static_cast<uint32_t>(txs_.size() - 1);
  }
  const uint32_t id = free_txs_.back();
  free_txs_.pop_back();
  txs_[id] = t;
  return id;
}

uint32_t RadioMedium::new_arrival_block(uint32_t count) {
  if (count < free_blocks_.size() && !free_blocks_[count].empty()) {
    const uint32_t base = free_blocks_[count].back();
    free_blocks_[count].pop_back();
    return base;
  }
  const auto base = static_cast<uint32_t>(arrivals_.size());
  arrivals_.resize(arrivals_.size() + count);
  return base;
}

void RadioMedium::free_arrival_block(uint32_t base, uint32_t count) {
  if (count == 0) return;
  if (count >= free_blocks_.size()) free_blocks_.resize(size_t{count} + 1);
  free_blocks_[count].push_back(base);
}

}  // namespace meshota::sim
