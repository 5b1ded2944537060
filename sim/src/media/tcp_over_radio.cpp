#include "meshota/sim/media/tcp_over_radio.hpp"

#include <algorithm>

namespace meshota::sim {

TcpOverRadio::TcpOverRadio(EventQueue& queue, uint32_t first_handler, FramePool& frames, const MeshTree& tree,
                           const RadioSpec& radio, std::vector<Position> positions, const TcpRadioParams& tcp,
                           uint64_t seed, RunResult& result, TreeChannelListener& listener)
    : queue_(queue),
      first_handler_(first_handler),
      frames_(frames),
      tree_(tree),
      tcp_(tcp),
      result_(result),
      listener_(listener),
      radio_(queue, first_handler + kOwnHandlers, radio, std::move(positions), seed, *this),
      streams_(2 * size_t{tree.nodes()}),
      epoch_(tree.nodes(), 0),
      peak_(tree.nodes(), 0) {}

TcpOverRadio::~TcpOverRadio() = default;

void TcpOverRadio::dispatch(const Event& e) {
  const uint32_t h = e.handler - first_handler_;
  if (h >= kOwnHandlers) {
    radio_.dispatch(e);
    return;
  }
  const uint32_t link = e.payload / 2;
  const bool upward = (e.payload & 1) != 0;
  Stream& s = stream(link, upward);
  const SimTime now = queue_.now();
  switch (h) {
    case kPump: pump(link, upward); break;
    case kRto:
      if (s.rto_at == now) on_rto(link, upward);
      break;
    case kDelayedAck:
      if (s.ack_at == now) send_ack(link, upward);
      break;
  }
}

uint64_t TcpOverRadio::space(uint32_t node, uint32_t link) const {
  const Stream& s = streams_[2 * size_t{link} + (node == link ? 1 : 0)];
  const uint64_t in_buffer = s.written - s.snd_una;
  return in_buffer < tcp_.snd_buf_bytes ? tcp_.snd_buf_bytes - in_buffer : 0;
}

void TcpOverRadio::write(uint32_t node, uint32_t link, uint32_t frame, uint32_t bytes, bool last, SimTime at_ns) {
  const bool upward = node == link;
  Stream& s = stream(link, upward);
  s.written += bytes;
  if (last) {
    frames_.hold(frame);
    s.messages.push_back({s.written, frame});
  }
  peak_[node] = std::max(peak_[node], s.written - s.snd_una);
  if (at_ns > queue_.now()) queue_.push(at_ns, first_handler_ + kPump, encode(link, upward));
  else pump(link, upward);
}

bool TcpOverRadio::nagle_holds(uint32_t, bool upward, const Stream& s, uint64_t len) const {
  // Only the server (access point) side sets TCP_NODELAY: a station holds a small segment
  // while earlier data is unacknowledged.
  return upward && len < tcp_.mss_bytes && s.snd_nxt > s.snd_una;
}

void TcpOverRadio::pump(uint32_t link, bool upward) {
  Stream& s = stream(link, upward);
  const SimTime now = queue_.now();
  if (s.hold_until > now) {
    queue_.push(s.hold_until, first_handler_ + kPump, encode(link, upward));
    return;
  }
  // Bounded by the window: each round sends one segment of at least one byte.
  while (s.snd_nxt < s.written) {
    const uint64_t in_flight = s.snd_nxt - s.snd_una;
    if (in_flight >= tcp_.window_bytes) break;
    const uint64_t len = std::min<uint64_t>({tcp_.mss_bytes, s.written - s.snd_nxt, tcp_.window_bytes - in_flight});
    if (nagle_holds(link, upward, s, len)) break;
    send_segment(link, upward, s.snd_nxt, static_cast<uint32_t>(len));
    s.snd_nxt += len;
    if (s.rto_at == kSimNever) arm_rto(link, upward);
  }
}

uint32_t TcpOverRadio::new_segment(const Segment& seg) {
  if (free_segments_.empty()) {
    segments_.push_back(seg);
    return static_cast<uint32_t>(segments_.size() - 1);
  }
  const uint32_t h = free_segments_.back();
  free_segments_.pop_back();
  segments_[h] = seg;
  return h;
}

void TcpOverRadio::send_segment(uint32_t link, bool upward, uint64_t seq, uint32_t len) {
  // The reverse stream's receiver is this node: its ACK rides along and cancels a delayed one.
  Stream& reverse = stream(link, !upward);
  reverse.unacked_segments = 0;
  reverse.ack_at = kSimNever;
  const uint32_t h = new_segment(Segment{link, epoch_[link], upward, seq, len, reverse.rcv_nxt, true});
  const uint32_t from = from_node(link, upward), to = from_node(link, !upward);
  if (!radio_.send(from, RadioTx{to, len + tcp_.header_bytes + tcp_.frame_overhead_bytes, h}))
    free_segments_.push_back(h);  // the MAC queue refused it: TCP's timer resends it
}

void TcpOverRadio::send_ack(uint32_t link, bool data_upward) {
  Stream& s = stream(link, data_upward);
  s.unacked_segments = 0;
  s.ack_at = kSimNever;
  // A pure ACK travels against the data, from its receiver to its sender.
  const uint32_t h = new_segment(Segment{link, epoch_[link], !data_upward, 0, 0, s.rcv_nxt, true});
  const uint32_t from = from_node(link, !data_upward), to = from_node(link, data_upward);
  if (!radio_.send(from, RadioTx{to, tcp_.header_bytes + tcp_.frame_overhead_bytes, h})) free_segments_.push_back(h);
}

void TcpOverRadio::on_radio_receive(uint32_t, uint32_t, uint32_t handle, SimTime) {
  const Segment seg = segments_[handle];
  if (seg.epoch != epoch_[seg.link]) return;  // a frame of a closed connection
  if (seg.has_ack) on_ack(seg.link, !seg.upward, seg.ack);
  if (seg.len > 0) on_data(seg);
}

void TcpOverRadio::on_radio_done(uint32_t, uint32_t handle, bool, SimTime) {
  // A frame the MAC gave up on is simply lost: TCP's retransmission timer covers it.
  free_segments_.push_back(handle);
}

void TcpOverRadio::on_data(const Segment& seg) {
  Stream& s = stream(seg.link, seg.upward);
  const SimTime now = queue_.now();
  const uint64_t end = seg.seq + seg.len;
  if (seg.seq > s.rcv_nxt || end <= s.rcv_nxt) {
    if (seg.seq > s.rcv_nxt) s.out_of_order.emplace(seg.seq, seg.len);
    send_ack(seg.link, seg.upward);  // a duplicate ACK tells the sender where the gap is
    return;
  }
  s.rcv_nxt = end;  // new bytes, possibly after a resent overlap
  for (auto it = s.out_of_order.begin(); it != s.out_of_order.end() && it->first <= s.rcv_nxt;) {
    s.rcv_nxt = std::max(s.rcv_nxt, it->first + it->second);
    it = s.out_of_order.erase(it);
  }
  const uint32_t to = from_node(seg.link, !seg.upward);
  while (!s.messages.empty() && s.messages.front().end <= s.rcv_nxt) {
    const uint32_t frame = s.messages.front().frame;
    s.messages.pop_front();
    listener_.on_message(to, seg.link, frame);
    frames_.release(frame);
    if (seg.epoch != epoch_[seg.link]) return;  // the listener closed the connection
  }
  // lwIP acknowledges every second full segment at once, the others after the delayed-ACK timer.
  if (++s.unacked_segments >= 2) {
    send_ack(seg.link, seg.upward);
  } else if (s.ack_at == kSimNever) {
    s.ack_at = now + tcp_.delayed_ack_ns;
    queue_.push(s.ack_at, first_handler_ + kDelayedAck, encode(seg.link, seg.upward));
  }
}

void TcpOverRadio::on_ack(uint32_t link, bool data_upward, uint64_t ack) {
  Stream& s = stream(link, data_upward);
  if (ack <= s.snd_una) return;
  s.snd_una = std::min(ack, s.written);
  s.snd_nxt = std::max(s.snd_nxt, s.snd_una);  // after a go-back, ACKs of earlier sends still count
  s.backoff = 0;
  s.rto_at = kSimNever;
  if (s.snd_una < s.snd_nxt) arm_rto(link, data_upward);
  listener_.on_writable(from_node(link, data_upward), link);
  pump(link, data_upward);
}

void TcpOverRadio::arm_rto(uint32_t link, bool upward) {
  Stream& s = stream(link, upward);
  const SimTime rto = std::min(tcp_.rto_ns << std::min<uint32_t>(s.backoff, 20), tcp_.max_rto_ns);
  s.rto_at = queue_.now() + rto;
  queue_.push(s.rto_at, first_handler_ + kRto, encode(link, upward));
}

void TcpOverRadio::on_rto(uint32_t link, bool upward) {
  Stream& s = stream(link, upward);
  s.rto_at = kSimNever;
  if (s.snd_una >= s.snd_nxt) return;
  if (++s.backoff > tcp_.max_retransmissions) {
    ++aborted_;
    listener_.on_broken(link);
    return;
  }
  ++rto_retransmissions_;
  s.snd_nxt = s.snd_una;  // go back to the oldest unacknowledged byte
  arm_rto(link, upward);
  pump(link, upward);
}

void TcpOverRadio::reset_link(uint32_t link) {
  ++epoch_[link];
  for (bool upward : {false, true}) {
    Stream& s = stream(link, upward);
    for (const Message& m : s.messages) {
      ++result_.traffic[static_cast<size_t>(frames_.frame(m.frame).kind)].lost;
      frames_.release(m.frame);
    }
    s = Stream{};
  }
}

void TcpOverRadio::open(uint32_t link) { reset_link(link); }

void TcpOverRadio::close(uint32_t link) { reset_link(link); }

void TcpOverRadio::hold(uint32_t link, SimTime until_ns) {
  for (bool upward : {false, true}) stream(link, upward).hold_until = until_ns;
}

}  // namespace meshota::sim
