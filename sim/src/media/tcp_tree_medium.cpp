#include "meshota/sim/media/tcp_tree_medium.hpp"

#include <algorithm>
#include <cmath>

namespace meshota::sim {
namespace {
constexpr uint64_t kLossStream = 0x6c6f7373;  // "loss"
// A segment retried this often has met more than NODE_TIMEOUT of backoff for
// any sane RTO; the cap only bounds the loop.
constexpr uint32_t kMaxTriesPerSegment = 32;
}  // namespace

TcpTreeMedium::TcpTreeMedium(uint32_t nodes, const MediumSpec& spec, uint64_t seed, bool node_timeout)
    : spec_(spec),
      ns_per_byte_(8.0e6 / spec.bandwidth_kbps),
      latency_ns_(static_cast<SimTime>(std::llround(spec.latency_ms * kNsPerMs))),
      rto_ns_(static_cast<SimTime>(std::llround(spec.rto_ms * kNsPerMs))),
      node_timeout_ns_(node_timeout ? static_cast<SimTime>(std::llround(spec.node_timeout_s * kNsPerS))
                                    : kSimNever / 4),
      links_(nodes),
      peak_queue_bytes_(nodes, 0) {
  for (uint32_t c = 0; c < nodes; ++c) {
    links_[c].down.loss = LossModel(spec.loss, stream_seed(seed, kLossStream, 2 * uint64_t{c}));
    links_[c].up_dir.loss = LossModel(spec.loss, stream_seed(seed, kLossStream, 2 * uint64_t{c} + 1));
  }
}

Transmission TcpTreeMedium::transmit(uint32_t link, uint32_t from, bool upward, uint32_t bytes, SimTime at_ns) {
  Transmission tx;
  tx.epoch = links_[link].epoch;
  if (!links_[link].up) {
    tx.outcome = Transmission::Outcome::kLinkDown;
    return tx;
  }
  Direction& d = upward ? links_[link].up_dir : links_[link].down;
  if (spec_.queue_limit_frames > 0 && d.queued_frames >= spec_.queue_limit_frames) {
    tx.outcome = Transmission::Outcome::kQueueFull;
    return tx;
  }
  const SimTime start = std::max(at_ns, d.busy_until_ns);
  const auto serialise = static_cast<SimTime>(std::llround(ns_per_byte_ * bytes));
  // Each lost segment waits one RTO (doubling per retry) before it is sent again.
  SimTime recovery = 0;
  const uint32_t segments = std::max<uint32_t>(1, (bytes + spec_.mss_bytes - 1) / spec_.mss_bytes);
  for (uint32_t s = 0; s < segments; ++s) {
    ++d.segments;
    for (uint32_t tries = 0; d.loss.lost(); ++tries) {
      ++d.segments;
      ++d.lost_segments;
      recovery += rto_ns_ << std::min<uint32_t>(tries, 20);
      ++tx.retransmissions;
      if (recovery >= node_timeout_ns_ || tries + 1 >= kMaxTriesPerSegment) {
        tx.outcome = Transmission::Outcome::kTimedOut;
        tx.drop_at_ns = start + node_timeout_ns_;
        d.busy_until_ns = tx.drop_at_ns;
        return tx;
      }
    }
  }
  d.busy_until_ns = start + serialise + recovery;
  tx.arrival_ns = d.busy_until_ns + latency_ns_;
  ++d.queued_frames;
  d.queued_bytes += bytes;
  peak_queue_bytes_[from] = std::max(peak_queue_bytes_[from], d.queued_bytes);
  return tx;
}

void TcpTreeMedium::dequeued(uint32_t link, bool upward, uint32_t bytes, uint32_t epoch) {
  if (epoch != links_[link].epoch) return;  // the queue was emptied when the link dropped
  Direction& d = upward ? links_[link].up_dir : links_[link].down;
  --d.queued_frames;
  d.queued_bytes -= bytes;
}

void TcpTreeMedium::drop(uint32_t link, SimTime now_ns) {
  Link& l = links_[link];
  l.up = false;
  ++l.epoch;
  for (Direction* d : {&l.down, &l.up_dir}) {
    d->queued_frames = 0;
    d->queued_bytes = 0;
    d->busy_until_ns = now_ns;
  }
}

void TcpTreeMedium::set_loss(uint32_t link, const LossSpec& loss, uint64_t seed) {
  links_[link].down.loss = LossModel(loss, stream_seed(seed, kLossStream, 2 * uint64_t{link} + 0x10000000));
  links_[link].up_dir.loss = LossModel(loss, stream_seed(seed, kLossStream, 2 * uint64_t{link} + 0x10000001));
}

void TcpTreeMedium::restore(uint32_t link) { links_[link].up = true; }

void TcpTreeMedium::block(uint32_t link, SimTime until_ns) {
  for (Direction* d : {&links_[link].down, &links_[link].up_dir})
    d->busy_until_ns = std::max(d->busy_until_ns, until_ns);
}

}  // namespace meshota::sim
